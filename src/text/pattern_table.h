// Word lists kept as data files of "kind<TAB>pattern" lines (# starts a comment): each pattern
// compared in its normalized form (NFKC, lower case) and kept as written for reasons. Used by
// the question-meaning and the remark tables. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ts::text {

struct TablePattern {
  std::string key;      // normalized, lower case: what is compared
  std::string written;  // as in the data file
  bool ascii = false;   // Latin letters only: matched as words
};

// The patterns of each of `kinds`, in that order, in file order; lines of other kinds are
// ignored.
std::vector<std::vector<TablePattern>> ParsePatternTable(std::string_view tsv, const std::vector<std::string_view>& kinds);

// Where `p` occurs in `s` (normalized, lower case) at or after `from`, or npos. An ASCII pattern
// only where a word starts, and with `whole_word` also where it ends.
std::size_t FindPattern(std::string_view s, const TablePattern& p, std::size_t from = 0, bool whole_word = false);

}  // namespace ts::text
