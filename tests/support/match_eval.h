// Measuring the matcher on labelled question sets (the corpus dev set, the project's held-out
// set): the vendor library of seeds 002 + 004 imported as `library add` would, the questions
// sent as a customer's xlsx request, and the figures issue 10 asks for. Shared by
// tests/corpus_dev_match_test, bench/match_bench and bench/match_fit. Not thread-safe.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "match/draft.h"
#include "sheet/checksheet.h"

namespace ts::match_eval {

// A library entry with its gold key, "002:meti2013/6/15".
struct KeyedAnswer {
  std::string key;
  match::LibraryAnswer answer;
};

// The answered items of seeds 002 and 004 (corpus/seeds, imported from the text the vendors
// published), keyed by the gold files (corpus/gold, by position). Entry ids are the keys.
Result<std::vector<KeyedAnswer>> SeedLibrary(const std::filesystem::path& corpus,
                                             const std::vector<std::string>& seeds = {"002", "004"});

// One labelled question: `b` lists the library keys that answer it; strength is same, related
// or none.
struct Question {
  std::string key, number, section, question, strength, voice;
  std::vector<std::string> b;
};
Result<std::vector<Question>> LoadQuestions(const std::filesystem::path& json);

// The questions as a customer's blank workbook (No. / 区分 / 質問 / 回答 / 備考), imported back
// through the xlsx reader; items in question order.
Result<sheet::Checksheet> AsXlsxRequest(const std::vector<Question>& questions);

struct Figures {
  int questions = 0, answerable = 0, related = 0, unanswerable = 0;
  int ranked_first = 0;      // same: the draft's source (or first alternative) is in b
  int drafted_right = 0;     // same: drafted medium or high from an entry in b
  int top3 = 0;              // same: an entry of b is the draft or one of its alternatives
  int medium_or_high = 0, medium_or_high_right = 0;  // over all; right = source in b (none: wrong)
  int medium_or_high_right_strict = 0;                // the same, counting related as wrong
  int high = 0, high_right = 0;
  int held_back = 0;            // unanswerable with confidence none or low
  int weak = 0, weak_with_alternatives = 0;  // confidence none or low, and of those with alternatives
  std::map<std::string, int> bands;
  std::vector<std::string> misses;  // one line per question that went wrong, for reports
};

// The corpus pair: seed 004's items as questions against a library of seed 002, each labelled by
// gold/align_002_004.json (same: its 002 counterpart; none: the items 002 has no counterpart for).
Result<std::vector<Question>> PairQuestions(const std::filesystem::path& corpus);

// The project's older paraphrase set (tests/data/paraphrase): its 35-entry library, and the
// questions of `file` ("questions.tsv", the dev part, or "heldout.tsv").
std::vector<KeyedAnswer> ParaphraseLibrary();
std::vector<Question> ParaphraseQuestions(const std::string& file);

// The rows of a tab-separated file, without empty and comment (#) lines.
std::vector<std::vector<std::string>> ReadTsv(const std::filesystem::path& path);

// Scores drafts (one per question, same order) against the labels.
Figures Score(const std::vector<Question>& questions, const std::vector<match::Draft>& drafts);

// "37/90 (0.41)"
std::string Ratio(int a, int b);

// The corpus folder beside the project (../shared/corpus), whether or not it exists.
std::filesystem::path DefaultCorpus();

}  // namespace ts::match_eval
