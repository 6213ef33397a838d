#include "match/index.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_map>

#include "text/normalize.h"
#include "text/tokenizer.h"
#include "text/utf8.h"

namespace ts::match {
namespace {

constexpr std::string_view kBoilerplateText =
#include "match/boilerplate_txt.inc"
    ;

const std::vector<std::string>& Boilerplate() {
  static const std::vector<std::string> phrases = [] {
    std::vector<std::string> out;
    for (std::string_view line : text::SplitLines(kBoilerplateText)) {
      line = text::Trim(line);
      if (!line.empty() && line[0] != '#') out.push_back(text::NormalizeText(line));
    }
    // Longer first, so that a phrase is removed before a phrase it contains.
    std::stable_sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.size() > b.size(); });
    return out;
  }();
  return phrases;
}

enum Channel { kBigram = 0, kWord = 1, kConcept = 2, kChannels = 3 };
constexpr std::array<double, kChannels> kChannelWeight = {0.45, 0.35, 0.20};
constexpr double kPolarityPenalty = 0.6;

bool Separator(char32_t c) {
  static constexpr std::u32string_view kPunct = U" 、。・「」『』()[]{}<>:;,.!?/\\-_=+*'\"~|　…‥〜";
  return c < 0x21 || kPunct.find(c) != std::u32string_view::npos;
}

struct SparseVec {
  std::vector<std::pair<std::uint32_t, float>> v;  // sorted by feature id
};

using Counts = std::unordered_map<std::string, int>;

}  // namespace

std::string CoreText(std::string_view question) {
  std::string s = text::NormalizeText(question);
  for (const std::string& p : Boilerplate()) {
    if (s.find(p) == std::string::npos) continue;
    std::string out;
    for (std::size_t from = 0;;) {
      std::size_t pos = s.find(p, from);
      out.append(s, from, pos == std::string::npos ? std::string::npos : pos - from);
      if (pos == std::string::npos) break;
      out += ' ';
      from = pos + p.size();
    }
    s = std::move(out);
  }
  return text::CollapseSpaces(s);
}

int Polarity(std::string_view question) {
  const std::string s = text::RemoveSpaces(text::NormalizeText(question));
  if (s.empty()) return 0;
  static constexpr std::array<std::string_view, 10> kNegative = {
      "禁止", "ていない", "しない", "させない", "されない", "ないこと", "不可", "できない", "ません", "ないか"};
  for (std::string_view n : kNegative) {
    if (s.find(n) != std::string::npos) return -1;
  }
  return 1;
}

struct Index::Impl {
  const catalog::Catalog* catalog = nullptr;
  std::unique_ptr<text::Tokenizer> tokenizer;
  std::array<std::unordered_map<std::string, std::uint32_t>, kChannels> vocab;
  std::array<std::vector<float>, kChannels> idf;  // by feature id
  std::array<std::vector<std::vector<std::pair<std::uint32_t, float>>>, kChannels> postings;  // feature -> (doc, w)
  std::vector<std::array<SparseVec, kChannels>> docs;
  std::vector<int> polarity;
  std::array<std::vector<std::string>, kChannels> names;  // feature id -> text
  std::size_t n = 0;

  std::array<Counts, kChannels> Extract(std::string_view question) {
    std::array<Counts, kChannels> out;
    const std::string core = CoreText(question);
    std::u32string chars;
    for (char32_t c : text::ToU32(core)) {
      if (!Separator(c)) chars.push_back(c < 0x80 ? static_cast<char32_t>(std::tolower(static_cast<int>(c))) : c);
    }
    for (std::size_t i = 0; i + 1 < chars.size(); ++i) ++out[kBigram][text::ToUtf8(chars.substr(i, 2))];
    if (chars.size() == 1) ++out[kBigram][text::ToUtf8(chars)];
    for (std::string& w : tokenizer->ContentWords(core)) ++out[kWord][w];
    if (catalog != nullptr) {
      for (const catalog::ConceptHit& h : catalog->FindConcepts(question)) {
        ++out[kConcept][catalog->controls()[h.control].id];
      }
    }
    return out;
  }
};

Index::Index() : impl_(std::make_unique<Impl>()) {}
Index::~Index() = default;
std::size_t Index::size() const { return impl_->n; }

Result<std::unique_ptr<Index>> Index::Build(const std::vector<Document>& docs, const catalog::Catalog* catalog) {
  std::unique_ptr<Index> index(new Index());
  Impl& m = *index->impl_;
  m.catalog = catalog;
  TS_ASSIGN_OR_RETURN(m.tokenizer, text::Tokenizer::Create());
  m.n = docs.size();
  std::vector<std::array<Counts, kChannels>> counts;
  counts.reserve(docs.size());
  for (const Document& d : docs) {
    counts.push_back(m.Extract(d.question));
    m.polarity.push_back(Polarity(d.question));
  }
  // Vocabulary and document frequencies.
  std::array<std::vector<int>, kChannels> df;
  for (const auto& doc : counts) {
    for (int c = 0; c < kChannels; ++c) {
      for (const auto& [f, tf] : doc[c]) {
        auto [it, added] = m.vocab[c].try_emplace(f, static_cast<std::uint32_t>(m.names[c].size()));
        if (added) {
          m.names[c].push_back(f);
          df[c].push_back(0);
        }
        ++df[c][it->second];
      }
    }
  }
  const double n1 = static_cast<double>(m.n) + 1.0;
  for (int c = 0; c < kChannels; ++c) {
    m.idf[c].resize(df[c].size());
    for (std::size_t f = 0; f < df[c].size(); ++f) m.idf[c][f] = static_cast<float>(std::log(n1 / (df[c][f] + 0.5)));
    m.postings[c].resize(df[c].size());
  }
  m.docs.resize(m.n);
  for (std::size_t d = 0; d < m.n; ++d) {
    for (int c = 0; c < kChannels; ++c) {
      SparseVec& sv = m.docs[d][c];
      double norm = 0;
      for (const auto& [f, tf] : counts[d][c]) {
        std::uint32_t id = m.vocab[c].at(f);
        float w = static_cast<float>((1.0 + std::log(tf)) * m.idf[c][id]);
        sv.v.push_back({id, w});
        norm += static_cast<double>(w) * w;
      }
      if (norm > 0) {
        const float inv = static_cast<float>(1.0 / std::sqrt(norm));
        for (auto& [id, w] : sv.v) w *= inv;
      }
      std::sort(sv.v.begin(), sv.v.end());
      for (const auto& [id, w] : sv.v) m.postings[c][id].push_back({static_cast<std::uint32_t>(d), w});
    }
  }
  return index;
}

std::vector<Hit> Index::Match(std::string_view question, std::size_t k) {
  Impl& m = *impl_;
  std::array<Counts, kChannels> q = m.Extract(question);
  const int q_polarity = Polarity(question);
  const double unseen_idf = std::log((static_cast<double>(m.n) + 1.0) / 0.5);
  std::array<std::vector<std::pair<std::uint32_t, float>>, kChannels> qv;  // known features only
  std::array<double, kChannels> active{};
  double active_sum = 0;
  for (int c = 0; c < kChannels; ++c) {
    double norm = 0;
    for (const auto& [f, tf] : q[c]) {
      auto it = m.vocab[c].find(f);
      double idf = it == m.vocab[c].end() ? unseen_idf : m.idf[c][it->second];
      double w = (1.0 + std::log(tf)) * idf;
      norm += w * w;
      if (it != m.vocab[c].end()) qv[c].push_back({it->second, static_cast<float>(w)});
    }
    if (norm > 0) {
      for (auto& [id, w] : qv[c]) w = static_cast<float>(w / std::sqrt(norm));
      active[c] = kChannelWeight[c];
      active_sum += kChannelWeight[c];
    }
  }
  if (active_sum == 0 || m.n == 0) return {};
  // Accumulate cosine per channel over the postings of the query's features.
  std::vector<std::array<float, kChannels>> acc(m.n, {0, 0, 0});
  std::vector<std::uint32_t> touched;
  std::vector<bool> seen(m.n, false);
  for (int c = 0; c < kChannels; ++c) {
    for (const auto& [id, qw] : qv[c]) {
      for (const auto& [d, dw] : m.postings[c][id]) {
        acc[d][c] += qw * dw;
        if (!seen[d]) {
          seen[d] = true;
          touched.push_back(d);
        }
      }
    }
  }
  std::vector<Hit> hits;
  hits.reserve(touched.size());
  for (std::uint32_t d : touched) {
    double s = 0, text_s = 0, text_w = 0;
    for (int c = 0; c < kChannels; ++c) {
      s += active[c] * acc[d][c];
      if (c != kConcept) {
        text_s += active[c] * acc[d][c];
        text_w += active[c];
      }
    }
    s /= active_sum;
    bool differs = q_polarity * m.polarity[d] < 0;
    if (differs) s *= kPolarityPenalty;
    hits.push_back({d, s, text_w > 0 ? text_s / text_w : 0, differs, {}, {}});
  }
  const std::size_t top = std::min(k, hits.size());
  std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(top), hits.end(),
                    [](const Hit& a, const Hit& b) { return a.score != b.score ? a.score > b.score : a.doc < b.doc; });
  hits.resize(top);
  // Explanations for the hits returned: shared words by weight, shared controls.
  for (Hit& h : hits) {
    std::vector<std::pair<float, std::string>> words;
    for (const auto& [id, qw] : qv[kWord]) {
      const auto& dv = m.docs[h.doc][kWord].v;
      auto it = std::lower_bound(dv.begin(), dv.end(), std::make_pair(id, -1e30f));
      if (it != dv.end() && it->first == id) words.push_back({qw * it->second, m.names[kWord][id]});
    }
    std::sort(words.begin(), words.end(), [](auto& a, auto& b) { return a.first > b.first; });
    for (std::size_t i = 0; i < words.size() && i < 5; ++i) h.shared_words.push_back(words[i].second);
    for (const auto& [id, qw] : qv[kConcept]) {
      const auto& dv = m.docs[h.doc][kConcept].v;
      auto it = std::lower_bound(dv.begin(), dv.end(), std::make_pair(id, -1e30f));
      if (it != dv.end() && it->first == id) h.shared_controls.push_back(m.names[kConcept][id]);
    }
  }
  return hits;
}

}  // namespace ts::match
