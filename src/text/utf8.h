// Small UTF-8 helpers: decode/encode one code point, iterate, trim. Pure functions,
// thread-safe. Invalid bytes decode as U+FFFD and advance by one byte, never past the end.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace ts::text {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// Decodes the code point at s[*pos] and advances *pos. Precondition: *pos < s.size().
char32_t DecodeUtf8(std::string_view s, std::size_t* pos);

// Appends the UTF-8 encoding of `cp` to `out` (invalid code points become U+FFFD).
void AppendUtf8(char32_t cp, std::string* out);

std::u32string ToU32(std::string_view s);
std::string ToUtf8(std::u32string_view s);

// True if `s` is well-formed UTF-8.
bool IsValidUtf8(std::string_view s);

// Number of code points.
std::size_t CodePointCount(std::string_view s);

// Trims ASCII white space, U+3000 (ideographic space) and NBSP from both ends.
std::string_view Trim(std::string_view s);

// Collapses every run of white space (including U+3000, tabs, newlines) into one ASCII space
// and trims the ends.
std::string CollapseSpaces(std::string_view s);

// Removes all white space (used to compare text the way the gold files ask).
std::string RemoveSpaces(std::string_view s);

// ASCII letters lower-cased; every other byte (and so all non-ASCII text) unchanged.
std::string AsciiLower(std::string_view s);

// Splits on '\n', dropping a trailing '\r' from each line.
std::vector<std::string_view> SplitLines(std::string_view s);
// Fields separated by `sep` (empty fields kept): "a,,b" -> {"a", "", "b"}.
std::vector<std::string_view> Split(std::string_view s, char sep);

bool IsSpace(char32_t c);
bool IsAsciiDigit(char32_t c);
bool IsAsciiAlnum(char32_t c);
// CJK ideographs, kana and the CJK punctuation block.
bool IsCjk(char32_t c);

bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);

}  // namespace ts::text

namespace ts::text {
// Joins two pieces of a line-wrapped text: one space between two Latin words, none where
// either side is Japanese (「記号のうち」+「3種類」, 「ISMS」+「認証」). Either side may be empty.
std::string JoinWrapped(std::string_view a, std::string_view b);
// `s` cut to at most `max` bytes, at a character boundary.
std::string CutUtf8(std::string s, std::size_t max);
// The part of `s` around [at, at + len) that reaches to the nearest of `stops` on either side,
// the stops left out: the sentence or clause a match stands in.
std::string_view SpanAround(std::string_view s, std::size_t at, std::size_t len,
                            std::initializer_list<std::string_view> stops);
// Every line of `s` joined with JoinWrapped: a cell's text as one line, for matching.
std::string JoinLines(std::string_view s);
}  // namespace ts::text
