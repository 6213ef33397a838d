# One way to declare modules, tests and fuzz targets.

# Warnings for our own code only (never applied to third-party headers: those come
# in through imported targets as SYSTEM includes).
add_library(ts_warnings INTERFACE)
target_compile_options(ts_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
  -Wimplicit-fallthrough -Wno-sign-conversion
  $<$<BOOL:${TS_WERROR}>:-Werror>)
if(TS_SANITIZE)
  target_compile_options(ts_warnings INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                         -fno-sanitize-recover=undefined)
  target_link_options(ts_warnings INTERFACE -fsanitize=address,undefined)
endif()

# ts_module(NAME SOURCES ... PUBLIC ... PRIVATE ...): library ts_NAME; headers under src/.
function(ts_module name)
  cmake_parse_arguments(A "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
  add_library(ts_${name} STATIC ${A_SOURCES})
  target_include_directories(ts_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(ts_${name} PUBLIC ${A_PUBLIC} PRIVATE ts_warnings ${A_PRIVATE})
endfunction()

# ts_test(NAME SOURCES ... DEPS ... LABELS ...): a GoogleTest binary registered with ctest.
function(ts_test name)
  cmake_parse_arguments(A "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT TS_BUILD_TESTS)
    return()
  endif()
  add_executable(${name} ${A_SOURCES})
  target_link_libraries(${name} PRIVATE ${A_DEPS} ts_warnings GTest::gtest GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    TS_SOURCE_DIR="${PROJECT_SOURCE_DIR}" TS_BINARY_DIR="${PROJECT_BINARY_DIR}")
  if(NOT A_LABELS)
    set(A_LABELS fast)
  endif()
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST PROPERTIES LABELS "${A_LABELS}"
                       WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endfunction()

# ts_fuzz(NAME SOURCE DEPS ...): with TS_FUZZ a libFuzzer binary; otherwise a replay binary
# that ctest runs over fuzz/corpus/NAME so every saved input is re-checked in normal builds.
function(ts_fuzz name)
  cmake_parse_arguments(A "" "SOURCE" "DEPS" ${ARGN})
  if(TS_FUZZ)
    add_executable(${name}_fuzz ${A_SOURCE})
    target_compile_options(${name}_fuzz PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_options(${name}_fuzz PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_libraries(${name}_fuzz PRIVATE ${A_DEPS} ts_warnings)
  else()
    add_executable(${name}_replay ${A_SOURCE} ${PROJECT_SOURCE_DIR}/fuzz/replay_main.cc)
    target_link_libraries(${name}_replay PRIVATE ${A_DEPS} ts_warnings)
    add_test(NAME fuzz_replay.${name}
             COMMAND ${name}_replay ${PROJECT_SOURCE_DIR}/fuzz/corpus/${name})
    set_tests_properties(fuzz_replay.${name} PROPERTIES LABELS "fast;fuzz" TIMEOUT 300)
  endif()
endfunction()

# ts_embed_text(INPUT OUTPUT): generate OUTPUT (a raw string literal to #include) from the data
# file INPUT at build time; editing the data file rebuilds what includes it.
function(ts_embed_text input output)
  add_custom_command(OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${output} -P ${PROJECT_SOURCE_DIR}/cmake/TsEmbed.cmake
    DEPENDS ${input} ${PROJECT_SOURCE_DIR}/cmake/TsEmbed.cmake
    COMMENT "Embedding ${input}" VERBATIM)
endfunction()
