#include "match/draft.h"

#include <algorithm>
#include <cstdio>

#include "sheet/answer_mark.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace ts::match {
namespace {

constexpr std::size_t kAlternatives = 3;

std::string Fixed2(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

// Words that name the other party and carry nothing for the question's identity.
constexpr std::array<std::string_view, 12> kAddressWords = {"貴社", "御社", "貴院", "貴校", "貴学", "貴団体",
                                                            "貴組織", "弊社", "当社", "貴殿", "御行", "貴行"};

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

std::string QuestionKey(std::string_view question) {
  std::string s = CoreText(text::AsciiLower(text::NormalizeText(question)));
  // The other party's name with its particle: 貴社では, 御社は, 貴院の...
  static constexpr std::array<std::string_view, 6> kParticles = {"では", "は", "の", "で", "に", "が"};
  for (std::string_view w : kAddressWords) {
    for (std::size_t at = s.find(w); at != std::string::npos; at = s.find(w, at)) {
      std::size_t len = w.size();
      for (std::string_view p : kParticles) {
        if (s.compare(at + len, p.size(), p) == 0) {
          len += p.size();
          break;
        }
      }
      s.erase(at, len);
    }
  }
  std::u32string kept;
  for (char32_t c : text::ToU32(s)) {
    const bool ascii_alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
    if (ascii_alnum || (c >= 0x3041 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) || c == U'々') kept.push_back(c);
  }
  std::string key = text::ToUtf8(kept);
  // Sentence endings that only change the register.
  static constexpr std::array<std::string_view, 9> kEndings = {"でしょうか", "ですか", "ますか", "である", "です",
                                                               "ください", "こと",   "か",     "ます"};
  for (bool again = true; again;) {
    again = false;
    for (std::string_view e : kEndings) {
      if (key.size() > e.size() && key.compare(key.size() - e.size(), e.size(), e) == 0) {
        key.resize(key.size() - e.size());
        again = true;
      }
    }
  }
  return key;
}

bool IsTextAnswer(sheet::Mark mark) { return mark == sheet::Mark::kText || mark == sheet::Mark::kNone; }

Document DocumentOf(const LibraryAnswer& a) {
  return {a.question, IsTextAnswer(a.mark) ? a.answer_text + "\n" + a.remarks : a.remarks, a.section};
}

std::string AnswerKey(const LibraryAnswer& a) {
  return std::string(sheet::MarkName(a.mark)) + (IsTextAnswer(a.mark) ? "\t" + text::ComparisonKey(a.answer_text) : "");
}

std::string SheetWord(sheet::Mark mark, const std::vector<std::string>& vocabulary, const std::string& fallback) {
  // A planned answer is a "no" today.
  const sheet::Mark want = mark == sheet::Mark::kPlanned ? sheet::Mark::kNo : mark;
  if (want == sheet::Mark::kText || want == sheet::Mark::kNone) return fallback;
  for (const std::string& w : vocabulary) {
    if (sheet::MarkOfToken(w) == want) return w;
  }
  return fallback;
}

Competition CompetitionOf(const std::vector<RankedHit>& hits, const std::function<bool(std::size_t)>& same_question) {
  Competition c;
  bool rival = false, other = false;
  for (std::size_t i = 1; i < hits.size() && !(rival && other); ++i) {
    if (!rival && hits[i].answer_key != hits[0].answer_key) {
      c.rival = hits[i].score;
      rival = true;
    }
    if (!other && !same_question(i)) {
      c.other = hits[i].score;
      other = true;
    }
  }
  return c;
}

std::vector<std::string> Explain(const Hit& hit, const Model& model, const catalog::Catalog* catalog) {
  std::vector<std::string> why;
  const std::array<double, kSignalCount> x = SignalValues(hit.signals);
  // The signals that moved the probability most, up or down.
  std::vector<std::pair<double, std::size_t>> parts;
  for (std::size_t i = 0; i < kSignalCount; ++i) {
    const double c = model.weights[i] * x[i];
    if (std::abs(c) >= 0.25) parts.push_back({c, i});
  }
  std::stable_sort(parts.begin(), parts.end(), [](auto& a, auto& b) { return std::abs(a.first) > std::abs(b.first); });
  std::string s = "probability " + Fixed2(hit.score) + " from";
  for (std::size_t i = 0; i < parts.size() && i < 4; ++i) {
    s += std::string(i ? "," : "") + " " + std::string(SignalNames()[parts[i].second]) + " " +
         Fixed2(x[parts[i].second]) + (parts[i].first >= 0 ? " (+)" : " (-)");
  }
  if (parts.empty()) s += " no strong signal";
  why.push_back(s);
  if (!hit.shared_controls.empty() && catalog != nullptr) {
    std::string c = "same control: ";
    for (std::size_t i = 0; i < hit.shared_controls.size(); ++i) {
      const catalog::Control* ctl = catalog->Find(hit.shared_controls[i]);
      c += (i ? ", " : "") + hit.shared_controls[i] + (ctl ? " " + ctl->name_ja : "");
    }
    why.push_back(c);
  }
  if (!hit.shared_words.empty()) {
    std::string w = "shared terms: ";
    for (std::size_t i = 0; i < hit.shared_words.size(); ++i) w += (i ? "、" : "") + hit.shared_words[i];
    why.push_back(w);
  }
  if (hit.signals.opposite > 0) {
    why.push_back("opposite meaning: a yes to one is a no to the other (negated, or exposure against protection)");
  }
  if (hit.signals.kind_mismatch > 0) why.push_back("the question asks for a figure the entry does not give");
  return why;
}

Result<std::unique_ptr<Drafter>> Drafter::Build(std::vector<LibraryAnswer> library, std::vector<Decision> decisions,
                                                const catalog::Catalog* catalog) {
  std::unique_ptr<Drafter> d(new Drafter());
  d->library_ = std::move(library);
  d->catalog_ = catalog;
  std::vector<Document> docs;
  docs.reserve(d->library_.size());
  for (std::size_t i = 0; i < d->library_.size(); ++i) {
    const LibraryAnswer& a = d->library_[i];
    docs.push_back(DocumentOf(a));
    d->by_entry_[a.entry_id] = i;
    d->answer_keys_.push_back(AnswerKey(a));
  }
  for (const Decision& dec : decisions) {  // later decisions override earlier ones
    // A question with nothing left after folding (punctuation, boilerplate only) identifies no
    // question: a decision on it must not apply to every other such item.
    if (dec.question_key.empty()) continue;
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
  std::string section;
  for (const std::string& s : item.section) section += (section.empty() ? "" : " / ") + s;
  return DraftFor(item, vocabulary, section);
}

Draft Drafter::DraftFor(const sheet::Item& item, const std::vector<std::string>& vocabulary,
                        std::string_view section) {
  Draft draft;
  const Model& model = index_->model();
  // Decisions are looked up by the question's key; without any, skip computing it.
  const std::string key = accepted_.empty() && rejected_.empty() ? std::string() : QuestionKey(item.question);
  std::vector<Hit> hits = index_->Match(Query{item.question, section}, kHitsRead);
  if (!rejected_.empty()) {
    std::erase_if(hits, [&](const Hit& h) { return rejected_.contains({key, library_[h.doc].entry_id}); });
  }
  auto fill = [&](const LibraryAnswer& a) {
    draft.source = a;
    draft.mark = a.mark;
    draft.text = SheetWord(a.mark, vocabulary, a.answer_text);
    draft.remarks = a.remarks;
  };
  // Alternatives: the best hits other than the draft's source.
  auto add_alternatives = [&](std::size_t skip_doc) {
    for (const Hit& h : hits) {
      if (draft.alternatives.size() == kAlternatives) break;
      if (h.doc == skip_doc) continue;
      const LibraryAnswer& a = library_[h.doc];
      draft.alternatives.push_back({a, SheetWord(a.mark, vocabulary, a.answer_text), h.score,
                                    Explain(h, model, catalog_)});
    }
  };
  if (auto acc = accepted_.find(key); acc != accepted_.end()) {
    if (auto e = by_entry_.find(acc->second); e != by_entry_.end()) {
      fill(library_[e->second]);
      draft.confidence = Confidence::kHigh;
      draft.score = 1.0;
      draft.why.push_back("a reviewer accepted this entry for the same question before");
      add_alternatives(e->second);
      return draft;
    }
  }
  if (hits.empty()) {
    draft.why.push_back(library_.empty() ? "the library is empty"
                                         : "the reviewers rejected every entry proposed for this question");
    return draft;
  }
  const Hit& top = hits[0];
  std::vector<RankedHit> ranked;
  for (const Hit& h : hits) ranked.push_back({h.score, answer_keys_[h.doc]});
  const Competition competition = CompetitionOf(ranked, [&](std::size_t i) {
    return index_->QuestionSimilarity(top.doc, hits[i].doc) >= kSameQuestion;
  });
  // The margin that matters is to the best entry that would give a different answer.
  const double margin = top.score - competition.rival;
  const bool opposite = top.signals.opposite > 0;
  const double sure = model.Confidence(top.score, competition.other);
  draft.score = top.score;
  // Never across opposite meanings, and never ahead of an entry with another answer by nothing.
  if (sure >= model.high && margin > 0 && !opposite) {
    draft.confidence = Confidence::kHigh;
  } else if (sure >= model.medium && margin > 0 && !opposite) {
    draft.confidence = Confidence::kMedium;
  } else if (sure >= model.low) {
    draft.confidence = Confidence::kLow;
  }
  if (draft.confidence == Confidence::kNone) {
    draft.why.push_back("best library entry: probability " + Fixed2(top.score) + ", confidence " + Fixed2(sure) +
                        " below " + Fixed2(model.low) + "; see the alternatives");
    add_alternatives(library_.size());
    return draft;
  }
  fill(library_[top.doc]);
  draft.why = Explain(top, model, catalog_);
  draft.why.insert(draft.why.begin() + 1, "confidence " + Fixed2(sure) + ": margin " + Fixed2(margin) +
                                              " to the best entry with a different answer");
  add_alternatives(top.doc);
  return draft;
}

}  // namespace ts::match
