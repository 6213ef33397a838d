// libFuzzer target: the checksheet JSON parser (the public interchange form) on arbitrary
// bytes must accept or reject, never crash; what it accepts must serialize back stably.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  ts::Result<ts::sheet::Checksheet> r = ts::sheet::FromJson(json);
  if (!r.ok()) return 0;
  const std::string once = ts::sheet::ToJson(*r, false);
  ts::Result<ts::sheet::Checksheet> again = ts::sheet::FromJson(once);
  ts::fuzz::Check(again.ok(), "ToJson output parses with FromJson");
  ts::fuzz::Check(ts::sheet::ToJson(*again, false) == once, "JSON round trip is stable");
  return 0;
}
