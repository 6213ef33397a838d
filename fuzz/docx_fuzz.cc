// libFuzzer target: ImportBytes with the docx reader on arbitrary bytes must return items or
// an error naming the file, never crash, hang or leak, and what it returns must survive the
// JSON round trip.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_common.h"
#include "ingest/import.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ts::ingest::ImportOptions options{ts::ingest::Format::kDocx, ts::fuzz::SmallLimits()};
  ts::fuzz::CheckResult(ts::ingest::ImportBytes(bytes, "fuzz.docx", options), "fuzz.docx");
  return 0;
}
