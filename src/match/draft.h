// Drafting answers for a customer's checksheet from a vendor's answer library: the best
// library entry for each item, its answer put into the sheet's own vocabulary, a confidence
// band from the model's probability and the margin to the best entry with a different answer,
// the reasons, up to three alternatives, and the reviewers' earlier decisions applied first.
// Not thread-safe (one Drafter per thread).
#pragma once

#include <functional>
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
  std::string section;   // heading path, joined with " / "
};

// A reviewer's verdict on one (question, entry) pair; the question is keyed by
// QuestionKey so that the same question in another sheet finds it.
struct Decision {
  std::string question_key;
  std::string entry_id;
  bool accepted = false;
};

// Another entry a reviewer may pick instead of the draft.
struct Alternative {
  LibraryAnswer source;
  std::string text;  // its mark in the sheet's vocabulary
  double score = 0;
  std::vector<std::string> why;
};

struct Draft {
  sheet::Mark mark = sheet::Mark::kNone;
  std::string text;  // in the sheet's vocabulary
  std::string remarks;
  Confidence confidence = Confidence::kNone;
  double score = 0;
  std::optional<LibraryAnswer> source;  // empty when confidence is none
  std::vector<std::string> why;
  // Up to three other entries, best first, never the draft's own source; at confidence none
  // the first is the best entry the library has. Fewer only when the library has fewer other
  // entries (or the reviewers rejected the rest for this question).
  std::vector<Alternative> alternatives;
};

// The key reviewer decisions are remembered under: the question normalized, without white space
// and punctuation, with trivial differences folded (貴社/御社/貴院..., です/である endings,
// していますか/しているか), so a decision applies to the same question in another sheet's words.
// Negations are kept: 「していないか」 and 「しているか」 have different keys.
std::string QuestionKey(std::string_view question);

// What two entries must share to give the same answer: the mark (有 and ○ are both yes), and for
// free-text answers the text.
std::string AnswerKey(const LibraryAnswer& a);

// Whether an entry's remarks are read as part of its answer text (free-text and unmarked answers).
bool IsTextAnswer(sheet::Mark mark);

// What the index reads of an entry: its question, its remarks (with the answer text first for
// free-text answers) and its section.
Document DocumentOf(const LibraryAnswer& a);

// The word the sheet uses for `mark`: from its vocabulary (validation list, header, existing
// answers) when one of its words means that mark; otherwise `fallback`.
std::string SheetWord(sheet::Mark mark, const std::vector<std::string>& vocabulary, const std::string& fallback);

class Drafter {
 public:
  static Result<std::unique_ptr<Drafter>> Build(std::vector<LibraryAnswer> library, std::vector<Decision> decisions,
                                                const catalog::Catalog* catalog);
  Draft DraftFor(const sheet::Item& item, const std::vector<std::string>& vocabulary);
  // The same, with the item's heading path joined (the customer's section words help).
  Draft DraftFor(const sheet::Item& item, const std::vector<std::string>& vocabulary, std::string_view section);

  // For benchmarks and the weight fitter: the index (entry i is library()[i]) and the library.
  Index& index() { return *index_; }
  const std::vector<LibraryAnswer>& library() const { return library_; }

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

// The probabilities the confidence compares the best hit with: the best entry that would give
// another answer (`rival`), and the best entry that asks something else (`other`: its question is
// not a near copy of the best one's, so a second vendor's copy of the same template question
// does not count as competition). 0 when there is none. `hits` best first, with each one's answer
// key; `same_question(i)` says whether hit i's question is a copy of the best one's
// (QuestionSimilarity >= kSameQuestion); it is asked only until `other` is found.
struct Competition {
  double rival = 0, other = 0;
};
struct RankedHit {
  double score;
  std::string_view answer_key;
};
Competition CompetitionOf(const std::vector<RankedHit>& hits, const std::function<bool(std::size_t)>& same_question);
inline constexpr double kSameQuestion = 0.8;
// Hits a drafter reads per item: the draft, its alternatives, and enough to find a rival answer.
inline constexpr std::size_t kHitsRead = 12;

// The reasons a hit was ranked where it is, for `why` lists (signals that decided).
std::vector<std::string> Explain(const Hit& hit, const Model& model, const catalog::Catalog* catalog);

}  // namespace ts::match
