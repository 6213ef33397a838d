// What the PDF reader takes from each page, read with MuPDF: the characters with their boxes
// (in reading lines, as MuPDF's structured text groups them) and the ruling lines that the
// page draws (stroked lines, rectangle edges and thin filled bars: the grid of a table).
// MuPDF was chosen over poppler-cpp (text only, no vector paths) and poppler-glib + cairo
// (paths only by rendering to a surface and reading the drawing back): its device interface
// hands over every path with its transform, and its allocator hook caps the memory a hostile
// PDF can take. Coordinates are PDF points on the page as displayed (page rotation applied),
// y growing downwards. Plain values; ReadPdfPages is thread-safe (a MuPDF context per call).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "ingest/limits.h"

namespace ts::ingest::internal {

struct PdfChar {
  char32_t c;
  double x0, y0, x1, y1;  // the glyph's box
  double size;            // font size
  int line;               // serial of its text line on the page
};

// A horizontal (y0 == y1) or vertical (x0 == x1) line segment.
struct Segment {
  double x0, y0, x1, y1;
  bool Horizontal() const { return y0 == y1; }
};

struct PdfPage {
  int number = 0;  // 1-based
  double width = 0, height = 0;
  std::vector<PdfChar> chars;
  std::vector<Segment> rulings;
};

struct PdfDocument {
  int page_count = 0;
  std::vector<PdfPage> pages;
};

// Reads every page. Errors name `file`: damaged, encrypted, too many pages, more text or
// drawing than the limits allow, or more memory than limits.max_pdf_memory_bytes.
Result<PdfDocument> ReadPdfDocument(std::string_view bytes, const std::string& file, const Limits& limits);

}  // namespace ts::ingest::internal
