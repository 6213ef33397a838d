# cmake -DINPUT=file -DOUTPUT=file.inc -P TsEmbed.cmake: writes the input as a C++ raw string
# literal, so data files under data/ can be compiled into the binary.
file(READ "${INPUT}" content)
file(WRITE "${OUTPUT}" "// Generated from ${INPUT}. Do not edit.\nR\"tsdata(${content})tsdata\"\n")
