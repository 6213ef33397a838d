// libFuzzer target: ReadXlsx on arbitrary bytes must return an item list or an error, never crash,
// hang or leak, and what it returns must survive the JSON round trip.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_common.h"
#include "ingest/xlsx_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ts::fuzz::CheckResult(ts::ingest::ReadXlsx(bytes, "fuzz.xlsx", ts::fuzz::SmallLimits()), "fuzz.xlsx");
  return 0;
}
