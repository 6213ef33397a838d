#include "ingest/internal/zip_archive.h"

#include <zip.h>

#include <algorithm>
#include <vector>

namespace ts::ingest::internal {

struct ZipArchive::Impl {
  zip_t* zip = nullptr;
  ~Impl() {
    if (zip) zip_discard(zip);
  }
};

ZipArchive::ZipArchive(std::string file, const Limits& limits)
    : impl_(std::make_unique<Impl>()), file_(std::move(file)), limits_(limits) {}

ZipArchive::~ZipArchive() = default;

Result<std::unique_ptr<ZipArchive>> ZipArchive::Open(std::string_view bytes, std::string_view file,
                                                     const Limits& limits) {
  std::unique_ptr<ZipArchive> a(new ZipArchive(std::string(file), limits));
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  if (!src) {
    zip_error_fini(&err);
    return Internal(a->file_ + ": cannot create zip source");
  }
  a->impl_->zip = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  if (!a->impl_->zip) {
    std::string why = zip_error_strerror(&err);
    zip_source_free(src);
    zip_error_fini(&err);
    return Corruption(a->file_ + ": not a valid zip archive (" + why + "); the file may be truncated or damaged");
  }
  zip_error_fini(&err);
  zip_int64_t n = zip_get_num_entries(a->impl_->zip, 0);
  if (n < 0 || static_cast<std::size_t>(n) > limits.max_zip_entries) {
    return ResourceExhausted(a->file_ + ": archive has " + std::to_string(n) + " entries; the limit is " +
                             std::to_string(limits.max_zip_entries));
  }
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    if (zip_stat_index(a->impl_->zip, static_cast<zip_uint64_t>(i), 0, &st) == 0 &&
        (st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
      return InvalidArgument(a->file_ + ": archive entries are encrypted (password-protected)");
    }
  }
  return a;
}

bool ZipArchive::Has(const std::string& name) const {
  return zip_name_locate(impl_->zip, name.c_str(), 0) >= 0;
}

Status ZipArchive::ReadChunks(const std::string& name, const std::function<Status(std::string_view)>& sink) {
  zip_int64_t idx = zip_name_locate(impl_->zip, name.c_str(), 0);
  if (idx < 0) return NotFound(file_ + ": archive has no entry '" + name + "'");
  zip_stat_t st;
  if (zip_stat_index(impl_->zip, static_cast<zip_uint64_t>(idx), 0, &st) != 0) {
    return Corruption(file_ + ": entry '" + name + "': cannot read its header");
  }
  const std::string where = file_ + ": entry '" + name + "'";
  if ((st.valid & ZIP_STAT_SIZE) && st.size > limits_.max_entry_bytes) {
    return ResourceExhausted(where + " uncompresses to " + std::to_string(st.size) + " bytes; the limit is " +
                             std::to_string(limits_.max_entry_bytes));
  }
  if ((st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_COMP_SIZE) && st.size > (1u << 20) &&
      st.size > st.comp_size * limits_.max_compression_ratio) {
    return ResourceExhausted(where + ": compression ratio " + std::to_string(st.size / std::max<zip_uint64_t>(st.comp_size, 1)) +
                             ":1 looks like a zip bomb; refused");
  }
  zip_file_t* zf = zip_fopen_index(impl_->zip, static_cast<zip_uint64_t>(idx), 0);
  if (!zf) {
    return Corruption(where + ": cannot open (" + std::string(zip_strerror(impl_->zip)) + ")");
  }
  std::unique_ptr<zip_file_t, decltype(&zip_fclose)> closer(zf, &zip_fclose);
  // Trust the declared size only as a hint; never read past the limits whatever it says.
  // An entry read a second time (a large sheet streamed again) counted the first time.
  const bool again = read_before_.count(name) > 0;
  const std::size_t total_left = limits_.max_total_unzipped_bytes - std::min(total_read_, limits_.max_total_unzipped_bytes);
  const std::size_t cap = again ? limits_.max_entry_bytes : std::min(limits_.max_entry_bytes, total_left);
  std::size_t read = 0;
  std::vector<char> buf(1u << 16);
  while (true) {
    zip_int64_t got = zip_fread(zf, buf.data(), buf.size());
    if (got < 0) return Corruption(where + ": damaged data (" + std::string(zip_file_strerror(zf)) + ")");
    if (got == 0) break;
    read += static_cast<std::size_t>(got);
    if (read > cap) {
      return ResourceExhausted(where + ": uncompressed data exceeds the limit of " + std::to_string(cap) + " bytes");
    }
    TS_RETURN_IF_ERROR(sink(std::string_view(buf.data(), static_cast<std::size_t>(got))));
  }
  if (!again) total_read_ += read;
  read_before_.insert(name);
  return Status::Ok();
}

Result<std::string> ZipArchive::Read(const std::string& name) {
  std::string out;
  TS_RETURN_IF_ERROR(ReadChunks(name, [&](std::string_view piece) {
    out.append(piece);
    return Status::Ok();
  }));
  return out;
}

}  // namespace ts::ingest::internal
