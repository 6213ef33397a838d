// Size limits on every read of untrusted input. Defaults are generous for real checksheets
// (300 rows, a few MB) and small enough that hostile input cannot exhaust memory or time.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ts::ingest {

struct Limits {
  std::size_t max_file_bytes = 100u << 20;          // any input file
  std::size_t max_zip_entries = 10000;              // entries in an XLSX
  std::size_t max_entry_bytes = 256u << 20;         // one uncompressed XML part
  std::size_t max_total_unzipped_bytes = 512u << 20;
  std::uint64_t max_compression_ratio = 200;        // uncompressed / compressed, per entry
  int max_xml_depth = 128;
  std::size_t max_cells = 2'000'000;                // cells read from a workbook
  std::size_t max_sheets = 256;
  std::size_t max_lines = 2'000'000;                // text lines
  int max_pdf_pages = 2000;
  // What the PDF library may allocate while reading one document (fonts, images, page content).
  std::size_t max_pdf_memory_bytes = 384u << 20;
  // Characters of a PDF in all (a page of a dense table holds a few thousand), and drawing
  // operations per page (nested forms can multiply a small file's work a million times).
  std::size_t max_pdf_chars = 1'000'000;
  std::size_t max_pdf_operations = 5'000'000;
  std::size_t max_cell_bytes = 64u << 10;           // text in one cell (longer is cut, with a warning)
  // Text of all cells together, as read: a small workbook can reference one long shared string
  // from every cell and expand a thousandfold.
  std::size_t max_text_bytes = 128u << 20;
};

}  // namespace ts::ingest
