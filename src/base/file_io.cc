#include "base/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

namespace ts {
namespace {

std::string ErrnoText() { return std::strerror(errno); }

class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  int get() const { return fd_; }
  int release() {
    int f = fd_;
    fd_ = -1;
    return f;
  }

 private:
  int fd_;
};

}  // namespace

Result<std::string> ReadFileBounded(const std::string& path, std::size_t max_bytes) {
  FdCloser fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return NotFound(path + ": no such file");
    return Unavailable(path + ": cannot open: " + ErrnoText());
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Unavailable(path + ": cannot stat: " + ErrnoText());
  if (S_ISDIR(st.st_mode)) return InvalidArgument(path + ": is a directory, not a file");
  if (!S_ISREG(st.st_mode)) return InvalidArgument(path + ": not a regular file");
  if (static_cast<std::size_t>(st.st_size) > max_bytes) {
    return ResourceExhausted(path + ": file is " + std::to_string(st.st_size) +
                             " bytes; the limit is " + std::to_string(max_bytes) + " bytes");
  }
  std::string data;
  data.resize(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  while (got < data.size()) {
    ssize_t n = ::read(fd.get(), data.data() + got, data.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Unavailable(path + ": read error: " + ErrnoText());
    }
    if (n == 0) break;  // file shrank while reading
    got += static_cast<std::size_t>(n);
  }
  data.resize(got);
  // A file that grew after fstat is not read past the limit: we only read st_size bytes.
  return data;
}

Status WriteFileAtomic(const std::string& path, std::string_view data, unsigned mode) {
  std::string dir = ".";
  if (auto slash = path.rfind('/'); slash != std::string::npos) dir = path.substr(0, slash + 1);
  std::random_device rd;
  std::string tmp = path + ".tmp-" + std::to_string(rd()) + std::to_string(::getpid());
  FdCloser fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, static_cast<mode_t>(mode)));
  if (fd.get() < 0) return Unavailable(path + ": cannot create temporary file: " + ErrnoText());
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd.get(), data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::string err = ErrnoText();
      ::unlink(tmp.c_str());
      return Unavailable(path + ": write error: " + err);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) {
    std::string err = ErrnoText();
    ::unlink(tmp.c_str());
    return Unavailable(path + ": fsync failed: " + err);
  }
  ::close(fd.release());
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string err = ErrnoText();
    ::unlink(tmp.c_str());
    return Unavailable(path + ": cannot rename temporary file into place: " + err);
  }
  // Make the rename itself durable.
  FdCloser dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dfd.get() >= 0) ::fsync(dfd.get());
  return Status::Ok();
}

Status CreatePrivateFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Status(ErrorCode::kAlreadyExists, path + ": exists");
    return Unavailable(path + ": cannot create: " + std::strerror(errno));
  }
  ::close(fd);
  return Status();
}

}  // namespace ts
