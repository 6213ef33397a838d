// Bounded file reads and atomic file writes. Every read of untrusted input goes through
// ReadFileBounded so no input is read unbounded into memory. Thread-compatible (no state).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace ts {

// Reads the whole file at `path` if it is a regular file of at most `max_bytes`.
// Errors: NotFound (missing), InvalidArgument (a directory or not a regular file),
// ResourceExhausted (larger than max_bytes; nothing beyond the size check is read),
// Unavailable (read error). Messages name the file.
Result<std::string> ReadFileBounded(const std::string& path, std::size_t max_bytes);

// Writes `data` to `path` atomically: a temporary file in the same directory, fsync, rename.
// On failure the destination is untouched and the temporary file is removed. The file gets
// `mode` (less the umask) from its creation on: 0600 for secrets is never readable by others.
Status WriteFileAtomic(const std::string& path, std::string_view data, unsigned mode = 0644);

// Creates `path` as an empty file readable and writable by its owner only (0600), for a
// library (SQLite) to fill: it would otherwise create the file with its own, wider mode.
// AlreadyExists when `path` exists; Unavailable with the system's reason otherwise.
Status CreatePrivateFile(const std::string& path);

}  // namespace ts
