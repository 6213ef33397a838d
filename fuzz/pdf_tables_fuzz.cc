// libFuzzer target: the PDF table builder on an arbitrary page of ruling lines and characters
// (each 9-byte record: a kind, then four 16-bit coordinates in tenths of a point). It must
// return promptly, keep every table's grid consistent (cells = rows x columns of the grid,
// merges inside it and apart) and place each character at most once.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "ingest/internal/pdf_tables.h"

namespace {

void Require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
  }
}

double Coord(const std::uint8_t* p) { return static_cast<double>(p[0] | (p[1] << 8)) / 10.0; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ts::ingest::internal;
  PdfPage page;
  page.number = 1;
  int line = 0;
  for (std::size_t i = 0; i + 9 <= size && i < 9 * 20000; i += 9) {
    const std::uint8_t kind = data[i] % 4;
    const double a = Coord(data + i + 1), b = Coord(data + i + 3), c = Coord(data + i + 5), d = Coord(data + i + 7);
    if (kind == 0) {
      page.rulings.push_back({std::min(a, c), b, std::max(a, c), b});  // horizontal
    } else if (kind == 1) {
      page.rulings.push_back({a, std::min(b, d), a, std::max(b, d)});  // vertical
    } else {
      const char32_t ch = kind == 2 ? U'あ' + (data[i] >> 2) % 40 : U'A' + (data[i] >> 2) % 26;
      const double w = 1 + c / 100, h = 1 + d / 100;
      page.chars.push_back({ch, a, b, a + w, b + h, h, (data[i] >> 6) ? line : ++line});
    }
  }
  PageTables pt = FindRuledTables(page);
  std::size_t placed = 0;
  for (const RuledTable& t : pt.tables) {
    Require(t.xs.size() >= 3 && t.ys.size() >= 3, "a table has two rows and two columns");
    Require(t.cells.size() == t.ys.size() - 1, "one cell row per grid row");
    for (const auto& row : t.cells) {
      Require(row.size() == t.xs.size() - 1, "one cell per grid column");
      for (const std::string& cell : row) {
        for (unsigned char ch : cell) placed += (ch & 0xC0) != 0x80 && ch != ' ' && ch != '\n';
      }
    }
    for (std::size_t m = 0; m < t.merges.size(); ++m) {
      const auto& r = t.merges[m];
      Require(r.row0 >= 0 && r.col0 >= 0 && r.row0 <= r.row1 && r.col0 <= r.col1, "a merge is a range");
      Require(r.row1 < static_cast<int>(t.cells.size()) && r.col1 < static_cast<int>(t.xs.size() - 1), "inside");
      for (std::size_t n = m + 1; n < t.merges.size(); ++n) {
        const auto& o = t.merges[n];
        const bool apart = o.row0 > r.row1 || o.row1 < r.row0 || o.col0 > r.col1 || o.col1 < r.col0;
        Require(apart, "merges do not overlap");
      }
    }
  }
  for (const LooseLine& l : pt.loose) {
    for (unsigned char ch : l.text) placed += (ch & 0xC0) != 0x80 && ch != ' ' && ch != '\n';
  }
  Require(placed <= page.chars.size(), "no character placed twice");
  return 0;
}
