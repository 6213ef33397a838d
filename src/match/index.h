// Retrieval over an answer library: for a question, rank the library's questions by meaning.
// Japanese-aware features in three channels: character bigrams, MeCab content words, and
// catalog concepts (synonyms map to one control). TF-IDF vectors per channel, cosine per
// channel, blended; phrases every checksheet repeats are removed first; a polarity mismatch
// (禁止 vs 許可, していない vs している) is penalized. Deterministic and explainable.
// Build once; Match is not thread-safe (it tokenizes with MeCab): one Index per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "catalog/catalog.h"

namespace ts::match {

struct Document {
  std::string question;
};

struct Hit {
  std::size_t doc;        // index into the documents the index was built from
  double score;           // 0..1
  double text_score;      // bigram + word similarity alone
  bool polarity_differs;  // one says 禁止/していない where the other does not
  // Filled for the best hit only (the one a draft explains):
  std::vector<std::string> shared_words;     // strongest shared content words, best first
  std::vector<std::string> shared_controls;  // catalog control ids both mention
};

class Index {
 public:
  // `catalog` may be null (no concept channel); it must outlive the index.
  static Result<std::unique_ptr<Index>> Build(const std::vector<Document>& docs, const catalog::Catalog* catalog);
  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  // The best `k` documents for `question`, best first (empty when nothing shares a feature).
  std::vector<Hit> Match(std::string_view question, std::size_t k = 3);

  std::size_t size() const;

 private:
  Index();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The text a question is compared on: normalized, with the boilerplate every checksheet
// repeats removed (data/match/boilerplate.txt). Exposed for tests and explanations.
std::string CoreText(std::string_view question);

// +1 when the question asks about doing something, -1 when it asks about not doing or
// forbidding it (禁止, していない, させない, 不可), 0 when it cannot tell.
int Polarity(std::string_view question);

}  // namespace ts::match
