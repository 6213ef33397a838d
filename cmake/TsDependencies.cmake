# Every third-party dependency, found once. All come from Debian packages listed in
# deps/debian-packages.txt; a missing one fails the configure step loudly.
find_package(PkgConfig REQUIRED)
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
pkg_check_modules(POPPLER_CPP REQUIRED IMPORTED_TARGET poppler-cpp)
find_package(pugixml REQUIRED)
find_package(SQLite3 REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
find_package(OpenSSL 3 REQUIRED)
# Debian builds cpp-httplib as a library with OpenSSL, zlib and brotli; its .pc sets the flags.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
# MeCab ships no pkg-config file on Debian.
find_path(MECAB_INCLUDE_DIR mecab.h REQUIRED)
find_library(MECAB_LIBRARY mecab REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
if(TS_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()
if(TS_BUILD_BENCH)
  find_package(benchmark REQUIRED)
  # Xapian is only the matcher benchmark's baseline.
  find_library(XAPIAN_LIBRARY xapian REQUIRED)
endif()
