// Japanese tokenization with MeCab (IPADIC): content words for matching. The dictionary is the
// system one (/etc/mecabrc, Debian package mecab-ipadic-utf8). One Tokenizer per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace ts::text {

class Tokenizer {
 public:
  // Errors: Unavailable when MeCab or its dictionary cannot be loaded.
  static Result<std::unique_ptr<Tokenizer>> Create();
  ~Tokenizer();
  Tokenizer(const Tokenizer&) = delete;
  Tokenizer& operator=(const Tokenizer&) = delete;

  // Words that carry meaning: nouns (and runs of nouns joined as compounds, "多要素認証"),
  // independent verbs and adjectives in dictionary form, and Latin words (lower-cased).
  // Auxiliary verbs (する, ある, いる, できる...), particles and symbols are left out.
  std::vector<std::string> ContentWords(std::string_view text);

 private:
  Tokenizer();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ts::text
