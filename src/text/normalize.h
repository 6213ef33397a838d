// Text normalization for checksheet text: repairs what PDF extraction and Excel do to
// Japanese text. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace ts::text {

// The full repair, in order:
//  1. invalid UTF-8 bytes become U+FFFD; control characters other than \t and \n are dropped;
//  2. broken-font digits U+43C3..U+43CC become 0..9 where they stand among Latin letters and
//     digits (RepairGlyphDigits);
//  3. Unicode NFKC (full-width ASCII, half-width kana, Kangxi radicals, circled digits...);
//  4. look-alikes NFKC leaves alone (CJK radical supplement forms such as ⻑, U+2027 ‧,
//     U+2215 ∕), from data/text/lookalikes.tsv.
// Text made only of ASCII, Latin-1/Extended, CJK, kana and full/half-width forms takes a
// per-character fast path (NFKC is then per-character); anything that can compose or reorder
// (combining marks, voiced-mark halves, Hangul jamo, Indic vowel signs) takes utf8proc.
std::string NormalizeText(std::string_view s);

// NormalizeText without the fast path; what the fast path is tested against.
std::string NormalizeTextReference(std::string_view s);

// Step 2 alone. A run of U+43C3..U+43CC (possibly with '.' between) is read as digits when a
// Latin letter or digit stands next to it (skipping one space or one of - . / : ( ), or when
// the run is at least three long (such runs do not occur in real Japanese text).
std::string RepairGlyphDigits(std::string_view s);

// NFKC only (with invalid bytes replaced by U+FFFD).
std::string Nfkc(std::string_view s);

// Canonical form for comparing text: NormalizeText, then every white space removed.
std::string ComparisonKey(std::string_view s);

}  // namespace ts::text
