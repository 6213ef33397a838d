#include "zip_entries.h"

#include <zip.h>

namespace ts::testing {

std::optional<std::map<std::string, std::string>> ZipEntries(std::string_view bytes) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  if (src == nullptr) return std::nullopt;
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY, &err);
  if (z == nullptr) {
    zip_source_free(src);
    return std::nullopt;
  }
  std::map<std::string, std::string> out;
  for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); ++i) {
    zip_stat_t st;
    zip_stat_index(z, static_cast<zip_uint64_t>(i), 0, &st);
    std::string data(st.size, '\0');
    zip_file_t* f = zip_fopen_index(z, static_cast<zip_uint64_t>(i), 0);
    if (f != nullptr) {
      zip_fread(f, data.data(), st.size);
      zip_fclose(f);
    }
    out[st.name] = std::move(data);
  }
  zip_close(z);
  return out;
}

}  // namespace ts::testing
