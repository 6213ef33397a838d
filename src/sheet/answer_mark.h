// Answer marks: the normalized meaning of what a vendor printed in the answer column
// (◯ / ✕ / 有 / 無 / はい / △ / 該当なし / 対応予定 ...). Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ts::sheet {

enum class Mark { kNone, kYes, kNo, kPartial, kPlanned, kNotApplicable, kText };

// "yes", "no", "partial", "planned", "not-applicable", "text", "none".
std::string_view MarkName(Mark mark);
std::optional<Mark> MarkFromName(std::string_view name);

// Classifies a whole answer cell. Empty -> kNone; a recognised mark word -> that mark;
// anything else -> kText. The input should be normalized text (text::NormalizeText).
Mark ClassifyAnswer(std::string_view answer);

// If `s` is exactly one mark token (◯, ✕, 有, はい, Yes, N/A, 該当なし ...), returns its mark.
std::optional<Mark> MarkOfToken(std::string_view s);

// True if a remark says the vendor plans to do it (「対応を予定」「今後対応」...).
bool MentionsPlanned(std::string_view remarks);

// A mark that opens a remark: 「【有】…」, 「【無】…」, 「有、…」, 「はい。…」.
struct LeadingMark {
  Mark mark;
  std::string token;  // the mark as printed, without brackets: "有"
  std::size_t length;  // bytes of `s` the prefix covers (brackets and separator included)
};
std::optional<LeadingMark> FindLeadingMark(std::string_view s);

// Check boxes with their labels in one cell, stacked or in a row: 「■対応済 □未対策 □対応不要」,
// 「☑はい ☐いいえ」, a radio group 「●有 ○無」. Two or more boxes, each followed by its label.
// `checked` holds the labels whose box is ticked (■ ☑ ☒ ● ◉ ▣ ◼ ✓ ✔ against □ ☐ ○ ◯ ◻ ▢);
// `mark` is the meaning of the first ticked label (kText for a label that is no mark word,
// kNone when nothing is ticked).
struct CheckBoxes {
  std::vector<std::string> labels;
  std::vector<std::string> checked;
  Mark mark = Mark::kNone;
};
std::optional<CheckBoxes> FindCheckBoxes(std::string_view s);

// The check-box cell `cell` (as printed) with the box before `label` ticked and every other
// box cleared, each box in its own style (□→■, ☐→☑, ○→●); nullopt when no box has that label.
// Labels compare after NFKC and trimming.
std::optional<std::string> TickCheckBox(std::string_view cell, std::string_view label);

// A check box's label as compared: NFKC, trimmed, without a separator after it (, / 、).
std::string CheckBoxLabel(std::string_view raw);

// 1 for a ticked box character (■ ☑ ☒ ● ◉ ▣ ◼ ✓ ✔), 0 for an empty one (□ ☐ ○ ◯ ◻ ▢), -1 else.
int CheckBoxState(char32_t c);
// The same box ticked or cleared, in its style (□ <-> ■, ☐ <-> ☑); a cleared ✓ or ✔ becomes ☐.
char32_t CheckBoxAs(char32_t box, bool ticked);

}  // namespace ts::sheet
