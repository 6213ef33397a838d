// Bad input through the real binary: each case gives one line on stderr naming the file and
// the problem, exit code 1, and no output on stdout.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct CliRun {
  int exit_code;
  std::string out, err;
};

fs::path Dir() {
  static fs::path d = [] {
    fs::path p = fs::temp_directory_path() / ("ts_bad_input_" + std::to_string(::getpid()));
    fs::create_directories(p);
    return p;
  }();
  return d;
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Runs `trustsheet ARGS` (a shell word list).
// Runs `trustsheet ARGS`; with `address_space_kib`, under that limit of virtual memory.
CliRun RunCli(const std::string& args, std::size_t address_space_kib = 0) {
  const std::string bin = std::string(TS_BINARY_DIR) + "/apps/trustsheet/trustsheet";
  const fs::path out = Dir() / "out.txt", err = Dir() / "err.txt";
  std::string cmd = "timeout 60 " + bin + " " + args + " >'" + out.string() + "' 2>'" + err.string() + "'";
  if (address_space_kib != 0) cmd = "ulimit -v " + std::to_string(address_space_kib) + "; " + cmd;
  int st = std::system(cmd.c_str());
  return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, Slurp(out), Slurp(err)};
}

CliRun Import(const fs::path& file) { return RunCli("import '" + file.string() + "'"); }

void Write(const fs::path& p, const std::string& data) { std::ofstream(p, std::ios::binary) << data; }

// A minimal valid workbook whose sheet XML is `sheet_xml` (and shared strings `shared_xml`, when
// given), written with libzip.
std::string MakeXlsx(const std::string& sheet_xml, const fs::path& p, const std::string& shared_xml = "") {
  int err = 0;
  zip_t* z = zip_open(p.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  auto add = [&](const char* name, const std::string& data) {
    char* copy = static_cast<char*>(malloc(data.size()));
    memcpy(copy, data.data(), data.size());
    zip_source_t* s = zip_source_buffer(z, copy, data.size(), 1);
    zip_file_add(z, name, s, ZIP_FL_OVERWRITE);
  };
  add("xl/workbook.xml",
      "<workbook xmlns:r=\"r\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
  add("xl/_rels/workbook.xml.rels",
      "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>");
  add("xl/worksheets/sheet1.xml", sheet_xml);
  if (!shared_xml.empty()) add("xl/sharedStrings.xml", shared_xml);
  zip_close(z);
  return Slurp(p);
}

// A one-page PDF whose content stream (Flate-compressed) is `content`, with Helvetica as /F1.
std::string MakePdf(const std::string& content, const fs::path& p) {
  uLongf packed_size = compressBound(content.size());
  std::string packed(packed_size, '\0');
  compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size, reinterpret_cast<const Bytef*>(content.data()),
            content.size(), 9);
  packed.resize(packed_size);
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
      "/Resources << /Font << /F1 5 0 R >> >> >>",
      "<< /Length " + std::to_string(packed.size()) + " /Filter /FlateDecode >>\nstream\n" + packed + "\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
  std::string pdf = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (std::size_t off : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  Write(p, pdf);
  return pdf;
}

void ExpectOneLineFailure(const CliRun& r, const std::string& expected_err) {
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, expected_err);
}

TEST(BadInput, EmptyFile) {
  fs::path p = Dir() / "empty.xlsx";
  Write(p, "");
  ExpectOneLineFailure(Import(p), "trustsheet import: " + p.string() + ": file is empty\n");
}

TEST(BadInput, ImageRenamedToXlsx) {
  fs::path p = Dir() / "photo.xlsx";
  Write(p, std::string("\x89PNG\r\n\x1a\n", 8) + std::string(100, '\0'));
  ExpectOneLineFailure(Import(p), "trustsheet import: " + p.string() +
                                      ": is a PNG image, not a checksheet (expected xlsx, docx, csv, pdf or text)\n");
}

TEST(BadInput, TruncatedZip) {
  fs::path good = Dir() / "good.xlsx";
  std::string bytes = MakeXlsx("<worksheet><sheetData/></worksheet>", good);
  fs::path p = Dir() / "truncated.xlsx";
  Write(p, bytes.substr(0, bytes.size() / 2));
  CliRun r = Import(p);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("trustsheet import: " + p.string() + ": not a valid zip archive (", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
}

TEST(BadInput, ZipBomb) {
  // 64 MiB of one repeated row compresses about 1000:1.
  std::string row = "<row><c t=\"inlineStr\"><is><t>x</t></is></c></row>";
  std::string xml = "<worksheet><sheetData>";
  while (xml.size() < (64u << 20)) xml += row;
  xml += "</sheetData></worksheet>";
  fs::path p = Dir() / "bomb.xlsx";
  MakeXlsx(xml, p);
  CliRun r = Import(p);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("looks like a zip bomb; refused"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
}

// A small workbook whose 20,000 cells all reference one 64 KiB shared string would hold 1.3 GB of
// text once read (it took 2.5 GB and 41 s): refused at the text budget, in bounded memory
// (the import runs with 1 GiB of address space) and time.
TEST(BadInput, OneLongSharedStringInManyCellsIsRefusedAtTheTextBudget) {
  std::string sheet = "<worksheet><sheetData>";
  for (int r = 1; r <= 20000; ++r) sheet += "<row r=\"" + std::to_string(r) + "\"><c t=\"s\"><v>0</v></c></row>";
  sheet += "</sheetData></worksheet>";
  const std::string shared = "<sst><si><t>" + std::string(64 << 10, 'a') + "</t></si></sst>";
  fs::path p = Dir() / "expands.xlsx";
  MakeXlsx(sheet, p, shared);
  ASSERT_LT(fs::file_size(p), 200'000u);
  CliRun r = RunCli("import '" + p.string() + "'", 1u << 20);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find(p.string() + ": sheet 'S' cell A"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("more than 128 MiB of text"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

// A 700 KB PDF whose one page shows 190 million characters (a compressed content stream of
// 200 MB): refused at the character limit or at the memory budget of the PDF library, whichever
// comes first, in 1 GiB of address space, with one line naming the file.
TEST(BadInput, PdfBuiltToExpandIsRefusedAtALimit) {
  std::string content = "BT /F1 2 Tf 10 800 Td\n";
  const std::string show = "(" + std::string(95, 'A') + ") Tj\n";
  content.reserve(2'000'000 * show.size() + 8);
  for (int i = 0; i < 2'000'000; ++i) content += show;
  content += "ET\n";
  fs::path p = Dir() / "expands.pdf";
  MakePdf(content, p);
  content.clear();
  content.shrink_to_fit();
  ASSERT_LT(fs::file_size(p), 1'000'000u);
  CliRun r = RunCli("import '" + p.string() + "'", 1u << 20);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(r.err.starts_with("trustsheet import: " + p.string() + ": ")) << r.err;
  const bool at_a_limit = r.err.find(": more than 1000000 characters in the document") != std::string::npos ||
                          r.err.find(": the PDF needs more than 384 MiB to read; refused") != std::string::npos;
  EXPECT_TRUE(at_a_limit) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

// A damaged PDF (the first half of a real one) is a one-line error, not a crash.
TEST(BadInput, TruncatedPdf) {
  fs::path p = Dir() / "truncated.pdf";
  std::string pdf = MakePdf("BT /F1 12 Tf 72 720 Td (1 Question? Yes) Tj ET", p);
  Write(p, pdf.substr(0, pdf.size() / 3));
  CliRun r = Import(p);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(r.err.starts_with("trustsheet import: " + p.string() + ": ")) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

// A Word document whose document.xml is 64 MiB of one repeated paragraph (about 1000:1), and
// one whose document.xml is UTF-16 with a DTD: each a one-line error.
TEST(BadInput, WordDocumentBombAndUtf16Dtd) {
  auto make_docx = [](const fs::path& p, const std::string& document) {
    int err = 0;
    zip_t* z = zip_open(p.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    char* copy = static_cast<char*>(malloc(document.size()));
    memcpy(copy, document.data(), document.size());
    zip_file_add(z, "word/document.xml", zip_source_buffer(z, copy, document.size(), 1), ZIP_FL_OVERWRITE);
    zip_close(z);
  };
  std::string xml = "<w:document xmlns:w=\"w\"><w:body>";
  while (xml.size() < (64u << 20)) xml += "<w:p><w:r><w:t>x</w:t></w:r></w:p>";
  xml += "</w:body></w:document>";
  const fs::path bomb = Dir() / "bomb.docx";
  make_docx(bomb, xml);
  CliRun r = Import(bomb);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(bomb.string() + ": entry 'word/document.xml'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("looks like a zip bomb; refused"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
  std::string utf16 = "\xFF\xFE";
  for (char c : std::string("<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE d [<!ENTITY a \"aaaa\">]><d/>")) {
    utf16 += c;
    utf16 += '\0';
  }
  const fs::path dtd = Dir() / "dtd16.docx";
  make_docx(dtd, utf16);
  ExpectOneLineFailure(Import(dtd), "trustsheet import: " + dtd.string() +
                                        ": word/document.xml: XML with a DTD (<!DOCTYPE>) is not allowed\n");
}

TEST(BadInput, XmlWithDtd) {
  fs::path p = Dir() / "dtd.xlsx";
  MakeXlsx("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaa\">]><worksheet><sheetData/></worksheet>", p);
  ExpectOneLineFailure(Import(p), "trustsheet import: " + p.string() +
                                      ": xl/worksheets/sheet1.xml: XML with a DTD (<!DOCTYPE>) is not allowed\n");
}

TEST(BadInput, FileOver100MegabytesIsRefusedUnread) {
  fs::path p = Dir() / "huge.csv";
  {
    std::ofstream f(p, std::ios::binary);
    f.seekp((200u << 20) - 1);
    f.put('\n');  // sparse: 200 MB on paper, nothing on disk
  }
  ExpectOneLineFailure(Import(p), "trustsheet import: " + p.string() +
                                      ": file is 209715200 bytes; the limit is 104857600 bytes\n");
}

TEST(BadInput, MissingFile) {
  ExpectOneLineFailure(Import(Dir() / "nope.xlsx"),
                       "trustsheet import: " + (Dir() / "nope.xlsx").string() + ": no such file\n");
}

TEST(Cli, UnknownFlagIsUsageError) {
  const std::string bin = std::string(TS_BINARY_DIR) + "/apps/trustsheet/trustsheet";
  int st = std::system((bin + " import --bogus >/dev/null 2>&1").c_str());
  EXPECT_EQ(WEXITSTATUS(st), 2);
  st = std::system((bin + " --version >/dev/null 2>&1").c_str());
  EXPECT_EQ(WEXITSTATUS(st), 0);
}

// "trustsheet frobnicate" said "A subcommand is required", as if none had been given.
TEST(Cli, UnknownCommandIsNamedWithTheCommandsThereAre) {
  CliRun r = RunCli("frobnicate");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "trustsheet: unknown command 'frobnicate'\n"
            "commands: import, demo, library, answer, serve, audit, backup, restore, keys, assess, followup, compare\n");
  CliRun sub = RunCli("library frobnicate --db x.db");
  EXPECT_EQ(sub.exit_code, 2);
  EXPECT_EQ(sub.err,
            "trustsheet library: unknown command 'frobnicate'\n"
            "commands: add, list, show, export, conflicts, decide\n");
  CliRun none = RunCli("");
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(none.err,
            "trustsheet: missing command\n"
            "commands: import, demo, library, answer, serve, audit, backup, restore, keys, assess, followup, compare\n");
  EXPECT_EQ(RunCli("library --help").exit_code, 0);  // options still go to the parser
}

}  // namespace
