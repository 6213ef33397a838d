#include "match/index.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <map>
#include <unordered_map>

#include "text/normalize.h"
#include "text/tokenizer.h"
#include "text/utf8.h"

namespace ts::match {
namespace {

constexpr std::string_view kBoilerplateText =
#include "match/boilerplate_txt.inc"
    ;

constexpr std::string_view kSynonymsText =
#include "match/synonyms_tsv.inc"
    ;

// Content word -> the word that stands for its class (data/match/synonyms.tsv).
const std::unordered_map<std::string, std::string>& Synonyms() {
  static const std::unordered_map<std::string, std::string> table = [] {
    std::unordered_map<std::string, std::string> out;
    for (std::string_view line : text::SplitLines(kSynonymsText)) {
      if (line.empty() || line[0] == '#') continue;
      std::string head;
      for (std::string_view field : text::Split(line, '\t')) {
        const std::string w = text::AsciiLower(text::NormalizeText(text::Trim(field)));
        if (w.empty()) continue;
        if (head.empty()) head = w;
        out.try_emplace(w, head);
      }
    }
    return out;
  }();
  return table;
}

// The boilerplate phrases grouped by their first code point (all are Japanese: 3 UTF-8 bytes),
// longest first within a group, so CoreText needs one pass over the text.
struct BoilerplateTable {
  std::array<bool, 256> lead{};  // first bytes that start some phrase
  std::vector<std::pair<std::uint32_t, std::vector<std::string>>> groups;  // sorted by key
};

std::uint32_t Key3(const std::string& s, std::size_t i) {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(s[i])) << 16) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(s[i + 1])) << 8) |
         static_cast<unsigned char>(s[i + 2]);
}

const BoilerplateTable& Boilerplate() {
  static const BoilerplateTable table = [] {
    std::vector<std::string> phrases;
    for (std::string_view line : text::SplitLines(kBoilerplateText)) {
      line = text::Trim(line);
      if (!line.empty() && line[0] != '#') phrases.push_back(text::NormalizeText(line));
    }
    std::stable_sort(phrases.begin(), phrases.end(), [](auto& a, auto& b) { return a.size() > b.size(); });
    std::map<std::uint32_t, std::vector<std::string>> by_key;
    BoilerplateTable t;
    for (std::string& ph : phrases) {
      if (ph.size() < 3) continue;
      t.lead[static_cast<unsigned char>(ph[0])] = true;
      by_key[Key3(ph, 0)].push_back(std::move(ph));
    }
    t.groups.assign(by_key.begin(), by_key.end());
    return t;
  }();
  return table;
}

std::string RemoveBoilerplate(const std::string& s) {
  const BoilerplateTable& table = Boilerplate();
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (table.lead[static_cast<unsigned char>(s[i])] && i + 3 <= s.size()) {
      const std::uint32_t key = Key3(s, i);
      auto g = std::lower_bound(table.groups.begin(), table.groups.end(), key,
                                [](const auto& e, std::uint32_t k) { return e.first < k; });
      if (g != table.groups.end() && g->first == key) {
        const std::string* hit = nullptr;
        for (const std::string& ph : g->second) {
          if (s.compare(i, ph.size(), ph) == 0) {
            hit = &ph;
            break;
          }
        }
        if (hit != nullptr) {
          out += ' ';
          i += hit->size();
          continue;
        }
      }
    }
    out += s[i++];
  }
  return text::CollapseSpaces(out);
}

int PolarityOfNormalized(const std::string& normalized) {
  if (normalized.empty()) return 0;
  static constexpr std::array<std::string_view, 10> kNegative = {
      "禁止", "ていない", "しない", "させない", "されない", "ないこと", "不可", "できない", "ません", "ないか"};
  for (std::string_view n : kNegative) {
    if (normalized.find(n) != std::string::npos) return -1;
  }
  return 1;
}

enum Channel { kBigram = 0, kWord = 1, kConcept = 2, kChannels = 3 };
// The text similarity is the weighted mean of the bigram and word cosines; concepts lift it.
constexpr std::array<double, 2> kTextWeight = {0.55, 0.45};  // kBigram, kWord
constexpr float kConceptLift = 0.5f;
constexpr double kPolarityPenalty = 0.6;
// Above this many postings a query is scored in two stages (see Match).
constexpr std::size_t kExactWork = 30000;
constexpr std::size_t kCandidateWork = 2000;
constexpr std::size_t kCandidates = 16;

bool Separator(char32_t c) {
  if (c < 0x80) {
    // ASCII: everything but letters and digits separates.
    return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
  }
  switch (c) {
    case U'、': case U'。': case U'・': case U'「': case U'」': case U'『': case U'』': case U'　': case U'…':
    case U'‥': case U'〜':
      return true;
    default:
      return false;
  }
}

// A frozen open-addressing map from feature key to id, for the lookups every query makes.
class FlatMap {
 public:
  void Build(const std::unordered_map<std::uint64_t, std::uint32_t>& from) {
    std::size_t cap = 16;
    while (cap < from.size() * 2) cap <<= 1;
    shift_ = 64 - static_cast<int>(std::countr_zero(cap));
    keys_.assign(cap, kEmpty);
    values_.assign(cap, 0);
    for (const auto& [k, v] : from) {
      std::size_t i = Slot(k);
      while (keys_[i] != kEmpty) i = (i + 1) & (cap - 1);
      keys_[i] = k;
      values_[i] = v;
    }
  }
  // The id of `k`, or -1.
  std::int64_t Find(std::uint64_t k) const {
    if (keys_.empty() || k == kEmpty) return -1;
    for (std::size_t i = Slot(k);; i = (i + 1) & (keys_.size() - 1)) {
      if (keys_[i] == k) return values_[i];
      if (keys_[i] == kEmpty) return -1;
    }
  }

 private:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
  std::size_t Slot(std::uint64_t k) const { return static_cast<std::size_t>((k * 0x9E3779B97F4A7C15ull) >> shift_); }
  int shift_ = 60;
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> values_;
};

struct SparseVec {
  std::vector<std::pair<std::uint32_t, float>> v;  // sorted by feature id
};

// A question's features in one channel: (key, count), sorted by key. Bigram keys pack the two
// code points; word and concept keys are 64-bit hashes of the text.
using Counts = std::vector<std::pair<std::uint64_t, int>>;

Counts ToCounts(std::vector<std::uint64_t> keys) {
  std::sort(keys.begin(), keys.end());
  Counts out;
  for (std::uint64_t k : keys) {
    if (!out.empty() && out.back().first == k) {
      ++out.back().second;
    } else {
      out.push_back({k, 1});
    }
  }
  return out;
}

std::uint64_t TextKey(std::string_view s) { return std::hash<std::string_view>{}(s); }

}  // namespace

std::string CoreText(std::string_view question) { return RemoveBoilerplate(text::NormalizeText(question)); }

int Polarity(std::string_view question) { return PolarityOfNormalized(text::NormalizeText(question)); }

struct Index::Impl {
  const catalog::Catalog* catalog = nullptr;
  std::unique_ptr<text::Tokenizer> tokenizer;
  std::array<std::unordered_map<std::uint64_t, std::uint32_t>, kChannels> vocab;  // while building
  std::array<FlatMap, kChannels> lookup;  // the same, frozen for queries
  std::array<std::vector<float>, kChannels> idf;  // by feature id
  std::array<std::vector<std::vector<std::pair<std::uint32_t, float>>>, kChannels> postings;  // feature -> (doc, w)
  std::vector<std::array<SparseVec, kChannels>> docs;
  std::vector<int> polarity;
  std::array<std::vector<std::string>, kChannels> names;  // feature id -> text (words and concepts)
  std::size_t n = 0;
  // Scratch for Match.
  std::vector<float> concepts, text;
  std::vector<std::uint32_t> stamp, touched;
  std::uint32_t generation = 0;

  // The features of a question, and its polarity. With `names`, records the text of word and
  // concept keys (index build only).
  std::array<Counts, kChannels> Extract(std::string_view question, int* polarity_out,
                                        std::unordered_map<std::uint64_t, std::string>* names_out = nullptr) {
    std::array<Counts, kChannels> out;
    const std::string normalized = text::NormalizeText(question);
    *polarity_out = PolarityOfNormalized(normalized);
    const std::string core = RemoveBoilerplate(normalized);
    std::u32string chars;
    for (char32_t c : text::ToU32(core)) {
      if (!Separator(c)) chars.push_back(c < 0x80 ? static_cast<char32_t>(std::tolower(static_cast<int>(c))) : c);
    }
    std::vector<std::uint64_t> keys;
    for (std::size_t i = 0; i + 1 < chars.size(); ++i) {
      keys.push_back((static_cast<std::uint64_t>(chars[i]) << 21) | chars[i + 1]);
    }
    if (chars.size() == 1) keys.push_back(chars[0]);
    out[kBigram] = ToCounts(std::move(keys));
    keys.clear();
    const auto& synonyms = Synonyms();
    for (const std::string& w : tokenizer->ContentWords(core)) {
      auto syn = synonyms.find(w);
      const std::string& word = syn == synonyms.end() ? w : syn->second;
      keys.push_back(TextKey(word));
      if (names_out != nullptr) names_out->try_emplace(keys.back(), word);
    }
    out[kWord] = ToCounts(std::move(keys));
    keys.clear();
    if (catalog != nullptr) {
      for (const catalog::ConceptHit& h : catalog->FindConceptsInNormalized(normalized)) {
        const std::string& id = catalog->controls()[h.control].id;
        keys.push_back(TextKey(id));
        if (names_out != nullptr) names_out->try_emplace(keys.back(), id);
      }
    }
    out[kConcept] = ToCounts(std::move(keys));
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
  std::unordered_map<std::uint64_t, std::string> key_names;
  for (const Document& d : docs) {
    int polarity = 0;
    counts.push_back(m.Extract(d.question, &polarity, &key_names));
    m.polarity.push_back(polarity);
  }
  // Vocabulary and document frequencies.
  std::array<std::vector<int>, kChannels> df;
  for (const auto& doc : counts) {
    for (int c = 0; c < kChannels; ++c) {
      for (const auto& [f, tf] : doc[c]) {
        auto [it, added] = m.vocab[c].try_emplace(f, static_cast<std::uint32_t>(df[c].size()));
        if (added) {
          if (c != kBigram) m.names[c].push_back(key_names[f]);
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
  for (int c = 0; c < kChannels; ++c) {
    m.lookup[c].Build(m.vocab[c]);
    m.vocab[c] = {};
  }
  return index;
}

std::vector<Hit> Index::Match(std::string_view question, std::size_t k) {
  Impl& m = *impl_;
  int q_polarity = 0;
  std::array<Counts, kChannels> q = m.Extract(question, &q_polarity);
  const double unseen_idf = std::log((static_cast<double>(m.n) + 1.0) / 0.5);
  std::array<std::vector<std::pair<std::uint32_t, float>>, kChannels> qv;  // known features only
  bool any = false;
  double text_active = 0;  // weight of the text channels the question has features in
  for (int c = 0; c < kChannels; ++c) {
    double norm = 0;
    for (const auto& [f, tf] : q[c]) {
      const std::int64_t id = m.lookup[c].Find(f);
      double idf = id < 0 ? unseen_idf : m.idf[c][static_cast<std::size_t>(id)];
      double w = (1.0 + std::log(tf)) * idf;
      norm += w * w;
      if (id >= 0) qv[c].push_back({static_cast<std::uint32_t>(id), static_cast<float>(w)});
    }
    if (norm > 0) {
      for (auto& [id, w] : qv[c]) w = static_cast<float>(w / std::sqrt(norm));
      any = true;
      if (c != kConcept) text_active += kTextWeight[static_cast<std::size_t>(c)];
    }
  }
  if (!any || m.n == 0) return {};
  // Accumulate the blended cosine (and its text-only part) over the postings of the query's
  // features, in scratch buffers kept between calls; a generation stamp marks touched docs.
  // Large libraries: the rarest features (up to a budget of postings) pick candidates, whose
  // exact scores then come from their sparse vectors; scores stay exact, only docs sharing
  // nothing but common features are not considered.
  if (m.text.size() != m.n) {
    m.concepts.assign(m.n, 0);
    m.text.assign(m.n, 0);
    m.stamp.assign(m.n, 0);
  }
  if (++m.generation == 0) {
    std::fill(m.stamp.begin(), m.stamp.end(), 0);
    m.generation = 1;
  }
  m.touched.clear();
  // Each text channel's share of T (0 for a channel the question has no features in).
  std::array<float, 2> text_blend{};
  for (int c = kBigram; c <= kWord; ++c) {
    if (!qv[c].empty() && text_active > 0) {
      text_blend[static_cast<std::size_t>(c)] = static_cast<float>(kTextWeight[static_cast<std::size_t>(c)] / text_active);
    }
  }
  // Adds a channel's cosine contribution `x` to doc `d`.
  auto add = [&](std::uint32_t d, int channel, float x) {
    if (channel == kConcept) {
      m.concepts[d] += x;
    } else {
      m.text[d] += text_blend[static_cast<std::size_t>(channel)] * x;
    }
  };
  // The score: text similarity T, lifted towards 1 by the share of catalog concepts C.
  auto Blend = [&](std::uint32_t d) { return m.text[d] + (1.0f - m.text[d]) * kConceptLift * m.concepts[d]; };
  struct Feature {
    int channel;
    std::uint32_t id;
    float weight;
    std::size_t postings;
  };
  std::vector<Feature> features;
  std::size_t work = 0;
  for (int c = 0; c < kChannels; ++c) {
    for (const auto& [id, qw] : qv[c]) {
      features.push_back({c, id, qw, m.postings[c][id].size()});
      work += m.postings[c][id].size();
    }
  }
  const bool two_stage = work > kExactWork;
  if (two_stage) {
    std::sort(features.begin(), features.end(), [](const Feature& a, const Feature& b) { return a.postings < b.postings; });
  }
  std::size_t spent = 0;
  for (const Feature& f : features) {
    if (two_stage && spent >= kCandidateWork) break;
    spent += f.postings;
    for (const auto& [d, dw] : m.postings[f.channel][f.id]) {
      if (m.stamp[d] != m.generation) {
        m.stamp[d] = m.generation;
        m.concepts[d] = 0;
        m.text[d] = 0;
        m.touched.push_back(d);
      }
      add(d, f.channel, f.weight * dw);
    }
  }
  if (two_stage) {
    // Keep the best candidates by partial score, then score them exactly.
    if (m.touched.size() > kCandidates) {
      std::nth_element(m.touched.begin(), m.touched.begin() + kCandidates, m.touched.end(),
                       [&](std::uint32_t a, std::uint32_t b) { return Blend(a) > Blend(b); });
      m.touched.resize(kCandidates);
    }
    for (auto& v : qv) std::sort(v.begin(), v.end());
    for (std::uint32_t d : m.touched) {
      m.concepts[d] = 0;
      m.text[d] = 0;
      for (int c = 0; c < kChannels; ++c) {
        const auto& dv = m.docs[d][c].v;
        float dot = 0;
        for (std::size_t i = 0, j = 0; i < qv[c].size() && j < dv.size();) {
          if (qv[c][i].first < dv[j].first) {
            ++i;
          } else if (dv[j].first < qv[c][i].first) {
            ++j;
          } else {
            dot += qv[c][i++].second * dv[j++].second;
          }
        }
        add(d, c, dot);
      }
    }
  }
  std::vector<std::pair<float, std::uint32_t>> ranked;
  ranked.reserve(m.touched.size());
  for (std::uint32_t d : m.touched) {
    float s = Blend(d);
    if (q_polarity * m.polarity[d] < 0) s *= static_cast<float>(kPolarityPenalty);
    ranked.push_back({s, d});
  }
  auto better = [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; };
  const std::size_t top = std::min(k, ranked.size());
  if (top < ranked.size()) {
    std::nth_element(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(top), ranked.end(), better);
    ranked.resize(top);
  }
  std::sort(ranked.begin(), ranked.end(), better);
  std::vector<Hit> hits;
  for (const auto& [score, d] : ranked) {
    hits.push_back({d, score, m.text[d], q_polarity * m.polarity[d] < 0, {}, {}});
  }
  // Explanations for the best hit: shared words by weight, shared controls.
  if (!hits.empty()) {
    Hit& h = hits.front();
    // The features of channel c that the question and the hit share, with their weights.
    auto shared = [&](int c) {
      std::vector<std::pair<float, std::string>> out;
      const auto& dv = m.docs[h.doc][c].v;
      for (const auto& [id, qw] : qv[c]) {
        auto it = std::lower_bound(dv.begin(), dv.end(), std::make_pair(id, -1e30f));
        if (it != dv.end() && it->first == id) out.push_back({qw * it->second, m.names[c][id]});
      }
      return out;
    };
    auto words = shared(kWord);
    std::stable_sort(words.begin(), words.end(), [](auto& a, auto& b) { return a.first > b.first; });
    for (std::size_t i = 0; i < words.size() && i < 5; ++i) h.shared_words.push_back(words[i].second);
    for (const auto& [weight, id] : shared(kConcept)) h.shared_controls.push_back(id);
  }
  return hits;
}

}  // namespace ts::match
