// English in a Japanese matcher: English words and phrases of a question mapped to the Japanese
// content words a checksheet library uses (encryption -> 暗号化, data center -> データセンター),
// from the project's own lexicon (data/match/lexicon_en_ja.tsv) and a supplement derived from
// JMdict/EDICT (data/match/lexicon_edict.tsv). Immutable after construction; thread-safe.
#pragma once

#include <functional>
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
  // The bundled lexicons; Japanese sides are split into content words with MeCab once.
  static const Lexicon& Builtin();
  // Parses lexicon text (english<TAB>japanese[<TAB>japanese...]); `split` turns a Japanese side
  // into content words. Later lines add to earlier ones.
  void Add(std::string_view tsv, const std::function<std::vector<std::string>(std::string_view)>& split);

  // The Japanese words for the English in `lower` (normalized, lower-cased text), longest phrase
  // first, left to right. Empty when the text has no English the lexicon knows.
  std::vector<std::string> Translate(std::string_view lower) const;
  std::size_t size() const { return entries_.size(); }

 private:
  std::unordered_map<std::string, std::vector<std::string>> entries_;  // stemmed phrase -> words
  std::size_t longest_ = 1;  // words in the longest phrase
};

}  // namespace ts::match
