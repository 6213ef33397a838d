#include "evaluate/assess.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>
#include <optional>

#include "text/normalize.h"
#include "text/pattern_table.h"
#include "text/utf8.h"

namespace ts::evaluate {
namespace {

using sheet::Desired;
using sheet::Mark;

constexpr std::string_view kPatternsText =
#include "evaluate/remarks_tsv.inc"
    ;

// The kinds of remarks.tsv past the findings: phrases taken out first, and the topics that
// make a finding high.
constexpr std::size_t kFindings = 14;
constexpr std::size_t kHarmless = kFindings, kHigh = kFindings + 1, kTiming = kFindings + 2, kKinds = kFindings + 3;
constexpr std::array<std::string_view, kKinds> kKindNames = {
    "unusable", "absent", "planned", "partial", "customer", "option", "vague", "soon", "weak", "severe", "governed", "alternative",
    "yes", "no", "harmless", "high", "timing"};

using Pattern = text::TablePattern;

const std::vector<std::vector<Pattern>>& Patterns() {
  static const std::vector<std::vector<Pattern>> table =
      text::ParsePatternTable(kPatternsText, std::vector<std::string_view>(kKindNames.begin(), kKindNames.end()));
  return table;
}

// Where `p` occurs in `s` as a whole word where it is Latin, or npos.
std::size_t Find(const std::string& s, const Pattern& p) { return text::FindPattern(s, p, 0, /*whole_word=*/true); }

// A text as the checks read it: normalized and lower case (a question once per item).
std::string Lowered(std::string_view text) { return text::AsciiLower(text::NormalizeText(text)); }

// Normalized, lower case, the harmless phrases blanked out.
std::string Prepared(std::string_view text) {
  std::string s = Lowered(text);
  for (const Pattern& p : Patterns()[kHarmless]) {
    for (std::size_t at = Find(s, p); at != std::string::npos; at = Find(s, p)) s.replace(at, p.key.size(), " ");
  }
  return s;
}

struct Reading {
  std::string text;  // prepared
  std::array<const Pattern*, kFindings> found{};
  std::array<std::size_t, kFindings> at{};

  bool Has(Finding f) const { return found[static_cast<std::size_t>(f)] != nullptr; }
  // The sentence of the remark that holds finding `f`, as printed after normalization.
  std::string Quote(Finding f) const {
    const std::size_t i = static_cast<std::size_t>(f);
    std::string q(text::Trim(text::SpanAround(text, at[i], found[i]->key.size(), {"。", "\n", ". ", "、", ", "})));
    if (text::CodePointCount(q) > 60) q = text::CutUtf8(q, 150) + "…";
    return q;
  }
};

Reading Read(std::string_view text) {
  Reading r;
  r.text = Prepared(text);
  for (std::size_t k = 0; k < kFindings; ++k) {
    for (const Pattern& p : Patterns()[k]) {
      if (std::size_t at = Find(r.text, p); at != std::string::npos) {
        r.found[k] = &p;
        r.at[k] = at;
        break;
      }
    }
  }
  // 「AIモデルの学習に利用されることはありません」: an exposure denied is a reassurance, not a
  // missing control.
  const std::size_t absent = static_cast<std::size_t>(Finding::kAbsent);
  if (r.found[absent] && sheet::AnalyzeNormalizedQuestion(r.Quote(Finding::kAbsent)).exposure) r.found[absent] = nullptr;
  return r;
}

// Whether the question `q` (Lowered) names one of the words of `kind` (kHigh, kTiming).
bool QuestionHas(const std::string& q, std::size_t kind) {
  for (const Pattern& p : Patterns()[kind]) {
    if (Find(q, p) != std::string::npos) return true;
  }
  return false;
}

// An answer cell that holds nothing but a dash or a question mark.
bool IsPlaceholder(std::string_view s) {
  s = text::Trim(s);
  if (s.empty()) return true;
  for (std::size_t i = 0; i < s.size();) {
    const char32_t c = text::DecodeUtf8(s, &i);
    if (c != '-' && c != U'ー' && c != U'―' && c != U'—' && c != U'–' && c != '?' && c != U'?' && c != ' ' &&
        c != '/' && c != U'／') {
      return false;
    }
  }
  return true;
}

std::string_view DesiredWord(Desired d) {
  switch (d) {
    case Desired::kNo: return "いいえ";
    case Desired::kInformation: return "情報の提示";
    case Desired::kYes: break;
  }
  return "はい";
}

std::string Quoted(std::string_view s) { return "「" + std::string(s) + "」"; }

// The first of `kinds` the reading has, and what a reviewer says about it.
struct Said {
  Finding kind;
  std::string_view meaning;
};
constexpr std::array<Said, 7> kHedges = {
    Said{Finding::kSevere, "設定が十分ではありません"},
    Said{Finding::kWeak, "設定が十分ではありません"},
    Said{Finding::kPlanned, "対応は今後の予定です"},
    Said{Finding::kPartial, "一部の範囲に限られます"},
    Said{Finding::kCustomer, "お客様側の対応が必要です"},
    Said{Finding::kOption, "有償オプションまたは上位プランに限られます"},
    Said{Finding::kVague, "約束があいまいです"},
};

const Said* FirstHedge(const Reading& r) {
  for (const Said& s : kHedges) {
    if (r.Has(s.kind)) return &s;
  }
  return nullptr;
}


std::string_view HedgeMeaning(Finding f) {
  for (const Said& s : kHedges) {
    if (s.kind == f) return s.meaning;
  }
  return "";
}

// Whether the question asks yes or no: a sentence that ends in か, こと or ?, or asks 「…の有無」.
// A bare noun phrase (サービス提供時間, 計画停止の事前通知期限) names a value to fill in.
bool AsksYesNo(const std::string& q) {
  if (q.find("有無") != std::string::npos) return true;
  std::string_view t = text::Trim(q);
  while (!t.empty() && (t.back() == '.' || t.back() == ' ' || t.back() == ')')) t.remove_suffix(1);
  while (text::EndsWith(t, "。")) t.remove_suffix(3);
  if (t.empty()) return false;
  // A checklist's statement (「パッチの適用期限を定めている」) is asked as yes or no too;
  // 「…をご記入ください」 asks for a value.
  if (t.back() == '?' || text::EndsWith(t, "か") || text::EndsWith(t, "こと") || text::EndsWith(t, "る") ||
      text::EndsWith(t, "ない")) {
    return true;
  }
  // English questions start with an auxiliary verb.
  for (std::string_view aux : {"do ", "does ", "is ", "are ", "can ", "will ", "have ", "has ", "was ", "were "}) {
    if (text::StartsWith(t, aux)) return true;
  }
  return false;
}

// 「ISMS認証またはSOC2報告書の取得」: any one of the alternatives answers yes.
bool OffersAlternatives(const std::string& q) {
  for (std::string_view w : {"または", "もしくは", "いずれか", " or "}) {
    if (q.find(w) != std::string::npos) return true;
  }
  return false;
}

// The number written just before `unit` in `s` (「6文字」 -> 6), or -1.
long NumberBefore(const std::string& s, std::size_t unit_at) {
  std::size_t b = unit_at;
  while (b > 0 && s[b - 1] == ' ') --b;
  std::size_t e = b;
  while (b > 0 && s[b - 1] >= '0' && s[b - 1] <= '9') --b;
  if (b == e || e - b > 6) return -1;
  return std::stol(s.substr(b, e - b));
}

struct Weak {
  Verdict verdict;
  std::string reason;
};

// A value below what a careful customer accepts: a password shorter than 8 characters is a risk
// (guessable whatever else is done), logs kept for less than 90 days a caveat (too short to
// investigate). Only where the question asks about that quantity, and only a number with its
// unit (「6文字以上」, not 「3文字種」). The reason quotes the value.
std::optional<Weak> WeakValue(const std::string& q, std::string_view said) {
  const std::string s = Lowered(said);
  auto has = [&](std::initializer_list<std::string_view> words) {
    for (std::string_view w : words) {
      for (std::size_t at = q.find(w); at != std::string::npos; at = q.find(w, at + 1)) {
        const std::size_t end = at + w.size();
        // ログ is not ログイン, log is not login or methodology.
        if (w == "ログ" && q.compare(end, 6, "イン") == 0) continue;
        if (w == "log" && ((at > 0 && std::isalpha(static_cast<unsigned char>(q[at - 1]))) ||
                           (end < q.size() && q.compare(end, 2, "in") == 0) ||
                           (end < q.size() && std::isalpha(static_cast<unsigned char>(q[end])) && q[end] != 's'))) {
          continue;
        }
        return true;
      }
    }
    return false;
  };
  struct Rule {
    bool applies;
    std::vector<std::string_view> units;
    long minimum;
    Verdict verdict;
    std::string_view why;
  };
  const Rule rules[] = {
      {has({"パスワード", "password"}) && has({"長さ", "文字数", "桁", "length", "characters", "minimum"}),
       {"文字", "桁", "characters", "chars", "digits"}, 8, Verdict::kRisk, "パスワードの長さが8文字に足りません"},
      {has({"ログ", "log"}) && has({"保存", "保管", "保持", "期間", "retention", "retain", "kept", "stored"}),
       {"日間", "日", "days"}, 90, Verdict::kCaveat, "ログの保存期間が90日に足りません"},
  };
  for (const Rule& rule : rules) {
    if (!rule.applies) continue;
    for (std::string_view unit : rule.units) {
      for (std::size_t at = s.find(unit); at != std::string::npos; at = s.find(unit, at + 1)) {
        if (s.compare(at + unit.size(), 3, "種") == 0) continue;  // 文字種: kinds of characters
        const long n = NumberBefore(s, at);
        if (n >= 0 && n < rule.minimum) {
          const bool latin = static_cast<unsigned char>(unit[0]) < 0x80;
          return Weak{rule.verdict, "回答" + Quoted(std::to_string(n) + (latin ? " " : "") + std::string(unit)) + ": " +
                                        std::string(rule.why)};
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<Found> FindInRemarks(std::string_view text) {
  const Reading r = Read(text);
  std::vector<Found> out;
  for (std::size_t k = 0; k < kFindings; ++k) {
    if (r.found[k]) out.push_back({static_cast<Finding>(k), r.found[k]->written});
  }
  return out;
}

Assessment AssessItem(const sheet::Item& item) {
  Assessment a;
  const std::string q = Lowered(item.question);
  const sheet::QuestionMeaning m = sheet::AnalyzeNormalizedQuestion(q);
  const bool high = QuestionHas(q, kHigh) || (m.exposure && !m.negated);
  Mark mark = item.answer.mark;
  const std::string& answer = item.answer.text;
  const bool free_text = mark == Mark::kText || mark == Mark::kNone;
  // What is said beyond the mark: a free-text answer and the remarks.
  Reading r = Read(free_text ? answer + "\n" + item.remarks : item.remarks);
  // 「速やかに」 is vague only about a deadline or a notice.
  if (r.Has(Finding::kSoon) && !r.Has(Finding::kVague) && QuestionHas(q, kTiming)) {
    const std::size_t soon = static_cast<std::size_t>(Finding::kSoon), vague = static_cast<std::size_t>(Finding::kVague);
    r.found[vague] = r.found[soon];
    r.at[vague] = r.at[soon];
  }
  const std::string shown = answer.empty() ? std::string("(空欄)") : answer;
  // Information is asked for where the question says so (教えてください) or names a value
  // (サービス提供時間) and is answered in words; a mark answers a yes-or-no question.
  const bool yes_no = AsksYesNo(q);
  const bool information = free_text ? (m.desired == Desired::kInformation || !yes_no)
                                     : (m.asks == sheet::AnswerKind::kInformation && !yes_no);
  a.desired = information ? Desired::kInformation : m.exposure && !m.negated ? Desired::kNo : Desired::kYes;

  auto judge = [&](Verdict v, Severity s, std::string reason) {
    a.verdict = v;
    a.severity = v == Verdict::kRisk || v == Verdict::kCaveat ? s : Severity::kNone;
    a.reason = std::move(reason);
    return a;
  };
  auto remark = [&](Finding f, std::string_view meaning) {
    return "備考" + Quoted(r.Quote(f)) + ": " + std::string(meaning);
  };
  const Severity hedge = high ? Severity::kMedium : Severity::kLow;

  // Nothing to judge.
  if ((free_text || mark == Mark::kNotApplicable) && IsPlaceholder(answer) && text::Trim(item.remarks).empty()) {
    return judge(Verdict::kUnclear, Severity::kNone, "回答がありません");
  }
  if ((free_text || mark == Mark::kNotApplicable) && !text::Trim(answer).empty() && IsPlaceholder(answer)) {
    return judge(Verdict::kUnclear, Severity::kNone, "回答" + Quoted(shown) + "からは判断できません");
  }
  if (free_text && r.Has(Finding::kUnusable)) {
    return judge(Verdict::kUnclear, Severity::kNone, "回答" + Quoted(r.Quote(Finding::kUnusable)) + "からは判断できません");
  }
  if (std::optional<Weak> weak = WeakValue(q, answer + "\n" + item.remarks)) {
    return judge(weak->verdict, weak->verdict == Verdict::kRisk ? Severity::kHigh : hedge, weak->reason);
  }

  if (information) {
    if (mark == Mark::kNotApplicable || (!free_text && text::Trim(item.remarks).empty() && mark != Mark::kNo)) {
      return judge(Verdict::kUnclear, Severity::kNone, "質問は情報を求めていますが、回答は" + Quoted(shown) + "のみです");
    }
    if (mark == Mark::kNo) {
      return judge(Verdict::kRisk, high ? Severity::kHigh : Severity::kMedium, "回答" + Quoted(shown) + ": 該当する仕組みがありません");
    }
    if (r.Has(Finding::kAbsent) && !m.exposure) return judge(Verdict::kCaveat, hedge, remark(Finding::kAbsent, "対応していない点があります"));
    // Scope and self-service are what a value answer usually says; only a soft or weak value is a caveat.
    for (Finding f : {Finding::kSevere, Finding::kWeak, Finding::kPlanned, Finding::kOption, Finding::kVague}) {
      if (r.Has(f)) return judge(Verdict::kCaveat, hedge, remark(f, HedgeMeaning(f)));
    }
    return judge(Verdict::kInfo, Severity::kNone, "回答" + Quoted(shown) + ": 情報の提示です");
  }

  // A yes/no question answered in words: read the words as yes or no where they say so.
  if (free_text) {
    if (r.Has(Finding::kAbsent) || r.Has(Finding::kNo)) {
      mark = Mark::kNo;
    } else if (r.Has(Finding::kYes)) {
      mark = Mark::kYes;
    } else if (mark == Mark::kNone) {
      return judge(Verdict::kUnclear, Severity::kNone, "回答欄に印がなく、備考からも判断できません");
    } else {
      if (const Said* h = FirstHedge(r)) return judge(Verdict::kCaveat, hedge, remark(h->kind, h->meaning));
      return judge(Verdict::kInfo, Severity::kNone, "回答" + Quoted(shown) + ": 情報の提示です");
    }
  }
  if (mark == Mark::kNotApplicable) {
    // Not applicable, with the reason why: the vendor has considered it. Bare, it says nothing.
    if (text::Trim(item.remarks).empty()) {
      return judge(Verdict::kUnclear, Severity::kNone, "回答" + Quoted(shown) + ": 理由が示されていません");
    }
    if (const Said* h = FirstHedge(r)) return judge(Verdict::kCaveat, hedge, remark(h->kind, h->meaning));
    return judge(Verdict::kOk, Severity::kNone, "回答" + Quoted(shown) + ": 理由が示されています");
  }
  const std::string expected = "望ましい回答は" + Quoted(DesiredWord(a.desired)) + "です";
  const bool wants_yes = a.desired == Desired::kYes;
  const bool good = wants_yes ? mark == Mark::kYes : mark == Mark::kNo;
  const bool bad = wants_yes ? (mark == Mark::kNo || mark == Mark::kPlanned) : mark == Mark::kYes;

  if (bad) {
    if (!wants_yes && r.Has(Finding::kGoverned)) {
      return judge(Verdict::kCaveat, Severity::kMedium,
                   "回答" + Quoted(shown) + "(" + remark(Finding::kGoverned, "条件付きです") + ")");
    }
    if (wants_yes && r.Has(Finding::kAlternative)) {
      return judge(Verdict::kCaveat, Severity::kMedium,
                   "回答" + Quoted(shown) + "(" + remark(Finding::kAlternative, "代わりの手段が示されています") + ")");
    }
    std::string reason = "回答" + Quoted(shown) + ": " + expected;
    if (wants_yes && r.Has(Finding::kPlanned)) reason += "(備考" + Quoted(r.Quote(Finding::kPlanned)) + ": 現時点では未対応です)";
    return judge(Verdict::kRisk, high || !wants_yes ? Severity::kHigh : Severity::kMedium, reason);
  }
  if (mark == Mark::kPartial) {
    std::string reason = "回答" + Quoted(shown) + ": 一部のみの対応です";
    if (const Said* h = FirstHedge(r)) reason += "(" + remark(h->kind, h->meaning) + ")";
    return judge(Verdict::kCaveat, high ? Severity::kHigh : Severity::kMedium, reason);
  }
  if (!good) return judge(Verdict::kUnclear, Severity::kNone, "回答" + Quoted(shown) + "からは判断できません");

  if (wants_yes) {
    // 「ISMSまたはSOC2」: one of the alternatives missing is no contradiction when another is there.
    const bool alternatives = OffersAlternatives(q) && r.Has(Finding::kYes);
    if (r.Has(Finding::kAbsent) && !alternatives) {
      return judge(Verdict::kRisk, high ? Severity::kHigh : Severity::kMedium,
                   remark(Finding::kAbsent, "回答" + Quoted(shown) + "に反して、対策がないことを示しています"));
    }
    if (r.Has(Finding::kSevere)) {
      return judge(Verdict::kRisk, high ? Severity::kHigh : Severity::kMedium,
                   remark(Finding::kSevere, "回答" + Quoted(shown) + "ですが、実質的に対策になっていません"));
    }
    if (const Said* h = FirstHedge(r)) return judge(Verdict::kCaveat, hedge, remark(h->kind, h->meaning));
    return judge(Verdict::kOk, Severity::kNone, "回答" + Quoted(shown) + ": " + expected);
  }
  // The customer wants no, and the vendor says no: only a hedge on the no weakens it (a
  // restriction such as 「支給端末のみ」 supports it), or the exposure happens after all under
  // conditions (「お客様の許可を得た場合のみ閲覧」).
  if (r.Has(Finding::kGoverned) && !r.Has(Finding::kAbsent)) {
    return judge(Verdict::kCaveat, hedge, remark(Finding::kGoverned, "条件付きで行われます"));
  }
  for (Finding f : {Finding::kPlanned, Finding::kVague}) {
    if (r.Has(f) && !r.Has(Finding::kAbsent)) {
      return judge(Verdict::kCaveat, hedge, remark(f, "「いいえ」に条件や例外があります"));
    }
  }
  return judge(Verdict::kOk, Severity::kNone, "回答" + Quoted(shown) + ": " + expected);
}

SheetAssessment AssessSheet(const sheet::Checksheet& sheet) {
  SheetAssessment out;
  Tally tally;
  for (const sheet::Part& part : sheet.parts) {
    std::vector<Assessment>& list = out.items.emplace_back();
    for (const sheet::Item& item : part.items) {
      Assessment a = AssessItem(item);
      tally.Add(a.verdict);
      list.push_back(std::move(a));
    }
  }
  out.summary = tally.Done();
  return out;
}

void Tally::Add(Verdict v) {
  summary_.verdicts[static_cast<std::size_t>(v)]++;
  if (v == Verdict::kInfo) return;
  ++judged_;
  points_ += v == Verdict::kOk ? 1.0 : v == Verdict::kCaveat ? 0.5 : 0.0;
}

Summary Tally::Done() const {
  Summary s = summary_;
  if (judged_ == 0) return s;
  s.score = 100.0 * points_ / judged_;
  s.band = s.score >= 80 ? "問題なし" : s.score >= 60 ? "要確認" : "不可";
  return s;
}

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kOk: return "ok";
    case Verdict::kRisk: return "risk";
    case Verdict::kCaveat: return "caveat";
    case Verdict::kInfo: return "info";
    case Verdict::kUnclear: break;
  }
  return "unclear";
}

std::string_view VerdictLabel(Verdict v) {
  switch (v) {
    case Verdict::kOk: return "問題なし";
    case Verdict::kRisk: return "リスク";
    case Verdict::kCaveat: return "注意";
    case Verdict::kInfo: return "情報";
    case Verdict::kUnclear: break;
  }
  return "判断不能";
}

std::string_view SeverityLabel(Severity s) {
  switch (s) {
    case Severity::kHigh: return "高";
    case Severity::kMedium: return "中";
    case Severity::kLow: return "低";
    case Severity::kNone: break;
  }
  return "";
}

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kHigh: return "high";
    case Severity::kMedium: return "medium";
    case Severity::kLow: return "low";
    case Severity::kNone: break;
  }
  return "";
}

}  // namespace ts::evaluate
