#include "security/qr_svg.h"

#include <qrencode.h>

#include <memory>

namespace ts::security {

Result<std::string> QrSvg(std::string_view text, int module_px) {
  if (text.size() > 2000) return InvalidArgument("QR: text too long");
  const std::string s(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(QRcode_encodeString8bit(s.c_str(), 0, QR_ECLEVEL_M),
                                                     &QRcode_free);
  if (!qr) return Internal("QR: cannot encode");
  const int quiet = 4, n = qr->width, size = (n + 2 * quiet) * module_px;
  std::string path;
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) {
      if (qr->data[y * n + x] & 1) {
        path += "M" + std::to_string((x + quiet) * module_px) + " " + std::to_string((y + quiet) * module_px) + "h" +
                std::to_string(module_px) + "v" + std::to_string(module_px) + "h-" + std::to_string(module_px) + "z";
      }
    }
  }
  const std::string sz = std::to_string(size);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + sz + "\" height=\"" + sz + "\" viewBox=\"0 0 " + sz +
         " " + sz + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"" +
         path + "\" fill=\"#000\"/></svg>";
}

}  // namespace ts::security
