// Text of a PDF page as positioned boxes grouped into visual lines: what the PDF reader gets
// from a page's characters and what its layout routes (header table, mark matrix, text blocks) work on.
// Plain values; thread-compatible.
#pragma once

#include <string>
#include <vector>

namespace ts::ingest::internal {

// One word or run of glyphs, in PDF points (y grows downwards).
struct Box {
  std::string text;  // raw (not normalized)
  double x0, x1, y0, y1;
  bool space_after;
};

// Boxes whose vertical centres agree, left to right.
struct PdfLine {
  int page;  // 1-based
  double y0, y1;
  std::vector<Box> boxes;  // sorted by x0
};

}  // namespace ts::ingest::internal
