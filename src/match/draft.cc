#include "match/draft.h"

#include <algorithm>
#include <cstdio>

#include "sheet/answer_mark.h"
#include "text/normalize.h"

namespace ts::match {
namespace {

std::string Fixed2(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

}  // namespace

std::string_view ConfidenceName(Confidence c) {
  switch (c) {
    case Confidence::kHigh: return "high";
    case Confidence::kMedium: return "medium";
    case Confidence::kLow: return "low";
    case Confidence::kNone: break;
  }
  return "none";
}

std::optional<Confidence> ConfidenceFromName(std::string_view name) {
  for (Confidence c : {Confidence::kNone, Confidence::kLow, Confidence::kMedium, Confidence::kHigh}) {
    if (ConfidenceName(c) == name) return c;
  }
  return std::nullopt;
}

std::string QuestionKey(std::string_view question) { return text::ComparisonKey(question); }

std::string SheetWord(sheet::Mark mark, const std::vector<std::string>& vocabulary, const std::string& fallback) {
  // A planned answer is a "no" today.
  const sheet::Mark want = mark == sheet::Mark::kPlanned ? sheet::Mark::kNo : mark;
  if (want == sheet::Mark::kText || want == sheet::Mark::kNone) return fallback;
  for (const std::string& w : vocabulary) {
    if (sheet::MarkOfToken(w) == want) return w;
  }
  return fallback;
}

Result<std::unique_ptr<Drafter>> Drafter::Build(std::vector<LibraryAnswer> library, std::vector<Decision> decisions,
                                                const catalog::Catalog* catalog) {
  std::unique_ptr<Drafter> d(new Drafter());
  d->library_ = std::move(library);
  d->catalog_ = catalog;
  std::vector<Document> docs;
  docs.reserve(d->library_.size());
  for (std::size_t i = 0; i < d->library_.size(); ++i) {
    docs.push_back({d->library_[i].question});
    d->by_entry_[d->library_[i].entry_id] = i;
    d->answer_keys_.push_back(std::string(sheet::MarkName(d->library_[i].mark)) + "\t" +
                              text::ComparisonKey(d->library_[i].answer_text));
  }
  for (const Decision& dec : decisions) {  // later decisions override earlier ones
    if (dec.accepted) {
      d->accepted_[dec.question_key] = dec.entry_id;
      d->rejected_.erase({dec.question_key, dec.entry_id});
    } else {
      d->rejected_.insert({dec.question_key, dec.entry_id});
      if (auto it = d->accepted_.find(dec.question_key); it != d->accepted_.end() && it->second == dec.entry_id) {
        d->accepted_.erase(it);
      }
    }
  }
  TS_ASSIGN_OR_RETURN(d->index_, Index::Build(docs, catalog));
  return d;
}

Draft Drafter::DraftFor(const sheet::Item& item, const std::vector<std::string>& vocabulary) {
  Draft draft;
  // Decisions are looked up by the question's key; without any, skip computing it.
  const std::string key = accepted_.empty() && rejected_.empty() ? std::string() : QuestionKey(item.question);
  auto fill = [&](const LibraryAnswer& a) {
    draft.source = a;
    draft.mark = a.mark;
    draft.text = SheetWord(a.mark, vocabulary, a.answer_text);
    draft.remarks = a.remarks;
  };
  if (auto acc = accepted_.find(key); acc != accepted_.end()) {
    if (auto e = by_entry_.find(acc->second); e != by_entry_.end()) {
      fill(library_[e->second]);
      draft.confidence = Confidence::kHigh;
      draft.score = 1.0;
      draft.why.push_back("a reviewer accepted this entry for the same question before");
      return draft;
    }
  }
  std::vector<Hit> hits = index_->Match(item.question, 8);
  if (!rejected_.empty()) {
    std::erase_if(hits, [&](const Hit& h) { return rejected_.contains({key, library_[h.doc].entry_id}); });
  }
  if (hits.empty() || hits[0].score < kLowScore) {
    draft.score = hits.empty() ? 0 : hits[0].score;
    draft.why.push_back(hits.empty() ? "no library entry shares a term with the question"
                                     : "best library entry scores " + Fixed2(hits[0].score) + ", below " +
                                           Fixed2(kLowScore));
    return draft;
  }
  const Hit& top = hits[0];
  const LibraryAnswer& best = library_[top.doc];
  // The margin that matters is to the best entry that would give a different answer.
  double rival = 0;
  for (std::size_t i = 1; i < hits.size(); ++i) {
    if (answer_keys_[hits[i].doc] != answer_keys_[top.doc]) {
      rival = hits[i].score;
      break;
    }
  }
  const double margin = top.score - rival;
  fill(best);
  draft.score = top.score;
  if (top.score >= kHighScore && margin >= kHighMargin && !top.polarity_differs) {
    draft.confidence = Confidence::kHigh;
  } else if (top.score >= kMediumScore && !top.polarity_differs) {
    draft.confidence = Confidence::kMedium;
  } else {
    draft.confidence = Confidence::kLow;
  }
  draft.why.push_back("similarity " + Fixed2(top.score) + " (text " + Fixed2(top.text_score) + "), margin " +
                      Fixed2(margin) + " to the best entry with a different answer");
  if (!top.shared_controls.empty() && catalog_ != nullptr) {
    std::string s = "same control: ";
    for (std::size_t i = 0; i < top.shared_controls.size(); ++i) {
      const catalog::Control* c = catalog_->Find(top.shared_controls[i]);
      s += (i ? ", " : "") + top.shared_controls[i] + (c ? " " + c->name_ja : "");
    }
    draft.why.push_back(s);
  }
  if (!top.shared_words.empty()) {
    std::string s = "shared terms: ";
    for (std::size_t i = 0; i < top.shared_words.size(); ++i) s += (i ? "、" : "") + top.shared_words[i];
    draft.why.push_back(s);
  }
  if (top.polarity_differs) draft.why.push_back("polarity differs (禁止/していない in one question only): check");
  return draft;
}

}  // namespace ts::match
