#include "base/file_io.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace ts {
namespace {

std::string TempDir() {
  auto d = std::filesystem::temp_directory_path() / ("ts_fileio_" + std::to_string(::getpid()));
  std::filesystem::create_directories(d);
  return d.string();
}

TEST(ReadFileBounded, ReadsSmallFile) {
  std::string p = TempDir() + "/a.txt";
  std::ofstream(p) << "hello";
  auto r = ReadFileBounded(p, 100);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "hello");
}

TEST(ReadFileBounded, RejectsOversizedFileWithoutReadingIt) {
  std::string p = TempDir() + "/big.txt";
  std::ofstream(p) << std::string(1000, 'x');
  auto r = ReadFileBounded(p, 999);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(r.status().message(), p + ": file is 1000 bytes; the limit is 999 bytes");
}

TEST(ReadFileBounded, NamesMissingFileAndDirectory) {
  auto r = ReadFileBounded("/nonexistent/x.xlsx", 10);
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(r.status().message(), "/nonexistent/x.xlsx: no such file");
  auto d = ReadFileBounded(TempDir(), 10);
  EXPECT_EQ(d.status().code(), ErrorCode::kInvalidArgument);
}

TEST(WriteFileAtomic, ReplacesContentAndLeavesNoTemporaryFiles) {
  std::string dir = TempDir() + "/atomic";
  std::filesystem::create_directories(dir);
  std::string p = dir + "/out.txt";
  ASSERT_TRUE(WriteFileAtomic(p, "one").ok());
  ASSERT_TRUE(WriteFileAtomic(p, "two").ok());
  EXPECT_EQ(*ReadFileBounded(p, 10), "two");
  int files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir)) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 1);
}

TEST(WriteFileAtomic, FailsCleanlyInMissingDirectory) {
  Status s = WriteFileAtomic("/nonexistent-dir/out.txt", "x");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kUnavailable);
}

TEST(CreatePrivateFile, MakesAnEmptyOwnerOnlyFileAndNeverReplacesOne) {
  const std::string p = TempDir() + "/private.db";
  ::umask(0);  // the mode must not depend on a permissive umask
  ASSERT_TRUE(CreatePrivateFile(p).ok());
  ::umask(022);
  EXPECT_EQ(std::filesystem::file_size(p), 0u);
  EXPECT_EQ(std::filesystem::status(p).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::ofstream(p) << "kept";
  Status again = CreatePrivateFile(p);
  EXPECT_EQ(again.code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(again.message(), p + ": exists");
  EXPECT_EQ(*ReadFileBounded(p, 10), "kept");
  EXPECT_EQ(CreatePrivateFile("/nonexistent-dir/x").code(), ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace ts
