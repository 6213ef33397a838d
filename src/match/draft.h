// Drafting answers for a customer's checksheet from a vendor's answer library: the best
// library entry for each item, its answer put into the sheet's own vocabulary, a confidence
// band from the score and the margin to the runner-up, the reasons, and the reviewer's
// earlier decisions applied first. Not thread-safe (one Drafter per thread).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "catalog/catalog.h"
#include "match/index.h"
#include "sheet/checksheet.h"

namespace ts::match {

enum class Confidence { kNone = 0, kLow = 1, kMedium = 2, kHigh = 3 };
std::string_view ConfidenceName(Confidence c);
std::optional<Confidence> ConfidenceFromName(std::string_view name);

// One approved answer of the library, as the drafter needs it.
struct LibraryAnswer {
  std::string entry_id;
  std::string question;
  sheet::Mark mark = sheet::Mark::kNone;
  std::string answer_text;  // as the source printed it
  std::string remarks;
  std::string document;  // where it came from
  std::string item;      // item id in that document
};

// A reviewer's verdict on one (question, entry) pair; the question is keyed by
// QuestionKey so that the same question in another sheet finds it.
struct Decision {
  std::string question_key;
  std::string entry_id;
  bool accepted = false;
};

struct Draft {
  sheet::Mark mark = sheet::Mark::kNone;
  std::string text;  // in the sheet's vocabulary
  std::string remarks;
  Confidence confidence = Confidence::kNone;
  double score = 0;
  std::optional<LibraryAnswer> source;  // empty when confidence is none
  std::vector<std::string> why;
};

// The key reviewer decisions are remembered under: the normalized question without spaces.
std::string QuestionKey(std::string_view question);

// The word the sheet uses for `mark`: from its vocabulary (validation list, header, existing
// answers) when one of its words means that mark; otherwise `fallback`.
std::string SheetWord(sheet::Mark mark, const std::vector<std::string>& vocabulary, const std::string& fallback);

class Drafter {
 public:
  static Result<std::unique_ptr<Drafter>> Build(std::vector<LibraryAnswer> library, std::vector<Decision> decisions,
                                                const catalog::Catalog* catalog);
  Draft DraftFor(const sheet::Item& item, const std::vector<std::string>& vocabulary);

 private:
  Drafter() = default;
  std::vector<LibraryAnswer> library_;
  std::map<std::string, std::string> accepted_;                 // question key -> entry id
  std::set<std::pair<std::string, std::string>> rejected_;       // (question key, entry id)
  std::map<std::string, std::size_t> by_entry_;                   // entry id -> library index
  std::vector<std::string> answer_keys_;                          // mark + normalized text, per entry
  const catalog::Catalog* catalog_ = nullptr;
  std::unique_ptr<Index> index_;
};

// Confidence bands (documented in docs/matching.md).
inline constexpr double kHighScore = 0.70;
inline constexpr double kHighMargin = 0.10;
inline constexpr double kMediumScore = 0.50;
inline constexpr double kLowScore = 0.30;

}  // namespace ts::match
