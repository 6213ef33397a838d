#include "match/index.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <map>
#include <unordered_map>

#include "match/english.h"
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
constexpr std::string_view kBackgroundText =
#include "match/background_tsv.inc"
    ;
constexpr std::string_view kWeightsText =
#include "match/weights_tsv.inc"
    ;

// Content word -> the word that stands for its class (data/match/synonyms.tsv).
const std::unordered_map<std::string, std::string>& Synonyms();

// The word that stands for `w`'s synonym class (`w` itself when it has none).
const std::string& WordClass(const std::string& w) {
  const auto& synonyms = Synonyms();
  auto syn = synonyms.find(w);
  return syn == synonyms.end() ? w : syn->second;
}

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

std::uint64_t TextKey(std::string_view s) { return std::hash<std::string_view>{}(s); }

// The Japanese content words for the English in `core`, through the lexicon, split as the
// library's own words are.
std::vector<std::string> EnglishAsJapanese(text::Tokenizer& tokenizer, const std::string& core) {
  std::vector<std::string> out;
  for (std::string_view ja : Lexicon::Builtin().Translate(text::AsciiLower(core))) {
    std::vector<std::string> words = tokenizer.ContentWords(ja);
    if (words.empty()) words.emplace_back(ja);
    for (std::string& w : words) out.push_back(std::move(w));
  }
  return out;
}

// The characters bigrams are made of: no separators, ASCII lower-cased.
std::u32string CoreChars(const std::string& core) {
  std::u32string chars;
  for (char32_t c : text::ToU32(core)) {
    if (!Separator(c)) chars.push_back(c < 0x80 ? static_cast<char32_t>(std::tolower(static_cast<int>(c))) : c);
  }
  return chars;
}

std::vector<std::uint64_t> BigramKeys(const std::string& core) {
  const std::u32string chars = CoreChars(core);
  std::vector<std::uint64_t> keys;
  for (std::size_t i = 0; i + 1 < chars.size(); ++i) {
    keys.push_back((static_cast<std::uint64_t>(chars[i]) << 21) | chars[i + 1]);
  }
  if (chars.size() == 1) keys.push_back(chars[0]);
  return keys;
}

// Document frequencies of checksheet language (data/match/background.tsv), keyed like the
// index's features: words by TextKey of the class word, bigrams by their packed code points.
struct Background {
  double docs = 0;
  std::unordered_map<std::uint64_t, float> words, bigrams;
};

const Background& BackgroundStats() {
  static const Background bg = [] {
    Background b;
    for (std::string_view line : text::SplitLines(kBackgroundText)) {
      if (line.empty() || line[0] == '#') continue;
      const std::vector<std::string_view> f = text::Split(line, '\t');
      if (f.size() == 2 && f[0] == "docs") {
        b.docs = std::strtod(std::string(f[1]).c_str(), nullptr);
      } else if (f.size() == 3) {
        const float df = std::strtof(std::string(f[2]).c_str(), nullptr);
        if (f[0] == "w") {
          b.words[TextKey(f[1])] = df;
        } else if (f[0] == "b") {
          const std::vector<std::uint64_t> k = BigramKeys(std::string(f[1]));
          if (k.size() == 1) b.bigrams[k[0]] = df;
        }
      }
    }
    return b;
  }();
  return bg;
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
  std::size_t MemoryBytes() const { return keys_.size() * (sizeof(std::uint64_t) + sizeof(std::uint32_t)); }

 private:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
  std::size_t Slot(std::uint64_t k) const { return static_cast<std::size_t>((k * 0x9E3779B97F4A7C15ull) >> shift_); }
  int shift_ = 60;
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> values_;
};

using Weighted = std::vector<std::pair<std::uint32_t, float>>;  // sorted by feature id

// A question's features in one channel: (key, count), sorted by key.
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

float Dot(const Weighted& a, const Weighted& b) {
  float dot = 0;
  for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i].first < b[j].first) {
      ++i;
    } else if (b[j].first < a[i].first) {
      ++j;
    } else {
      dot += a[i++].second * b[j++].second;
    }
  }
  return dot;
}

bool HasDigit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

enum Channel { kBigram = 0, kWord = 1, kConcept = 2, kChannels = 3 };
// Where an entry's word occurs (bit flags of EntryWord::where).
constexpr std::uint8_t kInQuestion = 1, kInRemarks = 2, kInSection = 4;

struct EntryWord {
  std::uint32_t id;
  std::uint8_t where;
};

// Where `words` (sorted by id) has word `id`: its EntryWord flags, 0 when it lacks it.
std::uint8_t WhereIn(const std::vector<EntryWord>& words, std::uint32_t id) {
  auto it = std::lower_bound(words.begin(), words.end(), id, [](const EntryWord& e, std::uint32_t x) { return e.id < x; });
  return it != words.end() && it->id == id ? it->where : 0;
}

// The first stage blends these to pick candidates; the model then scores them exactly.
constexpr float kStageBigram = 0.35f, kStageWord = 0.35f, kStageCover = 0.3f, kStageConcept = 0.2f;
// Above this many postings a query's first stage reads only its rarest features.
constexpr std::size_t kExactWork = 30000;
constexpr std::size_t kCandidateWork = 2000;
constexpr std::size_t kExplained = 4;
constexpr double kAgreementFloor = 0.1;

}  // namespace

std::string CoreText(std::string_view question) { return RemoveBoilerplate(text::NormalizeText(question)); }

std::vector<std::string> BackgroundTerms(std::string_view text_in) {
  // One tokenizer for the tool's whole run (this is not called on any request path).
  static std::unique_ptr<text::Tokenizer> tokenizer = [] {
    auto t = text::Tokenizer::Create();
    return t.ok() ? std::move(*t) : nullptr;
  }();
  std::vector<std::string> out;
  if (tokenizer == nullptr) return out;
  const std::string core = RemoveBoilerplate(text::NormalizeText(text_in));
  for (const std::string& w : tokenizer->ContentWords(core)) out.push_back("w\t" + WordClass(w));
  for (const std::string& w : EnglishAsJapanese(*tokenizer, core)) out.push_back("w\t" + WordClass(w));
  const std::u32string chars = CoreChars(core);
  for (std::size_t i = 0; i + 1 < chars.size(); ++i) out.push_back("b\t" + text::ToUtf8(chars.substr(i, 2)));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::array<double, kSignalCount> SignalValues(const Signals& s) {
  return {s.question_bigrams, s.question_words, s.entry_words,   s.remark_words,  s.entry_bigrams, s.concepts,
          s.entry_concepts,   s.concept_miss,   s.section,       s.opposite,      s.kind_mismatch, s.unseen,
          s.agreement};
}

const std::array<std::string_view, kSignalCount>& SignalNames() {
  static constexpr std::array<std::string_view, kSignalCount> kNames = {
      "question_bigrams", "question_words", "entry_words",   "remark_words",  "entry_bigrams", "concepts",
      "entry_concepts",   "concept_miss",   "section",       "opposite",      "kind_mismatch", "unseen",
      "agreement"};
  return kNames;
}

double Model::Probability(const Signals& s) const {
  const std::array<double, kSignalCount> x = SignalValues(s);
  double z = bias;
  for (std::size_t i = 0; i < kSignalCount; ++i) z += weights[i] * x[i];
  return 1.0 / (1.0 + std::exp(-z));
}

namespace {
double Logit(double p) {
  p = std::clamp(p, 1e-6, 1 - 1e-6);
  return std::log(p / (1 - p));
}
}  // namespace

double Model::Confidence(double p, double other) const {
  const double z = confidence_bias + confidence_logit * Logit(p) + confidence_distinct * (p - other);
  return 1.0 / (1.0 + std::exp(-z));
}

Result<Model> Model::Parse(std::string_view tsv) {
  Model m;
  // Every name the model needs, with where its value goes; each must be given exactly once.
  std::vector<std::pair<std::string, double*>> slots = {{"bias", &m.bias},
                                                        {"confidence.bias", &m.confidence_bias},
                                                        {"confidence.logit", &m.confidence_logit},
                                                        {"confidence.distinct", &m.confidence_distinct},
                                                        {"band.high", &m.high},
                                                        {"band.medium", &m.medium},
                                                        {"band.low", &m.low}};
  for (std::size_t i = 0; i < kSignalCount; ++i) slots.push_back({std::string(SignalNames()[i]), &m.weights[i]});
  std::vector<bool> given(slots.size(), false);
  int line_no = 0;
  for (std::string_view line : text::SplitLines(tsv)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    const std::string where = "weights line " + std::to_string(line_no) + ": ";
    const std::vector<std::string_view> f = text::Split(line, '\t');
    if (f.size() != 2) return InvalidArgument(where + "expected name<TAB>value");
    char* end = nullptr;
    const std::string value(f[1]);
    const double v = std::strtod(value.c_str(), &end);
    if (end == value.c_str() || *end != '\0' || !std::isfinite(v)) {
      return InvalidArgument(where + "'" + value + "' is not a number");
    }
    auto slot = std::find_if(slots.begin(), slots.end(), [&](const auto& s) { return s.first == f[0]; });
    if (slot == slots.end()) return InvalidArgument(where + "unknown name '" + std::string(f[0]) + "'");
    const std::size_t k = static_cast<std::size_t>(slot - slots.begin());
    if (given[k]) return InvalidArgument(where + "'" + slot->first + "' given twice");
    given[k] = true;
    *slot->second = v;
  }
  for (std::size_t k = 0; k < slots.size(); ++k) {
    if (!given[k]) return InvalidArgument("weights: no value for '" + slots[k].first + "'");
  }
  return m;
}

const Model& Model::Builtin() {
  static const Model model = [] {
    Result<Model> m = Model::Parse(kWeightsText);
    // The bundled file is checked by a unit test; a broken one must not pass silently.
    if (!m.ok()) std::abort();
    return *m;
  }();
  return model;
}

struct Index::Impl {
  const catalog::Catalog* catalog = nullptr;
  Model model;
  std::unique_ptr<text::Tokenizer> tokenizer;
  std::array<FlatMap, kChannels> lookup;
  std::array<std::vector<float>, kChannels> idf;  // by feature id
  std::array<std::vector<Weighted>, kChannels> postings;  // feature -> (doc, weight in the question vector)
  // word -> docs that have it in their remarks or section but not their question (the question's
  // words are read from `postings`).
  std::vector<std::vector<std::uint32_t>> entry_postings;
  std::array<std::vector<Weighted>, kChannels> question_vectors;  // per doc, normalized
  std::vector<std::vector<EntryWord>> entry_words;                  // per doc, sorted by id
  std::vector<std::vector<std::uint32_t>> entry_concepts;           // per doc, sorted
  // Per doc: the bigrams of its remarks and section that its question lacks (the question's own
  // are read from question_vectors), sorted.
  std::vector<std::vector<std::uint32_t>> entry_bigrams;
  std::vector<sheet::QuestionMeaning> meanings;
  std::vector<bool> has_figure;  // remarks or answer give a number
  std::array<std::vector<std::string>, kChannels> names;  // feature id -> text (words and concepts)
  double unseen_idf = 0;
  std::size_t n = 0;
  // Scratch for Match. `dense` holds the question's bigram and word weights by feature id while a
  // question is scored (zero elsewhere), so each candidate is read once without merging.
  std::array<std::vector<float>, 2> dense;
  std::vector<float> stage;
  std::vector<std::uint32_t> stamp, touched;
  std::uint32_t generation = 0;

  // Raw features of a text: bigrams of its core, words (synonym classes; English through the
  // lexicon), concepts. With `names_out`, records the text of word and concept keys.
  struct Raw {
    Counts bigrams, words, concepts;
  };
  Raw Extract(const std::string& normalized, bool with_bigrams,
              std::unordered_map<std::uint64_t, std::string>* names_out) {
    Raw out;
    const std::string core = RemoveBoilerplate(normalized);
    if (with_bigrams) out.bigrams = ToCounts(BigramKeys(core));
    std::vector<std::uint64_t> keys;
    auto add_word = [&](const std::string& w) {
      const std::string& word = WordClass(w);
      keys.push_back(TextKey(word));
      if (names_out != nullptr) names_out->try_emplace(keys.back(), word);
    };
    for (const std::string& w : tokenizer->ContentWords(core)) add_word(w);
    const bool latin = std::any_of(core.begin(), core.end(), [](char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; });
    if (latin) {
      for (const std::string& w : EnglishAsJapanese(*tokenizer, core)) add_word(w);
    }
    out.words = ToCounts(std::move(keys));
    keys.clear();
    if (catalog != nullptr) {
      for (const catalog::ConceptHit& h : catalog->FindConceptsInNormalized(normalized)) {
        const std::string& id = catalog->controls()[h.control].id;
        keys.push_back(TextKey(id));
        if (names_out != nullptr) names_out->try_emplace(keys.back(), id);
      }
    }
    out.concepts = ToCounts(std::move(keys));
    return out;
  }

  // A TF-IDF vector of known features, normalized over all features (an unknown feature counts
  // in the norm with the highest idf, so unfamiliar text scores low). `unseen_share` receives the
  // share of the squared norm that unknown features hold.
  Weighted Vectorize(int c, const Counts& counts, double* unseen_share = nullptr) const {
    Weighted v;
    double norm = 0, unseen = 0;
    for (const auto& [f, tf] : counts) {
      const std::int64_t id = lookup[c].Find(f);
      const double w = (1.0 + std::log(tf)) * (id < 0 ? unseen_idf : idf[c][static_cast<std::size_t>(id)]);
      norm += w * w;
      if (id < 0) {
        unseen += w * w;
      } else {
        v.push_back({static_cast<std::uint32_t>(id), static_cast<float>(w)});
      }
    }
    if (norm > 0) {
      const double inv = 1.0 / std::sqrt(norm);
      for (auto& [id, w] : v) w = static_cast<float>(w * inv);
    }
    std::sort(v.begin(), v.end());
    if (unseen_share != nullptr) *unseen_share = norm > 0 ? unseen / norm : 0;
    return v;
  }
};

Index::Index() : impl_(std::make_unique<Impl>()) {}
Index::~Index() = default;
std::size_t Index::size() const { return impl_->n; }
const sheet::QuestionMeaning& Index::MeaningOf(std::size_t doc) const { return impl_->meanings.at(doc); }
const Model& Index::model() const { return impl_->model; }
double Index::QuestionSimilarity(std::size_t a, std::size_t b) const {
  return Dot(impl_->question_vectors[kBigram].at(a), impl_->question_vectors[kBigram].at(b));
}

std::size_t Index::MemoryBytes() const {
  const Impl& m = *impl_;
  std::size_t bytes = 0;
  for (int c = 0; c < kChannels; ++c) {
    bytes += m.lookup[c].MemoryBytes() + m.idf[c].size() * sizeof(float);
    for (const Weighted& p : m.postings[c]) bytes += sizeof(Weighted) + p.capacity() * sizeof(p[0]);
    for (const Weighted& v : m.question_vectors[c]) bytes += sizeof(Weighted) + v.capacity() * sizeof(v[0]);
    for (const std::string& s : m.names[c]) bytes += sizeof(std::string) + s.capacity();
  }
  for (const auto& p : m.entry_postings) bytes += sizeof(p) + p.capacity() * sizeof(p[0]);
  for (const auto& e : m.entry_words) bytes += sizeof(e) + e.capacity() * sizeof(e[0]);
  for (const auto& e : m.entry_concepts) bytes += sizeof(e) + e.capacity() * sizeof(e[0]);
  for (const auto& e : m.entry_bigrams) bytes += sizeof(e) + e.capacity() * sizeof(e[0]);
  bytes += m.meanings.size() * sizeof(sheet::QuestionMeaning) + m.stage.capacity() * sizeof(float) +
           m.stamp.capacity() * sizeof(std::uint32_t);
  return bytes;
}

Result<std::unique_ptr<Index>> Index::Build(const std::vector<Document>& docs, const catalog::Catalog* catalog,
                                            const Model* model) {
  std::unique_ptr<Index> index(new Index());
  Impl& m = *index->impl_;
  m.catalog = catalog;
  m.model = model != nullptr ? *model : Model::Builtin();
  TS_ASSIGN_OR_RETURN(m.tokenizer, text::Tokenizer::Create());
  m.n = docs.size();
  // Per doc: question features, and the words and concepts of the whole entry with where they occur.
  std::vector<Impl::Raw> question(m.n);
  std::vector<std::vector<std::pair<std::uint64_t, std::uint8_t>>> entry(m.n);
  std::vector<std::vector<std::uint64_t>> entry_concept_keys(m.n);
  std::vector<std::vector<std::uint64_t>> entry_bigram_keys(m.n);
  std::unordered_map<std::uint64_t, std::string> key_names;
  std::unordered_map<std::string, Impl::Raw> sections;
  for (std::size_t d = 0; d < m.n; ++d) {
    const Document& doc = docs[d];
    const std::string nq = text::NormalizeText(doc.question);
    question[d] = m.Extract(nq, true, &key_names);
    m.meanings.push_back(sheet::AnalyzeNormalizedQuestion(nq));
    const std::string nr = text::NormalizeText(text::JoinLines(doc.remarks));
    m.has_figure.push_back(HasDigit(nr));
    std::map<std::uint64_t, std::uint8_t> where;
    for (const auto& [k, tf] : question[d].words) where[k] |= kInQuestion;
    std::vector<std::uint64_t>& ck = entry_concept_keys[d];
    for (const auto& [k, tf] : question[d].concepts) ck.push_back(k);
    std::vector<std::uint64_t>& bk = entry_bigram_keys[d];
    for (const auto& [k, tf] : question[d].bigrams) bk.push_back(k);
    auto add_field = [&](const Impl::Raw& r, std::uint8_t flag) {
      for (const auto& [k, tf] : r.words) where[k] |= flag;
      for (const auto& [k, tf] : r.bigrams) bk.push_back(k);
      if (flag == kInRemarks) {
        for (const auto& [k, tf] : r.concepts) ck.push_back(k);
      }
    };
    if (!text::Trim(nr).empty()) add_field(m.Extract(nr, true, &key_names), kInRemarks);
    if (!text::Trim(doc.section).empty()) {
      // Many entries share a heading: each heading is read once.
      auto it = sections.find(doc.section);
      if (it == sections.end()) {
        it = sections.emplace(doc.section, m.Extract(text::NormalizeText(doc.section), true, &key_names)).first;
      }
      add_field(it->second, kInSection);
    }
    entry[d].assign(where.begin(), where.end());
    std::sort(ck.begin(), ck.end());
    ck.erase(std::unique(ck.begin(), ck.end()), ck.end());
    std::sort(bk.begin(), bk.end());
    bk.erase(std::unique(bk.begin(), bk.end()), bk.end());
  }
  // Vocabularies and document frequencies over whole entries (question, remarks, section), plus
  // the background corpus.
  std::array<std::unordered_map<std::uint64_t, std::uint32_t>, kChannels> vocab;
  std::array<std::vector<double>, kChannels> df;
  auto intern = [&](int c, std::uint64_t f) {
    auto [it, added] = vocab[c].try_emplace(f, static_cast<std::uint32_t>(df[c].size()));
    if (added) {
      df[c].push_back(0);
      if (c != kBigram) m.names[c].push_back(key_names[f]);
    }
    return it->second;
  };
  for (std::size_t d = 0; d < m.n; ++d) {
    for (std::uint64_t f : entry_bigram_keys[d]) ++df[kBigram][intern(kBigram, f)];
    for (const auto& [f, where] : entry[d]) ++df[kWord][intern(kWord, f)];
    for (std::uint64_t f : entry_concept_keys[d]) ++df[kConcept][intern(kConcept, f)];
  }
  const Background& bg = BackgroundStats();
  const double total = static_cast<double>(m.n) + bg.docs + 1.0;
  for (int c = 0; c < kChannels; ++c) {
    m.idf[c].resize(df[c].size());
    const auto* background = c == kBigram ? &bg.bigrams : c == kWord ? &bg.words : nullptr;
    for (const auto& [f, id] : vocab[c]) {
      double d = df[c][id];
      if (background != nullptr) {
        if (auto it = background->find(f); it != background->end()) d += it->second;
      }
      m.idf[c][id] = static_cast<float>(std::log(total / (d + 0.5)));
    }
    m.postings[c].resize(df[c].size());
    m.lookup[c].Build(vocab[c]);
  }
  m.unseen_idf = std::log(total / 0.5);
  m.entry_postings.resize(df[kWord].size());
  for (int c = 0; c < kChannels; ++c) m.question_vectors[c].resize(m.n);
  m.entry_words.resize(m.n);
  m.entry_concepts.resize(m.n);
  m.entry_bigrams.resize(m.n);
  for (std::size_t d = 0; d < m.n; ++d) {
    const std::array<const Counts*, kChannels> raw = {&question[d].bigrams, &question[d].words, &question[d].concepts};
    for (int c = 0; c < kChannels; ++c) {
      m.question_vectors[c][d] = m.Vectorize(c, *raw[c]);
      for (const auto& [id, w] : m.question_vectors[c][d]) m.postings[c][id].push_back({static_cast<std::uint32_t>(d), w});
    }
    for (const auto& [f, where] : entry[d]) {
      const std::uint32_t id = vocab[kWord].at(f);
      m.entry_words[d].push_back({id, where});
      if ((where & kInQuestion) == 0) m.entry_postings[id].push_back(static_cast<std::uint32_t>(d));
    }
    std::sort(m.entry_words[d].begin(), m.entry_words[d].end(), [](auto& a, auto& b) { return a.id < b.id; });
    for (std::uint64_t f : entry_concept_keys[d]) m.entry_concepts[d].push_back(vocab[kConcept].at(f));
    for (std::uint64_t f : entry_bigram_keys[d]) {
      const std::uint32_t id = vocab[kBigram].at(f);
      const Weighted& qbv = m.question_vectors[kBigram][d];
      const bool in_question = std::binary_search(qbv.begin(), qbv.end(), std::make_pair(id, 0.0f),
                                                  [](const auto& a, const auto& b) { return a.first < b.first; });
      if (!in_question) m.entry_bigrams[d].push_back(id);
    }
    std::sort(m.entry_bigrams[d].begin(), m.entry_bigrams[d].end());
    std::sort(m.entry_concepts[d].begin(), m.entry_concepts[d].end());
  }
  return index;
}

std::vector<Hit> Index::Match(const Query& query, std::size_t k) {
  Impl& m = *impl_;
  if (m.n == 0) return {};
  const std::string normalized = text::NormalizeText(query.question);
  const Impl::Raw raw = m.Extract(normalized, true, nullptr);
  const sheet::QuestionMeaning meaning = sheet::AnalyzeNormalizedQuestion(normalized);
  double unseen = 0;
  const std::array<Weighted, kChannels> qv = {m.Vectorize(kBigram, raw.bigrams),
                                              m.Vectorize(kWord, raw.words, &unseen),
                                              m.Vectorize(kConcept, raw.concepts)};
  Weighted section_words;
  if (!text::Trim(query.section).empty()) {
    section_words = m.Vectorize(kWord, m.Extract(text::NormalizeText(query.section), false, nullptr).words);
  }

  // Stage 1: a cheap blend over postings picks candidates. Large libraries: the rarest
  // features (up to a budget of postings) pick them; only entries sharing nothing but common
  // features with the question are not considered.
  if (m.stage.size() != m.n) {
    m.stage.assign(m.n, 0);
    m.stamp.assign(m.n, 0);
  }
  if (++m.generation == 0) {
    std::fill(m.stamp.begin(), m.stamp.end(), 0);
    m.generation = 1;
  }
  m.touched.clear();
  // Raw pointers: the posting loops below are the hottest code of a query.
  std::uint32_t* const stamp = m.stamp.data();
  float* const stage = m.stage.data();
  const std::uint32_t generation = m.generation;
  auto touch = [&](std::uint32_t d) {
    if (stamp[d] != generation) {
      stamp[d] = generation;
      stage[d] = 0;
      m.touched.push_back(d);
    }
  };
  struct Feature {
    int channel;  // kChannels for "in the remarks or section only"
    std::uint32_t id;
    float weight;
    float cover;  // what presence adds (words: the question's share of this word)
    std::size_t postings;
  };
  std::vector<Feature> features;
  std::size_t work = 0;
  const std::array<float, kChannels> stage_weight = {kStageBigram, kStageWord, kStageConcept};
  for (int c = 0; c < kChannels; ++c) {
    for (const auto& [id, w] : qv[c]) {
      const float cover = c == kWord ? kStageCover * w * w : 0.0f;
      features.push_back({c, id, stage_weight[c] * w, cover, m.postings[c][id].size()});
      work += m.postings[c][id].size();
    }
  }
  for (const auto& [id, w] : qv[kWord]) {
    if (m.entry_postings[id].empty()) continue;
    features.push_back({kChannels, id, 0.0f, kStageCover * w * w, m.entry_postings[id].size()});
    work += m.entry_postings[id].size();
  }
  const bool budgeted = work > kExactWork;
  if (budgeted) {
    std::sort(features.begin(), features.end(), [](const Feature& a, const Feature& b) { return a.postings < b.postings; });
  }
  std::size_t spent = 0;
  for (const Feature& f : features) {
    if (budgeted && spent >= kCandidateWork) break;
    spent += f.postings;
    if (f.channel == kChannels) {
      for (std::uint32_t d : m.entry_postings[f.id]) {
        touch(d);
        stage[d] += f.cover;
      }
    } else {
      const float weight = f.weight, cover = f.cover;
      for (const auto& [d, dw] : m.postings[f.channel][f.id]) {
        touch(d);
        stage[d] += weight * dw + cover;
      }
    }
  }
  const std::size_t keep = std::max(k, kCandidates);
  if (m.touched.size() > keep) {
    std::nth_element(m.touched.begin(), m.touched.begin() + static_cast<std::ptrdiff_t>(keep), m.touched.end(),
                     [&](std::uint32_t a, std::uint32_t b) {
                       return m.stage[a] != m.stage[b] ? m.stage[a] > m.stage[b] : a < b;
                     });
    m.touched.resize(keep);
  }

  // A reviewer always gets suggestions: when few entries share a feature, the first others
  // (in library order) stand in, scored like the rest (low).
  for (std::uint32_t d = 0; d < m.n && m.touched.size() < std::min(k, m.n); ++d) touch(d);

  // Stage 2: the exact signals of each candidate, and the model's probability.
  std::vector<Hit> hits;
  hits.reserve(m.touched.size());
  for (int c = kBigram; c <= kWord; ++c) {
    std::vector<float>& dense = m.dense[static_cast<std::size_t>(c)];
    if (dense.size() != m.idf[c].size()) dense.assign(m.idf[c].size(), 0);
    for (const auto& [id, w] : qv[c]) dense[id] = w;
  }
  const std::vector<float>& qb = m.dense[kBigram];
  const std::vector<float>& qw = m.dense[kWord];
  // Sums in local floats (not in `s`): the loops then keep them in registers.
  auto dot = [](const std::vector<float>& dense, const Weighted& v) {
    float sum = 0;
    for (const auto& [id, w] : v) sum += dense[id] * w;
    return static_cast<double>(sum);
  };
  for (std::uint32_t d : m.touched) {
    Signals s;
    // One pass over the question's bigrams gives the cosine and their share of the weight found.
    float bigram_dot = 0, bigrams = 0;
    for (const auto& [id, w] : m.question_vectors[kBigram][d]) {
      bigram_dot += qb[id] * w;
      bigrams += qb[id] * qb[id];
    }
    s.question_bigrams = bigram_dot;
    s.question_words = dot(qw, m.question_vectors[kWord][d]);
    s.concepts = Dot(qv[kConcept], m.question_vectors[kConcept][d]);
    const std::vector<EntryWord>& ew = m.entry_words[d];
    float anywhere = 0, remarks = 0;
    for (const EntryWord& e : ew) {
      const float w2 = qw[e.id] * qw[e.id];
      anywhere += w2;
      remarks += (e.where & kInRemarks) != 0 ? w2 : 0.0f;
    }
    for (std::uint32_t id : m.entry_bigrams[d]) bigrams += qb[id] * qb[id];
    s.entry_words = anywhere;
    s.remark_words = remarks;
    s.entry_bigrams = bigrams;
    if (!raw.concepts.empty()) {
      int found = 0;
      for (const auto& [id, w] : qv[kConcept]) {
        found += std::binary_search(m.entry_concepts[d].begin(), m.entry_concepts[d].end(), id) ? 1 : 0;
      }
      s.entry_concepts = static_cast<double>(found) / static_cast<double>(raw.concepts.size());
      s.concept_miss = found == 0 ? 1 : 0;
    }
    if (!section_words.empty()) {
      double mass = 0;
      for (const auto& [id, w] : section_words) {
        if ((WhereIn(ew, id) & (kInSection | kInQuestion)) != 0) mass += static_cast<double>(w) * w;
      }
      s.section = mass;
    }
    s.opposite = sheet::OppositeMeaning(meaning, m.meanings[d]) ? 1 : 0;
    s.kind_mismatch =
        (meaning.asks == sheet::AnswerKind::kNumber || meaning.asks == sheet::AnswerKind::kPeriod) && !m.has_figure[d]
            ? 1
            : 0;
    s.unseen = unseen;
    // Word signals relative to the words the library knows (the unknown share is its own signal).
    if (unseen > 0 && unseen < 1) {
      s.question_words /= std::sqrt(1 - unseen);
      s.entry_words /= 1 - unseen;
      s.remark_words /= 1 - unseen;
    }
    hits.push_back({d, 0, s, {}, {}});
  }
  for (int c = kBigram; c <= kWord; ++c) {
    for (const auto& [id, w] : qv[c]) m.dense[static_cast<std::size_t>(c)][id] = 0;
  }
  // Agreement: in how many similarity channels each candidate is the one best of all candidates
  // (channels the question has no features in do not count). Entries that every channel
  // prefers are the likeliest answers; a winner of one channel alone is weaker evidence.
  {
    constexpr std::array<double Signals::*, 5> kChannelSignals = {&Signals::question_bigrams, &Signals::question_words,
                                                                  &Signals::entry_words, &Signals::entry_bigrams,
                                                                  &Signals::entry_concepts};
    int counted = 0;
    std::vector<int> wins(hits.size(), 0);
    for (double Signals::*sig : kChannelSignals) {
      double best = 0;
      std::size_t best_at = 0, positive = 0, at_best = 0;
      for (std::size_t i = 0; i < hits.size(); ++i) {
        const double v = hits[i].signals.*sig;
        positive += v > 0 ? 1 : 0;
        if (v > best) {
          best = v;
          best_at = i;
          at_best = 1;
        } else if (v == best && v > 0) {
          ++at_best;
        }
      }
      if (best <= 0) continue;
      ++counted;
      // A win is evidence only against competition (two or more entries share something), when
      // it is the only best, and above a trace of overlap (one shared word).
      if (positive >= 2 && at_best == 1 && best >= kAgreementFloor) ++wins[best_at];
    }
    for (std::size_t i = 0; i < hits.size(); ++i) {
      hits[i].signals.agreement = counted ? static_cast<double>(wins[i]) / counted : 0;
      hits[i].score = m.model.Probability(hits[i].signals);
    }
  }
  std::sort(hits.begin(), hits.end(),
            [](const Hit& a, const Hit& b) { return a.score != b.score ? a.score > b.score : a.doc < b.doc; });
  if (hits.size() > k) hits.resize(k);
  // Explanations (shared words by weight, shared controls) for the hits a reviewer is shown:
  // a draft and its alternatives.
  for (std::size_t n = 0; n < hits.size() && n < kExplained; ++n) {
    Hit& h = hits[n];
    std::vector<std::pair<float, std::uint32_t>> words;
    for (const auto& [id, w] : qv[kWord]) {
      if (WhereIn(m.entry_words[h.doc], id) != 0) words.push_back({w, id});
    }
    std::stable_sort(words.begin(), words.end(), [](auto& a, auto& b) { return a.first > b.first; });
    for (std::size_t i = 0; i < words.size() && i < 5; ++i) h.shared_words.push_back(m.names[kWord][words[i].second]);
    for (const auto& [id, w] : qv[kConcept]) {
      if (std::binary_search(m.entry_concepts[h.doc].begin(), m.entry_concepts[h.doc].end(), id)) {
        h.shared_controls.push_back(m.names[kConcept][id]);
      }
    }
  }
  return hits;
}

}  // namespace ts::match
