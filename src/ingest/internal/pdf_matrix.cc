#include "ingest/internal/pdf_matrix.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "ingest/internal/heading_stack.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace ts::ingest::internal {
namespace {

// Symbols that fill the cells of a mark matrix. Not 'ー' (U+30FC): vertical headers print it
// as a lone glyph.
constexpr std::u32string_view kMatrixMarks = U"☆★◎○◯〇●◆◇□■△▲×✕✓✔−-－―‐";

// How far (points) a mark may sit from its column's centre, and the gap that splits columns.
constexpr double kColumnTolerance = 7.0;
constexpr double kColumnGap = 6.0;

char32_t SingleMark(std::string_view raw) {
  std::u32string u = text::ToU32(text::Trim(raw));
  if (u.size() != 1) {
    u = text::ToU32(text::NormalizeText(raw));
    if (u.size() != 1) return 0;
  }
  return kMatrixMarks.find(u[0]) != std::u32string_view::npos ? u[0] : 0;
}

double Centre(const Box& b) { return (b.x0 + b.x1) / 2; }

// How many boxes at the end of the line are single marks.
std::size_t TrailingMarks(const PdfLine& l) {
  std::size_t k = 0;
  while (k < l.boxes.size() && SingleMark(l.boxes[l.boxes.size() - 1 - k].text) != 0) ++k;
  return k;
}

bool IsMatrixRow(const PdfLine& l) {
  std::size_t k = TrailingMarks(l);
  return k >= 2 && l.boxes.size() > k;
}

// A heading label at the start of a normalized line: its numbering style and its label.
// 五 設置基準 -> kanji "五"; イ.設置環境 -> kana "イ"; a.建物 -> latin "a"; 1.立地・配置 -> digit "1".
struct Label {
  char style;  // 'K' kanji numeral, 'A' katakana, 'a' latin lower, 'L' latin upper, 'D' digit
  std::string label;
};

std::optional<Label> HeadingLabel(std::string_view s) {
  std::u32string u = text::ToU32(s);
  if (u.size() < 3) return std::nullopt;
  static constexpr std::u32string_view kKanjiDigits = U"一二三四五六七八九十";
  std::size_t i = 0;
  while (i < u.size() && kKanjiDigits.find(u[i]) != std::u32string_view::npos) ++i;
  if (i > 0 && i <= 3 && i + 1 < u.size() && (u[i] == U' ' || u[i] == U'.' || u[i] == U'、')) {
    return Label{'K', text::ToUtf8(u.substr(0, i))};
  }
  if (u[1] != U'.' || u[2] == U'.') {
    i = 0;
    while (i < u.size() && i < 3 && u[i] >= U'0' && u[i] <= U'9') ++i;
    if (i > 0 && i + 1 < u.size() && u[i] == U'.' && !(u[i + 1] >= U'0' && u[i + 1] <= U'9')) {
      return Label{'D', text::ToUtf8(u.substr(0, i))};
    }
    return std::nullopt;
  }
  char32_t c = u[0];
  if (c >= U'ァ' && c <= U'ヶ') return Label{'A', text::ToUtf8(u.substr(0, 1))};
  if (c >= U'a' && c <= U'z') return Label{'a', text::ToUtf8(u.substr(0, 1))};
  if (c >= U'A' && c <= U'Z') return Label{'L', text::ToUtf8(u.substr(0, 1))};
  if (c >= U'0' && c <= U'9') return Label{'D', text::ToUtf8(u.substr(0, 1))};
  return std::nullopt;
}

// "(12)" at the start of a normalized question: the item number "12" and the text after it.
std::optional<std::pair<std::string, std::string>> ItemNumber(std::string_view s) {
  if (s.empty() || s[0] != '(') return std::nullopt;
  std::size_t i = 1;
  while (i < s.size() && i < 5 && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == 1 || i >= s.size() || s[i] != ')') return std::nullopt;
  return std::make_pair(std::string(s.substr(1, i - 1)), std::string(text::Trim(s.substr(i + 1))));
}

// The boxes of one line as text: a space where the gap between two is wide.
std::string JoinBoxes(const std::vector<const Box*>& boxes) {
  std::string out;
  for (std::size_t k = 0; k < boxes.size(); ++k) {
    if (k > 0) {
      double gap = boxes[k]->x0 - boxes[k - 1]->x1;
      if (gap > 0.25 * std::max(1.0, boxes[k]->y1 - boxes[k]->y0)) out += ' ';
    }
    out += boxes[k]->text;
  }
  return text::CollapseSpaces(text::NormalizeText(out));
}

struct Heading {
  Label label;
  std::string text;  // as printed, normalized; continuation lines appended
  int parent;        // index into headings, -1 for none
};

struct Column {
  double centre;
  std::string name;
};

// The mark column whose centre `b` stands on.
std::optional<std::size_t> ColumnOf(const std::vector<Column>& columns, const Box& b) {
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (std::abs(Centre(b) - columns[c].centre) <= kColumnTolerance) return c;
  }
  return std::nullopt;
}

// One page's matrix geometry.
struct PageLayout {
  std::vector<Column> columns;
  double question_x = 0;    // left edge of the requirement text column
  std::size_t body_begin = 0;  // first line index below the column headers
  std::size_t first_row = 0;
};

std::optional<PageLayout> LayoutOf(const std::vector<PdfLine>& lines, std::size_t begin, std::size_t end) {
  std::vector<std::size_t> rows;
  for (std::size_t i = begin; i < end; ++i) {
    if (IsMatrixRow(lines[i])) rows.push_back(i);
  }
  if (rows.size() < 2) return std::nullopt;
  std::vector<double> centres;
  for (std::size_t i : rows) {
    const auto& bs = lines[i].boxes;
    for (std::size_t k = bs.size() - TrailingMarks(lines[i]); k < bs.size(); ++k) centres.push_back(Centre(bs[k]));
  }
  std::sort(centres.begin(), centres.end());
  PageLayout out;
  std::vector<double> cluster;
  auto close_cluster = [&] {
    if (cluster.size() * 3 >= rows.size()) {
      double sum = 0;
      for (double c : cluster) sum += c;
      out.columns.push_back({sum / static_cast<double>(cluster.size()), ""});
    }
    cluster.clear();
  };
  for (double c : centres) {
    if (!cluster.empty() && c - cluster.back() > kColumnGap) close_cluster();
    cluster.push_back(c);
  }
  close_cluster();
  if (out.columns.size() < 2) return std::nullopt;
  out.first_row = rows.front();
  // Column headers: the glyphs above the first row that stand in a column; the last run of
  // them stacked without a gap (a vertical header), read top to bottom.
  std::size_t header_last = begin;
  bool header_seen = false;
  std::vector<std::vector<const Box*>> stacks(out.columns.size());
  for (std::size_t i = begin; i < rows.front(); ++i) {
    for (const Box& b : lines[i].boxes) {
      std::optional<std::size_t> c = ColumnOf(out.columns, b);
      if (!c) continue;
      stacks[*c].push_back(&b);
      header_last = i;
      header_seen = true;
    }
  }
  out.body_begin = header_seen ? header_last + 1 : begin;
  for (std::size_t c = 0; c < stacks.size(); ++c) {
    auto& st = stacks[c];
    std::sort(st.begin(), st.end(), [](const Box* a, const Box* b) { return a->y0 < b->y0; });
    std::size_t run = 0;
    for (std::size_t k = 1; k < st.size(); ++k) {
      double h = std::max(1.0, st[k - 1]->y1 - st[k - 1]->y0);
      if (st[k]->y0 - st[k - 1]->y1 > 0.6 * h) run = k;
    }
    std::string name;
    for (std::size_t k = run; k < st.size(); ++k) name += st[k]->text;
    name = text::RemoveSpaces(text::NormalizeText(name));
    std::size_t d = 0;
    while (d < name.size() && name[d] >= '0' && name[d] <= '9') ++d;  // "1建物" -> "建物"
    if (d < name.size()) name.erase(0, d);
    out.columns[c].name = name.empty() ? "列" + std::to_string(c + 1) : name;
  }
  // The requirement column starts where item numbers start; without numbers, at the first
  // text of the rows.
  std::map<long, int> starts, firsts;
  for (std::size_t i : rows) {
    const auto& bs = lines[i].boxes;
    ++firsts[std::lround(bs.front().x0 / 3.0)];
    for (std::size_t k = 0; k + TrailingMarks(lines[i]) < bs.size(); ++k) {
      if (ItemNumber(text::NormalizeText(bs[k].text))) {
        ++starts[std::lround(bs[k].x0 / 3.0)];
        break;
      }
    }
  }
  const auto& votes = starts.empty() ? firsts : starts;
  auto best = std::max_element(votes.begin(), votes.end(), [](auto& a, auto& b) { return a.second < b.second; });
  out.question_x = static_cast<double>(best->first) * 3.0;
  return out;
}

// "☆……①のＡに限定して必要な対策": what a mark means, from the legend lines.
void ReadLegend(const std::vector<PdfLine>& lines, std::map<std::string, std::string>* meta) {
  for (const PdfLine& l : lines) {
    std::string joined;
    for (const Box& b : l.boxes) joined += b.text;
    std::u32string u = text::ToU32(text::NormalizeText(joined));
    std::size_t i = 0;
    while (i < u.size() && (u[i] == U'・' || u[i] == U' ')) ++i;
    if (i + 3 >= u.size() || kMatrixMarks.find(u[i]) == std::u32string_view::npos) continue;
    std::size_t j = i + 1;
    while (j < u.size() && (u[j] == U'.' || u[j] == U'…' || u[j] == U' ')) ++j;
    if (j < i + 3 || j >= u.size()) continue;
    (*meta)["legend " + text::ToUtf8(u.substr(i, 1))] = text::ToUtf8(u.substr(j));
  }
}

class MatrixBuilder {
 public:
  MatrixBuilder(const std::string& file, std::vector<sheet::Warning>* warnings) : file_(file), warnings_(warnings) {}

  void Page(const std::vector<PdfLine>& lines, std::size_t begin, std::size_t end) {
    std::optional<PageLayout> layout = LayoutOf(lines, begin, end);
    if (!layout) return;
    EnsurePart(*layout);
    // Headings printed above the column headers (the standard's title on its first page).
    for (std::size_t i = begin; i < layout->body_begin && i < layout->first_row; ++i) {
      std::string t = JoinLine(lines[i]);
      if (auto label = HeadingLabel(t); label && lines[i].boxes.front().x0 < layout->question_x) {
        PushHeading(*label, t);
      }
    }
    const double first_column = layout->columns.front().centre;
    int last_heading_line = -2;
    for (std::size_t i = layout->body_begin; i < end; ++i) {
      const PdfLine& l = lines[i];
      std::vector<const Box*> heading, question;
      std::vector<std::pair<std::size_t, std::string>> marks;  // column -> mark
      bool prose = false;
      const std::size_t trailing = TrailingMarks(l);
      for (std::size_t k = 0; k < l.boxes.size(); ++k) {
        const Box& b = l.boxes[k];
        if (k + trailing >= l.boxes.size()) {
          std::optional<std::size_t> col = ColumnOf(layout->columns, b);
          if (col) {
            marks.push_back({*col, text::NormalizeText(b.text)});
          } else {
            Warn("a mark outside the columns was ignored", l, i);
          }
          continue;
        }
        if (b.x1 > first_column - 3.0) prose = true;  // text running across the mark columns
        (b.x0 < layout->question_x - 6.0 ? heading : question).push_back(&b);
      }
      if (prose) break;  // the matrix has ended on this page (notes follow)
      std::string q = question.empty() ? "" : JoinBoxes(question);
      if (!heading.empty()) {
        std::string t = JoinBoxes(heading);
        if (auto label = HeadingLabel(t)) {
          PushHeading(*label, t);
          last_heading_line = static_cast<int>(i);
        } else if (q.empty() && marks.size() >= 2) {
          q = t;  // a row label printed left of the text column
        } else if (last_heading_line == static_cast<int>(i) - 1 && !stack_.empty()) {
          Heading& h = headings_[static_cast<std::size_t>(stack_.back())];
          h.text = text::JoinWrapped(h.text, t);
          last_heading_line = static_cast<int>(i);
        } else {
          Warn("text in the heading column without a heading number was ignored: " + t, l, i);
        }
      }
      if (marks.size() >= 2 && q.empty()) {
        Warn("a row of marks without text was ignored", l, i);
      } else if (marks.size() >= 2) {
        StartItem(q, marks, *layout, l, i);
      } else if (!q.empty() && open_) {
        sheet::Item& item = part_->items.back();
        item.question = text::JoinWrapped(item.question, q);
        item.location.end_line = static_cast<int>(i) + 1;
      } else if (!q.empty() && ItemNumber(q)) {
        StartItem(q, marks, *layout, l, i);
        Warn("requirement without marks", l, i);
      }
    }
  }

  std::vector<sheet::Part> Finish() {
    // Section paths are resolved at the end: heading text may continue on later lines.
    for (std::size_t p = 0; p < parts_.size(); ++p) {
      std::set<std::string> used;
      for (std::size_t k = 0; k < parts_[p].items.size(); ++k) {
        sheet::Item& item = parts_[p].items[k];
        std::vector<std::string> labels;
        for (int h = item_heading_[p][k]; h >= 0; h = headings_[static_cast<std::size_t>(h)].parent) {
          if (h == part_heading_[p]) break;
          item.section.insert(item.section.begin(), headings_[static_cast<std::size_t>(h)].text);
          labels.insert(labels.begin(), headings_[static_cast<std::size_t>(h)].label.label);
        }
        std::string local = item.number.empty() ? "r" + std::to_string(item.location.line)
                                                : item.number.substr(1, item.number.size() - 2);
        item.id = MakeItemIdFromNumbers(parts_[p].id, labels, local, &used);
      }
      if (part_heading_[p] >= 0) parts_[p].title = headings_[static_cast<std::size_t>(part_heading_[p])].text;
    }
    return std::move(parts_);
  }

 private:
  static std::string JoinLine(const PdfLine& l) {
    std::vector<const Box*> all;
    for (const Box& b : l.boxes) all.push_back(&b);
    return JoinBoxes(all);
  }

  void Warn(const std::string& message, const PdfLine& l, std::size_t i) {
    sheet::SourceLocation loc;
    loc.file = file_;
    loc.page = l.page;
    loc.line = static_cast<int>(i) + 1;
    warnings_->push_back({message, loc});
  }

  void EnsurePart(const PageLayout& layout) {
    std::vector<std::string> names;
    for (const Column& c : layout.columns) names.push_back(c.name);
    if (part_ != nullptr && names == column_names_) return;
    OpenPart(names, stack_.empty() ? -1 : stack_.front());
  }

  void OpenPart(const std::vector<std::string>& names, int title_heading) {
    if (part_ != nullptr && part_->items.empty()) {
      parts_.pop_back();
      item_heading_.pop_back();
      part_heading_.pop_back();
    }
    sheet::Part part;
    part.id = "p" + std::to_string(parts_.size() + 1);
    for (const std::string& n : names) {
      sheet::ColumnInfo c;
      c.header = n;
      c.role = "other";
      part.columns.push_back(std::move(c));
    }
    parts_.push_back(std::move(part));
    item_heading_.emplace_back();
    part_heading_.push_back(title_heading);
    part_ = &parts_.back();
    column_names_ = names;
    open_ = false;
  }

  void PushHeading(const Label& label, const std::string& text) {
    open_ = false;
    auto same = std::find_if(stack_.begin(), stack_.end(), [&](int h) {
      return headings_[static_cast<std::size_t>(h)].label.style == label.style;
    });
    stack_.erase(same, stack_.end());
    headings_.push_back({label, text, stack_.empty() ? -1 : stack_.back()});
    stack_.push_back(static_cast<int>(headings_.size()) - 1);
    // A new top-level heading starts a new part once the current one has items.
    if (stack_.size() == 1 && part_ != nullptr) {
      if (part_->items.empty()) {
        part_heading_.back() = stack_.front();
      } else {
        OpenPart(column_names_, stack_.front());
      }
    }
  }

  void StartItem(const std::string& q, const std::vector<std::pair<std::size_t, std::string>>& marks,
                 const PageLayout& layout, const PdfLine& l, std::size_t i) {
    sheet::Item item;
    if (auto num = ItemNumber(q)) {
      item.number = "(" + num->first + ")";
      item.question = num->second;
    } else {
      item.question = q;
    }
    for (const auto& [col, mark] : marks) item.extra.push_back({layout.columns[col].name, mark});
    item.location.file = file_;
    item.location.page = l.page;
    item.location.line = static_cast<int>(i) + 1;
    item.location.end_line = item.location.line;
    part_->items.push_back(std::move(item));
    item_heading_.back().push_back(stack_.empty() ? -1 : stack_.back());
    open_ = true;
  }

  const std::string& file_;
  std::vector<sheet::Warning>* warnings_;
  std::vector<Heading> headings_;
  std::vector<int> stack_;  // indices into headings_, outermost first
  std::vector<sheet::Part> parts_;
  std::vector<std::vector<int>> item_heading_;  // per part, per item: innermost heading
  std::vector<int> part_heading_;               // per part: its title heading or -1
  sheet::Part* part_ = nullptr;
  std::vector<std::string> column_names_;
  bool open_ = false;  // the last item may continue on the next line
};

}  // namespace

std::vector<sheet::Part> ReadMarkMatrix(const std::vector<PdfLine>& lines, const std::string& file,
                                        std::vector<sheet::Warning>* warnings,
                                        std::map<std::string, std::string>* meta) {
  std::size_t rows = 0;
  for (const PdfLine& l : lines) rows += IsMatrixRow(l) ? 1 : 0;
  if (rows < static_cast<std::size_t>(kMinMatrixRows)) return {};
  std::vector<sheet::Warning> found;
  MatrixBuilder builder(file, &found);
  for (std::size_t begin = 0; begin < lines.size();) {
    std::size_t end = begin;
    while (end < lines.size() && lines[end].page == lines[begin].page) ++end;
    builder.Page(lines, begin, end);
    begin = end;
  }
  std::vector<sheet::Part> parts = builder.Finish();
  std::erase_if(parts, [](const sheet::Part& p) { return p.items.empty(); });
  if (parts.empty()) return {};
  ReadLegend(lines, meta);
  warnings->insert(warnings->end(), found.begin(), found.end());
  return parts;
}

}  // namespace ts::ingest::internal
