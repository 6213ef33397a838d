#include "ingest/xlsx_reader.h"

#include <pugixml.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "formats/xml.h"
#include "ingest/internal/zip_archive.h"
#include "ingest/table_layout.h"
#include "text/utf8.h"

namespace ts::ingest {
namespace {

using internal::ZipArchive;

Result<std::unique_ptr<pugi::xml_document>> ParseXml(const std::string& xml, const std::string& where,
                                                    const Limits& limits) {
  return formats::ParseXml(xml, where, limits.max_xml_depth);
}

// `s` cut to at most `max` bytes, at a character boundary.
std::string CutUtf8(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // not inside a character
  s.resize(n);
  return s;
}

// Text of a shared or inline string: plain <t>, or rich-text runs <r><t>; phonetic guides
// (<rPh>, furigana) are not part of the text.
std::string StringItemText(pugi::xml_node si) {
  std::string out;
  for (pugi::xml_node n : si.children()) {
    std::string_view name = n.name();
    if (name == "t") {
      out += n.text().get();
    } else if (name == "r") {
      for (pugi::xml_node t : n.children("t")) out += t.text().get();
    }
  }
  return out;
}

// "BC12" -> (col 54, row 12). Returns false on anything else.
bool ParseCellRef(std::string_view ref, int* col, int* row) {
  std::size_t i = 0;
  int c = 0;
  while (i < ref.size() && ref[i] == '$') ++i;
  std::size_t letters = i;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z') {
    c = c * 26 + (ref[i] - 'A' + 1);
    ++i;
    if (c > 16384) return false;
  }
  if (i == letters) return false;
  while (i < ref.size() && ref[i] == '$') ++i;
  int r = 0;
  std::size_t digits = i;
  while (i < ref.size() && ref[i] >= '0' && ref[i] <= '9') {
    r = r * 10 + (ref[i] - '0');
    ++i;
    if (r > 1048576) return false;
  }
  if (i == digits || i != ref.size() || r == 0) return false;
  *col = c - 1;
  *row = r;
  return true;
}

bool ParseRange(std::string_view ref, MergeRange* m) {
  std::size_t colon = ref.find(':');
  int c0, r0, c1, r1;
  if (colon == std::string_view::npos) {
    if (!ParseCellRef(ref, &c0, &r0)) return false;
    *m = {r0 - 1, c0, r0 - 1, c0};
    return true;
  }
  if (!ParseCellRef(ref.substr(0, colon), &c0, &r0) || !ParseCellRef(ref.substr(colon + 1), &c1, &r1)) return false;
  *m = {std::min(r0, r1) - 1, std::min(c0, c1), std::max(r0, r1) - 1, std::max(c0, c1)};
  return true;
}

std::string ResolveTarget(std::string target) {
  if (!target.empty() && target[0] == '/') return target.substr(1);
  // Relative to xl/; resolve "../".
  std::string base = "xl/";
  while (text::StartsWith(target, "../")) {
    target = target.substr(3);
    base.clear();
  }
  return base + target;
}

struct SheetRef {
  std::string name, path;
  bool hidden;
};

struct PendingList {
  std::size_t grid;
  int col;
  std::string formula;
};

}  // namespace

Result<std::vector<Grid>> ReadXlsxGrids(std::string_view bytes, std::string_view file_view, const Limits& limits) {
  const std::string file(file_view);
  TS_ASSIGN_OR_RETURN(std::unique_ptr<ZipArchive> zip, ZipArchive::Open(bytes, file, limits));
  if (!zip->Has("xl/workbook.xml")) {
    if (zip->Has("word/document.xml")) return InvalidArgument(file + ": is a Word document, not an Excel workbook");
    if (zip->Has("ppt/presentation.xml")) return InvalidArgument(file + ": is a PowerPoint file, not an Excel workbook");
    if (zip->Has("content.xml")) return InvalidArgument(file + ": is an OpenDocument file; save it as .xlsx");
    return InvalidArgument(file + ": zip archive without xl/workbook.xml: not an Excel workbook");
  }
  auto load = [&](const std::string& name) -> Result<std::unique_ptr<pugi::xml_document>> {
    TS_ASSIGN_OR_RETURN(std::string xml, zip->Read(name));
    return ParseXml(xml, file + ": " + name, limits);
  };
  TS_ASSIGN_OR_RETURN(auto workbook, load("xl/workbook.xml"));
  std::map<std::string, std::string> rels;
  if (zip->Has("xl/_rels/workbook.xml.rels")) {
    TS_ASSIGN_OR_RETURN(auto relsdoc, load("xl/_rels/workbook.xml.rels"));
    for (pugi::xml_node r : relsdoc->child("Relationships").children("Relationship")) {
      rels[r.attribute("Id").value()] = ResolveTarget(r.attribute("Target").value());
    }
  }
  std::vector<std::string> shared;
  if (zip->Has("xl/sharedStrings.xml")) {
    TS_ASSIGN_OR_RETURN(auto ss, load("xl/sharedStrings.xml"));
    for (pugi::xml_node si : ss->child("sst").children("si")) {
      // No cell keeps more than max_cell_bytes: neither does the table it copies from.
      shared.push_back(CutUtf8(StringItemText(si), limits.max_cell_bytes));
    }
  }
  // Bold fonts, for recognising heading rows.
  std::vector<bool> xf_bold;
  if (zip->Has("xl/styles.xml")) {
    TS_ASSIGN_OR_RETURN(auto styles, load("xl/styles.xml"));
    std::vector<bool> font_bold;
    for (pugi::xml_node f : styles->child("styleSheet").child("fonts").children("font")) {
      pugi::xml_node b = f.child("b");
      font_bold.push_back(b && std::string_view(b.attribute("val").as_string("1")) != "0");
    }
    for (pugi::xml_node xf : styles->child("styleSheet").child("cellXfs").children("xf")) {
      std::size_t fid = xf.attribute("fontId").as_uint(0);
      xf_bold.push_back(fid < font_bold.size() && font_bold[fid]);
    }
  }
  std::vector<SheetRef> sheets;
  for (pugi::xml_node s : workbook->child("workbook").child("sheets").children("sheet")) {
    std::string rid = s.attribute("r:id").value();
    auto it = rels.find(rid);
    if (it == rels.end()) continue;
    std::string state = s.attribute("state").value();
    sheets.push_back({s.attribute("name").value(), it->second, state == "hidden" || state == "veryHidden"});
  }
  if (sheets.empty()) return InvalidArgument(file + ": workbook has no worksheets");
  if (sheets.size() > limits.max_sheets) {
    return ResourceExhausted(file + ": workbook has " + std::to_string(sheets.size()) + " sheets; the limit is " +
                             std::to_string(limits.max_sheets));
  }
  std::vector<Grid> grids;
  std::vector<PendingList> lists;
  std::map<std::string, std::size_t> grid_by_name;
  std::vector<bool> hidden;  // hidden sheets are read (validation lists live there) but not returned
  std::size_t cells = 0;
  std::size_t text_bytes = 0;  // of every cell so far, against limits.max_text_bytes
  for (const SheetRef& sr : sheets) {
    if (!zip->Has(sr.path)) continue;  // chart sheets and the like
    TS_ASSIGN_OR_RETURN(auto doc, load(sr.path));
    pugi::xml_node ws = doc->child("worksheet");
    if (!ws) continue;
    Grid g;
    g.name = sr.name;
    g.part_path = sr.path;
    g.from_spreadsheet = true;
    for (pugi::xml_node col : ws.child("cols").children("col")) {
      if (!col.attribute("hidden").as_bool()) continue;
      int lo = std::max(1, col.attribute("min").as_int(1));
      int hi = std::min(16384, col.attribute("max").as_int(lo));
      if (static_cast<int>(g.hidden_cols.size()) < hi) g.hidden_cols.resize(static_cast<std::size_t>(hi), false);
      for (int c = lo; c <= hi; ++c) g.hidden_cols[static_cast<std::size_t>(c - 1)] = true;
    }
    int next_row = 1;
    for (pugi::xml_node row : ws.child("sheetData").children("row")) {
      int r = row.attribute("r").as_int(next_row);
      if (r < next_row || r > 1048576) {
        return Corruption(file + ": sheet '" + sr.name + "': row numbers out of order or out of range near row " + std::to_string(r));
      }
      next_row = r + 1;
      std::vector<std::string> cellsv;
      bool all_bold = true, any_text = false;
      int next_col = 0;
      for (pugi::xml_node c : row.children("c")) {
        int col = next_col, rr = r;
        if (auto ra = c.attribute("r")) {
          if (!ParseCellRef(ra.value(), &col, &rr)) {
            return Corruption(file + ": sheet '" + sr.name + "': bad cell reference '" + ra.value() + "'");
          }
        }
        next_col = col + 1;
        if (++cells > limits.max_cells) {
          return ResourceExhausted(file + ": more than " + std::to_string(limits.max_cells) + " cells");
        }
        std::string_view t = c.attribute("t").value();
        std::string value;
        if (t == "s") {
          std::size_t idx = c.child("v").text().as_uint(static_cast<unsigned>(-1));
          if (idx >= shared.size()) {
            return Corruption(file + ": sheet '" + sr.name + "' cell " + CellRef(col, rr) + ": shared string index out of range");
          }
          value = shared[idx];
        } else if (t == "inlineStr") {
          value = StringItemText(c.child("is"));
        } else if (t == "b") {
          value = c.child("v").text().as_bool() ? "TRUE" : "FALSE";
        } else if (t == "e") {
          value = "";
        } else {
          value = c.child("v").text().get();
        }
        if (value.size() > limits.max_cell_bytes) value = CutUtf8(std::move(value), limits.max_cell_bytes);
        if (value.empty()) continue;
        text_bytes += value.size();
        if (text_bytes > limits.max_text_bytes) {
          return ResourceExhausted(file + ": sheet '" + sr.name + "' cell " + CellRef(col, rr) + ": the cells hold more than " +
                                   std::to_string(limits.max_text_bytes >> 20) +
                                   " MiB of text (a short text repeated in many cells?); refused");
        }
        if (static_cast<int>(cellsv.size()) <= col) cellsv.resize(static_cast<std::size_t>(col) + 1);
        cellsv[static_cast<std::size_t>(col)] = std::move(value);
        std::size_t s = c.attribute("s").as_uint(0);
        any_text = true;
        all_bold = all_bold && s < xf_bold.size() && xf_bold[s];
      }
      std::size_t ri = static_cast<std::size_t>(r - 1);
      if (g.rows.size() <= ri) {
        g.rows.resize(ri + 1);
        g.bold_rows.resize(ri + 1, false);
        g.hidden_rows.resize(ri + 1, false);
      }
      g.rows[ri] = std::move(cellsv);
      g.bold_rows[ri] = any_text && all_bold;
      g.hidden_rows[ri] = row.attribute("hidden").as_bool();
    }
    for (std::size_t i = 0; i < g.rows.size(); ++i) g.source_rows.push_back(static_cast<int>(i + 1));
    for (pugi::xml_node m : ws.child("mergeCells").children("mergeCell")) {
      MergeRange mr;
      if (ParseRange(m.attribute("ref").value(), &mr)) g.merges.push_back(mr);
    }
    for (pugi::xml_node dv : ws.child("dataValidations").children("dataValidation")) {
      if (std::string_view(dv.attribute("type").value()) != "list") continue;
      std::string formula = dv.child("formula1").text().get();
      if (formula.empty()) formula = dv.child("x14:formula1").child("xm:f").text().get();
      std::string sqref = dv.attribute("sqref").value();
      std::string first = sqref.substr(0, sqref.find(' '));
      MergeRange mr;
      if (!ParseRange(first, &mr)) continue;
      for (int c = mr.col0; c <= mr.col1 && c < mr.col0 + 64; ++c) {
        lists.push_back({grids.size(), c, formula});
      }
    }
    grid_by_name[g.name] = grids.size();
    hidden.push_back(sr.hidden);
    grids.push_back(std::move(g));
  }
  // Resolve data-validation lists: literal "a,b,c" or a range on some sheet.
  for (const PendingList& pl : lists) {
    if (pl.grid >= grids.size()) continue;
    std::vector<std::string> values;
    std::string f = pl.formula;
    if (!f.empty() && f.front() == '"') {
      f = f.substr(1, f.size() >= 2 ? f.size() - 2 : 0);
      std::size_t start = 0;
      for (std::size_t i = 0; i <= f.size(); ++i) {
        if (i == f.size() || f[i] == ',') {
          std::string v(text::Trim(std::string_view(f).substr(start, i - start)));
          if (!v.empty()) values.push_back(v);
          start = i + 1;
        }
      }
    } else if (!f.empty()) {
      std::string sheet_name;
      std::string range = f;
      if (std::size_t bang = f.rfind('!'); bang != std::string::npos) {
        sheet_name = f.substr(0, bang);
        if (sheet_name.size() >= 2 && sheet_name.front() == '\'') sheet_name = sheet_name.substr(1, sheet_name.size() - 2);
        range = f.substr(bang + 1);
      }
      MergeRange mr;
      auto it = sheet_name.empty() ? grid_by_name.end() : grid_by_name.find(sheet_name);
      const Grid* src = it != grid_by_name.end() ? &grids[it->second] : (sheet_name.empty() ? &grids[pl.grid] : nullptr);
      if (src && ParseRange(range, &mr)) {
        for (int r = mr.row0; r <= mr.row1 && r < mr.row0 + 100; ++r) {
          const std::string& v = src->At(static_cast<std::size_t>(r), static_cast<std::size_t>(mr.col0));
          if (!v.empty()) values.push_back(v);
        }
      }
    }
    if (!values.empty()) grids[pl.grid].column_lists[pl.col] = values;
  }
  std::vector<Grid> visible;
  for (std::size_t i = 0; i < grids.size(); ++i) {
    if (!hidden[i]) visible.push_back(std::move(grids[i]));
  }
  return visible;
}

Result<sheet::Checksheet> ReadXlsx(std::string_view bytes, std::string_view file, const Limits& limits) {
  TS_ASSIGN_OR_RETURN(std::vector<Grid> grids, ReadXlsxGrids(bytes, file, limits));
  sheet::Checksheet cs;
  cs.source_file = std::string(file);
  cs.format = "xlsx";
  for (const Grid& g : grids) {
    TableContext ctx{std::string(file), "p" + std::to_string(cs.parts.size() + 1), &cs.warnings, &cs.meta};
    std::optional<sheet::Part> part = ReadTable(g, ctx);
    if (!part) continue;  // cover sheets, instructions, lists
    if (part->title.empty()) part->title = g.name;
    cs.parts.push_back(std::move(*part));
  }
  if (cs.parts.empty()) {
    return InvalidArgument(std::string(file) + ": no sheet holds a checksheet table (no header row with a question and an answer column)");
  }
  return cs;
}

}  // namespace ts::ingest
