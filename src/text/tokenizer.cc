#include "text/tokenizer.h"

#include <mecab.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "text/utf8.h"

namespace ts::text {
namespace {

constexpr std::array<std::string_view, 9> kLightVerbs = {"する", "ある", "いる", "なる", "できる", "れる",
                                                        "られる", "おる", "行う"};

}  // namespace

struct Tokenizer::Impl {
  std::unique_ptr<MeCab::Model> model;
  std::unique_ptr<MeCab::Tagger> tagger;
  std::unique_ptr<MeCab::Lattice> lattice;
};

Tokenizer::Tokenizer() : impl_(std::make_unique<Impl>()) {}
Tokenizer::~Tokenizer() = default;

Result<std::unique_ptr<Tokenizer>> Tokenizer::Create() {
  std::unique_ptr<Tokenizer> t(new Tokenizer());
  t->impl_->model.reset(MeCab::createModel(""));
  if (!t->impl_->model) {
    return Unavailable(std::string("MeCab cannot load its dictionary (install mecab-ipadic-utf8): ") +
                       MeCab::getLastError());
  }
  t->impl_->tagger.reset(t->impl_->model->createTagger());
  t->impl_->lattice.reset(t->impl_->model->createLattice());
  if (!t->impl_->tagger || !t->impl_->lattice) return Unavailable("MeCab: cannot create a tagger");
  return t;
}

std::vector<std::string> Tokenizer::ContentWords(std::string_view text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  const std::string s(text);
  MeCab::Lattice* lattice = impl_->lattice.get();
  lattice->set_sentence(s.c_str());
  if (!impl_->tagger->parse(lattice)) return out;
  std::string compound;
  int compound_parts = 0;
  auto close = [&] {
    if (compound_parts > 1) out.push_back(compound);
    compound.clear();
    compound_parts = 0;
  };
  // Reads the node's fields in place (no Token objects: this runs for every question matched).
  for (const MeCab::Node* n = lattice->bos_node(); n != nullptr; n = n->next) {
    if (n->stat == MECAB_BOS_NODE || n->stat == MECAB_EOS_NODE || n->length == 0) continue;
    const std::string_view surface(n->surface, n->length);
    const std::string_view feature(n->feature);
    const std::size_t c1 = feature.find(',');
    const std::string_view pos = feature.substr(0, c1);
    const std::string_view pos1 = c1 == std::string_view::npos ? std::string_view() : feature.substr(c1 + 1, feature.find(',', c1 + 1) - c1 - 1);
    const bool ascii = std::all_of(surface.begin(), surface.end(),
                                   [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
    if (pos == "名詞" && pos1 != "非自立" && pos1 != "代名詞" && pos1 != "数") {
      std::string w = ascii ? AsciiLower(surface) : std::string(surface);
      if (pos1 != "接尾") out.push_back(w);
      compound += w;
      ++compound_parts;
      continue;
    }
    if (pos == "接頭詞" && pos1 == "名詞接続") {  // 多(要素), 再(発行)
      compound += surface;
      continue;
    }
    close();
    if ((pos == "動詞" || pos == "形容詞") && pos1 == "自立") {
      // The dictionary form is the 7th field.
      std::size_t p = 0;
      for (int k = 0; k < 6 && p != std::string_view::npos; ++k) {
        p = feature.find(',', p);
        if (p != std::string_view::npos) ++p;
      }
      std::string_view base = surface;
      if (p != std::string_view::npos) {
        std::string_view f6 = feature.substr(p, feature.find(',', p) - p);
        if (f6 != "*") base = f6;
      }
      if (std::find(kLightVerbs.begin(), kLightVerbs.end(), base) == kLightVerbs.end()) out.emplace_back(base);
    } else if (ascii && pos != "記号") {
      out.push_back(AsciiLower(surface));
    }
  }
  close();
  return out;
}

}  // namespace ts::text
