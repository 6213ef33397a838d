#include "ingest/csv_reader.h"

#include <array>

#include "ingest/internal/encoding.h"
#include "ingest/table_layout.h"

namespace ts::ingest {
namespace {

char DetectDelimiter(std::string_view s) {
  std::array<char, 3> cands = {',', '\t', ';'};
  std::array<int, 3> counts = {0, 0, 0};
  bool quoted = false;
  int lines = 0;
  for (std::size_t i = 0; i < s.size() && lines < 50; ++i) {
    char c = s[i];
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n') ++lines;
    for (std::size_t k = 0; k < cands.size(); ++k) counts[k] += c == cands[k] ? 1 : 0;
  }
  std::size_t best = 0;
  for (std::size_t k = 1; k < cands.size(); ++k) {
    if (counts[k] > counts[best]) best = k;
  }
  return cands[best];
}

}  // namespace

Result<Grid> ParseCsv(std::string_view s, std::string_view file, const Limits& limits) {
  Grid g;
  g.from_spreadsheet = true;
  const char delim = DetectDelimiter(s);
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  bool field_started = false;
  int line = 1;
  int row_line = 1;
  int quote_line = 0;
  std::size_t cells = 0;
  auto end_field = [&] {
    row.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_row = [&] {
    end_field();
    bool empty = true;
    for (auto& f : row) empty = empty && f.empty();
    g.rows.push_back(empty ? std::vector<std::string>{} : std::move(row));
    g.source_rows.push_back(row_line);
    row.clear();
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < s.size() && s[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
        if (field.size() > limits.max_cell_bytes) {
          return ResourceExhausted(std::string(file) + ": line " + std::to_string(quote_line) +
                                   ": a cell is longer than " + std::to_string(limits.max_cell_bytes) + " bytes");
        }
      }
      continue;
    }
    if (c == '"' && !field_started) {
      quoted = true;
      field_started = true;
      quote_line = line;
    } else if (c == delim) {
      end_field();
      if (++cells > limits.max_cells) {
        return ResourceExhausted(std::string(file) + ": more than " + std::to_string(limits.max_cells) + " cells");
      }
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
      end_row();
      ++line;
      row_line = line;
    } else {
      field.push_back(c);
      field_started = true;
      if (field.size() > limits.max_cell_bytes) {
        return ResourceExhausted(std::string(file) + ": line " + std::to_string(line) +
                                 ": a cell is longer than " + std::to_string(limits.max_cell_bytes) + " bytes");
      }
    }
  }
  if (quoted) {
    return InvalidArgument(std::string(file) + ": line " + std::to_string(quote_line) +
                           ": quoted field is not closed before the end of the file");
  }
  if (!field.empty() || !row.empty()) end_row();
  return g;
}

Result<CsvDocument> ParseCsvDocument(std::string_view bytes, std::string_view file, const Limits& limits) {
  TS_ASSIGN_OR_RETURN(internal::Decoded d, internal::DecodeText(bytes, file));
  CsvDocument doc;
  doc.delimiter = DetectDelimiter(d.text);
  doc.encoding = d.encoding;
  TS_ASSIGN_OR_RETURN(doc.grid, ParseCsv(d.text, file, limits));
  return doc;
}

Result<std::string> WriteCsvDocument(const CsvDocument& doc, std::string_view file) {
  std::string out;
  for (const std::vector<std::string>& row : doc.grid.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c > 0) out += doc.delimiter;
      const std::string& f = row[c];
      if (f.find_first_of(std::string("\"\r\n") + doc.delimiter) == std::string::npos) {
        out += f;
        continue;
      }
      out += '"';
      for (char ch : f) {
        if (ch == '"') out += '"';
        out += ch;
      }
      out += '"';
    }
    out += "\r\n";
  }
  return internal::EncodeText(out, doc.encoding, file);
}

Result<sheet::Checksheet> ReadCsv(std::string_view bytes, std::string_view file, const Limits& limits) {
  TS_ASSIGN_OR_RETURN(internal::Decoded d, internal::DecodeText(bytes, file));
  TS_ASSIGN_OR_RETURN(Grid g, ParseCsv(d.text, file, limits));
  sheet::Checksheet cs;
  cs.source_file = std::string(file);
  cs.format = "csv";
  cs.meta["encoding"] = d.encoding;
  TableContext ctx{std::string(file), "p1", &cs.warnings, &cs.meta};
  std::optional<sheet::Part> part = ReadTable(g, ctx);
  if (!part) {
    return InvalidArgument(std::string(file) +
                           ": no checksheet table found (no header row with a question and an answer column)");
  }
  cs.parts.push_back(std::move(*part));
  return cs;
}

}  // namespace ts::ingest
