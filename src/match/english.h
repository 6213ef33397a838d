// English in a Japanese matcher: English words and phrases of a question mapped to the Japanese
// content words a checksheet library uses (encryption -> 暗号化, data center -> データセンター),
// from the project's own lexicon (data/match/lexicon_en_ja.tsv) and a supplement derived from
// JMdict/EDICT (data/match/lexicon_edict.tsv). Immutable after construction; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ts::match {

// A light English stemmer (plural, -ed, -ing, final e), the same for lexicon and text, so that
// "encrypted", "encrypts" and "encrypt" meet. Input lower case.
std::string StemEnglish(std::string_view word);

class Lexicon {
 public:
  // The bundled lexicons (parsed once; no tokenizing, so loading is cheap).
  static const Lexicon& Builtin();
  // Parses lexicon text (english<TAB>japanese[<TAB>japanese...]). Later lines add to earlier ones.
  void Add(std::string_view tsv);

  // The Japanese sides, as written, for the English in `lower` (normalized, lower-cased text),
  // longest phrase first, left to right. The caller splits them into content words with its own
  // tokenizer (so the lexicon stays immutable and shared across threads). Empty when the text
  // has no English the lexicon knows. Views into the lexicon.
  std::vector<std::string_view> Translate(std::string_view lower) const;
  std::size_t size() const { return entries_.size(); }

 private:
  std::unordered_map<std::string, std::vector<std::string>> entries_;  // stemmed phrase -> words
  std::size_t longest_ = 1;  // words in the longest phrase
};

}  // namespace ts::match
