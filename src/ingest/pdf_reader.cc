#include "ingest/pdf_reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <set>

#include "ingest/grid.h"
#include "ingest/internal/pdf_document.h"
#include "ingest/internal/pdf_matrix.h"
#include "ingest/internal/pdf_tables.h"
#include "ingest/table_layout.h"
#include "ingest/text_reader.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace ts::ingest {
namespace {

using internal::Box;
using internal::PdfChar;
using internal::PdfLine;
using internal::PdfPage;
using internal::RuledTable;

// Pieces of a line separated by wide gaps: the cells of a table row.
struct Piece {
  std::string text;
  double x0, x1;
};

// A page's characters as word boxes: a text line cut at spaces and at visible gaps (where a
// table's columns part), the way the alignment and matrix routes read it.
std::vector<Box> WordBoxes(const PdfPage& page) {
  std::vector<Box> boxes;
  const PdfChar* prev = nullptr;
  auto open_box = [&](const PdfChar& ch) {
    boxes.push_back({"", ch.x0, ch.x1, ch.y0, ch.y1, false});
  };
  for (const PdfChar& ch : page.chars) {
    const bool space = ch.c == U' ' || ch.c == U'\t' || ch.c == U'\u3000';
    const bool same_line = prev && prev->line == ch.line;
    if (space) {
      if (same_line && !boxes.empty()) boxes.back().space_after = true;
      prev = same_line ? prev : nullptr;
      continue;
    }
    // Any visible gap ends a box (as poppler's word boxes do); a Latin word space gives the
    // box a space after it.
    const bool gap = same_line && ch.x0 - prev->x1 > 0.15 * std::max(1.0, ch.size);
    if (gap && internal::GapIsSpace(*prev, ch)) boxes.back().space_after = true;
    if (!same_line || gap || boxes.empty() || boxes.back().space_after) open_box(ch);
    Box& b = boxes.back();
    text::AppendUtf8(ch.c, &b.text);
    b.x0 = std::min(b.x0, ch.x0), b.x1 = std::max(b.x1, ch.x1);
    b.y0 = std::min(b.y0, ch.y0), b.y1 = std::max(b.y1, ch.y1);
    prev = &ch;
  }
  return boxes;
}

std::vector<PdfLine> GroupLines(std::vector<Box> boxes, int page) {
  std::sort(boxes.begin(), boxes.end(), [](const Box& a, const Box& b) {
    double ca = (a.y0 + a.y1) / 2, cb = (b.y0 + b.y1) / 2;
    if (std::abs(ca - cb) > 0.5) return ca < cb;
    return a.x0 < b.x0;
  });
  std::vector<PdfLine> lines;
  for (Box& b : boxes) {
    double c = (b.y0 + b.y1) / 2;
    if (!lines.empty()) {
      PdfLine& l = lines.back();
      double lc = (l.y0 + l.y1) / 2, lh = std::max(1.0, l.y1 - l.y0);
      if (std::abs(c - lc) <= lh * 0.45) {
        l.y0 = std::min(l.y0, b.y0);
        l.y1 = std::max(l.y1, b.y1);
        l.boxes.push_back(std::move(b));
        continue;
      }
    }
    lines.push_back({page, b.y0, b.y1, {std::move(b)}});
  }
  for (PdfLine& l : lines) {
    std::sort(l.boxes.begin(), l.boxes.end(), [](const Box& a, const Box& b) { return a.x0 < b.x0; });
  }
  return lines;
}

std::vector<Piece> SplitPieces(const PdfLine& l) {
  std::vector<Piece> out;
  double h = std::max(4.0, l.y1 - l.y0);
  for (const Box& b : l.boxes) {
    if (!out.empty()) {
      double gap = b.x0 - out.back().x1;
      if (gap < h * 1.2) {
        bool cjk_join = false;
        std::u32string last = text::ToU32(out.back().text), first = text::ToU32(b.text);
        if (!last.empty() && !first.empty()) cjk_join = text::IsCjk(last.back()) && text::IsCjk(first.front());
        if (gap > h * 0.15 && !cjk_join) out.back().text += " ";
        out.back().text += b.text;
        out.back().x1 = b.x1;
        continue;
      }
    }
    out.push_back({b.text, b.x0, b.x1});
  }
  return out;
}

std::string JoinPieces(const std::vector<Piece>& ps, const char* sep) {
  std::string s;
  for (const Piece& p : ps) {
    if (!s.empty()) s += sep;
    s += p.text;
  }
  return s;
}

// A page number or similar furniture: nothing but digits, separators and a word for "page".
bool IsPageFurniture(std::string_view text) {
  std::string t = text::NormalizeText(text);
  for (const char* word : {"ページ", "頁", "Page", "page", "P.", "p."}) {
    for (std::size_t at; (at = t.find(word)) != std::string::npos;) t.erase(at, std::strlen(word));
  }
  for (char c : t) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && !std::strchr(" /-.()", c)) return false;
  }
  return true;
}

// Two tables continue one another when they have the same columns (a table over pages, or
// split by a heading).
bool SameColumns(const RuledTable& a, const RuledTable& b) {
  if (a.xs.size() != b.xs.size()) return false;
  for (std::size_t i = 0; i < a.xs.size(); ++i) {
    if (std::abs(a.xs[i] - b.xs[i]) > 3.0) return false;
  }
  return true;
}

// The ruled tables of every page as grids, each read by the table layout like a worksheet:
// a table continued on the next pages (its header repeated or not) is one grid; the lines of
// text above and between tables (a title, a section heading) are rows of their own.
std::vector<sheet::Part> ReadRuledTables(const std::vector<PdfPage>& pages, const std::string& file,
                                         std::vector<sheet::Warning>* warnings,
                                         std::map<std::string, std::string>* meta) {
  std::vector<sheet::Part> parts;
  Grid g;
  g.from_spreadsheet = false;
  g.exact_text = false;
  const RuledTable* columns = nullptr;  // the table whose columns the open grid has
  std::vector<std::pair<int, std::string>> pending;  // loose lines (page, text) not yet placed
  auto add_row = [&](std::vector<std::string> row, int page, int line) {
    g.rows.push_back(std::move(row));
    g.source_rows.push_back(line);
    g.source_pages.push_back(page);
  };
  auto flush = [&] {
    if (columns) {
      TableContext ctx{file, "p" + std::to_string(parts.size() + 1), warnings, meta};
      if (std::optional<sheet::Part> part = ReadTable(g, ctx)) parts.push_back(std::move(*part));
    }
    g.rows.clear(), g.source_rows.clear(), g.source_pages.clear(), g.merges.clear(), g.page_continues.clear();
    columns = nullptr;
  };
  std::vector<internal::PageTables> found;
  found.reserve(pages.size());
  for (const PdfPage& page : pages) found.push_back(internal::FindRuledTables(page));
  for (std::size_t p = 0; p < pages.size(); ++p) {
    const int page_no = pages[p].number;
    const internal::PageTables& pt = found[p];
    std::size_t loose = 0;
    int line = 0;
    for (const RuledTable& t : pt.tables) {
      // Text above the table: between tables it heads what follows; a new table's title.
      for (; loose < pt.loose.size() && pt.loose[loose].y0 < t.y0; ++loose) {
        pending.emplace_back(page_no, pt.loose[loose].text);
      }
      if (!columns || !SameColumns(*columns, t)) flush();
      // The same table on a new page: its first rows (after a repeated header) may end a row
      // the page break split.
      const bool continued = columns != nullptr && !g.source_pages.empty() && g.source_pages.back() != page_no;
      for (auto& [pg, text] : pending) {
        if (!IsPageFurniture(text)) add_row({text}, pg, ++line);
      }
      pending.clear();
      const int base = static_cast<int>(g.rows.size());
      for (std::size_t r = 0; r < t.cells.size(); ++r) {
        add_row(t.cells[r], page_no, ++line);
        g.page_continues.resize(g.rows.size(), false);
        g.page_continues.back() = continued && r < 2;
      }
      for (MergeRange m : t.merges) {
        m.row0 += base, m.row1 += base;
        g.merges.push_back(m);
      }
      columns = &t;
    }
    // Text below the last table of the page: a heading for a table on the next page, or a
    // footer (kept only if a table follows).
    for (; loose < pt.loose.size(); ++loose) pending.emplace_back(page_no, pt.loose[loose].text);
  }
  flush();
  return parts;
}

}  // namespace

Result<sheet::Checksheet> ReadPdf(std::string_view bytes, std::string_view file_view, const Limits& limits) {
  const std::string file(file_view);
  Result<internal::PdfDocument> doc = internal::ReadPdfDocument(bytes, file, limits);
  if (!doc.ok()) return doc.status();
  const int pages = doc->page_count;
  std::vector<PdfLine> lines;
  for (const PdfPage& page : doc->pages) {
    std::vector<PdfLine> pl = GroupLines(WordBoxes(page), page.number);
    lines.insert(lines.end(), std::make_move_iterator(pl.begin()), std::make_move_iterator(pl.end()));
  }
  if (lines.empty()) {
    return InvalidArgument(file + ": PDF has no text layer (a scanned image?); OCR is not supported");
  }
  sheet::Checksheet cs;
  // Matrix route: rows of requirements with a symbol in each of several narrow columns.
  cs.parts = internal::ReadMarkMatrix(lines, file, &cs.warnings, &cs.meta);
  // Ruled route: tables drawn with lines, cell by cell.
  if (cs.parts.empty()) cs.parts = ReadRuledTables(doc->pages, file, &cs.warnings, &cs.meta);
  // Table route: find a header line; its pieces define the columns; every later line's
  // pieces go to the column they overlap most.
  std::vector<std::vector<Piece>> pieces;
  pieces.reserve(lines.size());
  for (const PdfLine& l : lines) pieces.push_back(SplitPieces(l));
  // The header line names the columns; narrow header cells may stand closer than the pieces'
  // gap, so the line's word boxes are tried too.
  auto names_columns = [](const std::vector<Piece>& ps) {
    if (ps.size() < 3) return false;
    int named = 0;
    bool q = false, a = false;
    for (const Piece& p : ps) {
      std::string role = HeaderRoleName(text::NormalizeText(p.text));
      if (!role.empty()) ++named;
      q = q || role == "question";
      a = a || role == "answer" || role == "choice";
    }
    return q && a && named * 10 >= static_cast<int>(ps.size()) * 6;
  };
  int header = -1;
  for (std::size_t i = 0; i < pieces.size() && header < 0 && cs.parts.empty(); ++i) {
    if (names_columns(pieces[i])) {
      header = static_cast<int>(i);
      continue;
    }
    std::vector<Piece> words;
    for (const Box& b : lines[i].boxes) words.push_back({b.text, b.x0, b.x1});
    if (names_columns(words)) {
      header = static_cast<int>(i);
      pieces[i] = std::move(words);
    }
  }
  if (header >= 0) {
    // Column left edges: where runs of text start, counted over the data lines. Left-aligned
    // cell text lines up from row to row; the starts of words inside sentences scatter.
    const std::size_t first = static_cast<std::size_t>(header) + 1;
    std::map<long, std::set<std::size_t>> starts_by_bin;  // 3pt bins -> lines
    for (std::size_t i = first; i < lines.size() && i < first + 3000; ++i) {
      const PdfLine& l = lines[i];
      for (const Box& b : l.boxes) starts_by_bin[std::lround(b.x0 / 3.0)].insert(i);
    }
    const std::size_t data_lines = lines.size() - first;
    const std::size_t min_lines = std::max<std::size_t>(2, data_lines / 6);
    std::vector<double> edges;
    for (auto it = starts_by_bin.begin(); it != starts_by_bin.end(); ++it) {
      std::size_t n = it->second.size();
      auto next = std::next(it);
      if (next != starts_by_bin.end() && next->first == it->first + 1) n += next->second.size();
      if (n < min_lines) continue;
      double x = static_cast<double>(it->first) * 3.0;
      if (!edges.empty() && x - 2.0 - edges.back() < 4.5) continue;
      edges.push_back(x - 2.0);
    }
    if (edges.empty()) edges.push_back(-1e9);
    edges[0] = -1e9;
    // A narrow column under no header is the ragged start of right-aligned text (numbers 1-9
    // beside 10-12): it belongs to the column on its left.
    for (std::size_t k = 1; k < edges.size();) {
      const double end = k + 1 < edges.size() ? edges[k + 1] : 1e9;
      bool headed = false;
      for (const Piece& p : pieces[static_cast<std::size_t>(header)]) headed = headed || (p.x0 >= edges[k] - 2 && p.x0 < end);
      if (!headed && end - edges[k] < 20) {
        edges.erase(edges.begin() + static_cast<std::ptrdiff_t>(k));
      } else {
        ++k;
      }
    }
    auto column_of = [&](double x0) {
      std::size_t c = 0;
      while (c + 1 < edges.size() && x0 >= edges[c + 1]) ++c;
      return c;
    };
    Grid g;
    g.from_spreadsheet = false;
    g.whole_cells = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      std::vector<std::string> row(edges.size());
      if (i < static_cast<std::size_t>(header)) {
        row[0] = JoinPieces(pieces[i], "  ");
      } else if (i == static_cast<std::size_t>(header)) {
        for (const Piece& p : pieces[i]) {
          std::size_t c = column_of((p.x0 + p.x1) / 2);
          row[c] = text::JoinWrapped(row[c], p.text);
        }
      } else {
        for (const Box& b : lines[i].boxes) {
          std::size_t c = column_of(b.x0);
          row[c] = text::JoinWrapped(row[c], b.text);
        }
      }
      g.rows.push_back(std::move(row));
      g.source_rows.push_back(static_cast<int>(i + 1));
      g.source_pages.push_back(lines[i].page);
    }
    TableContext ctx{file, "p1", &cs.warnings, &cs.meta};
    if (std::optional<sheet::Part> part = ReadTable(g, ctx)) cs.parts.push_back(std::move(*part));
  }
  if (cs.parts.empty()) {
    std::vector<std::string> text_lines;
    std::vector<int> text_pages;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      text_lines.push_back(JoinPieces(pieces[i], " "));
      text_pages.push_back(lines[i].page);
    }
    sheet::Checksheet blocks = ParseTextBlocks(text_lines, text_pages, file);
    blocks.warnings.insert(blocks.warnings.begin(), cs.warnings.begin(), cs.warnings.end());
    cs = std::move(blocks);
  }
  cs.source_file = file;
  cs.format = "pdf";
  cs.meta["pages"] = std::to_string(pages);
  if (cs.parts.empty()) {
    return InvalidArgument(file + ": no checksheet items found: no table with a question and an answer column (by "
                                  "its header: 質問, 回答, 備考 …) and no numbered questions in the PDF text");
  }
  return cs;
}

}  // namespace ts::ingest
