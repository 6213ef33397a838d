// Catalog coverage: for each reference questionnaire of the shared corpus (METI 2013, ISO
// 27001:2022 Annex A titles, IPA 25, the METI service-level checklist, CSA CAIQ, HECVAT), how
// many questions map to at least one catalog control, and how long concept finding takes.
//
//   catalog_coverage [--corpus DIR] [--catalog FILE] [--list-unmapped] [--list] [--json]
//
// --catalog measures a controls.tsv being edited instead of the built-in one (no rebuild);
// --list prints every question with the controls found (for checking precision by eye).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/file_io.h"
#include "catalog/catalog.h"
#include "catalog/reference_sets.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace {

namespace fs = std::filesystem;
namespace catalog = ts::catalog;
using Clock = std::chrono::steady_clock;

std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  fs::path corpus = fs::path(TS_SOURCE_DIR) / ".." / "shared" / "corpus";
  std::string catalog_file;
  bool list_unmapped = false, list_all = false, json = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--corpus" && i + 1 < argc) {
      corpus = argv[++i];
    } else if (a == "--catalog" && i + 1 < argc) {
      catalog_file = argv[++i];
    } else if (a == "--list-unmapped") {
      list_unmapped = true;
    } else if (a == "--list") {
      list_all = true;
    } else if (a == "--json") {
      json = true;
    } else {
      std::cerr << "usage: catalog_coverage [--corpus DIR] [--catalog FILE] [--list-unmapped] "
                   "[--list] [--json]\n";
      return 2;
    }
  }
  if (!fs::exists(corpus / "reference")) {
    std::printf("catalog_coverage: corpus not found at %s; nothing to measure (skipped)\n",
                corpus.string().c_str());
    return 0;
  }
  catalog::Catalog edited;
  const catalog::Catalog* cat = &catalog::Catalog::Builtin();
  if (!catalog_file.empty()) {
    auto tsv = ts::ReadFileBounded(catalog_file, 16u << 20);
    if (!tsv.ok()) {
      std::cerr << "catalog_coverage: " << tsv.status().message() << "\n";
      return 1;
    }
    auto parsed = catalog::Catalog::Parse(*tsv, catalog_file);
    if (!parsed.ok()) {
      std::cerr << "catalog_coverage: " << parsed.status().message() << "\n";
      return 1;
    }
    edited = *std::move(parsed);
    cat = &edited;
  }
  auto sets = catalog::LoadReferenceSets(corpus.string());
  if (!sets.ok()) {
    std::cerr << "catalog_coverage: " << sets.status().message() << "\n";
    return 1;
  }

  std::size_t total_terms = 0;
  for (const catalog::Control& c : cat->controls()) total_terms += c.terms.size();
  nlohmann::json out = {{"controls", cat->controls().size()},
                        {"plain_terms", cat->plain_term_count()},
                        {"patterns", cat->pattern_count()},
                        {"sets", nlohmann::json::array()}};
  if (!json) {
    std::printf("catalog: %zu controls, %zu terms (%zu plain, %zu patterns)\n\n",
                cat->controls().size(), total_terms, cat->plain_term_count(), cat->pattern_count());
    std::printf("%-36s %9s %7s %9s\n", "set", "questions", "mapped", "coverage");
  }
  std::size_t all_q = 0, all_mapped = 0;
  double seconds = 0;
  for (const catalog::ReferenceSet& set : *sets) {
    const auto t0 = Clock::now();
    const catalog::Coverage cov = catalog::MeasureCoverage(*cat, set);
    seconds += std::chrono::duration<double>(Clock::now() - t0).count();
    all_q += cov.questions;
    all_mapped += cov.mapped;
    nlohmann::json unmapped = nlohmann::json::array();
    for (const catalog::ReferenceQuestion* q : cov.unmapped)
      unmapped.push_back({{"id", q->id}, {"text", q->text}});
    out["sets"].push_back({{"name", set.name},
                           {"file", set.file},
                           {"questions", cov.questions},
                           {"mapped", cov.mapped},
                           {"coverage", cov.percent()},
                           {"unmapped", unmapped}});
    if (json) continue;
    std::printf("%-36s %9zu %7zu %8.1f%%\n", set.name.c_str(), cov.questions, cov.mapped,
                cov.percent());
    if (list_unmapped) {
      for (const catalog::ReferenceQuestion* q : cov.unmapped)
        std::printf("    unmapped %s: %s\n", q->id.c_str(), OneLine(q->text).c_str());
    }
    if (list_all) {
      for (const catalog::ReferenceQuestion& q : set.questions) {
        std::string ids;
        for (const catalog::ConceptHit& h : cat->FindConcepts(q.text)) {
          ids += (ids.empty() ? "" : " ") + cat->controls()[h.control].id + "[" + h.term + "]";
        }
        std::printf("    %s: %s\n        -> %s\n", q.id.c_str(), OneLine(q.text).c_str(),
                    ids.empty() ? "-" : ids.c_str());
      }
    }
  }
  const double pct =
      all_q == 0 ? 0.0 : 100.0 * static_cast<double>(all_mapped) / static_cast<double>(all_q);
  const double us_per_question = all_q == 0 ? 0.0 : 1e6 * seconds / static_cast<double>(all_q);
  // What the matcher pays: it normalizes once and calls FindConceptsInNormalized.
  std::vector<std::string> normalized;
  std::size_t chars = 0;
  for (const catalog::ReferenceSet& set : *sets) {
    for (const catalog::ReferenceQuestion& q : set.questions) {
      normalized.push_back(ts::text::NormalizeText(q.text));
      chars += ts::text::CodePointCount(normalized.back());
    }
  }
  constexpr int kRepeat = 20;
  std::size_t found = 0;
  const auto f0 = Clock::now();
  for (int r = 0; r < kRepeat; ++r) {
    for (const std::string& n : normalized) found += cat->FindConceptsInNormalized(n).size();
  }
  const double find_us = std::chrono::duration<double, std::micro>(Clock::now() - f0).count() /
                         static_cast<double>(kRepeat * std::max<std::size_t>(normalized.size(), 1));
  out["total"]["find_in_normalized_us_per_question"] = find_us;
  out["total"] = {{"questions", all_q},
                  {"mapped", all_mapped},
                  {"coverage", pct},
                  {"us_per_question", us_per_question}};
  if (json) {
    std::cout << out.dump(1) << "\n";
    return 0;
  }
  std::printf("%-36s %9zu %7zu %8.1f%%\n", "all", all_q, all_mapped, pct);
  std::printf(
      "\nconcept finding: %.1f us per question with NFKC (FindConcepts); %.1f us already "
      "normalized "
      "(FindConceptsInNormalized, %.0f characters per question, %zu hits)\n",
      us_per_question, find_us,
      normalized.empty() ? 0.0
                         : static_cast<double>(chars) / static_cast<double>(normalized.size()),
      found / kRepeat);
  return 0;
}
