#include "catalog/reference_sets.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/file_io.h"
#include "text/utf8.h"

namespace ts::catalog {
namespace {

// The corpus files are a few hundred kilobytes; anything much larger is not what we expect.
constexpr std::size_t kMaxReferenceFileBytes = 16u << 20;

// A tab-separated reference table: '#' lines are comments. `id_column` and the text columns
// are 0-based; texts are joined with a line break (so patterns stay within one of them).
Result<ReferenceSet> ReadTable(const std::string& corpus, std::string name, std::string file,
                               std::size_t id_column, std::vector<std::size_t> text_columns) {
  TS_ASSIGN_OR_RETURN(std::string content,
                      ReadFileBounded(corpus + "/" + file, kMaxReferenceFileBytes));
  ReferenceSet set{std::move(name), file, {}};
  int lineno = 0;
  for (std::string_view line : text::SplitLines(content)) {
    ++lineno;
    if (text::Trim(line).empty() || line[0] == '#') continue;
    const std::vector<std::string_view> f = text::Split(line, '\t');
    std::size_t needed = id_column + 1;
    for (std::size_t c : text_columns) needed = std::max(needed, c + 1);
    if (f.size() < needed) {
      return Corruption(file + ":" + std::to_string(lineno) + ": expected at least " +
                        std::to_string(needed) + " tab-separated fields, found " +
                        std::to_string(f.size()));
    }
    ReferenceQuestion q{std::string(text::Trim(f[id_column])), ""};
    for (std::size_t c : text_columns) {
      if (!q.text.empty()) q.text += "\n";
      q.text += text::Trim(f[c]);
    }
    set.questions.push_back(std::move(q));
  }
  return set;
}

// The METI service-level checklist: part `sla` of the hand-checked seed 004.
Result<ReferenceSet> ReadServiceLevelChecklist(const std::string& corpus) {
  const std::string file = "gold/004.items.json";
  TS_ASSIGN_OR_RETURN(std::string content,
                      ReadFileBounded(corpus + "/" + file, kMaxReferenceFileBytes));
  const nlohmann::json doc = nlohmann::json::parse(content, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.contains("parts") || !doc["parts"].is_array()) {
    return Corruption(file + ": not the gold items JSON (no parts)");
  }
  ReferenceSet set{"METI service-level checklist", file, {}};
  for (const nlohmann::json& part : doc["parts"]) {
    if (part.value("id", "") != "sla" || !part.contains("items") || !part["items"].is_array())
      continue;
    for (const nlohmann::json& item : part["items"]) {
      ReferenceQuestion q{item.value("key", ""), ""};
      for (const char* field : {"question", "sla_item", "definition"}) {
        if (!item.contains(field) || !item[field].is_string()) continue;
        if (!q.text.empty()) q.text += "\n";
        q.text += item[field].get<std::string>();
      }
      set.questions.push_back(std::move(q));
    }
  }
  if (set.questions.empty()) return Corruption(file + ": no items in part 'sla'");
  return set;
}

}  // namespace

Result<std::vector<ReferenceSet>> LoadReferenceSets(const std::string& corpus) {
  std::vector<ReferenceSet> sets;
  TS_ASSIGN_OR_RETURN(ReferenceSet meti,
                      ReadTable(corpus, "METI 2013 (title + control)",
                                "reference/ja_meti_cloudsec2013_controls_133.tsv", 0, {1, 2}));
  sets.push_back(std::move(meti));
  TS_ASSIGN_OR_RETURN(ReferenceSet iso,
                      ReadTable(corpus, "ISO 27001:2022 Annex A titles",
                                "reference/ja_iso27001-2022_annexA_93_titles_btajp.tsv", 0, {1}));
  sets.push_back(std::move(iso));
  TS_ASSIGN_OR_RETURN(ReferenceSet ipa,
                      ReadTable(corpus, "IPA self-assessment 25",
                                "reference/ja_ipa_jishashindan_25items.tsv", 0, {2}));
  sets.push_back(std::move(ipa));
  TS_ASSIGN_OR_RETURN(ReferenceSet sla, ReadServiceLevelChecklist(corpus));
  sets.push_back(std::move(sla));
  TS_ASSIGN_OR_RETURN(ReferenceSet caiq, ReadTable(corpus, "CSA CAIQ v4.1",
                                                   "reference/en_csa_caiq_v4.1_283q.tsv", 0, {4}));
  sets.push_back(std::move(caiq));
  TS_ASSIGN_OR_RETURN(
      ReferenceSet hecvat,
      ReadTable(corpus, "HECVAT 4.1.5", "reference/en_educause_hecvat_4.1.5_332q.tsv", 0, {5}));
  sets.push_back(std::move(hecvat));
  return sets;
}

Coverage MeasureCoverage(const Catalog& catalog, const ReferenceSet& set) {
  Coverage c;
  for (const ReferenceQuestion& q : set.questions) {
    ++c.questions;
    if (catalog.FindConcepts(q.text).empty()) {
      c.unmapped.push_back(&q);
    } else {
      ++c.mapped;
    }
  }
  return c;
}

}  // namespace ts::catalog
