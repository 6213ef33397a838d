// The customer side: judging a vendor's answered checksheet item by item, as a careful reviewer
// would. What the customer wants comes from the question's meaning (sheet::AnalyzeQuestion: a
// ✕ to 「第三者に提供しているか」 is good news); the remarks are read for what the mark does not
// say: the control is in fact absent, postponed, partial, left to the customer, a paid option,
// vaguely promised, or weakly set. Patterns are data (data/evaluate/remarks.tsv). Pure
// functions of their arguments; thread-safe.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "sheet/checksheet.h"
#include "sheet/question_meaning.h"

namespace ts::evaluate {

enum class Verdict { kOk, kRisk, kCaveat, kInfo, kUnclear };
enum class Severity { kNone, kLow, kMedium, kHigh };

// What a remark or a free-text answer says beyond the mark (the kinds of remarks.tsv).
enum class Finding {
  kUnusable, kAbsent, kPlanned, kPartial, kCustomer, kOption, kVague, kSoon, kWeak, kSevere, kGoverned, kAlternative, kYes,
  kNo
};

struct Assessment {
  Verdict verdict = Verdict::kUnclear;
  Severity severity = Severity::kNone;
  sheet::Desired desired = sheet::Desired::kYes;
  // Why, in Japanese, quoting the deciding words: 「回答「✕」: 望ましい回答は「はい」です」.
  std::string reason;
  std::string requirement;  // the profile's requirement the item answers ("" for the general profile)
};

// Judges one answered item by its own question (the general profile).
Assessment AssessItem(const sheet::Item& item);

struct Summary {
  std::array<int, 5> verdicts{};  // by Verdict
  // 0-100 over the judged items (ok 1, caveat 0.5, risk and unclear 0; info left out); -1 when
  // nothing could be judged.
  double score = -1;
  std::string band;  // 問題なし (80 and over), 要確認 (60 and over), 不可
};

struct SheetAssessment {
  std::vector<std::vector<Assessment>> items;  // items[p][i] belongs to sheet.parts[p].items[i]
  Summary summary;
};

SheetAssessment AssessSheet(const sheet::Checksheet& sheet);

// Calls `fn(item, assessment)` for every item of `sheet` with its assessment, in sheet order.
template <typename Fn>
void ForEachAssessed(const sheet::Checksheet& sheet, const SheetAssessment& assessment, Fn&& fn) {
  for (std::size_t p = 0; p < sheet.parts.size(); ++p) {
    for (std::size_t i = 0; i < sheet.parts[p].items.size(); ++i) fn(sheet.parts[p].items[i], assessment.items[p][i]);
  }
}

// Whether a verdict asks something more of the vendor: a risk, a caveat or no usable answer.
inline bool AsksMore(Verdict v) { return v == Verdict::kRisk || v == Verdict::kCaveat || v == Verdict::kUnclear; }

// A summary kept as items are judged: verdicts counted, points (ok 1, caveat 0.5, risk and
// unclear 0; info items not counted) averaged into the score and its band.
class Tally {
 public:
  void Add(Verdict v);
  Summary Done() const;

 private:
  Summary summary_;
  double points_ = 0;
  int judged_ = 0;
};

// The findings of `text` (answer text or remarks), each with the words found, in the order of
// the kinds; for tests and reasons.
struct Found {
  Finding kind;
  std::string words;  // the pattern as written in the data file
};
std::vector<Found> FindInRemarks(std::string_view text);

std::string_view VerdictName(Verdict v);    // "ok", "risk", "caveat", "info", "unclear"
std::string_view VerdictLabel(Verdict v);   // 問題なし, リスク, 注意, 情報, 判断不能
std::string_view SeverityName(Severity s);  // "high", "medium", "low", "" for none
std::string_view SeverityLabel(Severity s); // 高, 中, 低, "" for none

}  // namespace ts::evaluate
