#include "export/fill.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <pugixml.hpp>

#include "formats/a1.h"
#include "formats/docx.h"
#include "formats/new_workbook.h"
#include "formats/xml.h"
#include "formats/zip.h"
#include "ingest/csv_reader.h"
#include "ingest/limits.h"
#include "sheet/answer_mark.h"
#include "text/normalize.h"
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

// Calls `write` for each fill with the item it names; a fill naming no item is reported.
template <typename Write>
void ForEachTarget(const sheet::Checksheet& sheet, const std::vector<Fill>& fills, FillReport* report, Write write) {
  const std::map<std::string, Target> items = ItemsById(sheet);
  for (const Fill& f : fills) {
    auto it = items.find(f.item_id);
    if (it == items.end()) {
      report->not_written.push_back(f.item_id + ": no such item");
      continue;
    }
    write(it->second, f);
  }
}

using formats::ColumnIndex;
using formats::RowOf;

const sheet::ColumnInfo* ColumnWithRole(const sheet::Part& p, std::string_view role) {
  for (const sheet::ColumnInfo& c : p.columns) {
    if (c.role == role && !c.column.empty()) return &c;
  }
  return nullptr;
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
      if (ColumnIndex(cref) > col) break;
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

  std::string Save() { return formats::WriteXml(doc_); }

 private:
  pugi::xml_document doc_;
  pugi::xml_node data_;
};

// The spreadsheet row of an item (from its range, or its question cell); 0 when not known.
int SpreadsheetRow(const sheet::Item& item) {
  const auto q = item.location.cells.find("question");
  return RowOf(!item.location.range.empty() ? item.location.range
               : q != item.location.cells.end() ? q->second
                                                 : std::string());
}

// Plans the cell writes for one item of a table part, in row `row` (a spreadsheet's row, a
// Word table's). Returns false with `why`.
bool PlanWrites(const Target& t, const Fill& f, int row, std::vector<CellWrite>* writes, FillReport* report,
                std::string* why) {
  const sheet::Item& item = *t.item;
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
    if (!item.answer_cell.empty() || !a->check_boxes.empty()) {
      // This row's own boxes (their labels may differ from row to row), else the column's.
      const std::string& cell = !item.answer_cell.empty() ? item.answer_cell : a->check_boxes;
      std::optional<std::string> ticked = sheet::TickCheckBox(cell, f.answer);
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
  TS_ASSIGN_OR_RETURN(std::unique_ptr<formats::ZipRewrite> zip, formats::ZipRewrite::Open(original, file));
  // Cell writes per worksheet part.
  std::map<std::string, std::vector<CellWrite>> writes_by_part;
  ForEachTarget(sheet, fills, report, [&](const Target& t, const Fill& f) {
    if (t.part->source_part.empty()) {
      report->not_written.push_back(f.item_id + ": its sheet is not known");
      return;
    }
    std::string why;
    if (!PlanWrites(t, f, SpreadsheetRow(*t.item), &writes_by_part[t.part->source_part], report, &why)) {
      report->not_written.push_back(f.item_id + ": " + why);
    }
  });
  std::map<std::string, std::string> replaced;
  for (const auto& [name, writes] : writes_by_part) {
    if (writes.empty()) continue;
    TS_ASSIGN_OR_RETURN(std::string xml, zip->Read(name, ingest::Limits{}.max_entry_bytes));
    SheetEditor ed;
    TS_RETURN_IF_ERROR(ed.Load(xml, file + ": " + name));
    for (const CellWrite& cw : writes) ed.Set(cw);
    replaced[name] = ed.Save();
  }
  return zip->Write(replaced);
}

namespace {

using formats::docx::Child;
using formats::docx::LocalName;

// The check boxes of a Word cell in reading order: content controls (w14:checkbox) and box
// characters in its text, each with the label that follows it.
struct WordBox {
  pugi::xml_node control;  // the w:sdt of a content control, or null
  pugi::xml_node text;     // the w:t holding a box character, or the control's shown glyph
  std::size_t at = 0;      // the character's byte offset in `text` (box characters)
  std::string label;
};

void CollectBoxes(pugi::xml_node n, std::vector<WordBox>* boxes) {
  for (pugi::xml_node c : n.children()) {
    std::string_view name = LocalName(c);
    if (name == "sdt" && formats::docx::CheckBoxControl(c)) {
      WordBox b;
      b.control = c;
      b.text = Child(c, "sdtContent").find_node([](pugi::xml_node x) { return LocalName(x) == "t"; });
      boxes->push_back(b);
      continue;
    }
    if (name == "t") {
      std::string_view s = c.text().get();
      for (std::size_t i = 0; i < s.size();) {
        std::size_t start = i;
        char32_t ch = text::DecodeUtf8(s, &i);
        if (sheet::CheckBoxState(ch) >= 0) {
          boxes->push_back({{}, c, start, ""});
        } else if (!boxes->empty()) {
          boxes->back().label.append(s.substr(start, i - start));
        }
      }
      continue;
    }
    if (name == "delText" || name == "instrText" || name == "rPr" || name == "pPr") continue;
    CollectBoxes(c, boxes);
  }
}

void SetBox(WordBox& b, bool ticked) {
  if (b.control) {
    pugi::xml_node box = formats::docx::CheckBoxControl(b.control);
    pugi::xml_node checked = Child(box, "checked");
    if (!checked) checked = box.prepend_child("w14:checked");
    pugi::xml_attribute val = formats::docx::Attr(checked, "val");
    if (!val) val = checked.append_attribute("w14:val");
    val.set_value(ticked ? "1" : "0");
    // The glyph the control shows: its checkedState / uncheckedState character.
    pugi::xml_node state = Child(box, ticked ? "checkedState" : "uncheckedState");
    char32_t glyph = ticked ? U'☒' : U'☐';
    if (state) glyph = static_cast<char32_t>(std::strtoul(formats::docx::Attr(state, "val").value(), nullptr, 16));
    if (b.text && glyph) {
      std::string g;
      text::AppendUtf8(glyph, &g);
      b.text.text().set(g.c_str());
    }
    return;
  }
  std::string s = b.text.text().get();
  std::size_t end = b.at;
  char32_t ch = text::DecodeUtf8(s, &end);
  std::string g;
  text::AppendUtf8(sheet::CheckBoxAs(ch, ticked), &g);
  s.replace(b.at, end - b.at, g);
  b.text.text().set(s.c_str());
}

// A Word cell's text replaced: its first paragraph (with its properties and the formatting of
// its first run) holds the lines, breaks between them; other paragraphs go.
void SetWordCellText(pugi::xml_node tc, const std::string& value) {
  pugi::xml_node p = Child(tc, "p");
  if (!p) p = tc.append_child("w:p");
  for (pugi::xml_node c = tc.first_child(); c;) {
    pugi::xml_node next = c.next_sibling();
    if (c != p && LocalName(c) != "tcPr") tc.remove_child(c);
    c = next;
  }
  pugi::xml_node rpr = p.find_node([](pugi::xml_node x) { return LocalName(x) == "rPr" && LocalName(x.parent()) == "r"; });
  pugi::xml_document keep;
  if (rpr) keep.append_copy(rpr);
  for (pugi::xml_node c = p.first_child(); c;) {
    pugi::xml_node next = c.next_sibling();
    if (LocalName(c) != "pPr") p.remove_child(c);
    c = next;
  }
  if (value.empty()) return;
  pugi::xml_node r = p.append_child("w:r");
  if (keep.first_child()) r.append_copy(keep.first_child());
  std::size_t start = 0;
  for (bool first = true;; first = false) {
    std::size_t nl = value.find('\n', start);
    if (!first) r.append_child("w:br");
    pugi::xml_node t = r.append_child("w:t");
    std::string line = value.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    if (line != text::Trim(line)) t.append_attribute("xml:space") = "preserve";
    t.text().set(line.c_str());
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
}

// Writes `value` into a Word cell: ticks its check boxes where it has them (the labels the
// value ticks, or a lone box for a non-empty value), otherwise replaces its text.
void WriteWordCell(pugi::xml_node tc, const std::string& value) {
  std::vector<WordBox> boxes;
  CollectBoxes(tc, &boxes);
  if (!boxes.empty()) {
    std::optional<sheet::CheckBoxes> want = sheet::FindCheckBoxes(text::NormalizeText(value));
    if (want && !want->checked.empty()) {
      for (WordBox& b : boxes) {
        const std::string label = sheet::CheckBoxLabel(b.label);
        SetBox(b, std::find(want->checked.begin(), want->checked.end(), label) != want->checked.end());
      }
      return;
    }
    if (boxes.size() == 1 && text::Trim(boxes[0].label).empty()) {  // one box per choice column
      SetBox(boxes[0], !text::Trim(value).empty());
      return;
    }
  }
  SetWordCellText(tc, value);
}

}  // namespace

Result<std::string> FillDocx(std::string_view original, const sheet::Checksheet& sheet, const std::vector<Fill>& fills,
                             FillReport* report) {
  const std::string& file = sheet.source_file;
  const ingest::Limits limits;
  TS_ASSIGN_OR_RETURN(std::unique_ptr<formats::ZipRewrite> zip, formats::ZipRewrite::Open(original, file));
  TS_ASSIGN_OR_RETURN(std::string xml, zip->Read("word/document.xml", limits.max_entry_bytes));
  TS_ASSIGN_OR_RETURN(std::unique_ptr<pugi::xml_document> doc,
                      formats::ParseXml(xml, file + ": word/document.xml", limits.max_xml_depth,
                                        pugi::parse_default | pugi::parse_declaration | pugi::parse_ws_pcdata));
  const std::vector<pugi::xml_node> tables = formats::docx::BodyTables(*doc);
  ForEachTarget(sheet, fills, report, [&](const Target& t, const Fill& f) {
    const sheet::SourceLocation& loc = t.item->location;
    if (loc.table <= 0 || static_cast<std::size_t>(loc.table) > tables.size()) {
      report->not_written.push_back(f.item_id + ": its table is not known");
      return;
    }
    std::vector<CellWrite> writes;
    std::string why;
    if (!PlanWrites(t, f, loc.line, &writes, report, &why)) {
      report->not_written.push_back(f.item_id + ": " + why);
      return;
    }
    for (const CellWrite& w : writes) {
      const int col = std::atoi(w.column.c_str()) - 1;
      pugi::xml_node tc = formats::docx::CellAt(tables[static_cast<std::size_t>(loc.table - 1)], w.row - 1, col);
      if (!tc) {
        report->not_written.push_back(f.item_id + ": table " + std::to_string(loc.table) + " has no cell at row " +
                                      std::to_string(w.row) + ", column " + w.column);
        continue;
      }
      WriteWordCell(tc, w.text);
    }
  });
  return zip->Write({{"word/document.xml", formats::WriteXml(*doc)}});
}

Result<std::string> FillCsv(std::string_view original, const sheet::Checksheet& sheet, const std::vector<Fill>& fills,
                            FillReport* report) {
  TS_ASSIGN_OR_RETURN(ingest::CsvDocument doc, ingest::ParseCsvDocument(original, sheet.source_file, ingest::Limits{}));
  std::map<int, std::size_t> record_of_line;  // CSV locations count lines; records may span lines
  for (std::size_t r = 0; r < doc.grid.source_rows.size(); ++r) record_of_line[doc.grid.source_rows[r]] = r;
  ForEachTarget(sheet, fills, report, [&](const Target& t, const Fill& f) {
    std::vector<CellWrite> writes;
    std::string why;
    if (!PlanWrites(t, f, SpreadsheetRow(*t.item), &writes, report, &why)) {
      report->not_written.push_back(f.item_id + ": " + why);
      return;
    }
    for (const CellWrite& w : writes) {
      auto rec = record_of_line.find(w.row);
      if (rec == record_of_line.end()) continue;
      std::vector<std::string>& row = doc.grid.rows[rec->second];
      const std::size_t col = static_cast<std::size_t>(ColumnIndex(w.column));
      if (row.size() <= col) row.resize(col + 1);
      row[col] = w.text;
    }
  });
  return ingest::WriteCsvDocument(doc, sheet.source_file);
}

Result<std::string> NewXlsx(const sheet::Checksheet& sheet, const std::vector<Fill>& fills, FillReport* report) {
  std::map<std::string, const Fill*> fill_of;
  for (const Fill& f : fills) fill_of[f.item_id] = &f;
  std::vector<formats::NewSheet> sheets;
  for (std::size_t p = 0; p < sheet.parts.size(); ++p) {
    const sheet::Part& part = sheet.parts[p];
    formats::NewSheet& out = sheets.emplace_back();
    out.widths = {8, 24, 60, 10, 40};
    out.rows.push_back({"No.", "区分", "質問", "回答", "備考"});
    for (const sheet::Item& it : part.items) {
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
      out.rows.push_back({it.number, section, it.question, answer, remarks});
    }
    if (!part.answer_vocabulary.empty() && out.rows.size() > 1) {
      for (const std::string& w : part.answer_vocabulary) out.list += (out.list.empty() ? "" : ",") + w;
      out.list_range = "D2:D" + std::to_string(out.rows.size());
    }
    const std::string n = std::to_string(p + 1);
    const std::string title = part.title.empty() ? "Sheet" + n : part.title;
    out.name = formats::CleanSheetName(title, 28) + (sheet.parts.size() > 1 ? " " + n : "");
  }
  return formats::WriteNewWorkbook(sheets);
}

}  // namespace ts::exporter
