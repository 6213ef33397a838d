#include "sheet/answer_mark.h"

#include <array>
#include <cctype>
#include <utility>

#include "text/normalize.h"
#include "text/utf8.h"

namespace ts::sheet {
namespace {

struct Token {
  std::string_view text;
  Mark mark;
};

// Compared after trimming and ASCII case folding. Inputs are NFKC-normalized, so full-width
// forms are already ASCII here.
constexpr std::array kTokens = {
    Token{"◯", Mark::kYes},   Token{"○", Mark::kYes},     Token{"〇", Mark::kYes},
    Token{"●", Mark::kYes},   Token{"◎", Mark::kYes},     Token{"✓", Mark::kYes},
    Token{"✔", Mark::kYes},   Token{"☑", Mark::kYes},     Token{"■", Mark::kYes},
    Token{"有", Mark::kYes},  Token{"有り", Mark::kYes},  Token{"あり", Mark::kYes},
    Token{"はい", Mark::kYes}, Token{"yes", Mark::kYes},  Token{"y", Mark::kYes},
    Token{"済", Mark::kYes},  Token{"対応済", Mark::kYes}, Token{"対応済み", Mark::kYes},
    Token{"実施", Mark::kYes}, Token{"実施済", Mark::kYes}, Token{"可", Mark::kYes},
    Token{"true", Mark::kYes}, Token{"対応", Mark::kYes},  Token{"適合", Mark::kYes},
    Token{"✕", Mark::kNo},    Token{"×", Mark::kNo},      Token{"✖", Mark::kNo},
    Token{"x", Mark::kNo},    Token{"☒", Mark::kNo},      Token{"無", Mark::kNo},
    Token{"無し", Mark::kNo}, Token{"なし", Mark::kNo},   Token{"いいえ", Mark::kNo},
    Token{"no", Mark::kNo},   Token{"n", Mark::kNo},      Token{"未実施", Mark::kNo},
    Token{"未対応", Mark::kNo}, Token{"不可", Mark::kNo}, Token{"false", Mark::kNo},
    Token{"非対応", Mark::kNo}, Token{"不適合", Mark::kNo}, Token{"未対策", Mark::kNo},
    Token{"△", Mark::kPartial}, Token{"▲", Mark::kPartial}, Token{"一部", Mark::kPartial},
    Token{"一部対応", Mark::kPartial}, Token{"一部実施", Mark::kPartial},
    Token{"部分的", Mark::kPartial}, Token{"partial", Mark::kPartial},
    Token{"partially", Mark::kPartial},
    Token{"-", Mark::kNotApplicable}, Token{"ー", Mark::kNotApplicable},
    Token{"―", Mark::kNotApplicable}, Token{"—", Mark::kNotApplicable},
    Token{"–", Mark::kNotApplicable}, Token{"n/a", Mark::kNotApplicable},
    Token{"na", Mark::kNotApplicable}, Token{"対象外", Mark::kNotApplicable},
    Token{"該当なし", Mark::kNotApplicable}, Token{"該当無し", Mark::kNotApplicable},
    Token{"非該当", Mark::kNotApplicable}, Token{"not applicable", Mark::kNotApplicable},
    Token{"対応不要", Mark::kNotApplicable},
    Token{"対応予定", Mark::kPlanned}, Token{"予定", Mark::kPlanned},
    Token{"検討中", Mark::kPlanned}, Token{"今後対応", Mark::kPlanned},
    Token{"対応を予定", Mark::kPlanned}, Token{"planned", Mark::kPlanned},
};

constexpr std::array<std::string_view, 13> kPlannedPhrases = {
    "対応を予定", "対応予定", "今後対応",     "導入を予定", "導入予定",       "実装予定",
    "対応する予定", "対応を検討", "実装を予定", "提供を予定", "予定です", "予定しております",
    "予定しています"};

bool IsLeadSeparator(char32_t c) {
  return c == U'、' || c == U'。' || c == ',' || c == '.' || c == ':' || c == ' ' ||
         c == U'　' || c == '/' || c == '\n' || c == '\t' || c == ')' || c == U'）';
}

}  // namespace

std::string_view MarkName(Mark mark) {
  switch (mark) {
    case Mark::kNone: return "none";
    case Mark::kYes: return "yes";
    case Mark::kNo: return "no";
    case Mark::kPartial: return "partial";
    case Mark::kPlanned: return "planned";
    case Mark::kNotApplicable: return "not-applicable";
    case Mark::kText: return "text";
  }
  return "none";
}

std::optional<Mark> MarkFromName(std::string_view name) {
  for (Mark m : {Mark::kNone, Mark::kYes, Mark::kNo, Mark::kPartial, Mark::kPlanned,
                 Mark::kNotApplicable, Mark::kText}) {
    if (MarkName(m) == name) return m;
  }
  return std::nullopt;
}

std::optional<Mark> MarkOfToken(std::string_view s) {
  std::string key = text::AsciiLower(text::Trim(s));
  if (key.empty()) return std::nullopt;
  for (const Token& t : kTokens) {
    if (t.text == key) return t.mark;
  }
  return std::nullopt;
}

Mark ClassifyAnswer(std::string_view answer) {
  std::string_view t = text::Trim(answer);
  if (t.empty()) return Mark::kNone;
  if (auto m = MarkOfToken(t)) return *m;
  if (auto lead = FindLeadingMark(t)) return lead->mark;
  return Mark::kText;
}

bool MentionsPlanned(std::string_view remarks) {
  for (std::string_view p : kPlannedPhrases) {
    if (remarks.find(p) != std::string_view::npos) return true;
  }
  return false;
}

std::optional<LeadingMark> FindLeadingMark(std::string_view s) {
  std::string_view t = s;
  std::size_t skipped = 0;
  while (!t.empty()) {  // leading white space
    std::size_t i = 0;
    char32_t c = text::DecodeUtf8(t, &i);
    if (!text::IsSpace(c)) break;
    t.remove_prefix(i);
    skipped += i;
  }
  // Bracketed: 【有】, [有], 「有」, 《有》
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kBrackets = {
      std::pair<std::string_view, std::string_view>{"【", "】"}, {"[", "]"}, {"「", "」"},
      {"《", "》"}};
  for (auto [open, close] : kBrackets) {
    if (!text::StartsWith(t, open)) continue;
    std::size_t end = t.find(close, open.size());
    if (end == std::string_view::npos || end - open.size() > 24) continue;
    std::string_view inner = t.substr(open.size(), end - open.size());
    if (auto m = MarkOfToken(inner)) {
      return LeadingMark{*m, std::string(text::Trim(inner)), skipped + end + close.size()};
    }
  }
  // Unbracketed: a mark token followed by a separator ("有、…", "はい。…", "◯ …").
  for (const Token& tok : kTokens) {
    // Single ASCII letters (y/n/x) and the dash forms are too ambiguous at the start of a remark.
    if (tok.text.size() == 1 && (tok.text[0] == 'y' || tok.text[0] == 'n' || tok.text[0] == 'x' ||
                                 tok.text[0] == '-')) {
      continue;
    }
    std::string head = text::AsciiLower(t.substr(0, tok.text.size()));
    if (head != tok.text) continue;
    std::string_view rest = t.substr(tok.text.size());
    if (rest.empty()) return LeadingMark{tok.mark, std::string(t.substr(0, tok.text.size())), s.size()};
    std::size_t i = 0;
    char32_t next = text::DecodeUtf8(rest, &i);
    if (IsLeadSeparator(next)) {
      return LeadingMark{tok.mark, std::string(t.substr(0, tok.text.size())),
                         skipped + tok.text.size() + i};
    }
  }
  return std::nullopt;
}

int CheckBoxState(char32_t c) {
  switch (c) {
    case U'■': case U'☑': case U'☒': case U'●': case U'◉': case U'▣': case U'◼': case U'✓': case U'✔':
      return 1;
    case U'□': case U'☐': case U'○': case U'◯': case U'◻': case U'▢':
      return 0;
    default:
      return -1;
  }
}

char32_t CheckBoxAs(char32_t c, bool ticked) {
  static constexpr std::array<std::pair<char32_t, char32_t>, 7> kTwins = {
      std::pair<char32_t, char32_t>{U'□', U'■'}, {U'☐', U'☑'}, {U'☐', U'☒'}, {U'○', U'●'}, {U'◯', U'◉'},
      {U'◻', U'◼'}, {U'▢', U'▣'}};
  for (auto [empty, full] : kTwins) {
    if (c == empty || c == full) return ticked ? full : empty;
  }
  if (c == U'✓' || c == U'✔') return ticked ? c : U'☐';  // a tick has no empty form: the box
  return c;
}

std::string CheckBoxLabel(std::string_view raw) {
  std::string t(text::Trim(text::NormalizeText(raw)));
  // A label ends at a separator the cell may print between boxes ("☐有 / ☐無", "☐はい、☐いいえ").
  while (!t.empty()) {
    if (t.back() == ',' || t.back() == '/') {
      t.pop_back();
    } else if (text::EndsWith(t, "、")) {
      t.resize(t.size() - std::string_view("、").size());
    } else {
      break;
    }
    t = std::string(text::Trim(t));
  }
  return t;
}

namespace {

// A box character in a text, and the text after it up to the next box.
struct BoxAt {
  std::size_t at, len;  // bytes of the box character
  char32_t c;
  std::string label;    // as printed
};

// The boxes of `s` in order; false when text other than white space stands before the first.
bool ScanBoxes(std::string_view s, std::vector<BoxAt>* boxes) {
  for (std::size_t i = 0; i < s.size();) {
    std::size_t start = i;
    char32_t c = text::DecodeUtf8(s, &i);
    if (CheckBoxState(c) >= 0) {
      boxes->push_back({start, i - start, c, ""});
    } else if (!boxes->empty()) {
      boxes->back().label.append(s.substr(start, i - start));
    } else if (!text::IsSpace(c)) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<std::string> TickCheckBox(std::string_view cell, std::string_view label) {
  if (!FindCheckBoxes(text::NormalizeText(cell))) return std::nullopt;
  const std::string want = CheckBoxLabel(label);
  std::vector<BoxAt> boxes;
  ScanBoxes(cell, &boxes);
  std::size_t hit = boxes.size();
  for (std::size_t k = 0; k < boxes.size() && hit == boxes.size(); ++k) {
    if (CheckBoxLabel(boxes[k].label) == want) hit = k;
  }
  if (hit == boxes.size()) return std::nullopt;
  std::string out;
  std::size_t pos = 0;
  for (std::size_t k = 0; k < boxes.size(); ++k) {
    out.append(cell.substr(pos, boxes[k].at - pos));
    text::AppendUtf8(CheckBoxAs(boxes[k].c, k == hit), &out);
    pos = boxes[k].at + boxes[k].len;
  }
  out.append(cell.substr(pos));
  return out;
}

std::optional<CheckBoxes> FindCheckBoxes(std::string_view s) {
  std::vector<BoxAt> boxes;
  if (!ScanBoxes(s, &boxes) || boxes.size() < 2) return std::nullopt;
  CheckBoxes out;
  for (const BoxAt& b : boxes) {
    std::string label = CheckBoxLabel(b.label);
    if (label.empty()) return std::nullopt;
    if (CheckBoxState(b.c) == 1) out.checked.push_back(label);
    out.labels.push_back(std::move(label));
  }
  if (!out.checked.empty()) out.mark = MarkOfToken(out.checked.front()).value_or(Mark::kText);
  return out;
}

}  // namespace ts::sheet
