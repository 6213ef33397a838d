#include "match_eval.h"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "export/fill.h"
#include "ingest/import.h"

namespace ts::match_eval {
namespace {

namespace fs = std::filesystem;

Result<nlohmann::json> ReadJson(const fs::path& p) {
  std::ifstream in(p);
  if (!in) return NotFound("cannot read " + p.string());
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgument(p.string() + ": " + e.what());
  }
}

std::string SeedFile(const std::string& seed) {
  if (seed == "002") return "002_ade5a688148bdfbd.txt";
  if (seed == "003") return "003_294ac525af549ce9.txt";
  return "004_7ccdf125775a5fc3.txt";
}

}  // namespace

fs::path DefaultCorpus() { return fs::path(TS_SOURCE_DIR) / ".." / "shared" / "corpus"; }

Result<std::vector<KeyedAnswer>> SeedLibrary(const fs::path& corpus, const std::vector<std::string>& seeds) {
  std::vector<KeyedAnswer> out;
  for (const std::string& seed : seeds) {
    TS_ASSIGN_OR_RETURN(sheet::Checksheet cs, ingest::ImportFile((corpus / "seeds" / SeedFile(seed)).string()));
    TS_ASSIGN_OR_RETURN(nlohmann::json gold, ReadJson(corpus / "gold" / (seed + ".items.json")));
    for (std::size_t p = 0; p < gold["parts"].size() && p < cs.parts.size(); ++p) {
      const auto& items = gold["parts"][p]["items"];
      for (std::size_t i = 0; i < items.size() && i < cs.parts[p].items.size(); ++i) {
        const sheet::Item& it = cs.parts[p].items[i];
        if (it.answer.mark == sheet::Mark::kNone && it.remarks.empty()) continue;  // as `library add` skips
        const std::string key = seed + ":" + items[i]["key"].get<std::string>();
        std::string section;
        for (const std::string& s : it.section) section += (section.empty() ? "" : " / ") + s;
        out.push_back({key, {key, it.question, it.answer.mark, it.answer.text, it.remarks, seed, it.id, section}});
      }
    }
  }
  return out;
}

Result<std::vector<Question>> LoadQuestions(const fs::path& json) {
  TS_ASSIGN_OR_RETURN(nlohmann::json root, ReadJson(json));
  std::vector<Question> out;
  for (const auto& it : root["items"]) {
    Question q;
    q.key = it.value("key", "");
    q.number = it.value("number", "");
    q.section = it.value("section", "");
    q.question = it.value("question", "");
    q.strength = it.value("strength", "");
    q.voice = it.value("voice", "");
    for (const auto& b : it["b"]) q.b.push_back(b.get<std::string>());
    out.push_back(std::move(q));
  }
  return out;
}

Result<sheet::Checksheet> AsXlsxRequest(const std::vector<Question>& questions) {
  sheet::Checksheet request;
  request.format = "text";
  sheet::Part part;
  part.id = "p1";
  part.title = "チェックシート";
  for (const Question& q : questions) {
    sheet::Item it;
    it.id = q.key;
    it.number = q.number;
    it.question = q.question;
    if (!q.section.empty()) it.section = {q.section};
    part.items.push_back(std::move(it));
  }
  request.parts.push_back(std::move(part));
  exporter::FillReport report;
  TS_ASSIGN_OR_RETURN(std::string xlsx, exporter::NewXlsx(request, {}, &report));
  TS_ASSIGN_OR_RETURN(sheet::Checksheet back, ingest::ImportBytes(xlsx, "request.xlsx"));
  std::size_t n = 0;
  for (const sheet::Part& p : back.parts) n += p.items.size();
  if (n != questions.size()) {
    return Internal("the xlsx request has " + std::to_string(n) + " items, not " + std::to_string(questions.size()));
  }
  return back;
}

Result<std::vector<Question>> PairQuestions(const fs::path& corpus) {
  TS_ASSIGN_OR_RETURN(std::vector<KeyedAnswer> items004, SeedLibrary(corpus, {"004"}));
  TS_ASSIGN_OR_RETURN(nlohmann::json align, ReadJson(corpus / "gold" / "align_002_004.json"));
  std::map<std::string, std::string> pair_of;
  for (const auto& p : align["pairs"]) pair_of["004:" + p["b"].get<std::string>()] = "002:" + p["a"].get<std::string>();
  std::vector<Question> out;
  for (const KeyedAnswer& k : items004) {
    Question q;
    q.key = k.key;
    q.question = k.answer.question;
    q.section = k.answer.section;
    auto p = pair_of.find(k.key);
    q.strength = p == pair_of.end() ? "none" : "same";
    if (p != pair_of.end()) q.b = {p->second};
    out.push_back(std::move(q));
  }
  return out;
}

std::vector<std::vector<std::string>> ReadTsv(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, '\t');) fields.push_back(cell);
    rows.push_back(std::move(fields));
  }
  return rows;
}

std::vector<KeyedAnswer> ParaphraseLibrary() {
  std::vector<KeyedAnswer> out;
  for (const auto& r : ReadTsv(fs::path(TS_SOURCE_DIR) / "tests" / "data" / "paraphrase" / "library.tsv")) {
    if (r.size() < 3) continue;
    out.push_back({r[0], {r[0], r[1], sheet::Mark::kYes, r[2], "", "library", r[0], ""}});
  }
  return out;
}

std::vector<Question> ParaphraseQuestions(const std::string& file) {
  std::vector<Question> out;
  for (const auto& r : ReadTsv(fs::path(TS_SOURCE_DIR) / "tests" / "data" / "paraphrase" / file)) {
    if (r.size() < 2) continue;
    Question q;
    q.question = r[0];
    q.strength = r[1] == "-" ? "none" : "same";
    if (r[1] != "-") q.b = {r[1]};
    out.push_back(std::move(q));
  }
  return out;
}

Figures Score(const std::vector<Question>& questions, const std::vector<match::Draft>& drafts) {
  Figures f;
  for (std::size_t i = 0; i < questions.size() && i < drafts.size(); ++i) {
    const Question& q = questions[i];
    const match::Draft& d = drafts[i];
    const std::set<std::string> b(q.b.begin(), q.b.end());
    const std::string source = d.source ? d.source->entry_id : "";
    const std::string first = d.source ? source : d.alternatives.empty() ? "" : d.alternatives[0].source.entry_id;
    bool in_top3 = b.contains(source);
    for (std::size_t a = 0; a < d.alternatives.size() && a < 3; ++a) {
      in_top3 = in_top3 || b.contains(d.alternatives[a].source.entry_id);
    }
    const bool mh = d.confidence >= match::Confidence::kMedium;
    const bool right = b.contains(source);
    ++f.questions;
    ++f.bands[std::string(match::ConfidenceName(d.confidence))];
    if (q.strength == "same") {
      ++f.answerable;
      f.ranked_first += b.contains(first) ? 1 : 0;
      f.drafted_right += mh && right ? 1 : 0;
      f.top3 += in_top3 ? 1 : 0;
    } else if (q.strength == "related") {
      ++f.related;
    } else {
      ++f.unanswerable;
      f.held_back += mh ? 0 : 1;
    }
    if (mh) {
      ++f.medium_or_high;
      f.medium_or_high_right += right ? 1 : 0;
      f.medium_or_high_right_strict += right && q.strength == "same" ? 1 : 0;
    }
    if (d.confidence == match::Confidence::kHigh) {
      ++f.high;
      f.high_right += right ? 1 : 0;
    }
    if (!mh) {
      ++f.weak;
      f.weak_with_alternatives += d.alternatives.empty() ? 0 : 1;
    }
    const bool wrong = (q.strength == "same" && !(mh && right)) || (q.strength == "none" && mh) ||
                       (q.strength == "related" && mh && !right);
    if (wrong) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.2f", d.score);
      f.misses.push_back(q.key + " [" + q.strength + "] " + std::string(match::ConfidenceName(d.confidence)) + " " +
                         buf + " -> " + (first.empty() ? "(none)" : first) + (d.source ? "" : " (alt)") +
                         "; want " + (q.b.empty() ? "nothing" : q.b[0]) + " | " + q.question);
    }
  }
  return f;
}

std::string Ratio(int a, int b) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%d/%d (%.2f)", a, b, b ? static_cast<double>(a) / b : 0.0);
  return buf;
}

}  // namespace ts::match_eval
