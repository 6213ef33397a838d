#include "ingest/table_layout.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "ingest/internal/heading_stack.h"
#include "sheet/answer_mark.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace ts::ingest {
namespace {

using sheet::Mark;

enum class Role { kNone, kNumber, kSection, kQuestion, kAnswer, kRemarks, kUnit, kChoice };

std::string_view RoleName(Role r) {
  switch (r) {
    case Role::kNone: return "other";
    case Role::kNumber: return "number";
    case Role::kSection: return "section";
    case Role::kQuestion: return "question";
    case Role::kAnswer: return "answer";
    case Role::kRemarks: return "remarks";
    case Role::kUnit: return "unit";
    case Role::kChoice: return "choice";
  }
  return "other";
}

struct HeaderWord {
  std::string_view word;
  Role role;
  bool exact;  // whole cell must equal the word (after removing spaces, lower-cased)
};

// Order matters: the first match wins ("回答内容" is remarks before "回答" is answer;
// "大項目" is a section before "項目" is a question).
constexpr std::array kHeaderWords = {
    HeaderWord{"no", Role::kNumber, true},          HeaderWord{"no.", Role::kNumber, true},
    HeaderWord{"#", Role::kNumber, true},           HeaderWord{"番号", Role::kNumber, false},
    HeaderWord{"項番", Role::kNumber, false},       HeaderWord{"通番", Role::kNumber, false},
    HeaderWord{"id", Role::kNumber, true},          HeaderWord{"item", Role::kNumber, true},
    HeaderWord{"備考", Role::kRemarks, false},      HeaderWord{"コメント", Role::kRemarks, false},
    HeaderWord{"補足", Role::kRemarks, false},      HeaderWord{"事業者回答", Role::kRemarks, false},
    HeaderWord{"回答内容", Role::kRemarks, false},  HeaderWord{"回答詳細", Role::kRemarks, false},
    HeaderWord{"説明", Role::kRemarks, false},      HeaderWord{"根拠", Role::kRemarks, false},
    HeaderWord{"具体的", Role::kRemarks, false},    HeaderWord{"remark", Role::kRemarks, false},
    HeaderWord{"comment", Role::kRemarks, false},   HeaderWord{"note", Role::kRemarks, false},
    HeaderWord{"explanation", Role::kRemarks, false}, HeaderWord{"detail", Role::kRemarks, false},
    HeaderWord{"測定単位", Role::kUnit, false},     HeaderWord{"単位", Role::kUnit, true},
    HeaderWord{"unit", Role::kUnit, true},
    HeaderWord{"大項目", Role::kSection, false},    HeaderWord{"中項目", Role::kSection, false},
    HeaderWord{"小項目", Role::kSection, false},    HeaderWord{"分類", Role::kSection, false},
    HeaderWord{"カテゴリ", Role::kSection, false},  HeaderWord{"区分", Role::kSection, false},
    HeaderWord{"種別", Role::kSection, false},      HeaderWord{"領域", Role::kSection, false},
    HeaderWord{"分野", Role::kSection, false},      HeaderWord{"category", Role::kSection, false},
    HeaderWord{"section", Role::kSection, false},   HeaderWord{"domain", Role::kSection, false},
    HeaderWord{"実施有無", Role::kAnswer, false},   HeaderWord{"回答", Role::kAnswer, false},
    HeaderWord{"有無", Role::kAnswer, false},       HeaderWord{"対応状況", Role::kAnswer, false},
    HeaderWord{"対応可否", Role::kAnswer, false},   HeaderWord{"可否", Role::kAnswer, false},
    HeaderWord{"設定", Role::kAnswer, true},        HeaderWord{"評価", Role::kAnswer, true},
    HeaderWord{"結果", Role::kAnswer, true},        HeaderWord{"answer", Role::kAnswer, false},
    HeaderWord{"response", Role::kAnswer, false},   HeaderWord{"状況", Role::kAnswer, true},
    HeaderWord{"実施状況", Role::kAnswer, false},   HeaderWord{"対策状況", Role::kAnswer, false},
    HeaderWord{"準拠状況", Role::kAnswer, false},   HeaderWord{"適合状況", Role::kAnswer, false},
    HeaderWord{"確認事項", Role::kQuestion, false}, HeaderWord{"質問", Role::kQuestion, false},
    HeaderWord{"設問", Role::kQuestion, false},     HeaderWord{"チェック項目", Role::kQuestion, false},
    HeaderWord{"要求事項", Role::kQuestion, false}, HeaderWord{"確認内容", Role::kQuestion, false},
    HeaderWord{"規定内容", Role::kQuestion, false}, HeaderWord{"項目", Role::kQuestion, false},
    HeaderWord{"内容", Role::kQuestion, true},      HeaderWord{"要件", Role::kQuestion, false},
    HeaderWord{"question", Role::kQuestion, false}, HeaderWord{"requirement", Role::kQuestion, false},
    HeaderWord{"control", Role::kQuestion, false},  HeaderWord{"管理策", Role::kQuestion, false},
    HeaderWord{"対策", Role::kQuestion, false},     HeaderWord{"統制", Role::kQuestion, false},
    HeaderWord{"チェック内容", Role::kQuestion, false},
};

std::string HeaderKey(std::string_view cell) {
  return text::AsciiLower(text::RemoveSpaces(cell));
}

Role HeaderRole(std::string_view cell) {
  std::string k = HeaderKey(cell);
  if (k.empty() || text::CodePointCount(k) > 30) return Role::kNone;
  for (const HeaderWord& w : kHeaderWords) {
    if (w.exact ? k == w.word : k.find(w.word) != std::string::npos) return w.role;
  }
  if (sheet::MarkOfToken(k)) return Role::kChoice;
  return Role::kNone;
}

bool IsNumberLike(std::string_view s) {
  s = text::Trim(s);
  if (s.empty() || s.size() > 16) return false;
  std::size_t i = 0;
  while (i < s.size() && i < 4 && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
  if (i < s.size() && (s[i] == '-' || s[i] == '.')) ++i;
  bool digit = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c == '.' || c == '-' || c == ' ' || c == '_' || c == ')' || c == '(') {
      continue;
    } else {
      return false;
    }
  }
  return digit;
}

// "1 6" (a number split by PDF extraction) -> "16"; "1.2." -> "1.2".
std::string CleanNumber(std::string_view s) {
  std::string out;
  for (char c : text::Trim(s)) {
    if (c != ' ') out.push_back(c);
  }
  while (!out.empty() && (out.back() == '.' || out.back() == ')')) out.pop_back();
  if (!out.empty() && out.front() == '(') out.erase(out.begin());
  return out;
}

bool IsDashRemnant(std::string_view s) {
  s = text::Trim(s);
  if (s.empty()) return false;
  for (char c : s) {
    if (c != '-' && c != '|' && c != '=' && c != ' ') return false;
  }
  return true;
}

// A note to the reader (「※ 以下の項目は…」「注：…」「(注) …」): not a section heading.
bool IsNote(std::string_view s) {
  s = text::Trim(s);
  for (std::string_view lead : {"※", "注:", "注)", "(注", "注意:", "note:", "Note:", "NOTE:"}) {
    if (text::StartsWith(s, lead)) return true;
  }
  return false;
}

bool LooksLikeSentence(std::string_view s) {
  return s.find("。") != std::string_view::npos || text::EndsWith(s, "か") ||
         text::EndsWith(s, "?") || text::EndsWith(s, "こと") || text::CodePointCount(s) > 60;
}

struct Layout {
  int header_row = -1;
  int data_start = -1;
  std::vector<Role> roles;  // per column
  std::vector<Mark> choice_marks;
  std::vector<std::string> headers;
  std::vector<int> question_cols, section_cols;
  int number_col = -1, answer_col = -1, remarks_col = -1, unit_col = -1;
  std::vector<int> choice_cols;
};

// The first rows of a grid, cleaned (CleanCellText): what the layout is read from. The grid
// itself tells the rest (hidden rows and columns, merges, name, lists).
struct CleanHead {
  CleanHead(const Grid& g, std::size_t n) : grid(g) {
    rows.assign(g.rows.begin(), g.rows.begin() + static_cast<std::ptrdiff_t>(std::min(n, g.rows.size())));
    for (auto& row : rows) {
      for (auto& cell : row) {
        if (!cell.empty()) cell = CleanCellText(cell);
      }
    }
  }
  const std::string& At(std::size_t r, std::size_t c) const { return Grid::CellAt(rows, r, c); }

  const Grid& grid;
  std::vector<std::vector<std::string>> rows;
};

struct ColumnStats {
  int filled = 0, marks = 0, numbers = 0;
  std::size_t total_len = 0;
};

std::vector<ColumnStats> ComputeStats(const CleanHead& g, int from, std::size_t width) {
  std::vector<ColumnStats> st(width);
  int limit = std::min<int>(static_cast<int>(g.rows.size()), from + 400);
  for (int r = from; r < limit; ++r) {
    for (std::size_t c = 0; c < width; ++c) {
      const std::string& v = g.At(static_cast<std::size_t>(r), c);
      if (v.empty()) continue;
      st[c].filled++;
      if (sheet::MarkOfToken(v)) st[c].marks++;
      if (IsNumberLike(v)) st[c].numbers++;
      st[c].total_len += text::CodePointCount(v);
    }
  }
  return st;
}

double Frac(int a, int b) { return b == 0 ? 0.0 : static_cast<double>(a) / b; }
double AvgLen(const ColumnStats& s) {
  return s.filled == 0 ? 0.0 : static_cast<double>(s.total_len) / s.filled;
}

std::optional<Layout> DetectLayout(const CleanHead& g, std::size_t width) {
  if (width < 2 || g.rows.empty()) return std::nullopt;
  int best_row = -1, best_score = 0;
  const int scan = std::min<int>(static_cast<int>(g.rows.size()), 60);
  for (int r = 0; r < scan; ++r) {
    if (g.grid.RowHidden(static_cast<std::size_t>(r))) continue;
    std::set<Role> roles;
    int choices = 0;
    int nonempty = 0;
    for (std::size_t c = 0; c < width; ++c) {
      const std::string& v = g.At(static_cast<std::size_t>(r), c);
      if (v.empty()) continue;
      ++nonempty;
      Role role = HeaderRole(v);
      if (role == Role::kChoice) {
        ++choices;
      } else if (role != Role::kNone) {
        roles.insert(role);
      }
    }
    if (choices >= 2) roles.insert(Role::kChoice);
    bool has_q = roles.count(Role::kQuestion) > 0;
    int score = static_cast<int>(roles.size()) + (has_q ? 1 : 0);
    if (nonempty - static_cast<int>(roles.size()) - choices > 3) score -= 1;  // a data row
    if ((has_q || roles.count(Role::kAnswer)) && roles.size() >= 2 && score > best_score) {
      best_score = score;
      best_row = r;
    }
  }
  if (best_row < 0) return std::nullopt;

  Layout L;
  L.header_row = best_row;
  L.data_start = best_row + 1;
  L.roles.assign(width, Role::kNone);
  L.choice_marks.assign(width, Mark::kNone);
  L.headers.assign(width, "");
  for (std::size_t c = 0; c < width; ++c) {
    const std::string& v = g.At(static_cast<std::size_t>(best_row), c);
    L.headers[c] = v;
    if (g.grid.ColHidden(c)) continue;
    Role role = HeaderRole(v);
    L.roles[c] = role;
    if (role == Role::kChoice) L.choice_marks[c] = *sheet::MarkOfToken(HeaderKey(v));
  }
  // A second header row of choices under a merged "回答" header: はい / いいえ / 該当なし.
  if (static_cast<std::size_t>(L.data_start) < g.rows.size()) {
    int choices = 0, other = 0;
    for (std::size_t c = 0; c < width; ++c) {
      const std::string& v = g.At(static_cast<std::size_t>(L.data_start), c);
      if (v.empty()) continue;
      if (HeaderRole(v) == Role::kChoice) {
        ++choices;
      } else {
        ++other;
      }
    }
    if (choices >= 2 && other == 0) {
      for (std::size_t c = 0; c < width; ++c) {
        const std::string& v = g.At(static_cast<std::size_t>(L.data_start), c);
        if (v.empty() || HeaderRole(v) != Role::kChoice) continue;
        L.roles[c] = Role::kChoice;
        L.choice_marks[c] = *sheet::MarkOfToken(HeaderKey(v));
        L.headers[c] = v;
      }
      L.data_start++;
    }
  }
  // A single choice-looking header ("有無") is an answer column, not a choice set.
  int choice_count = static_cast<int>(std::count(L.roles.begin(), L.roles.end(), Role::kChoice));
  if (choice_count == 1) {
    for (auto& r : L.roles) {
      if (r == Role::kChoice) r = Role::kAnswer;
    }
  }

  std::vector<ColumnStats> st = ComputeStats(g, L.data_start, width);
  // A header cell merged across columns names each of them (a Word header cell spanning two
  // grid columns; a workbook's merged header): of a question header, the column with the
  // longest text is the question and the others are sections; an answer header's columns
  // are settled below with the other answer columns.
  for (const MergeRange& m : g.grid.merges) {
    if (m.row0 > best_row || m.row1 < best_row || m.col1 <= m.col0) continue;
    const auto c0 = static_cast<std::size_t>(m.col0);
    if (c0 >= width) continue;
    const Role role = L.roles[c0];
    if (role != Role::kQuestion && role != Role::kAnswer) continue;
    std::size_t longest = c0;
    for (std::size_t c = c0; c <= static_cast<std::size_t>(m.col1) && c < width; ++c) {
      if (c != c0 && (L.roles[c] != Role::kNone || g.grid.ColHidden(c))) continue;
      if (AvgLen(st[c]) > AvgLen(st[longest])) longest = c;
    }
    for (std::size_t c = c0; c <= static_cast<std::size_t>(m.col1) && c < width; ++c) {
      if (c != c0 && (L.roles[c] != Role::kNone || g.grid.ColHidden(c))) continue;
      L.headers[c] = L.headers[c0];
      L.roles[c] = role == Role::kAnswer ? Role::kAnswer : c == longest ? Role::kQuestion : Role::kSection;
    }
  }
  // Several answer columns: the one holding marks is the answer, a long-text one is remarks.
  std::vector<int> answers;
  for (std::size_t c = 0; c < width; ++c) {
    if (L.roles[c] == Role::kAnswer) answers.push_back(static_cast<int>(c));
  }
  if (answers.size() > 1) {
    int best = answers[0];
    for (int c : answers) {
      if (Frac(st[c].marks, st[c].filled) > Frac(st[best].marks, st[best].filled)) best = c;
    }
    bool have_remarks = std::count(L.roles.begin(), L.roles.end(), Role::kRemarks) > 0;
    for (int c : answers) {
      if (c == best) continue;
      L.roles[c] = (!have_remarks && AvgLen(st[c]) > 8) ? Role::kRemarks : Role::kNone;
      have_remarks = have_remarks || L.roles[c] == Role::kRemarks;
    }
  }
  // Columns without a recognised header: infer from content.
  bool has_number = std::count(L.roles.begin(), L.roles.end(), Role::kNumber) > 0;
  bool has_answer = std::count(L.roles.begin(), L.roles.end(), Role::kAnswer) > 0 ||
                    std::count(L.roles.begin(), L.roles.end(), Role::kChoice) > 0;
  bool has_question = std::count(L.roles.begin(), L.roles.end(), Role::kQuestion) > 0;
  for (std::size_t c = 0; c < width; ++c) {
    if (L.roles[c] != Role::kNone || g.grid.ColHidden(c) || st[c].filled == 0) continue;
    if (!has_number && Frac(st[c].numbers, st[c].filled) >= 0.6 && AvgLen(st[c]) <= 8) {
      L.roles[c] = Role::kNumber;
      has_number = true;
    } else if (!has_answer && Frac(st[c].marks, st[c].filled) >= 0.5) {
      L.roles[c] = Role::kAnswer;
      has_answer = true;
    }
  }
  if (!has_question) {
    int best = -1;
    for (std::size_t c = 0; c < width; ++c) {
      if (L.roles[c] != Role::kNone || g.grid.ColHidden(c)) continue;
      if (best < 0 || AvgLen(st[c]) > AvgLen(st[static_cast<std::size_t>(best)])) best = static_cast<int>(c);
    }
    if (best < 0) return std::nullopt;
    L.roles[static_cast<std::size_t>(best)] = Role::kQuestion;
  }
  for (std::size_t c = 0; c < width; ++c) {
    int ci = static_cast<int>(c);
    switch (L.roles[c]) {
      case Role::kNumber:
        if (L.number_col < 0) L.number_col = ci;
        break;
      case Role::kSection: L.section_cols.push_back(ci); break;
      case Role::kQuestion: L.question_cols.push_back(ci); break;
      case Role::kAnswer:
        if (L.answer_col < 0) L.answer_col = ci;
        break;
      case Role::kRemarks:
        if (L.remarks_col < 0) L.remarks_col = ci;
        break;
      case Role::kUnit:
        if (L.unit_col < 0) L.unit_col = ci;
        break;
      case Role::kChoice: L.choice_cols.push_back(ci); break;
      case Role::kNone: break;
    }
  }
  if (L.answer_col < 0 && L.choice_cols.empty() && L.remarks_col < 0) return std::nullopt;
  return L;
}

// The merged range that covers (r, c), if any.
const MergeRange* MergeAt(const Grid& g, int r, int c) {
  for (const MergeRange& m : g.merges) {
    if (r >= m.row0 && r <= m.row1 && c >= m.col0 && c <= m.col1) return &m;
  }
  return nullptr;
}

std::vector<std::string> VocabularyFromHeader(std::string_view header) {
  // "回答(有/無/対象外)" -> {有, 無, 対象外}
  std::vector<std::string> out;
  std::size_t open = header.find('(');
  std::size_t close = header.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close <= open) return out;
  std::string_view inner = header.substr(open + 1, close - open - 1);
  std::string cur;
  auto flush = [&] {
    std::string t(text::Trim(cur));
    if (!t.empty() && sheet::MarkOfToken(t)) out.push_back(t);
    cur.clear();
  };
  for (std::size_t i = 0; i < inner.size();) {
    std::size_t start = i;
    char32_t c = text::DecodeUtf8(inner, &i);
    if (c == '/' || c == ',' || c == U'、' || c == U'・' || c == ' ') {
      flush();
    } else {
      cur.append(inner.substr(start, i - start));
    }
  }
  flush();
  if (out.size() < 2) out.clear();
  return out;
}

// Splits an answer cell into the answer and the remark it carries: "【有】…" -> 有 + the rest;
// check boxes with labels -> the ticked label (none ticked: unanswered).
void FillAnswer(std::string_view cell, sheet::Item* item) {
  std::string_view v = text::Trim(cell);
  if (v.empty()) return;
  if (auto m = sheet::MarkOfToken(v)) {
    item->answer = {*m, std::string(v)};
    return;
  }
  if (auto boxes = sheet::FindCheckBoxes(v)) {
    if (!boxes->checked.empty()) item->answer = {boxes->mark, boxes->checked.front()};
    return;
  }
  if (auto lead = sheet::FindLeadingMark(v)) {
    item->answer = {lead->mark, lead->token};
    std::string rest(text::Trim(v.substr(lead->length)));
    item->remarks = text::JoinWrapped(rest, item->remarks);
    return;
  }
  // Free text in the answer column (「24時間365日」「4時間以内」「日本法」) is the answer.
  item->answer = {Mark::kText, std::string(v)};
}

const std::string kNoText;  // the text of a column the table does not have

// Whether a choice column's cell ticks it: any mark (○ ✓ ■ ☑ x), not an empty box (☐ □),
// which a Word form shows in every choice until one is checked.
bool Ticks(std::string_view cell) {
  std::string_view v = text::Trim(cell);
  return !v.empty() && v != "☐" && v != "□" && v != "◻" && v != "▢";
}

// A cell's text as the file has it, for the printed forms: only CR LF made LF and the blank
// space around the whole text dropped (spaces, tabs, line breaks; not U+3000).
std::string ExactCellText(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') continue;
    out.push_back(raw[i]);
  }
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  std::size_t b = 0, e = out.size();
  while (b < e && blank(out[b])) ++b;
  while (e > b && blank(out[e - 1])) --e;
  return out.substr(b, e - b);
}

// Two printed texts as one, a line break between (either may be empty).
std::string JoinPrinted(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return a + "\n" + b;
}

// The printed answer and remarks of a spreadsheet row (sheet::Item), decided the way FillAnswer
// decided the normalized ones from the same cells. Left empty where the two readings could
// disagree (a leading mark the raw text does not show the same way).
void FillPrinted(const std::string& raw_answer, const std::string& norm_answer, const std::string& raw_remarks,
                 bool has_answer_col, bool has_remarks_col, sheet::Item* item) {
  const std::string answer = ExactCellText(raw_answer);
  const std::string remarks = has_remarks_col ? ExactCellText(raw_remarks) : std::string();
  const std::string_view v = text::Trim(norm_answer);
  if (!has_answer_col || v.empty()) {
    item->printed_remarks = remarks;
    return;
  }
  if (sheet::MarkOfToken(v) || (item->answer.mark == Mark::kText && item->answer.text == v)) {
    item->printed_answer = answer;
    item->printed_remarks = remarks;
    return;
  }
  if (sheet::FindCheckBoxes(v)) {
    item->printed_remarks = remarks;  // the answer is the ticked label, as read
    return;
  }
  if (sheet::FindLeadingMark(v)) {
    std::optional<sheet::LeadingMark> lead = sheet::FindLeadingMark(answer);
    if (!lead || lead->mark != item->answer.mark) return;
    item->printed_answer = lead->token;
    item->printed_remarks = JoinPrinted(ExactCellText(std::string_view(answer).substr(lead->length)), remarks);
    return;
  }
  item->printed_answer = answer;
  item->printed_remarks = remarks;
}

}  // namespace

std::string HeaderRoleName(std::string_view header) {
  Role r = HeaderRole(header);
  return r == Role::kNone ? std::string() : std::string(RoleName(r));
}

std::string CleanCellText(std::string_view raw) {
  std::string s = text::NormalizeText(raw);
  // Drop HTML tag remnants (<p>, </p>, <br/>) that PDF-to-text tools leave behind.
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<') {
      std::size_t j = i + 1;
      if (j < s.size() && s[j] == '/') ++j;
      std::size_t name = j;
      while (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j]))) ++j;
      if (j > name && j - name <= 10) {
        std::size_t close = s.find('>', j);
        if (close != std::string::npos && close - i <= 40 && s.find('<', j) > close) {
          out.push_back(' ');
          i = close;
          continue;
        }
      }
    }
    out.push_back(s[i]);
  }
  return text::CollapseSpaces(text::JoinLines(out));
}

GridRow RowOf(const Grid& g, std::size_t r) {
  static const std::vector<std::string> kNoCells;
  GridRow row;
  row.cells = r < g.rows.size() ? &g.rows[r] : &kNoCells;
  row.source_row = r < g.source_rows.size() ? g.source_rows[r] : static_cast<int>(r) + 1;
  row.page = r < g.source_pages.size() ? g.source_pages[r] : 0;
  row.table = r < g.source_tables.size() ? g.source_tables[r] : 0;
  row.hidden = g.RowHidden(r);
  row.bold = r < g.bold_rows.size() && g.bold_rows[r];
  row.page_continues = g.ContinuesAcrossPage(r);
  return row;
}

struct TableReader::State {
  State(const Grid& h, std::size_t w, const TableContext& c, PartSink* s)
      : head(h), width(w), ctx(c), sink(s) {}

  const Grid& head;  // merges, flags and name of the grid
  std::size_t width;
  TableContext ctx;
  PartSink* sink;
  Layout L;
  sheet::Part part;  // id, title, columns and vocabulary; its items go to the sink
  internal::HeadingStack headings;
  std::vector<std::string> section_values;
  std::set<std::string> used_ids;
  std::set<std::string> seen_tokens;
  std::vector<std::string> tokens_in_order;
  std::optional<sheet::Item> last;  // the item being read: the rows below may still add to it
  std::size_t items = 0;
  bool combined = false;                // an answer cell that carries a remark too (【有】…)
  std::string box_template;             // the first check-box answer cell as printed
  std::vector<std::string> box_labels;  // the labels of all of them, in order of appearance
  std::string header_signature;
  std::size_t warnings = 0;

  sheet::SourceLocation Location(const GridRow& row) const {
    sheet::SourceLocation loc;
    loc.file = ctx.file;
    loc.sheet = head.name;
    if (head.from_spreadsheet) {
      loc.range = CellRef(0, row.source_row) + ":" + CellRef(static_cast<int>(width) - 1, row.source_row);
    } else {
      loc.line = row.source_row;
      loc.page = row.page;
      loc.table = row.table;
    }
    return loc;
  }

  // At most kMaxWarnings per table are listed (a sheet of 100,000 hidden rows says so once).
  static constexpr std::size_t kMaxWarnings = 200;
  void Warn(const GridRow& row, std::string msg) {
    if (!ctx.warnings || ++warnings > kMaxWarnings) return;
    ctx.warnings->push_back({std::move(msg), Location(row)});
  }

  // The item read so far goes to the sink: no row below can add to it any more.
  Status Flush() {
    if (!last) return Status::Ok();
    sheet::Item item = std::move(*last);
    last.reset();
    if (items++ == 0) TS_RETURN_IF_ERROR(sink->StartPart(part));
    combined = combined || (item.answer.mark != Mark::kNone && !item.remarks.empty());
    return sink->AddItem(std::move(item));
  }

  void ReadAboveHeader(const CleanHead& g);
  Status Add(std::size_t r, const GridRow& row);
};

void TableReader::State::ReadAboveHeader(const CleanHead& g) {
  // Above the header: a title, key/value metadata, and perhaps the first section heading.
  for (int r = 0; r < L.header_row; ++r) {
    std::vector<std::string> cells;
    for (std::size_t c = 0; c < width; ++c) {
      if (!g.At(static_cast<std::size_t>(r), c).empty()) cells.push_back(g.At(static_cast<std::size_t>(r), c));
    }
    if (cells.size() == 2 && ctx.meta && text::CodePointCount(cells[0]) <= 20) {
      (*ctx.meta)[cells[0]] = cells[1];
    } else if (cells.size() == 1) {
      internal::HeadingText h = internal::SplitHeadingNumber(cells[0]);
      if (!h.number.empty() && !LooksLikeSentence(h.title) && r >= L.header_row - 3) {
        headings.Push(cells[0], h.number);
      } else if (part.title == head.name && text::CodePointCount(cells[0]) <= 80 && !LooksLikeSentence(cells[0])) {
        if (ctx.meta && !ctx.meta->count("title")) (*ctx.meta)["title"] = cells[0];
        if (part.title.empty()) part.title = cells[0];
      }
    }
  }
}

std::optional<TableReader> TableReader::Start(const Grid& head, std::size_t width, const TableContext& ctx,
                                              PartSink* sink) {
  const CleanHead g(head, kLayoutRows);
  for (const auto& row : g.rows) width = std::max(width, row.size());
  std::optional<Layout> layout = DetectLayout(g, width);
  if (!layout) return std::nullopt;
  auto s = std::make_unique<State>(head, width, ctx, sink);
  s->L = std::move(*layout);
  const Layout& L = s->L;
  sheet::Part& part = s->part;
  part.id = ctx.part_id;
  part.title = head.name;
  part.source_part = head.part_path;
  for (std::size_t c = 0; c < width; ++c) {
    if (L.roles[c] == Role::kNone && L.headers[c].empty()) continue;
    sheet::ColumnInfo ci;
    ci.header = L.headers[c];
    ci.role = std::string(RoleName(L.roles[c]));
    if (head.from_spreadsheet) {
      ci.column = ColumnLetters(static_cast<int>(c));
    } else if (head.whole_cells && head.exact_text) {
      ci.column = std::to_string(c + 1);  // a Word table's grid column, 1-based
    }
    ci.choice_mark = L.choice_marks[c];
    part.columns.push_back(std::move(ci));
  }
  s->ReadAboveHeader(g);
  // Answer vocabulary: data-validation list, header, then what the answers use.
  if (L.answer_col >= 0) {
    if (auto it = head.column_lists.find(L.answer_col); it != head.column_lists.end()) {
      part.answer_vocabulary = it->second;
    } else {
      part.answer_vocabulary = VocabularyFromHeader(L.headers[static_cast<std::size_t>(L.answer_col)]);
    }
  }
  s->section_values.resize(L.section_cols.size());
  for (std::size_t c = 0; c < width; ++c) s->header_signature += g.At(static_cast<std::size_t>(L.header_row), c) + "\t";
  return TableReader(std::move(s));
}

TableReader::TableReader(std::unique_ptr<State> s) : s_(std::move(s)) {}
TableReader::TableReader(TableReader&&) noexcept = default;
TableReader& TableReader::operator=(TableReader&&) noexcept = default;
TableReader::~TableReader() = default;

Status TableReader::Add(std::size_t r, const GridRow& row) { return s_->Add(r, row); }

Status TableReader::State::Add(std::size_t r, const GridRow& row) {
  if (static_cast<int>(r) < L.data_start) return Status::Ok();
  const std::vector<std::string>& raw = *row.cells;
  std::vector<std::string> clean(raw.size());
  for (std::size_t c = 0; c < raw.size(); ++c) {
    if (!raw[c].empty()) clean[c] = CleanCellText(raw[c]);
  }
  auto at = [&](std::size_t c) -> const std::string& { return c < clean.size() ? clean[c] : kNoText; };
  std::string signature;
  int filled = 0;
  bool remnant = true;
  for (std::size_t c = 0; c < width; ++c) {
    signature += at(c) + "\t";
    if (!at(c).empty()) {
      ++filled;
      remnant = remnant && IsDashRemnant(at(c));
    }
  }
  if (filled == 0 || remnant) return Status::Ok();
  if (signature == header_signature) return Status::Ok();  // header repeated on a new page or section
  if (row.hidden) {
    Warn(row, "row " + std::to_string(row.source_row) + " is hidden: skipped");
    return Status::Ok();
  }
  auto cell = [&](int c) -> const std::string& { return at(static_cast<std::size_t>(c)); };
  std::string number = L.number_col >= 0 ? cell(L.number_col) : "";
  std::string question;
  for (int c : L.question_cols) {  // separate columns (項目 + 規定内容) join with a space
    if (cell(c).empty()) continue;
    question = question.empty() ? cell(c) : question + " " + cell(c);
  }
  bool has_answer = (L.answer_col >= 0 && !cell(L.answer_col).empty());
  for (int c : L.choice_cols) has_answer = has_answer || Ticks(cell(c));

  // Section columns carry their value down (merged cells hold it only in the first row).
  for (std::size_t k = 0; k < L.section_cols.size(); ++k) {
    const std::string& v = cell(L.section_cols[k]);
    if (!v.empty()) {
      section_values[k] = v;
      for (std::size_t j = k + 1; j < section_values.size(); ++j) section_values[j].clear();
    }
  }

  // A section row: one distinct text, no answer, no number (or a number that is part of
  // a heading such as "1. 内部組織").
  std::set<std::string> distinct;
  int distinct_col = -1;
  for (std::size_t c = 0; c < width; ++c) {
    if (!at(c).empty() && distinct.insert(at(c)).second) distinct_col = static_cast<int>(c);
  }
  const bool number_is_number = !number.empty() && IsNumberLike(number);
  bool section_col_only = false;
  for (int c : L.section_cols) section_col_only = section_col_only || c == distinct_col;
  if (distinct.size() == 1 && !has_answer && !number_is_number && !section_col_only) {
    const std::string& v = *distinct.begin();
    if (IsNote(v)) return Status::Ok();
    internal::HeadingText h = internal::SplitHeadingNumber(v);
    const MergeRange* m = MergeAt(head, static_cast<int>(r), distinct_col);
    bool merged_wide = m && m->col1 > m->col0;
    bool in_question = std::find(L.question_cols.begin(), L.question_cols.end(), distinct_col) !=
                       L.question_cols.end();
    bool heading_like = !LooksLikeSentence(v) || merged_wide || row.bold;
    bool continuation = !head.whole_cells && last && (in_question ||
                        distinct_col == L.remarks_col || distinct_col == L.answer_col) &&
                        h.number.empty();
    if (!continuation && (heading_like || !in_question) && text::CodePointCount(v) <= 80) {
      headings.Push(v, h.number);
      return Flush();
    }
  }

  // A continuation row (text and PDF grids): no number, no mark; adds to the item above.
  const bool may_continue = !head.whole_cells || row.page_continues;
  if (may_continue && last && number.empty() && !has_answer) {
    last->question = text::JoinWrapped(last->question, question);
    if (L.remarks_col >= 0) last->remarks = text::JoinWrapped(last->remarks, cell(L.remarks_col));
    last->location.end_line = row.source_row;
    return Status::Ok();
  }
  if (may_continue && last && number.empty() && L.answer_col >= 0 &&
      !cell(L.answer_col).empty() && !sheet::MarkOfToken(cell(L.answer_col)) && question.empty()) {
    // Remark text spilled into the answer column after a page break.
    last->remarks = text::JoinWrapped(last->remarks, cell(L.answer_col));
    if (L.remarks_col >= 0) last->remarks = text::JoinWrapped(last->remarks, cell(L.remarks_col));
    last->location.end_line = row.source_row;
    return Status::Ok();
  }
  if (may_continue && last && number.empty() && has_answer &&
      last->answer.mark == Mark::kNone && L.answer_col >= 0) {
    // A vertically centred answer printed on a later line of the same row (PDF tables).
    last->question = text::JoinWrapped(last->question, question);
    std::string remarks_before = last->remarks;
    last->remarks.clear();
    FillAnswer(cell(L.answer_col), &*last);
    last->remarks = text::JoinWrapped(remarks_before, last->remarks);
    if (L.remarks_col >= 0) last->remarks = text::JoinWrapped(last->remarks, cell(L.remarks_col));
    last->location.end_line = row.source_row;
    return Status::Ok();
  }
  if (question.empty()) {
    if (has_answer || !number.empty()) {
      Warn(row, "row " + std::to_string(row.source_row) + ": question cell is empty: skipped");
    }
    return Status::Ok();
  }

  sheet::Item item;
  item.number = CleanNumber(number);
  item.question = question;
  item.section = headings.Path();
  for (const std::string& v : section_values) {
    if (!v.empty()) item.section.push_back(v);
  }
  const bool has_remarks_col = L.remarks_col >= 0;
  if (has_remarks_col) item.remarks = cell(L.remarks_col);
  item.location = Location(row);
  auto ref = [&](int c) { return head.from_spreadsheet ? CellRef(c, row.source_row) : std::to_string(c + 1); };
  if (!L.question_cols.empty()) item.location.cells["question"] = ref(L.question_cols.front());
  if (has_remarks_col) item.location.cells["remarks"] = ref(L.remarks_col);
  auto raw_cell = [&](int c) -> const std::string& {
    return c >= 0 && static_cast<std::size_t>(c) < raw.size() ? raw[static_cast<std::size_t>(c)] : kNoText;
  };
  if (L.answer_col >= 0) {
    item.location.cells["answer"] = ref(L.answer_col);
    std::string remarks_before = item.remarks;
    item.remarks.clear();
    FillAnswer(cell(L.answer_col), &item);
    item.remarks = text::JoinWrapped(item.remarks, remarks_before);
    if (auto boxes = sheet::FindCheckBoxes(cell(L.answer_col))) {
      item.answer_cell = ExactCellText(raw_cell(L.answer_col));
      if (box_template.empty()) box_template = item.answer_cell;
      for (const std::string& l : boxes->labels) {
        if (std::find(box_labels.begin(), box_labels.end(), l) == box_labels.end()) box_labels.push_back(l);
      }
    }
  }
  if (head.exact_text && head.whole_cells) {
    FillPrinted(raw_cell(L.answer_col), L.answer_col >= 0 ? cell(L.answer_col) : kNoText,
                raw_cell(L.remarks_col), L.answer_col >= 0, has_remarks_col, &item);
  }
  int ticked = 0;
  for (int c : L.choice_cols) {
    if (!Ticks(cell(c))) continue;
    if (++ticked == 1) {
      item.answer = {L.choice_marks[static_cast<std::size_t>(c)], L.headers[static_cast<std::size_t>(c)]};
      item.location.cells["answer"] = ref(c);
    }
  }
  if (ticked > 1) {
    Warn(row, "row " + std::to_string(row.source_row) + ": " + std::to_string(ticked) +
                  " choice columns are marked; the first is used");
  }
  if (item.answer.mark == Mark::kNo && sheet::MentionsPlanned(item.remarks)) item.answer.mark = Mark::kPlanned;
  if (L.unit_col >= 0 && !cell(L.unit_col).empty()) {
    item.extra.emplace_back(L.headers[static_cast<std::size_t>(L.unit_col)], cell(L.unit_col));
  }
  for (std::size_t c = 0; c < width; ++c) {
    if (L.roles[c] == Role::kNone && !L.headers[c].empty() && !at(c).empty() && !head.ColHidden(c)) {
      item.extra.emplace_back(L.headers[c], at(c));
    }
  }
  if (item.answer.mark != Mark::kNone && item.answer.mark != Mark::kText &&
      seen_tokens.insert(item.answer.text).second) {
    tokens_in_order.push_back(item.answer.text);
  }
  item.id = internal::MakeItemId(part.id, headings.Path(),
                                 item.number.empty() ? "r" + std::to_string(row.source_row) : item.number,
                                 &used_ids);
  headings.NoteItem();
  TS_RETURN_IF_ERROR(Flush());
  last = std::move(item);
  return Status::Ok();
}

Result<bool> TableReader::Finish() {
  State& s = *s_;
  TS_RETURN_IF_ERROR(s.Flush());
  if (s.items == 0) return false;
  if (s.warnings > State::kMaxWarnings && s.ctx.warnings) {
    sheet::SourceLocation where;
    where.file = s.ctx.file;
    where.sheet = s.head.name;
    s.ctx.warnings->push_back(
        {std::to_string(s.warnings - State::kMaxWarnings) + " more warnings of this table are not listed", where});
  }
  sheet::Part& part = s.part;
  const Layout& L = s.L;
  // Without a remarks column, answer cells that hold 【有】 and a remark take the remarks on
  // the way back too. (A blank sheet does not show it; its answer cells get the answer alone.)
  if (L.answer_col >= 0 && L.remarks_col < 0 && L.choice_cols.empty()) {
    for (sheet::ColumnInfo& ci : part.columns) ci.carries_remarks = s.combined && ci.role == "answer";
  }
  if (!s.box_template.empty()) {
    for (sheet::ColumnInfo& ci : part.columns) {
      if (ci.role == "answer") ci.check_boxes = s.box_template;
    }
    if (part.answer_vocabulary.empty()) part.answer_vocabulary = s.box_labels;
  }
  if (part.answer_vocabulary.empty()) {
    if (!L.choice_cols.empty()) {
      for (int c : L.choice_cols) part.answer_vocabulary.push_back(L.headers[static_cast<std::size_t>(c)]);
    } else {
      part.answer_vocabulary = s.tokens_in_order;
    }
  }
  TS_RETURN_IF_ERROR(s.sink->EndPart(std::move(part)));
  return true;
}

std::optional<sheet::Part> ReadTable(const Grid& grid, const TableContext& ctx) {
  std::vector<sheet::Part> parts;
  sheet::PartsCollector sink(&parts);
  std::optional<TableReader> reader = TableReader::Start(grid, grid.Width(), ctx, &sink);
  if (!reader) return std::nullopt;
  for (std::size_t r = 0; r < grid.rows.size(); ++r) {
    if (!reader->Add(r, RowOf(grid, r)).ok()) return std::nullopt;  // the collector never fails
  }
  Result<bool> had = reader->Finish();
  if (!had.ok() || !*had) return std::nullopt;
  return std::move(parts.front());
}

}  // namespace ts::ingest
