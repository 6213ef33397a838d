# cmake -DROOT=web -DLIST=files.txt -DOUTPUT=web_assets.cc -P TsWebEmbed.cmake: compiles every
# file listed in LIST (paths relative to ROOT, one a line) into a C++ table of byte arrays that
# src/web/assets.cc looks assets up in. Bytes, not string literals: any file (SVG, fonts,
# images) embeds as it is.
file(STRINGS "${LIST}" files)
set(out "// Generated from ${ROOT} by cmake/TsWebEmbed.cmake. Do not edit.\n")
string(APPEND out "#include \"web/internal/asset_table.h\"\n\nnamespace ts::web::internal {\nnamespace {\n\n")
set(table "")
set(i 0)
foreach(rel IN LISTS files)
  if(rel STREQUAL "")
    continue()
  endif()
  file(READ "${ROOT}/${rel}" hex HEX)
  string(LENGTH "${hex}" digits)
  math(EXPR size "${digits} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  # A trailing 0 keeps empty files legal C++ (the size excludes it).
  string(APPEND out "const unsigned char kFile${i}[] = {${bytes}0};\n")
  string(APPEND table "    {\"${rel}\", kFile${i}, ${size}},\n")
  math(EXPR i "${i} + 1")
endforeach()
string(APPEND out "\n}  // namespace\n\nconst EmbeddedFile kEmbeddedFiles[] = {\n${table}    {nullptr, nullptr, 0},\n};\n\n}  // namespace ts::web::internal\n")
file(WRITE "${OUTPUT}.tmp" "${out}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
