#include "ingest/xlsx_reader.h"

#include <pugixml.hpp>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "formats/xml.h"
#include "formats/xml_stream.h"
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

using formats::ParseCellRef;

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

constexpr std::size_t kMaxLists = 4096;  // data-validation list columns read from a workbook

struct PendingList {
  std::size_t grid;
  int col;
  std::string formula;
};


// Appends `piece` to `out`, keeping at most `cap` bytes (the rest of a long text is dropped as
// it streams past; CutUtf8 later cuts at a character boundary).
void AppendCapped(std::string* out, std::string_view piece, std::size_t cap) {
  if (out->size() < cap) out->append(piece.substr(0, cap - out->size()));
}

// The text of one string item as it streams (a shared string's <si>, an inline cell's <is>):
// its <t> runs, phonetic guides (<rPh>, furigana) left out, no more than `cap` bytes.
struct StringItem {
  std::string text;
  int in_rph = 0;
  bool in_t = false;

  void Start(std::string_view name) {
    if (name == "rPh") {
      ++in_rph;
    } else if (name == "t" && in_rph == 0) {
      in_t = true;
    }
  }
  void End(std::string_view name) {
    if (name == "rPh") {
      --in_rph;
    } else if (name == "t") {
      in_t = false;
    }
  }
  void Text(std::string_view piece, std::size_t cap) {
    if (in_t) AppendCapped(&text, piece, cap);
  }
};

// The shared strings as they stream: each <si>'s text, no more than a cell can hold, so one
// huge string costs a cell's worth of memory.
class SharedStringsHandler : public formats::XmlStreamHandler {
 public:
  SharedStringsHandler(std::vector<std::string>* out, const Limits& limits) : out_(out), limits_(limits) {}
  Status Start(std::string_view name, const char**) override {
    if (name == "si") {
      in_si_ = true;
      item_ = {};
    } else if (in_si_) {
      item_.Start(name);
    }
    return Status::Ok();
  }
  Status End(std::string_view name) override {
    if (name == "si") {
      in_si_ = false;
      out_->push_back(text::CutUtf8(std::move(item_.text), limits_.max_cell_bytes));
    } else if (in_si_) {
      item_.End(name);
    }
    return Status::Ok();
  }
  Status Text(std::string_view text) override {
    if (in_si_) item_.Text(text, limits_.max_cell_bytes + 4);
    return Status::Ok();
  }

 private:
  std::vector<std::string>* out_;
  const Limits& limits_;
  StringItem item_;
  bool in_si_ = false;
};

// One row of a worksheet as it streams past: its index (0-based), cells (dense up to the last
// one), and whether it is hidden and all bold.
using RowTarget = std::function<Status(std::size_t row, std::vector<std::string>& cells, bool hidden, bool bold)>;

// A worksheet as it streams: each row to `rows`; hidden columns, merged ranges and
// data-validation lists into the grid. Memory follows the cells kept, not the XML.
class SheetHandler : public formats::XmlStreamHandler {
 public:
  struct Context {
    const std::string& file;
    const std::string& sheet;
    const std::vector<std::string>& shared;
    const std::vector<bool>& xf_bold;
    const Limits& limits;
    std::size_t* cells;
    std::size_t* text_bytes;
    std::vector<PendingList>* lists;
    std::size_t grid_index;
    std::size_t keep_rows = SIZE_MAX;  // rows past these are checked and counted, their cells not kept
  };
  SheetHandler(Grid* g, RowTarget rows, const Context& ctx) : g_(g), rows_(std::move(rows)), c_(ctx) {}

  // The widest row's cells (up to its last cell with text).
  std::size_t width() const { return width_; }

  Status Start(std::string_view name, const char** attrs) override {
    if (name == "sheetData") {
      in_data_ = true;
    } else if (in_data_ && name == "row") {
      return StartRow(attrs);
    } else if (in_row_ && name == "c") {
      return StartCell(attrs);
    } else if (in_cell_ && name == "v") {
      in_v_ = true;
    } else if (in_cell_ && name == "is") {
      in_is_ = true;
    } else if (in_is_) {
      is_.Start(name);
    } else if (name == "col") {
      HiddenColumns(attrs);
    } else if (name == "mergeCell") {
      MergeRange mr;
      if (ParseRange(formats::AttrValue(attrs, "ref"), &mr)) g_->merges.push_back(mr);
    } else if (name == "dataValidation") {
      in_dv_ = true;
      dv_list_ = formats::AttrValue(attrs, "type") == "list";
      dv_sqref_ = std::string(formats::AttrValue(attrs, "sqref").substr(0, 256));
      dv_formula_.clear();
    } else if (in_dv_ && (name == "formula1" || name == "xm:f")) {
      in_formula_ = true;
    }
    return Status::Ok();
  }

  Status End(std::string_view name) override {
    if (name == "sheetData") {
      in_data_ = false;
    } else if (in_row_ && name == "row") {
      in_row_ = false;
      TS_RETURN_IF_ERROR(rows_(static_cast<std::size_t>(row_ - 1), row_cells_, row_hidden_, any_text_ && all_bold_));
    } else if (in_cell_ && name == "c") {
      in_cell_ = false;
      return EndCell();
    } else if (name == "v") {
      in_v_ = false;
    } else if (name == "is") {
      in_is_ = false;
    } else if (in_is_) {
      is_.End(name);
    } else if (name == "formula1" || name == "xm:f") {
      in_formula_ = false;
    } else if (in_dv_ && name == "dataValidation") {
      in_dv_ = false;
      EndValidation();
    }
    return Status::Ok();
  }

  Status Text(std::string_view text) override {
    if (in_v_) AppendCapped(&v_, text, c_.limits.max_cell_bytes + 4);
    if (in_is_) is_.Text(text, c_.limits.max_cell_bytes + 4);
    if (in_formula_) AppendCapped(&dv_formula_, text, 4096);
    return Status::Ok();
  }

 private:
  Status StartRow(const char** attrs) {
    std::string_view ra = formats::AttrValue(attrs, "r");
    int r = ra.empty() ? next_row_ : std::atoi(std::string(ra).c_str());
    if (r < next_row_ || r > 1048576) {
      return Corruption(c_.file + ": sheet '" + c_.sheet + "': row numbers out of order or out of range near row " +
                        std::to_string(r));
    }
    next_row_ = r + 1;
    row_ = r;
    in_row_ = true;
    row_hidden_ = IsTrue(formats::AttrValue(attrs, "hidden"));
    row_cells_.clear();
    row_width_ = 0;
    keep_cells_ = static_cast<std::size_t>(r - 1) < c_.keep_rows;
    all_bold_ = true, any_text_ = false;
    next_col_ = 0;
    return Status::Ok();
  }

  Status StartCell(const char** attrs) {
    col_ = next_col_;
    int rr = row_;
    if (std::string_view ra = formats::AttrValue(attrs, "r"); !ra.empty()) {
      if (!ParseCellRef(ra, &col_, &rr)) {
        return Corruption(c_.file + ": sheet '" + c_.sheet + "': bad cell reference '" + std::string(ra) + "'");
      }
    }
    next_col_ = col_ + 1;
    if (++*c_.cells > c_.limits.max_cells) {
      return ResourceExhausted(c_.file + ": more than " + std::to_string(c_.limits.max_cells) + " cells");
    }
    type_ = std::string(formats::AttrValue(attrs, "t"));
    style_ = static_cast<std::size_t>(std::strtoul(std::string(formats::AttrValue(attrs, "s")).c_str(), nullptr, 10));
    v_.clear();
    is_ = {};
    in_cell_ = true;
    return Status::Ok();
  }

  Status EndCell() {
    std::string owned;
    std::string_view value;
    if (type_ == "s") {
      char* end = nullptr;
      const std::string v(text::Trim(v_));
      unsigned long idx = v.empty() ? ULONG_MAX : std::strtoul(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || idx >= c_.shared.size()) {
        return Corruption(c_.file + ": sheet '" + c_.sheet + "' cell " + CellRef(col_, row_) +
                          ": shared string index out of range");
      }
      value = c_.shared[idx];  // no longer than a cell may be
    } else {
      if (type_ == "inlineStr") {
        owned = std::move(is_.text);
      } else if (type_ == "b") {
        owned = IsTrue(text::Trim(v_)) ? "TRUE" : "FALSE";
      } else if (type_ != "e") {
        owned = std::move(v_);
      }
      if (owned.size() > c_.limits.max_cell_bytes) owned = text::CutUtf8(std::move(owned), c_.limits.max_cell_bytes);
      value = owned;
    }
    if (value.empty()) return Status::Ok();
    *c_.text_bytes += value.size();
    if (*c_.text_bytes > c_.limits.max_text_bytes) {
      return ResourceExhausted(c_.file + ": sheet '" + c_.sheet + "' cell " + CellRef(col_, row_) +
                               ": the cells hold more than " + std::to_string(c_.limits.max_text_bytes >> 20) +
                               " MiB of text (a short text repeated in many cells?); refused");
    }
    if (row_width_ <= static_cast<std::size_t>(col_)) {
      // The row is kept dense up to its last cell: the empty cells before it count too.
      *c_.cells += static_cast<std::size_t>(col_) + 1 - row_width_;
      if (*c_.cells > c_.limits.max_cells) {
        return ResourceExhausted(c_.file + ": sheet '" + c_.sheet + "' cell " + CellRef(col_, row_) + ": more than " +
                                 std::to_string(c_.limits.max_cells) + " cells (counting the empty ones before it)");
      }
      row_width_ = static_cast<std::size_t>(col_) + 1;
      width_ = std::max(width_, row_width_);
    }
    if (keep_cells_) {
      if (row_cells_.size() < row_width_) row_cells_.resize(row_width_);
      row_cells_[static_cast<std::size_t>(col_)] = owned.empty() ? std::string(value) : std::move(owned);
    }
    any_text_ = true;
    all_bold_ = all_bold_ && style_ < c_.xf_bold.size() && c_.xf_bold[style_];
    return Status::Ok();
  }

  void HiddenColumns(const char** attrs) {
    if (!IsTrue(formats::AttrValue(attrs, "hidden"))) return;
    int lo = std::max(1, std::atoi(std::string(formats::AttrValue(attrs, "min")).c_str()));
    std::string_view max = formats::AttrValue(attrs, "max");
    int hi = std::min(16384, max.empty() ? lo : std::atoi(std::string(max).c_str()));
    if (static_cast<int>(g_->hidden_cols.size()) < hi) g_->hidden_cols.resize(static_cast<std::size_t>(hi), false);
    for (int c = lo; c <= hi; ++c) g_->hidden_cols[static_cast<std::size_t>(c - 1)] = true;
  }

  void EndValidation() {
    if (!dv_list_) return;
    std::string first = dv_sqref_.substr(0, dv_sqref_.find(' '));
    MergeRange mr;
    if (!ParseRange(first, &mr)) return;
    // Each list column keeps its own copy of the formula (up to 4 KiB): no more than a few
    // thousand of them, whatever the sheet declares.
    for (int c = mr.col0; c <= mr.col1 && c < mr.col0 + 64 && c_.lists->size() < kMaxLists; ++c) {
      c_.lists->push_back({c_.grid_index, c, dv_formula_});
    }
  }

  static bool IsTrue(std::string_view v) { return v == "1" || text::AsciiLower(v) == "true"; }

  Grid* g_;
  RowTarget rows_;
  Context c_;
  bool in_data_ = false, in_row_ = false, in_cell_ = false, in_v_ = false, in_is_ = false;
  int next_row_ = 1, row_ = 0, next_col_ = 0, col_ = 0;
  bool row_hidden_ = false, all_bold_ = true, any_text_ = false;
  std::vector<std::string> row_cells_;
  std::size_t row_width_ = 0, width_ = 0;  // of this row and of the widest so far
  bool keep_cells_ = true;
  std::string type_, v_;
  StringItem is_;
  std::size_t style_ = 0;
  bool in_dv_ = false, dv_list_ = false, in_formula_ = false;
  std::string dv_sqref_, dv_formula_;
};

// The workbook after the first pass: every visible sheet's head (its first kLayoutRows rows,
// or all of its rows when it has no more than `stream_after_rows`), with what the reader
// needs to stream the rest in a second pass.
struct Workbook {
  std::unique_ptr<ZipArchive> zip;
  std::vector<std::string> shared;
  std::vector<bool> xf_bold;
  struct Sheet {
    Grid head;
    std::size_t width = 0;  // the widest row of the whole sheet
    bool streamed = false;  // rows past the head: read again in the second pass
  };
  std::vector<Sheet> sheets;
};

using Load = std::function<Result<std::unique_ptr<pugi::xml_document>>(const std::string&)>;

// Reads one archive part as it uncompresses, through `handler`.
Status StreamPart(ZipArchive* zip, const std::string& file, const std::string& name, const Limits& limits,
                  formats::XmlStreamHandler* handler) {
  formats::XmlStream xml(handler, file + ": " + name, limits.max_xml_depth);
  TS_RETURN_IF_ERROR(zip->ReadChunks(name, [&](std::string_view piece) { return xml.Feed(piece, false); }));
  return xml.Feed({}, true);
}

// Reads a sheet the first pass has checked once more, each row to `rows`. Its counters start
// afresh, so that the same limits hold the same way; its lists are not collected again.
Status ReadRowsAgain(const Workbook& wb, const std::string& file, const Grid& head, const Limits& limits,
                     const RowTarget& rows) {
  std::size_t cells = 0, text_bytes = 0;
  std::vector<PendingList> lists;
  Grid meta;
  SheetHandler handler(&meta, rows, {file, head.name, wb.shared, wb.xf_bold, limits, &cells, &text_bytes, &lists, 0});
  return StreamPart(wb.zip.get(), file, head.part_path, limits, &handler);
}

// Bold fonts by cell style, for recognising heading rows.
Result<std::vector<bool>> BoldStyles(const Load& load) {
  TS_ASSIGN_OR_RETURN(auto styles, load("xl/styles.xml"));
  std::vector<bool> font_bold, xf_bold;
  for (pugi::xml_node f : styles->child("styleSheet").child("fonts").children("font")) {
    pugi::xml_node b = f.child("b");
    font_bold.push_back(b && std::string_view(b.attribute("val").as_string("1")) != "0");
  }
  for (pugi::xml_node xf : styles->child("styleSheet").child("cellXfs").children("xf")) {
    std::size_t fid = xf.attribute("fontId").as_uint(0);
    xf_bold.push_back(fid < font_bold.size() && font_bold[fid]);
  }
  return xf_bold;
}

// Where a list formula takes its values from: a sheet (by index) and a range; nullopt for a
// literal list ("a,b,c") or a reference that names no sheet of the workbook.
struct ListSource {
  std::size_t sheet;
  MergeRange range;
};
std::optional<ListSource> SourceOf(const PendingList& pl, const std::map<std::string, std::size_t>& by_name) {
  const std::string& f = pl.formula;
  if (f.empty() || f.front() == '"') return std::nullopt;
  std::string sheet_name;
  std::string range = f;
  if (std::size_t bang = f.rfind('!'); bang != std::string::npos) {
    sheet_name = f.substr(0, bang);
    if (sheet_name.size() >= 2 && sheet_name.front() == '\'') sheet_name = sheet_name.substr(1, sheet_name.size() - 2);
    range = f.substr(bang + 1);
  }
  ListSource src{pl.grid, {}};
  if (!sheet_name.empty()) {
    auto it = by_name.find(sheet_name);
    if (it == by_name.end()) return std::nullopt;
    src.sheet = it->second;
  }
  if (!ParseRange(range, &src.range)) return std::nullopt;
  src.range.row1 = std::min(src.range.row1, src.range.row0 + 99);  // no list is read past 100 values
  return src;
}

// Data-validation lists: literal "a,b,c" or a range on some sheet, read from `sources` (each
// sheet's head, or the rows read again for its lists) into the column lists of `grids`.
void ResolveLists(const std::vector<PendingList>& lists, const std::map<std::string, std::size_t>& by_name,
                  const std::vector<const Grid*>& sources, const std::vector<Grid*>& grids) {
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
    } else if (std::optional<ListSource> src = SourceOf(pl, by_name)) {
      for (int r = src->range.row0; r <= src->range.row1; ++r) {
        const std::string& v = sources[src->sheet]->At(static_cast<std::size_t>(r), static_cast<std::size_t>(src->range.col0));
        if (!v.empty()) values.push_back(v);
      }
    }
    if (!values.empty()) grids[pl.grid]->column_lists[pl.col] = values;
  }
}

// The first pass: every part the reader needs and every sheet whole, each cell checked against
// the limits, keeping only each sheet's head. An error here comes before any item is read.
Result<Workbook> ScanWorkbook(std::string_view bytes, const std::string& file, const Limits& limits,
                              std::size_t stream_after_rows) {
  Workbook wb;
  TS_ASSIGN_OR_RETURN(wb.zip, ZipArchive::Open(bytes, file, limits));
  ZipArchive* zip = wb.zip.get();
  if (!zip->Has("xl/workbook.xml")) {
    if (zip->Has("word/document.xml")) return InvalidArgument(file + ": is a Word document, not an Excel workbook");
    if (zip->Has("ppt/presentation.xml")) return InvalidArgument(file + ": is a PowerPoint file, not an Excel workbook");
    if (zip->Has("content.xml")) return InvalidArgument(file + ": is an OpenDocument file; save it as .xlsx");
    return InvalidArgument(file + ": zip archive without xl/workbook.xml: not an Excel workbook");
  }
  const Load load = [&](const std::string& name) -> Result<std::unique_ptr<pugi::xml_document>> {
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
  if (zip->Has("xl/sharedStrings.xml")) {
    // No cell keeps more than max_cell_bytes: neither does the table it copies from.
    SharedStringsHandler handler(&wb.shared, limits);
    TS_RETURN_IF_ERROR(StreamPart(zip, file, "xl/sharedStrings.xml", limits, &handler));
  }
  if (zip->Has("xl/styles.xml")) {
    TS_ASSIGN_OR_RETURN(wb.xf_bold, BoldStyles(load));
  }
  std::vector<SheetRef> refs;
  for (pugi::xml_node s : workbook->child("workbook").child("sheets").children("sheet")) {
    std::string rid = s.attribute("r:id").value();
    auto it = rels.find(rid);
    if (it == rels.end()) continue;
    std::string state = s.attribute("state").value();
    refs.push_back({s.attribute("name").value(), it->second, state == "hidden" || state == "veryHidden"});
  }
  if (refs.empty()) return InvalidArgument(file + ": workbook has no worksheets");
  if (refs.size() > limits.max_sheets) {
    return ResourceExhausted(file + ": workbook has " + std::to_string(refs.size()) + " sheets; the limit is " +
                             std::to_string(limits.max_sheets));
  }
  std::vector<Workbook::Sheet> sheets;
  std::vector<PendingList> lists;
  std::map<std::string, std::size_t> by_name;
  std::vector<bool> hidden;  // hidden sheets are read (validation lists live there) but not returned
  std::size_t cells = 0;
  std::size_t text_bytes = 0;  // of every cell so far, against limits.max_text_bytes
  const std::size_t keep = std::max(kLayoutRows, stream_after_rows);
  for (const SheetRef& sr : refs) {
    if (!zip->Has(sr.path)) continue;  // chart sheets and the like
    Workbook::Sheet sheet;
    Grid& g = sheet.head;
    g.name = sr.name;
    g.part_path = sr.path;
    g.from_spreadsheet = true;
    std::size_t rows = 0;
    auto keep_row = [&](std::size_t r, std::vector<std::string>& row_cells, bool row_hidden, bool bold) {
      rows = r + 1;
      if (r >= keep) return Status::Ok();
      g.rows.resize(r + 1);
      g.bold_rows.resize(r + 1, false);
      g.hidden_rows.resize(r + 1, false);
      row_cells.shrink_to_fit();
      g.rows[r] = std::move(row_cells);
      g.bold_rows[r] = bold;
      g.hidden_rows[r] = row_hidden;
      return Status::Ok();
    };
    SheetHandler handler(&g, keep_row,
                         {file, sr.name, wb.shared, wb.xf_bold, limits, &cells, &text_bytes, &lists, sheets.size(), keep});
    TS_RETURN_IF_ERROR(StreamPart(zip, file, sr.path, limits, &handler));
    sheet.width = handler.width();
    sheet.streamed = rows > stream_after_rows;
    if (sheet.streamed && g.rows.size() > kLayoutRows) {
      g.rows.resize(kLayoutRows);
      g.rows.shrink_to_fit();
    }
    by_name[g.name] = sheets.size();
    hidden.push_back(sr.hidden);
    sheets.push_back(std::move(sheet));
  }
  std::vector<Grid*> grids;
  std::vector<const Grid*> sources;
  for (Workbook::Sheet& s : sheets) {
    grids.push_back(&s.head);
    sources.push_back(&s.head);
  }
  // A list whose values lie past a large sheet's head: those rows (at most 100 per list) are
  // read again from that sheet, and only they are kept.
  std::vector<Grid> list_rows(sheets.size());
  std::vector<std::vector<MergeRange>> wanted(sheets.size());
  for (const PendingList& pl : lists) {
    std::optional<ListSource> src = SourceOf(pl, by_name);
    if (src && static_cast<std::size_t>(src->range.row1) >= sheets[src->sheet].head.rows.size() &&
        sheets[src->sheet].streamed) {
      wanted[src->sheet].push_back(src->range);
    }
  }
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    if (wanted[i].empty()) continue;
    Grid& rows = list_rows[i];
    auto keep_listed = [&](std::size_t r, std::vector<std::string>& row_cells, bool, bool) {
      for (const MergeRange& m : wanted[i]) {
        if (static_cast<int>(r) >= m.row0 && static_cast<int>(r) <= m.row1) {
          if (rows.rows.size() <= r) rows.rows.resize(r + 1);
          rows.rows[r] = std::move(row_cells);
          break;
        }
      }
      return Status::Ok();
    };
    TS_RETURN_IF_ERROR(ReadRowsAgain(wb, file, sheets[i].head, limits, keep_listed));
    sources[i] = &rows;
  }
  ResolveLists(lists, by_name, sources, grids);
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    if (!hidden[i]) wb.sheets.push_back(std::move(sheets[i]));
  }
  return wb;
}

}  // namespace

Status ReadXlsxTo(std::string_view bytes, std::string_view file_view, const Limits& limits, PartSink* sink,
                  sheet::Checksheet* doc, std::size_t stream_after_rows) {
  const std::string file(file_view);
  TS_ASSIGN_OR_RETURN(Workbook wb, ScanWorkbook(bytes, file, limits, stream_after_rows));
  doc->source_file = file;
  doc->format = "xlsx";
  std::size_t parts = 0;
  for (Workbook::Sheet& sheet : wb.sheets) {
    const Grid& g = sheet.head;
    TableContext ctx{file, "p" + std::to_string(parts + 1), &doc->warnings, &doc->meta};
    std::optional<TableReader> reader = TableReader::Start(g, sheet.width, ctx, sink);
    if (!reader) continue;  // cover sheets, instructions, lists
    if (sheet.streamed) {
      // The second pass: the sheet's rows as they stream, none kept.
      auto add_row = [&](std::size_t r, std::vector<std::string>& row_cells, bool row_hidden, bool bold) {
        GridRow row;
        row.cells = &row_cells;
        row.source_row = static_cast<int>(r) + 1;
        row.hidden = row_hidden;
        row.bold = bold;
        return reader->Add(r, row);
      };
      TS_RETURN_IF_ERROR(ReadRowsAgain(wb, file, g, limits, add_row));
    } else {
      for (std::size_t r = 0; r < g.rows.size(); ++r) TS_RETURN_IF_ERROR(reader->Add(r, RowOf(g, r)));
    }
    TS_ASSIGN_OR_RETURN(bool had_items, reader->Finish());
    if (had_items) ++parts;
  }
  if (parts == 0) {
    return InvalidArgument(file + ": no sheet holds a checksheet table (no header row with a question and an answer column)");
  }
  return Status::Ok();
}

}  // namespace ts::ingest
