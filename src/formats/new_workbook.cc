#include "formats/new_workbook.h"

#include <cstdio>

#include "formats/a1.h"
#include "formats/xml.h"
#include "formats/zip.h"
#include "text/utf8.h"

namespace ts::formats {
namespace {

constexpr const char* kHead = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)";

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string SheetXml(const NewSheet& s) {
  std::string x = std::string(kHead) + R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)";
  if (s.header && !s.rows.empty()) {
    x += R"(<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>)";
  }
  if (!s.widths.empty()) {
    x += "<cols>";
    for (std::size_t c = 0; c < s.widths.size(); ++c) {
      x += "<col min=\"" + std::to_string(c + 1) + "\" max=\"" + std::to_string(c + 1) + "\" width=\"" +
           Number(s.widths[c]) + "\" customWidth=\"1\"/>";
    }
    x += "</cols>";
  }
  x += "<sheetData>";
  for (std::size_t r = 0; r < s.rows.size(); ++r) {
    const std::string rs = std::to_string(r + 1);
    x += "<row r=\"" + rs + "\">";
    const char* style = s.header && r == 0 ? " s=\"1\"" : "";
    for (std::size_t c = 0; c < s.rows[r].size(); ++c) {
      const NewCell& cell = s.rows[r][c];
      const std::string ref = CellRef(static_cast<int>(c), static_cast<int>(r + 1));
      if (cell.is_number) {
        x += "<c r=\"" + ref + "\"" + style + "><v>" + Number(cell.number) + "</v></c>";
      } else if (!cell.text.empty()) {
        x += "<c r=\"" + ref + "\"" + style + " t=\"inlineStr\"><is><t xml:space=\"preserve\">" + EscapeXml(cell.text) +
             "</t></is></c>";
      }
    }
    x += "</row>";
  }
  x += "</sheetData>";
  if (!s.list_range.empty() && !s.list.empty()) {
    x += "<dataValidations count=\"1\"><dataValidation type=\"list\" allowBlank=\"1\" sqref=\"" + EscapeXml(s.list_range) +
         "\"><formula1>\"" + EscapeXml(s.list) + "\"</formula1></dataValidation></dataValidations>";
  }
  return x + "</worksheet>";
}

}  // namespace

std::string CleanSheetName(const std::string& name, std::size_t max) {
  std::u32string clean;
  for (char32_t c : text::ToU32(name)) {
    if (std::u32string_view(U"[]:*?/\\").find(c) == std::u32string_view::npos) clean.push_back(c);
  }
  if (clean.size() > max) clean.resize(max);
  return text::ToUtf8(clean);
}

Result<std::string> WriteNewWorkbook(const std::vector<NewSheet>& sheets) {
  std::vector<std::pair<std::string, std::string>> entries;
  std::string sheets_xml, rels_xml, types_xml;
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    entries.push_back({"xl/worksheets/sheet" + n + ".xml", SheetXml(sheets[i])});
    std::string name = CleanSheetName(sheets[i].name);
    if (name.empty()) name = "Sheet" + n;
    sheets_xml += "<sheet name=\"" + EscapeXml(name) + "\" sheetId=\"" + n + "\" r:id=\"rId" + n + "\"/>";
    rels_xml += "<Relationship Id=\"rId" + n +
                "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
                "Target=\"worksheets/sheet" + n + ".xml\"/>";
    types_xml += "<Override PartName=\"/xl/worksheets/sheet" + n +
                 ".xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>";
  }
  const std::string styles_id = std::to_string(sheets.size() + 1);
  rels_xml += "<Relationship Id=\"rId" + styles_id +
              "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>";
  entries.insert(
      entries.begin(),
      {{"[Content_Types].xml",
        std::string(kHead) +
            R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>)" +
            types_xml + "</Types>"},
       {"_rels/.rels",
        std::string(kHead) +
            R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>)"},
       {"xl/workbook.xml",
        std::string(kHead) +
            R"(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>)" +
            sheets_xml + "</sheets></workbook>"},
       {"xl/_rels/workbook.xml.rels",
        std::string(kHead) + R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)" +
            rels_xml + "</Relationships>"},
       {"xl/styles.xml",
        std::string(kHead) +
            R"(<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf fontId="0"/><xf fontId="1" applyFont="1"/></cellXfs></styleSheet>)"}});
  return WriteZip(entries);
}

}  // namespace ts::formats
