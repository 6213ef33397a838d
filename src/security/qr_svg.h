// QR codes as SVG (libqrencode), for MFA enrolment pages: no image files, no external service.
// Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace ts::security {

// An SVG image of `text` as a QR code (error correction M), one <path> of dark modules with a
// four-module quiet zone; `module_px` sets the size of a module.
Result<std::string> QrSvg(std::string_view text, int module_px = 4);

}  // namespace ts::security
