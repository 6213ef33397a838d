#include "match/english.h"

#include <algorithm>

#include "text/utf8.h"

namespace ts::match {
namespace {

constexpr std::string_view kOwnLexicon =
#include "match/lexicon_en_ja_tsv.inc"
    ;
constexpr std::string_view kEdictLexicon =
#include "match/lexicon_edict_tsv.inc"
    ;

bool Letter(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool Vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

// The stemmed words of lower-cased text: runs of ASCII letters and digits.
std::vector<std::string> StemmedWords(std::string_view lower) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < lower.size()) {
    while (i < lower.size() && !Letter(lower[i])) ++i;
    std::size_t j = i;
    while (j < lower.size() && Letter(lower[j])) ++j;
    if (j > i) out.push_back(StemEnglish(lower.substr(i, j - i)));
    i = j;
  }
  return out;
}

}  // namespace

std::string StemEnglish(std::string_view word) {
  std::string w(word);
  if (w.size() > 4 && EndsWith(w, "ies")) {
    w.replace(w.size() - 3, 3, "y");
  } else if (EndsWith(w, "sses")) {
    w.resize(w.size() - 2);
  } else if (w.size() > 3 && EndsWith(w, "s") && !EndsWith(w, "ss") && !EndsWith(w, "us") && !EndsWith(w, "is")) {
    w.pop_back();
  }
  bool cut = false;
  if (w.size() >= 6 && EndsWith(w, "ing")) {
    w.resize(w.size() - 3);
    cut = true;
  } else if (w.size() >= 5 && EndsWith(w, "ed")) {
    w.resize(w.size() - 2);
    cut = true;
  }
  // logging -> logg -> log; stopped -> stopp -> stop
  if (cut && w.size() >= 3 && w.back() == w[w.size() - 2] && !Vowel(w.back()) && w.back() != 'l' &&
      w.back() != 's') {
    w.pop_back();
  }
  if (w.size() > 3 && w.back() == 'e') w.pop_back();
  return w;
}

void Lexicon::Add(std::string_view tsv) {
  for (std::string_view line : text::SplitLines(tsv)) {
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string_view> fields = text::Split(line, '\t');
    if (fields.size() < 2) continue;
    const std::vector<std::string> words = StemmedWords(text::AsciiLower(text::Trim(fields[0])));
    if (words.empty()) continue;
    std::string key;
    for (const std::string& w : words) key += (key.empty() ? "" : " ") + w;
    std::vector<std::string>& targets = entries_[key];
    for (std::size_t f = 1; f < fields.size(); ++f) {
      const std::string ja(text::Trim(fields[f]));
      if (!ja.empty() && std::find(targets.begin(), targets.end(), ja) == targets.end()) targets.push_back(ja);
    }
    longest_ = std::max(longest_, words.size());
  }
}

const Lexicon& Lexicon::Builtin() {
  static const Lexicon lexicon = [] {
    Lexicon l;
    l.Add(kOwnLexicon);
    l.Add(kEdictLexicon);
    return l;
  }();
  return lexicon;
}

std::vector<std::string_view> Lexicon::Translate(std::string_view lower) const {
  std::vector<std::string_view> out;
  if (entries_.empty()) return out;
  const std::vector<std::string> words = StemmedWords(lower);
  for (std::size_t i = 0; i < words.size();) {
    std::size_t taken = 0;
    for (std::size_t n = std::min(longest_, words.size() - i); n >= 1 && taken == 0; --n) {
      std::string key = words[i];
      for (std::size_t k = 1; k < n; ++k) key += " " + words[i + k];
      if (auto it = entries_.find(key); it != entries_.end()) {
        out.insert(out.end(), it->second.begin(), it->second.end());
        taken = n;
      }
    }
    i += taken == 0 ? 1 : taken;
  }
  return out;
}

}  // namespace ts::match
