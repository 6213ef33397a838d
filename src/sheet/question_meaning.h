// What a checksheet question means for its answer, read from its wording alone: whether it is
// negated (禁止しているか, 使用していないこと), whether "yes" exposes the customer
// (第三者に提供しているか, 他国に移転されることはあるか), what kind of answer it asks for
// (yes/no, a number, a period, a description), and so which answer a careful customer wants.
// The matcher uses it to refuse drafting across opposite meanings; the customer side judges
// answers with it. Patterns are data (data/sheet/question_meaning.tsv). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ts::sheet {

enum class AnswerKind { kYesNo, kNumber, kPeriod, kInformation };
enum class Desired { kYes, kNo, kInformation };

struct QuestionMeaning {
  bool negated = false;   // "yes" means the thing is not done / is forbidden
  bool exposure = false;  // the thing asked about exposes the customer's data or interests
  AnswerKind asks = AnswerKind::kYesNo;
  Desired desired = Desired::kYes;       // the answer a careful customer hopes for
  std::vector<std::string> evidence;     // the patterns that decided, as written in the data file
};

// Reads the meaning of `question` (any text; normalized inside).
QuestionMeaning AnalyzeQuestion(std::string_view question);
// The same for text already passed through text::NormalizeText (saves normalizing twice).
QuestionMeaning AnalyzeNormalizedQuestion(std::string_view normalized);

// True when a "yes" to `a` would mean the opposite of a "yes" to `b`: one is negated and the
// other is not, or one asks about an exposure and the other about a protection.
bool OppositeMeaning(const QuestionMeaning& a, const QuestionMeaning& b);

std::string_view AnswerKindName(AnswerKind k);  // "yes-no", "number", "period", "information"
std::string_view DesiredName(Desired d);        // "yes", "no", "information"

}  // namespace ts::sheet
