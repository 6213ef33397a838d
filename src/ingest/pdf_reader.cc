#include "ingest/pdf_reader.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>

#include "ingest/grid.h"
#include "ingest/internal/pdf_matrix.h"
#include "ingest/table_layout.h"
#include "ingest/text_reader.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace ts::ingest {
namespace {

using internal::Box;
using internal::PdfLine;

// Pieces of a line separated by wide gaps: the cells of a table row.
struct Piece {
  std::string text;
  double x0, x1;
};

std::string Utf8(const poppler::ustring& u) {
  poppler::byte_array b = u.to_utf8();
  return std::string(b.begin(), b.end());
}

void QuietPoppler(const std::string&, void*) {}

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

}  // namespace

Result<sheet::Checksheet> ReadPdf(std::string_view bytes, std::string_view file_view, const Limits& limits) {
  const std::string file(file_view);
  poppler::set_debug_error_function(QuietPoppler, nullptr);
  if (bytes.size() > static_cast<std::size_t>(INT32_MAX)) return ResourceExhausted(file + ": PDF too large");
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) return Corruption(file + ": not a readable PDF (damaged or truncated)");
  if (doc->is_locked()) return InvalidArgument(file + ": PDF is password-protected");
  int pages = doc->pages();
  if (pages <= 0) return InvalidArgument(file + ": PDF has no pages");
  if (pages > limits.max_pdf_pages) {
    return ResourceExhausted(file + ": PDF has " + std::to_string(pages) + " pages; the limit is " +
                             std::to_string(limits.max_pdf_pages));
  }
  std::vector<PdfLine> lines;
  std::size_t total_boxes = 0;
  for (int p = 0; p < pages; ++p) {
    std::unique_ptr<poppler::page> page(doc->create_page(p));
    if (!page) continue;
    std::vector<Box> boxes;
    for (const poppler::text_box& tb : page->text_list()) {
      poppler::rectf r = tb.bbox();
      std::string t = Utf8(tb.text());
      if (text::Trim(t).empty()) continue;
      // Vertical text (rotated headers) comes as tall narrow boxes; keep it, it is short.
      boxes.push_back({t, r.x(), r.x() + r.width(), r.y(), r.y() + r.height(), tb.has_space_after()});
    }
    total_boxes += boxes.size();
    if (total_boxes > limits.max_cells) {
      return ResourceExhausted(file + ": more than " + std::to_string(limits.max_cells) + " text boxes");
    }
    std::vector<PdfLine> pl = GroupLines(std::move(boxes), p + 1);
    lines.insert(lines.end(), std::make_move_iterator(pl.begin()), std::make_move_iterator(pl.end()));
  }
  if (lines.empty()) {
    return InvalidArgument(file + ": PDF has no text layer (a scanned image?); OCR is not supported");
  }
  sheet::Checksheet cs;
  // Matrix route: rows of requirements with a symbol in each of several narrow columns.
  cs.parts = internal::ReadMarkMatrix(lines, file, &cs.warnings, &cs.meta);
  // Table route: find a header line; its pieces define the columns; every later line's
  // pieces go to the column they overlap most.
  std::vector<std::vector<Piece>> pieces;
  pieces.reserve(lines.size());
  for (const PdfLine& l : lines) pieces.push_back(SplitPieces(l));
  int header = -1;
  for (std::size_t i = 0; i < pieces.size() && header < 0 && cs.parts.empty(); ++i) {
    if (pieces[i].size() < 3) continue;
    int named = 0;
    bool q = false, a = false;
    for (const Piece& p : pieces[i]) {
      std::string role = HeaderRoleName(text::NormalizeText(p.text));
      if (!role.empty()) ++named;
      q = q || role == "question";
      a = a || role == "answer" || role == "choice";
    }
    if (q && a && named * 10 >= static_cast<int>(pieces[i].size()) * 6) header = static_cast<int>(i);
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
    auto column_of = [&](double x0) {
      std::size_t c = 0;
      while (c + 1 < edges.size() && x0 >= edges[c + 1]) ++c;
      return c;
    };
    Grid g;
    g.from_spreadsheet = false;
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
  if (cs.parts.empty()) return InvalidArgument(file + ": no checksheet items found in the PDF text");
  return cs;
}

}  // namespace ts::ingest
