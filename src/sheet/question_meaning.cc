#include "sheet/question_meaning.h"

#include <algorithm>
#include <array>

#include "text/normalize.h"
#include "text/pattern_table.h"
#include "text/utf8.h"

namespace ts::sheet {
namespace {

constexpr std::string_view kPatternsText =
#include "sheet/question_meaning_tsv.inc"
    ;

enum Kind { kNegation = 0, kExposure, kNumber, kPeriod, kInformation, kKinds };

using Pattern = text::TablePattern;

const std::vector<std::vector<Pattern>>& Patterns() {
  static const std::vector<std::vector<Pattern>> table =
      text::ParsePatternTable(kPatternsText, {"negation", "exposure", "number", "period", "information"});
  return table;
}

bool StartsWith(std::string_view s, std::size_t at, std::string_view prefix) {
  return s.compare(at, prefix.size(), prefix) == 0;
}

// The code point of the UTF-8 sequence at `at` (0 at the end; U+FFFD when malformed).
char32_t CodePointAt(const std::string& s, std::size_t at) {
  const std::u32string one = text::ToU32(std::string_view(s).substr(at, 4));
  return one.empty() ? 0 : one[0];
}

// A negation that modifies what follows is not the question's own: 「認可されていないモバイル
// コード」 (a noun follows), 「アクセスがないように」 (a purpose follows). The question is negated
// only where its predicate is.
bool NegatesThePredicate(const std::string& s, std::size_t end) {
  if (StartsWith(s, end, "よう")) return false;
  const char32_t next = CodePointAt(s, end);
  const bool noun = (next >= 0x4E00 && next <= 0x9FFF) || (next >= 0x30A1 && next <= 0x30FA);
  return !noun;
}

// An exposure named in order to prevent or govern it is a protection: 「目的外利用を防止」,
// 「第三者に提供する場合は同意を得る」, 「海外からのアクセスを遮断」, 「アクセスすることは記録されますか」.
bool Governed(const std::string& s, std::size_t at) {
  // The whole sentence the exposure is in: 「海外からのアクセスを遮断」 names the guard first.
  const std::string_view clause = text::SpanAround(s, at, 0, {"。", "?", "？"});
  for (std::string_view w : {"防止", "禁止", "同意", "承諾", "承認", "制限", "遮断", "記録", "管理", "報告", "監視", "prevent",
                             "consent", "prohibit", "approval", "approved", "block", "monitor", "logged", "recorded",
                             "background check", "restrict"}) {
    for (std::size_t g = clause.find(w); g != std::string_view::npos; g = clause.find(w, g + 1)) {
      // 「同意なく」「無断で」, "without approval": the guard is missing, the exposure is asked about.
      const std::string_view before = clause.substr(g >= 24 ? g - 24 : 0, g >= 24 ? 24 : g);
      const std::string_view after = clause.substr(g + w.size(), 12);
      const bool missing = before.find("without") != std::string_view::npos || before.find("無断") != std::string_view::npos ||
                           after.find("なく") == 0 || after.find("なしに") == 0 || after.find("を得ずに") == 0 ||
                           after.find("を得ない") == 0;
      if (!missing) return true;
    }
  }
  return false;
}

// Whether `p` occurs in `s` as `kind` counts it; an ASCII pattern only where a word starts.
bool Occurs(const std::string& s, const Pattern& p, Kind kind) {
  for (std::size_t at = text::FindPattern(s, p); at != std::string::npos; at = text::FindPattern(s, p, at + 1)) {
    if (kind == kNegation && !p.ascii && !NegatesThePredicate(s, at + p.key.size())) continue;
    if (kind == kExposure && Governed(s, at)) continue;
    return true;
  }
  return false;
}

// The first pattern of `kind` found in `s`, or null.
const Pattern* First(const std::string& s, Kind kind) {
  for (const Pattern& p : Patterns()[kind]) {
    if (Occurs(s, p, kind)) return &p;
  }
  return nullptr;
}

}  // namespace

QuestionMeaning AnalyzeQuestion(std::string_view question) {
  return AnalyzeNormalizedQuestion(text::NormalizeText(question));
}

QuestionMeaning AnalyzeNormalizedQuestion(std::string_view normalized) {
  QuestionMeaning m;
  const std::string s = text::AsciiLower(normalized);
  if (const Pattern* p = First(s, kNegation)) {
    m.negated = true;
    m.evidence.push_back(p->written);
  }
  if (const Pattern* p = First(s, kExposure)) {
    m.exposure = true;
    m.evidence.push_back(p->written);
  }
  // The most specific kind of answer wins: a number, then a period, then a description.
  if (const Pattern* p = First(s, kNumber)) {
    m.asks = AnswerKind::kNumber;
    m.evidence.push_back(p->written);
  } else if (const Pattern* q = First(s, kPeriod)) {
    m.asks = AnswerKind::kPeriod;
    m.evidence.push_back(q->written);
  } else if (const Pattern* r = First(s, kInformation)) {
    m.asks = AnswerKind::kInformation;
    m.evidence.push_back(r->written);
  }
  if (m.asks != AnswerKind::kYesNo) {
    m.desired = Desired::kInformation;
  } else {
    // "Yes" is bad news only for an exposure asked about positively (第三者に提供しているか).
    // Checksheets negate risks (禁止しているか, 開放していないか, 提供していないこと): yes is good.
    m.desired = m.exposure && !m.negated ? Desired::kNo : Desired::kYes;
  }
  return m;
}

bool OppositeMeaning(const QuestionMeaning& a, const QuestionMeaning& b) {
  return a.negated != b.negated || a.exposure != b.exposure;
}

std::string_view AnswerKindName(AnswerKind k) {
  switch (k) {
    case AnswerKind::kNumber: return "number";
    case AnswerKind::kPeriod: return "period";
    case AnswerKind::kInformation: return "information";
    case AnswerKind::kYesNo: break;
  }
  return "yes-no";
}

std::string_view DesiredName(Desired d) {
  switch (d) {
    case Desired::kNo: return "no";
    case Desired::kInformation: return "information";
    case Desired::kYes: break;
  }
  return "yes";
}

}  // namespace ts::sheet
