#include "ingest/docx_reader.h"

#include <optional>
#include <utility>

#include "formats/docx.h"
#include "formats/xml.h"
#include "ingest/grid.h"
#include "ingest/internal/zip_archive.h"
#include "ingest/table_layout.h"
#include "text/utf8.h"

namespace ts::ingest {
namespace {

namespace docx = formats::docx;

constexpr std::size_t kMaxGridColumns = 1024;  // Word allows 63; a table wider than this is hostile

// One table of the body as grid rows, its merged cells, and its number of grid columns.
struct TableRows {
  std::vector<std::vector<std::string>> rows;
  std::vector<MergeRange> merges;
  std::size_t width = 0;
};

Result<TableRows> ReadTableRows(pugi::xml_node tbl, const std::string& where, const Limits& limits,
                                std::size_t* cells, std::size_t* text_bytes) {
  TableRows t;
  std::vector<int> open_vmerge;  // grid column -> index in t.merges of the merge it continues, or -1
  for (pugi::xml_node tr : tbl.children()) {
    if (std::string_view(tr.name()).ends_with("tr") == false) continue;
    const int r = static_cast<int>(t.rows.size());
    std::vector<std::string> row;
    for (const docx::GridCell& gc : docx::RowCells(tr)) {
      const auto end = static_cast<std::size_t>(gc.col + gc.span);
      if (end > kMaxGridColumns) {
        return ResourceExhausted(where + " row " + std::to_string(r + 1) + ": more than " +
                                 std::to_string(kMaxGridColumns) + " grid columns");
      }
      *cells += static_cast<std::size_t>(gc.span);  // grid cells, as the table takes them
      if (*cells > limits.max_cells) {
        return ResourceExhausted(where + ": more than " + std::to_string(limits.max_cells) + " table cells");
      }
      if (row.size() < end) row.resize(end);
      if (open_vmerge.size() < end) open_vmerge.resize(end, -1);
      if (gc.vmerge == docx::GridCell::VMerge::kContinue && open_vmerge[static_cast<std::size_t>(gc.col)] >= 0) {
        t.merges[static_cast<std::size_t>(open_vmerge[static_cast<std::size_t>(gc.col)])].row1 = r;
        continue;  // the merged cell's text is in its first row
      }
      std::string text = docx::CellText(gc.tc);
      if (text.size() > limits.max_cell_bytes) text = text::CutUtf8(std::move(text), limits.max_cell_bytes);
      *text_bytes += text.size();
      if (*text_bytes > limits.max_text_bytes) {
        return ResourceExhausted(where + ": more than " + std::to_string(limits.max_text_bytes >> 20) +
                                 " MiB of text in tables");
      }
      row[static_cast<std::size_t>(gc.col)] = std::move(text);
      const bool opens = gc.vmerge == docx::GridCell::VMerge::kRestart;
      if (opens || gc.span > 1) t.merges.push_back({r, gc.col, r, gc.col + gc.span - 1});
      for (int c = gc.col; c < gc.col + gc.span; ++c) {
        open_vmerge[static_cast<std::size_t>(c)] = opens && c == gc.col ? static_cast<int>(t.merges.size()) - 1 : -1;
      }
    }
    t.width = std::max(t.width, row.size());
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace

Result<sheet::Checksheet> ReadDocx(std::string_view bytes, std::string_view file_view, const Limits& limits) {
  const std::string file(file_view);
  TS_ASSIGN_OR_RETURN(std::unique_ptr<internal::ZipArchive> zip, internal::ZipArchive::Open(bytes, file, limits));
  if (!zip->Has("word/document.xml")) {
    return InvalidArgument(file + ": not a Word document (the archive has no word/document.xml)");
  }
  TS_ASSIGN_OR_RETURN(std::string xml, zip->Read("word/document.xml"));
  const std::string where = file + ": word/document.xml";
  TS_ASSIGN_OR_RETURN(std::unique_ptr<pugi::xml_document> doc,
                      formats::ParseXml(xml, where, limits.max_xml_depth, pugi::parse_default | pugi::parse_ws_pcdata));
  xml.clear();
  xml.shrink_to_fit();

  sheet::Checksheet cs;
  cs.source_file = file;
  cs.format = "docx";
  // Tables with the same grid columns continue one another (a table split by a heading, or by
  // a page); paragraphs before and between them are rows of their own (title, section).
  Grid g;
  g.from_spreadsheet = false;
  std::size_t width = 0;  // of the open grid; 0 when none is open
  std::vector<std::pair<int, std::string>> pending;  // paragraphs (number, text) not yet placed
  auto flush = [&] {
    if (width > 0) {
      TableContext ctx{file, "p" + std::to_string(cs.parts.size() + 1), &cs.warnings, &cs.meta};
      if (std::optional<sheet::Part> part = ReadTable(g, ctx)) cs.parts.push_back(std::move(*part));
    }
    g.rows.clear(), g.merges.clear(), g.source_rows.clear(), g.source_tables.clear();
    width = 0;
  };
  std::size_t cells = 0, text_bytes = 0;
  int table_no = 0, paragraph_no = 0;
  for (pugi::xml_node block : docx::BodyBlocks(*doc)) {
    if (!std::string_view(block.name()).ends_with("tbl")) {
      ++paragraph_no;
      std::string t = docx::ParagraphText(block);
      if (!text::Trim(t).empty()) pending.emplace_back(paragraph_no, std::move(t));
      continue;
    }
    ++table_no;
    TS_ASSIGN_OR_RETURN(TableRows t, ReadTableRows(block, where + ": table " + std::to_string(table_no), limits,
                                                   &cells, &text_bytes));
    if (t.rows.empty() || t.width < 2) {
      for (auto& row : t.rows) {  // a one-column table (a framed note): its text is paragraphs
        if (!row.empty() && !text::Trim(row[0]).empty()) pending.emplace_back(0, row[0]);
      }
      continue;
    }
    if (t.width != width) flush();
    for (auto& [n, text] : pending) {
      g.rows.push_back({std::move(text)});
      g.source_rows.push_back(n);
      g.source_tables.push_back(0);
    }
    pending.clear();
    const int base = static_cast<int>(g.rows.size());
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      g.rows.push_back(std::move(t.rows[r]));
      g.source_rows.push_back(static_cast<int>(r + 1));
      g.source_tables.push_back(table_no);
    }
    for (MergeRange m : t.merges) {
      m.row0 += base, m.row1 += base;
      g.merges.push_back(m);
    }
    width = t.width;
  }
  flush();
  if (cs.parts.empty()) return InvalidArgument(file + ": no checksheet table found in the Word document");
  return cs;
}

}  // namespace ts::ingest
