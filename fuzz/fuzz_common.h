// Shared by the fuzz targets: small limits so one input cannot take long, and the invariants
// every successful import must keep (they abort, which libFuzzer reports as a crash).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "base/status.h"
#include "ingest/limits.h"
#include "sheet/checksheet.h"
#include "sheet/sheet_json.h"

namespace ts::fuzz {

inline ingest::Limits SmallLimits() {
  ingest::Limits l;
  l.max_file_bytes = 1u << 20;
  l.max_entry_bytes = 4u << 20;
  l.max_total_unzipped_bytes = 8u << 20;
  l.max_cells = 20000;
  l.max_lines = 20000;
  l.max_pdf_pages = 20;
  l.max_pdf_memory_bytes = 96u << 20;
  return l;
}

inline void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
  }
}

// A successful import serializes to JSON that parses back to the same JSON; a failure has a
// message that names the file.
inline void CheckResult(const Result<sheet::Checksheet>& r, std::string_view file) {
  if (!r.ok()) {
    Check(r.status().message().find(file) != std::string::npos, "error message names the file");
    return;
  }
  const std::string json = sheet::ToJson(*r, false);
  Result<sheet::Checksheet> back = sheet::FromJson(json);
  Check(back.ok(), "ToJson output parses with FromJson");
  Check(sheet::ToJson(*back, false) == json, "JSON round trip is stable");
}

}  // namespace ts::fuzz
