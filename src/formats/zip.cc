#include "formats/zip.h"

#include <zip.h>

#include <algorithm>
#include <cstdio>

namespace ts::formats {
namespace {

struct ZipDiscard {
  void operator()(zip_t* z) const { zip_discard(z); }
};

// One output entry: copied from the source archive (index >= 0) or new bytes.
struct OutEntry {
  std::string name;
  zip_int64_t src_index = -1;
  const std::string* bytes = nullptr;
};

Result<std::string> Build(zip_t* src, const std::vector<OutEntry>& entries) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* mem = zip_source_buffer_create(nullptr, 0, 0, &err);
  if (mem == nullptr) return Internal("zip: cannot create a buffer");
  zip_source_keep(mem);
  std::unique_ptr<zip_source_t, decltype(&zip_source_free)> mem_guard(mem, &zip_source_free);
  zip_t* out = zip_open_from_source(mem, ZIP_TRUNCATE, &err);
  if (out == nullptr) return Internal("zip: cannot open the output archive");
  for (const OutEntry& e : entries) {
    zip_source_t* s = e.src_index >= 0
                          ? zip_source_zip(out, src, static_cast<zip_uint64_t>(e.src_index), ZIP_FL_COMPRESSED, 0, -1)
                          : zip_source_buffer(out, e.bytes->data(), e.bytes->size(), 0);
    if (s == nullptr || zip_file_add(out, e.name.c_str(), s, ZIP_FL_ENC_UTF_8) < 0) {
      if (s != nullptr) zip_source_free(s);
      std::string m = zip_strerror(out);
      zip_discard(out);
      return Internal("zip: cannot add " + e.name + ": " + m);
    }
  }
  if (zip_close(out) != 0) {
    std::string m = zip_strerror(out);
    zip_discard(out);
    return Internal("zip: cannot write the archive: " + m);
  }
  if (zip_source_open(mem) != 0) return Internal("zip: cannot read back the archive");
  zip_source_seek(mem, 0, SEEK_END);
  zip_int64_t size = zip_source_tell(mem);
  zip_source_seek(mem, 0, SEEK_SET);
  std::string bytes(static_cast<std::size_t>(std::max<zip_int64_t>(size, 0)), '\0');
  zip_int64_t n = zip_source_read(mem, bytes.data(), bytes.size());
  zip_source_close(mem);
  if (n != size) return Internal("zip: short read of the archive");
  return bytes;
}

}  // namespace

struct ZipRewrite::Impl {
  std::unique_ptr<zip_t, ZipDiscard> zip;
};

ZipRewrite::~ZipRewrite() = default;

Result<std::unique_ptr<ZipRewrite>> ZipRewrite::Open(std::string_view bytes, const std::string& file) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  if (src == nullptr) return Internal(file + ": cannot read the archive");
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY, &err);
  if (z == nullptr) {
    zip_source_free(src);
    return Corruption(file + ": not a readable zip archive");
  }
  std::unique_ptr<ZipRewrite> out(new ZipRewrite());
  out->impl_ = std::make_unique<Impl>();
  out->impl_->zip.reset(z);
  out->file_ = file;
  const zip_int64_t n = zip_get_num_entries(z, 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    const char* name = zip_get_name(z, static_cast<zip_uint64_t>(i), 0);
    if (name == nullptr) return Corruption(file + ": damaged zip directory");
    out->names_.emplace_back(name);
  }
  return out;
}

Result<std::string> ZipRewrite::Read(const std::string& name, std::size_t max_bytes) const {
  zip_t* z = impl_->zip.get();
  const std::string where = file_ + ": " + name;
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(z, name.c_str(), 0, &st) != 0) return NotFound(where + ": no such part");
  if (st.size > max_bytes) return ResourceExhausted(where + ": part too large");
  zip_file_t* f = zip_fopen_index(z, st.index, 0);
  if (f == nullptr) return Corruption(where + ": cannot open");
  std::string out(static_cast<std::size_t>(st.size), '\0');
  zip_int64_t n = zip_fread(f, out.data(), st.size);
  zip_fclose(f);
  if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) return Corruption(where + ": cannot read");
  return out;
}

Result<std::string> ZipRewrite::Write(const std::map<std::string, std::string>& replaced) const {
  std::vector<OutEntry> entries;
  for (std::size_t i = 0; i < names_.size(); ++i) {
    auto r = replaced.find(names_[i]);
    entries.push_back({names_[i], r == replaced.end() ? static_cast<zip_int64_t>(i) : -1,
                       r == replaced.end() ? nullptr : &r->second});
  }
  return Build(impl_->zip.get(), entries);
}

Result<std::string> WriteZip(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::vector<OutEntry> out;
  for (const auto& [name, bytes] : entries) out.push_back({name, -1, &bytes});
  return Build(nullptr, out);
}

}  // namespace ts::formats
