# Every third-party dependency, found once. All come from Debian packages listed in
# deps/debian-packages.txt; a missing one fails the configure step loudly.
find_package(PkgConfig REQUIRED)
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
# PDFs: MuPDF (text with positions and the page's vector paths). Debian ships it as static
# libraries; its .pc names the libraries they need but not harfbuzz, so they are listed here.
pkg_check_modules(MUPDF_DEPS REQUIRED IMPORTED_TARGET mujs gumbo libopenjp2 jbig2dec libjpeg freetype2 harfbuzz zlib)
find_path(MUPDF_INCLUDE_DIR mupdf/fitz.h REQUIRED)
find_library(MUPDF_LIBRARY NAMES libmupdf.a mupdf REQUIRED)
find_library(MUPDF_THIRD_LIBRARY NAMES libmupdf-third.a mupdf-third REQUIRED)
add_library(ts_mupdf INTERFACE)
target_include_directories(ts_mupdf SYSTEM INTERFACE ${MUPDF_INCLUDE_DIR})
target_link_libraries(ts_mupdf INTERFACE ${MUPDF_LIBRARY} ${MUPDF_THIRD_LIBRARY} PkgConfig::MUPDF_DEPS m)
find_package(pugixml REQUIRED)
# Streaming XML for the large parts of a workbook (sheet data, shared strings).
pkg_check_modules(EXPAT REQUIRED IMPORTED_TARGET expat)
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
