// libFuzzer target: ReadCsv on arbitrary bytes must return an item list or an error, never crash,
// hang or leak, and what it returns must survive the JSON round trip.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_common.h"
#include "ingest/csv_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ts::fuzz::CheckResult(ts::ingest::ReadCsv(bytes, "fuzz.csv", ts::fuzz::SmallLimits()), "fuzz.csv");
  return 0;
}
