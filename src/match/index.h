// Retrieval over an answer library: for a customer's question, the library entries that answer
// it, best first, each with the signals that decided and a probability of being right.
// Every field of an entry is indexed (its question, the vendor's remarks and free-text answer,
// its section); features are character bigrams, MeCab content words mapped to synonym classes
// (English mapped through a bilingual lexicon), and catalog concepts. Term weights combine the
// library's statistics with a background corpus of checksheet language. Candidates come from
// a cheap first stage over postings; the best are scored with a logistic model whose weights
// are fitted on data (data/match/weights.tsv, bench/match_fit). Deterministic.
// Build once; Match is not thread-safe (it tokenizes with MeCab): one Index per thread.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "catalog/catalog.h"
#include "sheet/question_meaning.h"

namespace ts::match {

struct Document {
  std::string question;
  std::string remarks;  // the vendor's remarks and free-text answer
  std::string section;  // the heading path, joined
};

struct Query {
  std::string_view question;
  std::string_view section;  // the customer's heading, may be empty
};

// What one (question, entry) pair has in common; each in 0..1. The model's inputs.
struct Signals {
  double question_bigrams = 0;  // cosine of character bigrams, question vs the entry's question
  double question_words = 0;    // cosine of content words, question vs the entry's question
  double entry_words = 0;       // share of the question's word weight found anywhere in the entry (of the
                                // weight of the words the library knows)
  double remark_words = 0;      // ... found in the entry's remarks and answer text
  double entry_bigrams = 0;     // share of the question's bigram weight found anywhere in the entry
  double concepts = 0;          // cosine of catalog controls, question vs the entry's question
  double entry_concepts = 0;    // share of the question's controls the entry mentions anywhere
  double concept_miss = 0;      // 1 when the question names controls and the entry mentions none of them
  double section = 0;           // share of the customer's heading words found in the entry's heading or question
  double opposite = 0;          // 1 when "yes" would mean the opposite (negated, or exposure vs protection)
  double kind_mismatch = 0;     // 1 when the question asks for a number or period and the entry gives none
  double unseen = 0;            // share of the question's word weight the library never saw
  double agreement = 0;         // share of the similarity channels in which this entry alone is the best
                                // of two or more candidates that share something with the question
};
inline constexpr std::size_t kSignalCount = 13;
std::array<double, kSignalCount> SignalValues(const Signals& s);
// The names the weights file and explanations use, in SignalValues order.
const std::array<std::string_view, kSignalCount>& SignalNames();

// The logistic model over the signals, and the confidence model over the best entry: how
// likely the draft is right given its probability and its lead over the best entry that asks
// something else (the log-odds of the first, the difference in probability for the second). Bands are thresholds on that confidence; a draft must also
// lead the best entry that would give a different answer (Drafter).
struct Model {
  double bias = 0;
  std::array<double, kSignalCount> weights{};
  double confidence_bias = 0, confidence_logit = 1, confidence_distinct = 0;
  double high = 0.9, medium = 0.6, low = 0.15;
  double Probability(const Signals& s) const;
  // The chance the best entry (probability `p`) is right when the best entry asking something
  // else (not a copy of the best one's question) has probability `other` (0 when there is none).
  double Confidence(double p, double other) const;
  // The bundled model (data/match/weights.tsv).
  static const Model& Builtin();
  // Parses the weights file (name<TAB>value lines); errors name the line.
  static Result<Model> Parse(std::string_view tsv);
};

// Entries the first stage hands to exact scoring (at least; more when a caller asks for more).
inline constexpr std::size_t kCandidates = 24;

struct Hit {
  std::size_t doc;  // index into the documents the index was built from
  double score;     // the model's probability that this entry answers the question
  Signals signals;
  // Filled for the first four hits (a draft and its alternatives):
  std::vector<std::string> shared_words;     // strongest shared content words, best first
  std::vector<std::string> shared_controls;  // catalog control ids both mention
};

class Index {
 public:
  // `catalog` may be null (no concepts); it must outlive the index. `model` null: the builtin.
  static Result<std::unique_ptr<Index>> Build(const std::vector<Document>& docs, const catalog::Catalog* catalog,
                                              const Model* model = nullptr);
  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  // The best `k` entries for the question, best first by the model's probability; when fewer
  // than `k` share a feature, other entries (in library order) fill up to `k`, scored like the
  // rest. Empty only for an empty library.
  std::vector<Hit> Match(const Query& query, std::size_t k = 4);
  std::vector<Hit> Match(std::string_view question, std::size_t k = 4) { return Match(Query{question, {}}, k); }

  std::size_t size() const;
  // Bytes held by the index (vectors, postings, lookup tables), for benchmarks.
  std::size_t MemoryBytes() const;
  // How alike the questions of two entries are (cosine of their bigram vectors, 0..1).
  double QuestionSimilarity(std::size_t a, std::size_t b) const;
  // The model the index scores with (the builtin one unless Build was given another).
  const Model& model() const;
  // The meaning of entry `doc`'s question.
  const sheet::QuestionMeaning& MeaningOf(std::size_t doc) const;

 private:
  Index();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The distinct terms of `text` as the index weighs them ("w\t<word class>" and "b\t<bigram>"),
// for building background statistics (bench/match_fit --background).
std::vector<std::string> BackgroundTerms(std::string_view text);

// The text a question is compared on: normalized, with the boilerplate every checksheet
// repeats removed (data/match/boilerplate.txt). Exposed for tests and explanations.
std::string CoreText(std::string_view question);

}  // namespace ts::match
