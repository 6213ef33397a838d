// Fits the matcher's logistic model and its confidence bands on labelled data, and writes them
// to data/match/weights.tsv; optionally rebuilds the background term statistics
// (data/match/background.tsv). Deterministic: the same data gives the same file.
//
// Training data (development only; the project's held-out set tests/data/heldout is never read):
//   - the corpus dev set (../shared/corpus/dev): 147 customer questions, library seeds 002 + 004;
//   - the corpus pair: seed 004's items against a library of seed 002 (gold alignment);
//   - the project's own paraphrase dev questions (tests/data/paraphrase/questions.tsv).
// Each question's first-stage candidates become rows (signals, label = the entry answers it);
// questions labelled `related` are left out of the fit (their entries are evidence, not answers).
// The model: L2-regularized logistic regression, Newton's method. The bands: the thresholds on
// confidence that draft the most right answers while, in each training set on its own, high stays
// >= 99 % right and medium-or-high >= 93 % right, medium alone >= 85 % over the customer-question
// sets, and >= 90 % of their unanswerable questions held back (issue 10 asks 97 %, 92 %, 85 % and
// 85 %: the rest is margin for sheets not seen).
//
//   match_fit [--corpus DIR] [--out FILE] [--background FILE] [--dump]
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "ingest/import.h"
#include "match/draft.h"
#include "match_eval.h"
#include "text/utf8.h"

namespace {

namespace fs = std::filesystem;
namespace match = ts::match;
using match::kSignalCount;

constexpr double kL2 = 1.0;
constexpr double kHighPrecision = 0.99, kDraftPrecision = 0.93, kMediumPrecision = 0.85;
constexpr double kLowConfidence = 0.2;
constexpr double kPairHeldBack = 0.82, kHeldBack = 0.9;

struct Row {
  std::array<double, kSignalCount> x;
  int y;
};

// One question's candidates as the drafter sees them.
struct Question {
  std::string set;   // dev, pair, paraphrase
  std::string strength;
  std::string text;
  struct Candidate {
    std::array<double, kSignalCount> x;
    bool right;
    std::string answer_key;
    bool opposite;
    std::size_t doc;
    std::string label;  // entry id and question, for --dump
  };
  std::vector<std::vector<double>> similarity;  // between candidates' questions
  std::vector<Candidate> candidates;
};

// Candidates of every question, labelled.
void Collect(const std::string& set, std::vector<match::LibraryAnswer> library,
             const std::vector<ts::match_eval::Question>& questions, std::vector<Question>* out) {
  auto drafter = match::Drafter::Build(library, {}, &ts::catalog::Catalog::Builtin());
  if (!drafter.ok()) {
    std::cerr << "match_fit: " << drafter.status().message() << "\n";
    std::exit(1);
  }
  match::Index& index = (*drafter)->index();
  for (const auto& q : questions) {
    Question row;
    row.set = set;
    row.strength = q.strength;
    row.text = q.key + " " + q.question;
    const std::set<std::string> b(q.b.begin(), q.b.end());
    for (const match::Hit& h : index.Match(match::Query{q.question, q.section}, match::kCandidates)) {
      const match::LibraryAnswer& a = (*drafter)->library()[h.doc];
      row.candidates.push_back({match::SignalValues(h.signals), b.contains(a.entry_id), match::AnswerKey(a),
                                h.signals.opposite > 0, h.doc, a.entry_id + " " + a.question});
    }
    for (const auto& x : row.candidates) {
      row.similarity.emplace_back();
      for (const auto& y : row.candidates) row.similarity.back().push_back(index.QuestionSimilarity(x.doc, y.doc));
    }
    out->push_back(std::move(row));
  }
}

double Sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// L2-regularized logistic regression by Newton's method (the bias is not penalized).
std::array<double, kSignalCount + 1> Fit(const std::vector<Row>& rows) {
  constexpr std::size_t n = kSignalCount + 1;
  std::array<double, n> w{};
  auto loss = [&](const std::array<double, n>& v) {
    double l = 0;
    for (const Row& r : rows) {
      double z = v[0];
      for (std::size_t i = 0; i < kSignalCount; ++i) z += v[i + 1] * r.x[i];
      l += r.y ? std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
    }
    for (std::size_t i = 1; i < n; ++i) l += 0.5 * kL2 * v[i] * v[i];
    return l;
  };
  for (int iter = 0; iter < 50; ++iter) {
    std::array<double, n> g{};
    std::array<std::array<double, n>, n> h{};
    for (const Row& r : rows) {
      std::array<double, n> x;
      x[0] = 1;
      for (std::size_t i = 0; i < kSignalCount; ++i) x[i + 1] = r.x[i];
      double z = 0;
      for (std::size_t i = 0; i < n; ++i) z += w[i] * x[i];
      const double p = Sigmoid(z);
      for (std::size_t i = 0; i < n; ++i) {
        g[i] += (p - r.y) * x[i];
        for (std::size_t j = 0; j < n; ++j) h[i][j] += p * (1 - p) * x[i] * x[j];
      }
    }
    for (std::size_t i = 1; i < n; ++i) {
      g[i] += kL2 * w[i];
      h[i][i] += kL2;
    }
    h[0][0] += 1e-9;
    // Solve h * step = g (Gaussian elimination with partial pivoting).
    std::array<double, n> step = g;
    for (std::size_t c = 0; c < n; ++c) {
      std::size_t piv = c;
      for (std::size_t r = c + 1; r < n; ++r) {
        if (std::abs(h[r][c]) > std::abs(h[piv][c])) piv = r;
      }
      std::swap(h[c], h[piv]);
      std::swap(step[c], step[piv]);
      for (std::size_t r = 0; r < n; ++r) {
        if (r == c || h[c][c] == 0) continue;
        const double f = h[r][c] / h[c][c];
        for (std::size_t k = c; k < n; ++k) h[r][k] -= f * h[c][k];
        step[r] -= f * step[c];
      }
    }
    for (std::size_t i = 0; i < n; ++i) step[i] = h[i][i] != 0 ? step[i] / h[i][i] : 0;
    // Damped step: halve until the loss does not grow.
    const double before = loss(w);
    double t = 1;
    std::array<double, n> next{};
    for (int k = 0; k < 30; ++k, t *= 0.5) {
      for (std::size_t i = 0; i < n; ++i) next[i] = w[i] - t * step[i];
      if (loss(next) <= before) break;
    }
    double moved = 0;
    for (std::size_t i = 0; i < n; ++i) moved = std::max(moved, std::abs(next[i] - w[i]));
    w = next;
    if (moved < 1e-9) break;
  }
  return w;
}

// What the drafter would do for each question under a model: top probability, margin to the
// best entry with another answer, whether the top is right and opposite.
struct Outcome {
  double p, rival, other, margin;
  bool right, opposite;
  std::string set, strength;
  double confidence = 0;
  std::string text, top_entry;
};

std::vector<Outcome> Outcomes(const std::vector<Question>& questions, const std::array<double, kSignalCount + 1>& w) {
  std::vector<Outcome> out;
  for (const Question& q : questions) {
    if (q.candidates.empty()) continue;
    std::vector<std::pair<double, std::size_t>> ranked;
    for (std::size_t c = 0; c < q.candidates.size(); ++c) {
      double z = w[0];
      for (std::size_t i = 0; i < kSignalCount; ++i) z += w[i + 1] * q.candidates[c].x[i];
      ranked.push_back({Sigmoid(z), c});
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](auto& a, auto& b) { return a.first > b.first; });
    std::vector<match::RankedHit> hits;
    for (std::size_t i = 0; i < ranked.size() && i < match::kHitsRead; ++i) {
      const auto& c = q.candidates[ranked[i].second];
      hits.push_back({ranked[i].first, c.answer_key});
    }
    const auto& top = q.candidates[ranked[0].second];
    const match::Competition comp = match::CompetitionOf(hits, [&](std::size_t i) {
      return q.similarity[ranked[0].second][ranked[i].second] >= match::kSameQuestion;
    });
    const double rival = comp.rival, other = comp.other;
    out.push_back({ranked[0].first, rival, other, ranked[0].first - rival, top.right, top.opposite, q.set, q.strength, 0,
                   q.text, top.label});
  }
  return out;
}

struct Bands {
  double high = 1, medium = 1;
};

// Draft counts at a confidence threshold (never across opposite meanings or at no lead).
struct Count {
  int drafts = 0, right = 0;
};
Count Drafted(const std::vector<Outcome>& os, double threshold, const std::string& set = "") {
  Count c;
  for (const Outcome& o : os) {
    if (o.opposite || o.margin <= 0 || o.confidence < threshold || (!set.empty() && o.set != set)) continue;
    ++c.drafts;
    c.right += o.right ? 1 : 0;
  }
  return c;
}

// Whether drafting at `threshold` keeps every training set at `precision` (each set on its own:
// the easy pair set must not carry the harder dev set). The pair set's service-level items are
// labelled by the documents' structure (004's SLA part has no METI counterpart in 002), not by
// meaning: several are answered by a 002 entry's remarks, and the dev set's own labels say so
// (its inquiry-hours and end-of-service questions map to 002 entries). So the pair set counts
// its aligned items for precision, and must hold back at least kPairHeldBack of the others;
// with `strict` (the high band) every draft of the pair set counts, as in every other set.
bool PreciseInEverySet(const std::vector<Outcome>& os, double threshold, double precision, bool strict) {
  for (const char* set : {"dev", "paraphrase"}) {
    const Count c = Drafted(os, threshold, set);
    if (c.right < precision * c.drafts) return false;
    // And the questions nothing answers are held back.
    int none = 0, none_drafted = 0;
    for (const Outcome& o : os) {
      if (o.set != set || o.strength != "none") continue;
      ++none;
      none_drafted += !o.opposite && o.margin > 0 && o.confidence >= threshold ? 1 : 0;
    }
    if (none - none_drafted < kHeldBack * none) return false;
  }
  int aligned = 0, aligned_right = 0, others = 0, others_drafted = 0;
  for (const Outcome& o : os) {
    if (o.set != "pair") continue;
    const bool drafted = !o.opposite && o.margin > 0 && o.confidence >= threshold;
    if (o.strength == "same") {
      aligned += drafted ? 1 : 0;
      aligned_right += drafted && o.right ? 1 : 0;
    } else {
      ++others;
      others_drafted += drafted ? 1 : 0;
    }
  }
  if (strict) return aligned_right >= precision * (aligned + others_drafted);
  return aligned_right >= precision * aligned && others - others_drafted >= kPairHeldBack * others;
}

Bands ChooseBands(const std::vector<Outcome>& os) {
  Bands b;
  std::vector<double> ts;
  for (int i = 5; i <= 995; i += 5) ts.push_back(i / 1000.0);
  // High: the most right drafts at the required precision (ties: the stricter threshold).
  int best = -1;
  for (double t : ts) {
    const Count c = Drafted(os, t);
    if (c.drafts == 0 || !PreciseInEverySet(os, t, kHighPrecision, true)) continue;
    if (c.right >= best) {  // ascending thresholds: ties keep the stricter
      best = c.right;
      b.high = t;
    }
  }
  // Medium (below high): medium-or-high at the draft precision in every set; medium alone at its
  // own precision over the customer-question sets (dev and paraphrase), where medium drafts are
  // what a reviewer reads most.
  auto customer = [&](double t) {
    Count c = Drafted(os, t, "dev");
    const Count p = Drafted(os, t, "paraphrase");
    c.drafts += p.drafts;
    c.right += p.right;
    return c;
  };
  const Count high = customer(b.high);
  best = -1;
  for (double t : ts) {
    if (t > b.high) break;
    const Count c = Drafted(os, t), cc = customer(t);
    const int medium = cc.drafts - high.drafts, medium_right = cc.right - high.right;
    if (!PreciseInEverySet(os, t, kDraftPrecision, false) || medium_right < kMediumPrecision * medium) continue;
    if (c.right >= best) {  // ascending thresholds: ties keep the stricter
      best = c.right;
      b.medium = t;
    }
  }
  return b;
}

// The confidence model: logistic regression of "the best entry is right" on its log-odds and
// its lead in probability over the best entry that asks something else.
std::array<double, 3> FitConfidence(const std::vector<Outcome>& os) {
  auto logit = [](double p) {
    p = std::clamp(p, 1e-6, 1 - 1e-6);
    return std::log(p / (1 - p));
  };
  std::vector<Row> rows;
  for (const Outcome& o : os) {
    Row r{};
    r.x[0] = logit(o.p);
    r.x[1] = o.p - o.other;
    r.y = o.right ? 1 : 0;
    rows.push_back(r);
  }
  const auto w = Fit(rows);
  return {w[0], w[1], w[2]};
}

void WriteBackground(const fs::path& corpus, const fs::path& out) {
  std::vector<std::string> texts;
  const fs::path ref = corpus / "reference";
  if (fs::exists(ref)) {
    for (const auto& e : fs::directory_iterator(ref)) {
      for (const auto& row : ts::match_eval::ReadTsv(e.path())) {
        for (const std::string& cell : row) {
          if (ts::text::CodePointCount(cell) >= 8) texts.push_back(cell);
        }
      }
    }
  }
  const fs::path own = fs::path(TS_SOURCE_DIR) / "tests" / "data" / "samples";
  for (const auto& e : fs::directory_iterator(own)) {
    auto cs = ts::ingest::ImportFile(e.path().string());
    if (!cs.ok()) continue;
    for (const auto& p : cs->parts) {
      for (const auto& it : p.items) texts.push_back(it.question + " " + it.remarks);
    }
  }
  for (const auto& c : ts::catalog::Catalog::Builtin().controls()) texts.push_back(c.name_ja + " " + c.description);
  std::map<std::string, int> df;
  for (const std::string& t : texts) {
    for (const std::string& term : match::BackgroundTerms(t)) ++df[term];
  }
  std::ofstream o(out);
  o << "# Background document frequencies of checksheet language, generated by bench/match_fit --background\n"
       "# from the public reference questionnaires (when ../shared/corpus is present), the project's own\n"
       "# sample sheets and the control catalog: one document per question or text cell. Terms seen in at\n"
       "# least 2 documents; w = word class (as the matcher maps it), b = character bigram.\n";
  o << "docs\t" << texts.size() << "\n";
  int kept = 0;
  for (const auto& [term, n] : df) {
    if (n < 2) continue;
    o << term << "\t" << n << "\n";
    ++kept;
  }
  std::printf("background: %zu documents, %d terms -> %s\n", texts.size(), kept, out.string().c_str());
}

}  // namespace

int main(int argc, char** argv) {
  fs::path corpus = ts::match_eval::DefaultCorpus();
  fs::path out = fs::path(TS_SOURCE_DIR) / "data" / "match" / "weights.tsv";
  fs::path background;
  bool dump = false;  // every question's outcome, most confident first
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--corpus" && i + 1 < argc) {
      corpus = argv[++i];
    } else if (a == "--out" && i + 1 < argc) {
      out = argv[++i];
    } else if (a == "--dump") {
      dump = true;
    } else if (a == "--background" && i + 1 < argc) {
      background = argv[++i];
    } else {
      std::cerr << "usage: match_fit [--corpus DIR] [--out FILE] [--background FILE] [--dump]\n";
      return 2;
    }
  }
  if (!fs::exists(corpus / "dev" / "customer_questions_dev.json")) {
    std::cerr << "match_fit: the corpus dev set is not at " << corpus << "; nothing to fit on\n";
    return 1;
  }
  if (!background.empty()) {
    WriteBackground(corpus, background);
    return 0;
  }
  std::vector<Question> questions;
  // 1. The corpus dev set.
  auto lib = ts::match_eval::SeedLibrary(corpus);
  auto dev = ts::match_eval::LoadQuestions(corpus / "dev" / "customer_questions_dev.json");
  if (!lib.ok() || !dev.ok()) {
    std::cerr << "match_fit: cannot read the corpus\n";
    return 1;
  }
  std::vector<match::LibraryAnswer> answers;
  for (const auto& k : *lib) answers.push_back(k.answer);
  Collect("dev", answers, *dev, &questions);
  // 2. The corpus pair 002 -> 004.
  auto lib002 = ts::match_eval::SeedLibrary(corpus, {"002"});
  auto pair_questions = ts::match_eval::PairQuestions(corpus);
  if (!lib002.ok() || !pair_questions.ok()) return 1;
  answers.clear();
  for (const auto& k : *lib002) answers.push_back(k.answer);
  Collect("pair", answers, *pair_questions, &questions);
  // 3. The project's paraphrase dev questions.
  answers.clear();
  for (const auto& k : ts::match_eval::ParaphraseLibrary()) answers.push_back(k.answer);
  Collect("paraphrase", answers, ts::match_eval::ParaphraseQuestions("questions.tsv"), &questions);

  std::vector<Row> rows;
  for (const Question& q : questions) {
    if (q.strength == "related") continue;
    for (const auto& c : q.candidates) rows.push_back({c.x, c.right ? 1 : 0});
  }
  const auto w = Fit(rows);
  std::vector<Outcome> os = Outcomes(questions, w);
  const std::array<double, 3> cw = FitConfidence(os);
  match::Model model;
  model.confidence_bias = cw[0];
  model.confidence_logit = cw[1];
  model.confidence_distinct = cw[2];
  for (Outcome& o : os) o.confidence = model.Confidence(o.p, o.other);
  const Bands b = ChooseBands(os);

  std::ostringstream o;
  o << "# The matcher's logistic model over its signals (src/match/index.h) and the confidence bands.\n"
       "# Generated by bench/match_fit (do not edit by hand; see docs/matching.md): "
    << questions.size() << " questions, " << rows.size()
    << " candidate rows,\n# from the corpus dev set, the corpus pair 002->004 and tests/data/paraphrase/questions.tsv.\n";
  auto num = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", v);
    return std::string(buf);
  };
  o << "bias\t" << num(w[0]) << "\n";
  for (std::size_t i = 0; i < kSignalCount; ++i) o << match::SignalNames()[i] << "\t" << num(w[i + 1]) << "\n";
  o << "confidence.bias\t" << num(cw[0]) << "\nconfidence.logit\t" << num(cw[1]) << "\nconfidence.distinct\t" << num(cw[2])
    << "\nband.high\t" << num(b.high) << "\nband.medium\t" << num(b.medium) << "\nband.low\t" << num(kLowConfidence)
    << "\n";
  std::ofstream(out) << o.str();
  std::cout << o.str();
  // The calibration table on the training data.
  const Count high = Drafted(os, b.high), mh = Drafted(os, b.medium);
  std::printf("\ntraining data: high %d/%d right, medium %d/%d right, medium-or-high %d/%d\n", high.right, high.drafts,
              mh.right - high.right, mh.drafts - high.drafts, mh.right, mh.drafts);
  std::printf("\ndrafts at a threshold, right/drafted per set:\n");
  for (int t = 50; t <= 95; t += 5) {
    std::printf("  %.2f", t / 100.0);
    for (const char* set : {"dev", "pair", "paraphrase"}) {
      const Count c = Drafted(os, t / 100.0, set);
      std::printf("  %s %d/%d", set, c.right, c.drafts);
    }
    std::printf("\n");
  }
  std::printf("\ncalibration (best entry, by confidence):\n  range        questions  right\n");
  for (int lo = 0; lo < 10; ++lo) {
    int n = 0, r = 0;
    for (const Outcome& o2 : os) {
      if (o2.confidence >= lo / 10.0 && (o2.confidence < (lo + 1) / 10.0 || lo == 9)) {
        ++n;
        r += o2.right ? 1 : 0;
      }
    }
    std::printf("  %.1f-%.1f   %9d  %5d  %s\n", lo / 10.0, (lo + 1) / 10.0, n, r,
                n ? (std::to_string(100 * r / n) + "%").c_str() : "-");
  }
  if (dump) {
    std::sort(os.begin(), os.end(), [](const Outcome& a, const Outcome& b2) { return a.confidence > b2.confidence; });
    for (const Outcome& o2 : os) {
      std::printf("%s %.2f p=%.2f other=%.2f %s %s [%s]\n    -> %s\n", o2.right ? "RIGHT" : "wrong", o2.confidence, o2.p,
                  o2.other, o2.set.c_str(), o2.text.c_str(), o2.strength.c_str(), o2.top_entry.c_str());
    }
  }
  return 0;
}
