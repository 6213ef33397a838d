#include "export/fill.h"

#include <zip.h>

#include <cstdio>
#include <map>
#include <memory>
#include <pugixml.hpp>

#include "ingest/csv_reader.h"
#include "ingest/limits.h"
#include "sheet/answer_mark.h"
#include "text/utf8.h"

namespace ts::exporter {
namespace {

struct Target {
  const sheet::Part* part;
  const sheet::Item* item;
};

std::map<std::string, Target> ItemsById(const sheet::Checksheet& sheet) {
  std::map<std::string, Target> out;
  for (const sheet::Part& p : sheet.parts) {
    for (const sheet::Item& it : p.items) out[it.id] = {&p, &it};
  }
  return out;
}

// "A12:F12" or "D12" -> 12; 0 when there is none.
int RowOf(std::string_view ref) {
  std::size_t i = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z') ++i;
  int row = 0;
  for (; i < ref.size() && ref[i] >= '0' && ref[i] <= '9'; ++i) row = row * 10 + (ref[i] - '0');
  return row;
}

// "AB" -> 27 (0-based column index from letters).
int ColumnIndex(std::string_view letters) {
  int c = 0;
  for (char ch : letters) {
    if (ch < 'A' || ch > 'Z') break;
    c = c * 26 + (ch - 'A' + 1);
  }
  return c - 1;
}

std::string Letters(std::string_view ref) {
  std::size_t i = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z') ++i;
  return std::string(ref.substr(0, i));
}

const sheet::ColumnInfo* ColumnWithRole(const sheet::Part& p, std::string_view role) {
  for (const sheet::ColumnInfo& c : p.columns) {
    if (c.role == role && !c.column.empty()) return &c;
  }
  return nullptr;
}

// Text for XML content and attribute values.
std::string XmlEscape(std::string_view v) {
  std::string out;
  for (char ch : v) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
}

sheet::Mark ChoiceFor(sheet::Mark m) { return m == sheet::Mark::kPlanned ? sheet::Mark::kNo : m; }

// One planned cell write: column letters, row, text ("" clears the cell).
struct CellWrite {
  std::string column;
  int row;
  std::string text;
};

// Writes into the worksheet XML. Rows and cells are created in order where missing; the
// cell's style is kept; the value becomes an inline string.
class SheetEditor {
 public:
  Status Load(const std::string& xml, const std::string& where) {
    pugi::xml_parse_result r = doc_.load_buffer(xml.data(), xml.size(),
                                                pugi::parse_default | pugi::parse_declaration | pugi::parse_ws_pcdata);
    if (!r) return Corruption(where + ": cannot parse: " + r.description());
    data_ = doc_.child("worksheet").child("sheetData");
    if (!data_) return Corruption(where + ": no sheetData");
    return Status();
  }

  pugi::xml_node Cell(const std::string& column, int row, bool create) {
    pugi::xml_node r = data_.first_child();
    for (; r; r = r.next_sibling()) {
      if (std::string_view(r.name()) != "row") continue;
      int n = r.attribute("r").as_int(0);
      if (n == row) break;
      if (n > row) {
        if (!create) return {};
        pugi::xml_node nr = data_.insert_child_before("row", r);
        nr.append_attribute("r") = row;
        r = nr;
        break;
      }
    }
    if (!r) {
      if (!create) return {};
      r = data_.append_child("row");
      r.append_attribute("r") = row;
    }
    const std::string ref = column + std::to_string(row);
    const int col = ColumnIndex(column);
    pugi::xml_node c = r.first_child();
    for (; c; c = c.next_sibling()) {
      if (std::string_view(c.name()) != "c") continue;
      std::string cref = c.attribute("r").value();
      if (cref == ref) return c;
      if (ColumnIndex(Letters(cref)) > col) break;
    }
    if (!create) return {};
    pugi::xml_node nc = c ? r.insert_child_before("c", c) : r.append_child("c");
    nc.append_attribute("r") = ref.c_str();
    return nc;
  }

  // The text of a cell holding an inline string or a plain value ("" for shared strings).
  std::string Text(pugi::xml_node c) {
    if (!c) return "";
    if (pugi::xml_node is = c.child("is")) return is.child("t").text().get();
    if (std::string_view(c.attribute("t").value()) == "s") return "";
    return c.child("v").text().get();
  }

  void Set(const CellWrite& w) {
    pugi::xml_node c = Cell(w.column, w.row, !w.text.empty());
    if (!c) return;
    while (pugi::xml_node ch = c.first_child()) c.remove_child(ch);
    c.remove_attribute("t");
    if (w.text.empty()) return;
    c.append_attribute("t") = "inlineStr";
    pugi::xml_node t = c.append_child("is").append_child("t");
    if (w.text != text::Trim(w.text) || w.text.find('\n') != std::string::npos) {
      t.append_attribute("xml:space") = "preserve";
    }
    t.text().set(w.text.c_str());
  }

  std::string Save() {
    struct Writer : pugi::xml_writer {
      std::string out;
      void write(const void* data, std::size_t size) override { out.append(static_cast<const char*>(data), size); }
    } w;
    doc_.save(w, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
    // format_no_declaration: the parsed declaration node (if any) is printed as a node.
    return w.out;
  }

 private:
  pugi::xml_document doc_;
  pugi::xml_node data_;
};

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};

Result<std::string> ReadEntry(zip_t* z, zip_uint64_t index, const std::string& name) {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(z, index, 0, &st) != 0) return Corruption(name + ": cannot stat");
  const ingest::Limits limits;
  if (st.size > limits.max_entry_bytes) return ResourceExhausted(name + ": part too large");
  zip_file_t* f = zip_fopen_index(z, index, 0);
  if (f == nullptr) return Corruption(name + ": cannot open");
  std::string out(static_cast<std::size_t>(st.size), '\0');
  zip_int64_t n = zip_fread(f, out.data(), st.size);
  zip_fclose(f);
  if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) return Corruption(name + ": cannot read");
  return out;
}

// Builds a new archive in memory from `entries`, in order: either copied raw from `src`
// (index) or new bytes.
struct OutEntry {
  std::string name;
  zip_int64_t src_index = -1;  // >= 0: copy from the source archive unchanged
  std::string bytes;
};

Result<std::string> WriteZip(zip_t* src, const std::vector<OutEntry>& entries) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* mem = zip_source_buffer_create(nullptr, 0, 0, &err);
  if (mem == nullptr) return Internal("zip: cannot create a buffer");
  zip_source_keep(mem);
  std::unique_ptr<zip_source_t, decltype(&zip_source_free)> mem_guard(mem, &zip_source_free);
  zip_t* out = zip_open_from_source(mem, ZIP_TRUNCATE, &err);
  if (out == nullptr) return Internal("zip: cannot open the output archive");
  for (const OutEntry& e : entries) {
    zip_source_t* s = e.src_index >= 0
                          ? zip_source_zip(out, src, static_cast<zip_uint64_t>(e.src_index), ZIP_FL_COMPRESSED, 0, -1)
                          : zip_source_buffer(out, e.bytes.data(), e.bytes.size(), 0);
    if (s == nullptr || zip_file_add(out, e.name.c_str(), s, ZIP_FL_ENC_UTF_8) < 0) {
      if (s != nullptr) zip_source_free(s);
      std::string m = zip_strerror(out);
      zip_discard(out);
      return Internal("zip: cannot add " + e.name + ": " + m);
    }
  }
  if (zip_close(out) != 0) {
    std::string m = zip_strerror(out);
    zip_discard(out);
    return Internal("zip: cannot write the archive: " + m);
  }
  if (zip_source_open(mem) != 0) return Internal("zip: cannot read back the archive");
  zip_source_seek(mem, 0, SEEK_END);
  zip_int64_t size = zip_source_tell(mem);
  zip_source_seek(mem, 0, SEEK_SET);
  std::string bytes(static_cast<std::size_t>(std::max<zip_int64_t>(size, 0)), '\0');
  zip_int64_t n = zip_source_read(mem, bytes.data(), bytes.size());
  zip_source_close(mem);
  if (n != size) return Internal("zip: short read of the archive");
  return bytes;
}

// Plans the cell writes for one item of a spreadsheet-like part. Returns false with `why`.
bool PlanWrites(const Target& t, const Fill& f, std::vector<CellWrite>* writes, FillReport* report, std::string* why) {
  const sheet::Item& item = *t.item;
  const int row = RowOf(item.location.range.empty() ? item.location.cells.count("question")
                                                          ? item.location.cells.at("question")
                                                          : std::string()
                                                    : item.location.range);
  if (row <= 0) {
    *why = "its row is not known";
    return false;
  }
  if (item.answer.mark != sheet::Mark::kNone) {
    *why = "already answered in the sheet (" + item.answer.text + "): left as it is";
    return false;
  }
  std::vector<const sheet::ColumnInfo*> choices;
  for (const sheet::ColumnInfo& c : t.part->columns) {
    if (c.role == "choice" && !c.column.empty()) choices.push_back(&c);
  }
  if (!choices.empty()) {
    const sheet::ColumnInfo* pick = nullptr;
    for (const sheet::ColumnInfo* c : choices) {
      if (c->choice_mark == ChoiceFor(f.mark)) pick = c;
    }
    if (pick == nullptr) {
      *why = "the sheet has no column for '" + std::string(sheet::MarkName(f.mark)) + "'";
      return false;
    }
    // The tick Japanese checkbox sheets use; the other choice cells of the row are cleared.
    for (const sheet::ColumnInfo* c : choices) writes->push_back({c->column, row, c == pick ? "○" : ""});
  } else if (const sheet::ColumnInfo* a = ColumnWithRole(*t.part, "answer")) {
    if (!a->check_boxes.empty()) {
      std::optional<std::string> ticked = sheet::TickCheckBox(a->check_boxes, f.answer);
      if (!ticked) {
        *why = "the sheet's check boxes have no '" + f.answer + "'";
        return false;
      }
      writes->push_back({a->column, row, *ticked});
    } else if (a->carries_remarks && !f.remarks.empty() && sheet::MarkOfToken(f.answer)) {
      writes->push_back({a->column, row, "【" + f.answer + "】" + f.remarks});  // as the sheet prints them
      ++report->remarks;
    } else {
      writes->push_back({a->column, row, f.answer});
    }
  } else {
    *why = "the sheet has no answer column";
    return false;
  }
  ++report->answers;
  if (const sheet::ColumnInfo* r = ColumnWithRole(*t.part, "remarks");
      r != nullptr && !f.remarks.empty() && text::Trim(item.remarks).empty()) {
    writes->push_back({r->column, row, f.remarks});
    ++report->remarks;
  }
  return true;
}

}  // namespace

Result<std::string> FillXlsx(std::string_view original, const sheet::Checksheet& sheet, const std::vector<Fill>& fills,
                             FillReport* report) {
  const std::string& file = sheet.source_file;
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(original.data(), original.size(), 0, &err);
  if (src == nullptr) return Internal(file + ": cannot read the workbook");
  zip_t* in_raw = zip_open_from_source(src, ZIP_RDONLY, &err);
  if (in_raw == nullptr) {
    zip_source_free(src);
    return Corruption(file + ": not a readable zip archive");
  }
  std::unique_ptr<zip_t, ZipCloser> in(in_raw);
  // Cell writes per worksheet part.
  const auto items = ItemsById(sheet);
  std::map<std::string, std::vector<CellWrite>> writes_by_part;
  for (const Fill& f : fills) {
    auto it = items.find(f.item_id);
    if (it == items.end()) {
      report->not_written.push_back(f.item_id + ": no such item");
      continue;
    }
    if (it->second.part->source_part.empty()) {
      report->not_written.push_back(f.item_id + ": its sheet is not known");
      continue;
    }
    std::string why;
    if (!PlanWrites(it->second, f, &writes_by_part[it->second.part->source_part], report, &why)) {
      report->not_written.push_back(f.item_id + ": " + why);
    }
  }
  std::vector<OutEntry> entries;
  const zip_int64_t n = zip_get_num_entries(in.get(), 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    const char* name = zip_get_name(in.get(), static_cast<zip_uint64_t>(i), 0);
    if (name == nullptr) return Corruption(file + ": damaged zip directory");
    auto w = writes_by_part.find(name);
    if (w == writes_by_part.end() || w->second.empty()) {
      entries.push_back({name, i, {}});
      continue;
    }
    TS_ASSIGN_OR_RETURN(std::string xml, ReadEntry(in.get(), static_cast<zip_uint64_t>(i), file + ": " + name));
    SheetEditor ed;
    TS_RETURN_IF_ERROR(ed.Load(xml, file + ": " + name));
    for (const CellWrite& cw : w->second) ed.Set(cw);
    entries.push_back({name, -1, ed.Save()});
  }
  TS_ASSIGN_OR_RETURN(std::string bytes, WriteZip(in.get(), entries));
  return bytes;
}

Result<std::string> FillCsv(std::string_view original, const sheet::Checksheet& sheet, const std::vector<Fill>& fills,
                            FillReport* report) {
  TS_ASSIGN_OR_RETURN(ingest::CsvDocument doc, ingest::ParseCsvDocument(original, sheet.source_file, ingest::Limits{}));
  std::map<int, std::size_t> record_of_line;  // CSV locations count lines; records may span lines
  for (std::size_t r = 0; r < doc.grid.source_rows.size(); ++r) record_of_line[doc.grid.source_rows[r]] = r;
  const auto items = ItemsById(sheet);
  for (const Fill& f : fills) {
    auto it = items.find(f.item_id);
    if (it == items.end()) {
      report->not_written.push_back(f.item_id + ": no such item");
      continue;
    }
    std::vector<CellWrite> writes;
    std::string why;
    if (!PlanWrites(it->second, f, &writes, report, &why)) {
      report->not_written.push_back(f.item_id + ": " + why);
      continue;
    }
    for (const CellWrite& w : writes) {
      auto rec = record_of_line.find(w.row);
      if (rec == record_of_line.end()) continue;
      std::vector<std::string>& row = doc.grid.rows[rec->second];
      const std::size_t col = static_cast<std::size_t>(ColumnIndex(w.column));
      if (row.size() <= col) row.resize(col + 1);
      row[col] = w.text;
    }
  }
  return ingest::WriteCsvDocument(doc, sheet.source_file);
}

Result<std::string> NewXlsx(const sheet::Checksheet& sheet, const std::vector<Fill>& fills, FillReport* report) {
  std::map<std::string, const Fill*> fill_of;
  for (const Fill& f : fills) fill_of[f.item_id] = &f;
  auto cell = [](const std::string& ref, const std::string& v) {
    return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t xml:space=\"preserve\">" + XmlEscape(v) + "</t></is></c>";
  };
  std::vector<OutEntry> entries;
  std::string sheets_xml, rels_xml, types_xml;
  for (std::size_t p = 0; p < sheet.parts.size(); ++p) {
    const sheet::Part& part = sheet.parts[p];
    std::string rows = "<row r=\"1\">" + cell("A1", "No.") + cell("B1", "区分") + cell("C1", "質問") +
                       cell("D1", "回答") + cell("E1", "備考") + "</row>";
    int r = 1;
    for (const sheet::Item& it : part.items) {
      ++r;
      const std::string rs = std::to_string(r);
      std::string section;
      for (const std::string& s : it.section) section += (section.empty() ? "" : " / ") + s;
      auto f = fill_of.find(it.id);
      std::string answer = it.answer.text, remarks = it.remarks;
      if (f != fill_of.end() && it.answer.mark == sheet::Mark::kNone) {
        answer = f->second->answer;
        if (remarks.empty()) remarks = f->second->remarks;
        ++report->answers;
        report->remarks += f->second->remarks.empty() ? 0 : 1;
      }
      rows += "<row r=\"" + rs + "\">" + cell("A" + rs, it.number) + cell("B" + rs, section) +
              cell("C" + rs, it.question) + cell("D" + rs, answer) + cell("E" + rs, remarks) + "</row>";
    }
    std::string validation;
    if (!part.answer_vocabulary.empty() && r > 1) {
      std::string list;
      for (const std::string& w : part.answer_vocabulary) list += (list.empty() ? "" : ",") + w;
      validation = "<dataValidations count=\"1\"><dataValidation type=\"list\" allowBlank=\"1\" sqref=\"D2:D" +
                   std::to_string(r) + "\"><formula1>\"" + XmlEscape(list) + "\"</formula1></dataValidation></dataValidations>";
    }
    const std::string n = std::to_string(p + 1);
    entries.push_back({"xl/worksheets/sheet" + n + ".xml", -1,
                       R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
                       R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
                       R"(<cols><col min="1" max="1" width="8" customWidth="1"/><col min="2" max="2" width="24" customWidth="1"/><col min="3" max="3" width="60" customWidth="1"/><col min="4" max="4" width="10" customWidth="1"/><col min="5" max="5" width="40" customWidth="1"/></cols>)"
                       "<sheetData>" + rows + "</sheetData>" + validation + "</worksheet>"});
    std::string name = part.title.empty() ? "Sheet" + n : part.title;
    // Sheet names: at most 31 characters, none of []:*?/\ .
    std::u32string u = text::ToU32(name);
    std::u32string clean;
    for (char32_t c : u) {
      if (std::u32string_view(U"[]:*?/\\").find(c) == std::u32string_view::npos) clean.push_back(c);
    }
    if (clean.size() > 28) clean.resize(28);
    name = text::ToUtf8(clean) + (sheet.parts.size() > 1 ? " " + n : "");
    sheets_xml += "<sheet name=\"" + XmlEscape(name) + "\" sheetId=\"" + n + "\" r:id=\"rId" + n + "\"/>";
    rels_xml += "<Relationship Id=\"rId" + n +
                "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
                "Target=\"worksheets/sheet" + n + ".xml\"/>";
    types_xml += "<Override PartName=\"/xl/worksheets/sheet" + n +
                 ".xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>";
  }
  entries.insert(entries.begin(),
                 {{"[Content_Types].xml", -1,
                   R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>)" +
                       types_xml + "</Types>"},
                  {"_rels/.rels", -1,
                   R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>)"},
                  {"xl/workbook.xml", -1,
                   R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>)" +
                       sheets_xml + "</sheets></workbook>"},
                  {"xl/_rels/workbook.xml.rels", -1,
                   R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)" +
                       rels_xml + "</Relationships>"}});
  return WriteZip(nullptr, entries);
}

}  // namespace ts::exporter
