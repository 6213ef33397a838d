// Large sheets stream (ReadXlsxTo): the workbook is read once for its layout and checks, then a
// large sheet a second time with each row passing through, never held. A streamed sheet must
// give exactly what the same sheet gives held whole, and an error must come before any item.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "formats/xml.h"
#include "formats/zip.h"
#include "ingest/import.h"
#include "sheet/sheet_json.h"

namespace ts::ingest {
namespace {

namespace fs = std::filesystem;

std::string InlineCell(const std::string& ref, const std::string& text) {
  return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t xml:space=\"preserve\">" + formats::EscapeXml(text) +
         "</t></is></c>";
}

// The sheet XML of a checksheet of `rows` item rows under a title and a header: a section row
// every 50 items, every 7th item row hidden, answers はい / いいえ / 該当なし, remarks with line
// breaks. `bad_row` (1-based item), when set, points a cell at a shared string that is not there.
std::string SheetXml(int rows, int bad_row) {
  std::string x = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
                  R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)";
  x += "<row r=\"1\">" + InlineCell("A1", "大規模チェックシート") + "</row>";
  x += "<row r=\"3\">" + InlineCell("A3", "No.") + InlineCell("B3", "確認事項") + InlineCell("C3", "回答") +
       InlineCell("D3", "備考") + "</row>";
  const char* answers[] = {"はい", "いいえ", "該当なし"};
  int r = 3;
  for (int i = 1; i <= rows; ++i) {
    if (i % 50 == 1) {
      ++r;
      x += "<row r=\"" + std::to_string(r) + "\">" + InlineCell("A" + std::to_string(r), "分類" + std::to_string(i / 50 + 1)) + "</row>";
    }
    ++r;
    const std::string n = std::to_string(r);
    x += "<row r=\"" + n + "\"" + (i % 7 == 0 ? " hidden=\"1\"" : "") + ">";
    x += "<c r=\"A" + n + "\"><v>" + std::to_string(i) + "</v></c>";
    x += InlineCell("B" + n, "確認事項その" + std::to_string(i) + "について、手順を定めていますか。");
    x += i == bad_row ? "<c r=\"C" + n + "\" t=\"s\"><v>99</v></c>" : InlineCell("C" + n, answers[i % 3]);
    if (i % 2 == 0) x += InlineCell("D" + n, "規程第" + std::to_string(i) + "条による。\n年1回見直し。");
    x += "</row>";
  }
  return x + "</sheetData></worksheet>";
}

std::string Workbook(int rows, int bad_row = -1) {
  Result<std::string> zip = formats::WriteZip({
      {"[Content_Types].xml",
       R"(<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>)"},
      {"xl/workbook.xml",
       R"(<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
       R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>)"
       R"(<sheet name="チェック" sheetId="1" r:id="rId1"/></sheets></workbook>)"},
      {"xl/_rels/workbook.xml.rels",
       R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
       R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" )"
       R"(Target="worksheets/sheet1.xml"/></Relationships>)"},
      {"xl/worksheets/sheet1.xml", SheetXml(rows, bad_row)},
  });
  EXPECT_TRUE(zip.ok()) << zip.status().message();
  return zip.ok() ? *zip : std::string();
}

// What a sink was told, in order.
class Recorder : public sheet::PartSink {
 public:
  Status StartPart(const sheet::Part& head) override {
    calls.push_back("start " + head.id);
    return Status::Ok();
  }
  Status AddItem(sheet::Item&&) override {
    ++items;
    if (calls.empty() || calls.back() != "items") calls.push_back("items");
    return Status::Ok();
  }
  Status EndPart(sheet::Part&& part) override {
    calls.push_back("end " + part.id);
    return Status::Ok();
  }
  std::vector<std::string> calls;
  std::size_t items = 0;
};

ImportOptions HeldWhole() {
  ImportOptions o;
  o.stream_after_rows = 1'000'000;
  return o;
}

std::string StreamedJson(std::string_view bytes, std::string_view file, const ImportOptions& options = {}) {
  std::ostringstream out;
  sheet::Checksheet doc;
  sheet::JsonWriter writer(&out, /*pretty=*/true, &doc);
  Status s = ImportBytesTo(bytes, file, options, &writer, &doc);
  EXPECT_TRUE(s.ok()) << s.message();
  EXPECT_TRUE(writer.End().ok());
  return out.str();
}

TEST(XlsxStreaming, EverySampleReadsTheSameStreamedAsHeldWhole) {
  ImportOptions streamed;
  streamed.stream_after_rows = 0;  // every sheet read a second time, row by row
  int files = 0;
  for (const char* dir : {"/tests/data/samples", "/tests/data/blank"}) {
    for (const auto& e : fs::directory_iterator(std::string(TS_SOURCE_DIR) + dir)) {
      if (e.path().extension() != ".xlsx") continue;
      ++files;
      Result<sheet::Checksheet> held = ImportFile(e.path().string(), HeldWhole());
      Result<sheet::Checksheet> stream = ImportFile(e.path().string(), streamed);
      ASSERT_EQ(held.ok(), stream.ok()) << e.path();
      if (!held.ok()) {
        EXPECT_EQ(held.status().message(), stream.status().message());
        continue;
      }
      EXPECT_EQ(sheet::ToJson(*held), sheet::ToJson(*stream)) << e.path();
    }
  }
  EXPECT_GE(files, 8);
}

TEST(XlsxStreaming, ALargeSheetStreamsPastItsHeadAsItWouldBeReadWhole) {
  const std::string bytes = Workbook(3000);
  Result<sheet::Checksheet> held = ImportBytes(bytes, "big.xlsx", HeldWhole());
  Result<sheet::Checksheet> streamed = ImportBytes(bytes, "big.xlsx");  // 3,000 rows > kLayoutRows
  ASSERT_TRUE(held.ok()) << held.status().message();
  ASSERT_TRUE(streamed.ok()) << streamed.status().message();
  EXPECT_EQ(sheet::ToJson(*held), sheet::ToJson(*streamed));

  const sheet::Part& part = streamed->parts.at(0);
  ASSERT_EQ(part.items.size(), 3000u - 3000u / 7);  // hidden rows are skipped
  const sheet::Item& last = part.items.back();
  EXPECT_EQ(last.number, "3000");
  EXPECT_EQ(last.section, std::vector<std::string>{"分類60"});
  EXPECT_EQ(last.location.cells.at("answer"), "C" + std::to_string(3 + 60 + 3000));
  EXPECT_EQ(last.printed_remarks, "規程第3000条による。\n年1回見直し。");  // line break kept
  EXPECT_EQ(part.answer_vocabulary, (std::vector<std::string>{"いいえ", "該当なし", "はい"}));
  // 428 hidden rows: 200 are listed, then one line for the rest.
  ASSERT_EQ(streamed->warnings.size(), 201u);
  EXPECT_EQ(streamed->warnings.back().message, "228 more warnings of this table are not listed");
}

TEST(XlsxStreaming, TheStreamedJsonIsTheJsonOfTheDocumentReadWhole) {
  const std::string bytes = Workbook(1200);
  Result<sheet::Checksheet> whole = ImportBytes(bytes, "big.xlsx", HeldWhole());
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(StreamedJson(bytes, "big.xlsx"), sheet::ToJson(*whole));
  const std::string sample = std::string(TS_SOURCE_DIR) + "/tests/data/samples/layout6_service_level.xlsx";
  Result<sheet::Checksheet> cs = ImportFile(sample);
  ASSERT_TRUE(cs.ok());
  std::ostringstream out;
  sheet::Checksheet doc;
  sheet::JsonWriter writer(&out, /*pretty=*/false, &doc);
  ASSERT_TRUE(ImportFileTo(sample, {}, &writer, &doc).ok());
  ASSERT_TRUE(writer.End().ok());
  EXPECT_EQ(out.str(), sheet::ToJson(*cs, /*pretty=*/false));
  EXPECT_TRUE(sheet::FromJson(out.str()).ok());
}

TEST(XlsxStreaming, AnErrorNearTheEndComesBeforeTheFirstItem) {
  const std::string bytes = Workbook(3000, /*bad_row=*/2990);
  Recorder sink;
  sheet::Checksheet doc;
  Status s = ImportBytesTo(bytes, "bad.xlsx", {}, &sink, &doc);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "bad.xlsx: sheet 'チェック' cell C" + std::to_string(3 + 60 + 2990) +
                             ": shared string index out of range");
  EXPECT_TRUE(sink.calls.empty()) << sink.calls.front();
  // The JSON writer (import --json) has written nothing when the import fails.
  std::ostringstream out;
  sheet::JsonWriter writer(&out, /*pretty=*/true, &doc);
  EXPECT_FALSE(ImportBytesTo(bytes, "bad.xlsx", {}, &writer, &doc).ok());
  EXPECT_EQ(out.str(), "");
}

// A data-validation list on a small sheet that takes its values from rows far down a large
// hidden list sheet: those rows are read again for it, not lost with the rest of the sheet.
TEST(XlsxStreaming, AListPastALargeSheetsHeadIsRead) {
  std::string main = R"(<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)";
  main += "<row r=\"1\">" + InlineCell("A1", "No.") + InlineCell("B1", "確認事項") + InlineCell("C1", "回答") + "</row>";
  main += "<row r=\"2\"><c r=\"A2\"><v>1</v></c>" + InlineCell("B2", "ログを取得していますか。") + "</row>";
  main += R"(</sheetData><dataValidations count="1"><dataValidation type="list" sqref="C2:C10"><formula1>Lists!$A$600:$A$602</formula1></dataValidation></dataValidations></worksheet>)";
  std::string lists = R"(<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)";
  for (int r = 1; r <= 700; ++r) {
    lists += "<row r=\"" + std::to_string(r) + "\">" + InlineCell("A" + std::to_string(r), "値" + std::to_string(r)) + "</row>";
  }
  lists += "</sheetData></worksheet>";
  Result<std::string> zip = formats::WriteZip({
      {"xl/workbook.xml",
       R"(<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
       R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>)"
       R"(<sheet name="チェック" sheetId="1" r:id="rId1"/><sheet name="Lists" sheetId="2" state="hidden" r:id="rId2"/></sheets></workbook>)"},
      {"xl/_rels/workbook.xml.rels",
       R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
       R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>)"
       R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>)"
       R"(</Relationships>)"},
      {"xl/worksheets/sheet1.xml", main},
      {"xl/worksheets/sheet2.xml", lists},
  });
  ASSERT_TRUE(zip.ok()) << zip.status().message();
  const std::vector<std::string> want = {"値600", "値601", "値602"};
  for (const ImportOptions& o : {ImportOptions{}, HeldWhole()}) {
    Result<sheet::Checksheet> cs = ImportBytes(*zip, "lists.xlsx", o);
    ASSERT_TRUE(cs.ok()) << cs.status().message();
    EXPECT_EQ(cs->parts.at(0).answer_vocabulary, want);
  }
}

TEST(XlsxStreaming, ReadingALargeSheetTwiceCountsItsBytesOnce) {
  const std::string bytes = Workbook(3000);
  ImportOptions tight;
  // Room for the sheet once, not twice.
  tight.limits.max_total_unzipped_bytes = SheetXml(3000, -1).size() * 3 / 2;
  Recorder sink;
  sheet::Checksheet doc;
  Status s = ImportBytesTo(bytes, "big.xlsx", tight, &sink, &doc);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(sink.items, 3000u - 3000u / 7);
  EXPECT_EQ(sink.calls, (std::vector<std::string>{"start p1", "items", "end p1"}));
}

}  // namespace
}  // namespace ts::ingest
