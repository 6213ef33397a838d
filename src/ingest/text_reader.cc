#include "ingest/text_reader.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "ingest/grid.h"
#include "ingest/internal/encoding.h"
#include "ingest/internal/heading_stack.h"
#include "ingest/table_layout.h"
#include "sheet/answer_mark.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace ts::ingest {
namespace {

using sheet::Mark;

// Marks that stand inline between question and remark text ("…しているか。 ◯ 備考").
constexpr std::array<std::string_view, 13> kSymbolMarks = {"◯", "○", "〇", "●", "◎", "✓", "✔",
                                                          "✕", "×", "✖", "△", "▲", "☑"};

// Units of the METI cloud service-level checklist's 測定単位 column, longest first where one
// is a prefix of another. Used only for parts whose header names a unit column.
constexpr std::array<std::string_view, 26> kUnits = {
    "有無(ファイル形式)", "有無(制約条件)", "有無/内容", "有無/実施状況", "有無/設定状況", "有無",
    "時間帯", "時間(分)", "時間(秒)", "時間(日)", "時間", "稼働率(%)", "稼働率", "回", "件数",
    "世代数", "頻度", "処理能力", "設定状況", "把握状況", "実施状況", "日数", "回数", "容量",
    "人数", "%"};

// The unit that stands at s[p] as a whole word (followed by a space, a newline or the end),
// or "" if none does. kUnits lists longer units first, so the longest match wins.
std::string_view UnitAt(std::string_view s, std::size_t p) {
  for (std::string_view u : kUnits) {
    if (s.substr(p, u.size()) != u) continue;
    std::size_t e = p + u.size();
    if (e == s.size() || s[e] == ' ' || s[e] == '\n') return u;
  }
  return {};
}

// The checklist's 種別 (category) column values; an item line may start with one.
constexpr std::array<std::string_view, 7> kCategories = {"可用性", "信頼性", "性能", "拡張性",
                                                        "サポート", "データ管理", "セキュリティ"};

struct Line {
  std::string text;  // normalized, trimmed
  int lineno;        // 1-based
  int page;          // 1-based or 0
};

bool IsUrlOnly(std::string_view t) {
  return (text::StartsWith(t, "http://") || text::StartsWith(t, "https://")) &&
         t.find(' ') == std::string_view::npos;
}

bool IsFurniture(std::string_view t) {
  if (text::StartsWith(t, "©") || text::StartsWith(t, "(c)") || text::StartsWith(t, "(C)") ||
      text::StartsWith(t, "Copyright")) {
    return true;
  }
  if (t.find("無断転載") != std::string_view::npos || t.find("All rights reserved") != std::string_view::npos) {
    return true;
  }
  // Page numbers: "- 3 -", "3 / 10", "Page 3", "p. 3".
  std::string k = text::RemoveSpaces(t);
  auto all_digits = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  // Table-of-contents lines: a title, dot leaders, a page number ("5.1.1 基本方針 ..... 12").
  if (std::size_t dots = k.find("...."); dots != std::string::npos) {
    std::size_t end = k.find_last_not_of('.');
    std::size_t digits = k.find_last_not_of("0123456789");
    if (end != std::string::npos && end > dots && digits != std::string::npos && digits + 1 < k.size()) return true;
  }
  if (k.size() >= 3 && k.front() == '-' && k.back() == '-' && all_digits(k.substr(1, k.size() - 2))) return true;
  if (auto slash = k.find('/'); slash != std::string::npos && slash > 0 &&
                                all_digits(k.substr(0, slash)) && all_digits(k.substr(slash + 1))) {
    return true;
  }
  if ((text::StartsWith(k, "Page") && all_digits(k.substr(4))) || (text::StartsWith(k, "p.") && all_digits(k.substr(2)))) {
    return true;
  }
  return false;
}

// "◆ログの取得について" or "III.セキュリティ全般": headings some layouts print apart from
// their items (at the foot of the page).
bool IsMarkedHeading(std::string_view t) {
  if (text::StartsWith(t, "◆") || text::StartsWith(t, "■") || text::StartsWith(t, "◇")) return true;
  std::size_t i = 0;
  while (i < t.size() && (t[i] == 'I' || t[i] == 'V' || t[i] == 'X')) ++i;
  return i > 0 && i <= 4 && i < t.size() && t[i] == '.' && t.size() > i + 1;
}

int RomanValue(std::string_view t) {
  int v = 0, prev = 0;
  for (std::size_t i = t.size(); i-- > 0;) {
    int d = t[i] == 'I' ? 1 : t[i] == 'V' ? 5 : t[i] == 'X' ? 10 : 0;
    v += d < prev ? -d : d;
    prev = std::max(prev, d);
  }
  return v;
}

std::string StripHeadingMarker(std::string_view t) {
  for (std::string_view m : {"◆", "■", "◇"}) {
    if (text::StartsWith(t, m)) return std::string(text::Trim(t.substr(m.size())));
  }
  return std::string(t);
}

// A leading item number: "12 …" or "12" alone. Returns the number and the rest of the line.
std::optional<std::pair<int, std::string>> LeadingNumber(std::string_view t) {
  std::size_t i = 0;
  while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
  if (i == 0 || i > 3) return std::nullopt;
  if (i < t.size() && t[i] != ' ') return std::nullopt;
  int n = 0;
  std::from_chars(t.data(), t.data() + i, n);
  return std::make_pair(n, std::string(text::Trim(t.substr(i))));
}

bool IsHeaderLine(std::string_view t, std::vector<std::string>* roles) {
  std::vector<std::string> tokens;
  std::size_t start = 0;
  std::string s(t);
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == ' ') {
      if (i > start) tokens.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  if (tokens.size() < 3 || tokens.size() > 10) return false;
  int named = 0;
  bool question = false, answer = false;
  roles->clear();
  for (const std::string& tok : tokens) {
    std::string r = HeaderRoleName(tok);
    if (!r.empty() && r != "choice") ++named;
    question = question || r == "question";
    answer = answer || r == "answer";
    roles->push_back(r);
  }
  return question && answer && named * 10 >= static_cast<int>(tokens.size()) * 7;
}

// Character bigrams of a heading's core words, for matching displaced headings to items.
std::set<std::u32string> HeadingBigrams(std::string_view heading) {
  std::string core = StripHeadingMarker(heading);
  for (std::string_view stop : {"について", "に関する", "に対する", "項目", "全般"}) {
    for (std::size_t p; (p = core.find(stop)) != std::string::npos;) core.erase(p, stop.size());
  }
  std::u32string u = text::ToU32(core);
  std::set<std::u32string> out;
  for (std::size_t i = 0; i + 1 < u.size(); ++i) {
    if (text::IsCjk(u[i]) && text::IsCjk(u[i + 1]) && u[i] != U'、' && u[i + 1] != U'、') {
      out.insert(u.substr(i, 2));
    }
  }
  return out;
}

double HeadingSimilarity(const std::set<std::u32string>& bigrams, std::string_view question) {
  if (bigrams.empty()) return 0.0;
  std::string q(question);
  int hits = 0;
  for (const auto& b : bigrams) hits += q.find(text::ToUtf8(b)) != std::string::npos ? 1 : 0;
  return static_cast<double>(hits) / static_cast<double>(bigrams.size());
}

struct Block {
  int number = -1;  // -1: text before the first item of the part
  std::vector<const Line*> lines;  // first line holds the text after the number; nullptr = blank
};

// A heading cluster printed apart from its items, and how many items of the part preceded it.
struct Cluster {
  std::size_t items_before;
  std::vector<std::vector<std::string>> paths;  // in reading order, each a section path
};

class PartParser {
 public:
  PartParser(std::string file, std::string part_id, bool unit_layout, sheet::Part* part,
             std::vector<sheet::Warning>* warnings)
      : file_(std::move(file)), part_id_(std::move(part_id)), unit_layout_(unit_layout),
        part_(part), warnings_(warnings) {}

  void Parse(const std::vector<const Line*>& lines);

 private:
  void Flush();
  void FlushPreamble();
  void HandleItemBlock();
  bool ParseWithMark(const std::vector<std::string>& texts, sheet::Item* item);
  bool ParseWithUnit(std::string joined, sheet::Item* item, std::string* category);
  void AddItem(sheet::Item item, const Block& b);
  void ResolveClusters();
  void CloseCluster();
  bool IsBoundary(int n) const;
  std::optional<std::size_t> MidLineStart(std::string_view t, int n) const;

  std::string file_;
  std::string part_id_;
  bool unit_layout_;
  sheet::Part* part_;
  std::vector<sheet::Warning>* warnings_;
  internal::HeadingStack headings_;
  Block block_;
  int last_item_number_ = 0;
  std::vector<int> heading_numbers_;
  std::string category_;  // current 種別 value (unit layouts)
  std::vector<Cluster> clusters_;
  std::vector<std::string> pending_cluster_;
  std::string current_top_;  // the Roman-numbered heading in force
  std::set<std::string> used_ids_;
  std::vector<std::unique_ptr<Line>> owned_;  // lines split in two
};

void PartParser::CloseCluster() {
  Flush();  // the cluster closes the items printed above it
  std::vector<std::vector<std::string>> paths;
  // Group: a Roman-numbered heading opens a group; ◆ headings before any Roman one continue
  // the group in force (from an earlier cluster). Groups go in numeral order.
  std::vector<std::pair<int, std::vector<std::string>>> groups;
  std::vector<std::string> orphans;
  for (const std::string& h : pending_cluster_) {
    if (!text::StartsWith(h, "◆") && !text::StartsWith(h, "■") && !text::StartsWith(h, "◇")) {
      groups.push_back({RomanValue(h.substr(0, h.find('.'))), {h}});
    } else if (groups.empty()) {
      orphans.push_back(StripHeadingMarker(h));
    } else {
      groups.back().second.push_back(StripHeadingMarker(h));
    }
  }
  std::stable_sort(groups.begin(), groups.end(), [](auto& a, auto& b) { return a.first < b.first; });
  for (auto& [value, g] : groups) {
    current_top_ = g[0];
    if (g.size() == 1) paths.push_back({g[0]});
    for (std::size_t k = 1; k < g.size(); ++k) paths.push_back({g[0], g[k]});
  }
  for (const std::string& o : orphans) {
    std::vector<std::string> path;
    if (!current_top_.empty()) path.push_back(current_top_);
    path.push_back(o);
    paths.push_back(std::move(path));
  }
  clusters_.push_back({part_->items.size(), std::move(paths)});
  pending_cluster_.clear();
}

bool PartParser::IsBoundary(int n) const {
  if (n == 1 || n == last_item_number_ + 1 || (block_.number >= 0 && n == block_.number + 1)) return true;
  for (int h : heading_numbers_) {
    if (n == h + 1) return true;
  }
  return false;
}

// Where item `n` starts in the middle of a line: "…/policy/ 2 組織に対して…".
std::optional<std::size_t> PartParser::MidLineStart(std::string_view t, int n) const {
  std::string needle = " " + std::to_string(n) + " ";
  for (std::size_t p = t.find(needle); p != std::string_view::npos; p = t.find(needle, p + 1)) {
    std::string_view before = t.substr(0, p);
    std::size_t sp = before.rfind(' ');
    std::string_view last_word = sp == std::string_view::npos ? before : before.substr(sp + 1);
    bool after_url = text::StartsWith(last_word, "http");
    bool after_sentence = text::EndsWith(before, "。");
    std::string_view rest = t.substr(p + needle.size());
    std::size_t k = 0;
    if (rest.empty()) continue;
    char32_t c = text::DecodeUtf8(rest, &k);
    if ((after_url || after_sentence) && text::IsCjk(c) && text::CodePointCount(rest) >= 10) return p;
  }
  return std::nullopt;
}

void PartParser::Parse(const std::vector<const Line*>& lines) {
  for (const Line* ln : lines) {
    if (ln == nullptr) {
      block_.lines.push_back(nullptr);
      continue;
    }
    const std::string& t = ln->text;
    if (IsMarkedHeading(t)) {
      pending_cluster_.push_back(t);
      continue;
    }
    if (!pending_cluster_.empty()) CloseCluster();
    auto lead = LeadingNumber(t);
    if (lead && IsBoundary(lead->first)) {
      Flush();
      block_.number = lead->first;
      auto rest = std::make_unique<Line>(Line{lead->second, ln->lineno, ln->page});
      block_.lines.push_back(rest.get());  // kept even when empty: the item starts on this line
      owned_.push_back(std::move(rest));
      continue;
    }
    int next = (block_.number >= 0 ? std::max(last_item_number_, block_.number) : last_item_number_) + 1;
    if (block_.number >= 0) {
      if (auto p = MidLineStart(t, next)) {
        auto head = std::make_unique<Line>(Line{std::string(text::Trim(t.substr(0, *p))), ln->lineno, ln->page});
        block_.lines.push_back(head.get());
        owned_.push_back(std::move(head));
        Flush();
        block_.number = next;
        auto tail = std::make_unique<Line>(
            Line{std::string(text::Trim(t.substr(*p + std::to_string(next).size() + 2))), ln->lineno, ln->page});
        block_.lines.push_back(tail.get());
        owned_.push_back(std::move(tail));
        continue;
      }
    }
    block_.lines.push_back(ln);
  }
  Flush();
  // Headings after the last item head the items above them.
  if (!pending_cluster_.empty()) CloseCluster();
  ResolveClusters();
}

// Trailing short lines of a block that stand alone are headings of what follows
// ("サポート", "データ管理" category rows of a service-level table).
std::vector<std::string> PopTrailingHeadings(Block* b) {
  std::vector<std::string> out;
  while (true) {
    while (!b->lines.empty() && b->lines.back() == nullptr) b->lines.pop_back();
    if (b->lines.size() < 2) break;
    const Line* last = b->lines.back();
    const Line* before = b->lines[b->lines.size() - 2];
    std::string_view t = last->text;
    bool short_title = text::CodePointCount(t) <= 20 && t.find("。") == std::string_view::npos &&
                       t.find("、") == std::string_view::npos && !IsUrlOnly(t) && !sheet::MarkOfToken(t) &&
                       !text::StartsWith(t, "【") && t.find(' ') == std::string_view::npos;
    if (!short_title || before != nullptr) break;
    out.insert(out.begin(), std::string(t));
    b->lines.pop_back();
  }
  return out;
}

void PartParser::FlushPreamble() {
  // Text between the header and the first item: headings only (category rows), the rest is
  // page furniture or an introduction.
  for (const Line* ln : block_.lines) {
    if (ln == nullptr) continue;
    std::string_view t = ln->text;
    if (text::CodePointCount(t) <= 20 && t.find("。") == std::string_view::npos && !IsUrlOnly(t)) {
      headings_.Push(std::string(t), "");
    }
  }
}

void PartParser::Flush() {
  if (block_.lines.empty() && block_.number < 0) return;
  if (block_.number < 0) {
    FlushPreamble();
  } else {
    HandleItemBlock();
  }
  block_ = Block{};
}

bool PartParser::ParseWithMark(const std::vector<std::string>& texts, sheet::Item* item) {
  for (std::size_t li = 0; li < texts.size(); ++li) {
    const std::string& t = texts[li];
    if (t.empty()) continue;
    std::size_t pos = std::string::npos, len = 0;
    if (auto m = sheet::MarkOfToken(t); m && t != "-" && t.size() > 1) {
      pos = 0;
      len = t.size();
    } else {
      for (std::string_view mark : kSymbolMarks) {
        for (std::size_t p = t.find(mark); p != std::string::npos; p = t.find(mark, p + 1)) {
          bool left = p == 0 || t[p - 1] == ' ';
          bool right = p + mark.size() == t.size() || t[p + mark.size()] == ' ';
          if (left && right && p < pos) {
            pos = p;
            len = mark.size();
          }
        }
      }
    }
    if (pos == std::string::npos) continue;
    std::string question, remarks;
    for (std::size_t k = 0; k < li; ++k) question = text::JoinWrapped(question, texts[k]);
    question = text::JoinWrapped(question, t.substr(0, pos));
    remarks = std::string(text::Trim(std::string_view(t).substr(pos + len)));
    for (std::size_t k = li + 1; k < texts.size(); ++k) remarks = text::JoinWrapped(remarks, texts[k]);
    std::string token = t.substr(pos, len);
    item->question = question;
    item->answer = {*sheet::MarkOfToken(token), token};
    item->remarks = remarks;
    return !question.empty();
  }
  return false;
}

bool PartParser::ParseWithUnit(std::string joined, sheet::Item* item, std::string* category) {
  // 種別 first: "可用性 サービス時間 …" or a line of its own.
  std::string_view j = text::Trim(joined);
  for (std::string_view c : kCategories) {
    if (text::StartsWith(j, c) && (j.size() == c.size() || j[c.size()] == ' ' || j[c.size()] == '\n')) {
      *category = std::string(c);
      j = text::Trim(j.substr(c.size()));
      break;
    }
  }
  std::size_t best = std::string::npos;
  std::string_view unit;
  for (std::size_t p = 1; p < j.size() && best == std::string::npos; ++p) {
    if (j[p - 1] != ' ' && j[p - 1] != '\n') continue;
    std::string_view u = UnitAt(j, p);
    if (u.empty()) continue;
    // A word alone on its line right before a line that opens with a unit is the end of a
    // wrapped definition ("…設定された目標" / "時間" / "時間 公開しておりません。").
    std::size_t e = p + u.size();
    bool alone = j[p - 1] == '\n' && (e == j.size() || j[e] == '\n');
    if (alone && !UnitAt(text::Trim(j.substr(e)), 0).empty()) continue;
    best = p;
    unit = u;
  }
  if (best == std::string::npos) return false;
  std::string question;
  for (std::string_view l : text::SplitLines(j.substr(0, best))) question = text::JoinWrapped(question, l);
  std::string_view rest = text::Trim(j.substr(best + unit.size()));
  std::string unit_text(unit);
  if (text::StartsWith(rest, "(")) {  // a unit wrapped onto the next line: "有無" / "(ファイル形式)"
    std::size_t close = rest.find(')');
    if (close != std::string_view::npos && close < 40) {
      unit_text += std::string(rest.substr(0, close + 1));
      rest = text::Trim(rest.substr(close + 1));
    }
  }
  std::string remarks;
  for (std::string_view l : text::SplitLines(rest)) remarks = text::JoinWrapped(remarks, l);
  item->question = question;
  item->remarks = remarks;
  item->extra.emplace_back("測定単位", unit_text);
  // The answer is the 【有】/【無】 that opens the remark (or its first lines).
  std::optional<sheet::LeadingMark> lead = sheet::FindLeadingMark(remarks);
  if (!lead) {
    for (std::string_view br : {"【有】", "【無】", "【該当なし】", "【対象外】"}) {
      std::size_t p = remarks.find(br);
      if (p != std::string::npos && text::CodePointCount(std::string_view(remarks).substr(0, p)) <= 40) {
        std::string token(br.substr(3, br.size() - 6));
        lead = sheet::LeadingMark{*sheet::MarkOfToken(token), token, 0};
        break;
      }
    }
  }
  if (lead) item->answer = {lead->mark, lead->token};
  return !question.empty();
}

void PartParser::HandleItemBlock() {
  std::vector<std::string> trailing = PopTrailingHeadings(&block_);
  std::vector<std::string> texts;
  for (const Line* l : block_.lines) texts.push_back(l ? l->text : std::string());
  // Drop a run of identical URL-only lines: link annotations repeated at the foot of a page.
  for (std::size_t i = 0; i + 1 < texts.size(); ++i) {
    if (!IsUrlOnly(texts[i])) continue;
    std::size_t j = i + 1;
    while (j < texts.size() && (texts[j].empty() || texts[j] == texts[i])) ++j;
    std::size_t same = 0;
    for (std::size_t k = i; k < j; ++k) same += texts[k] == texts[i] ? 1 : 0;
    if (same >= 2) {
      for (std::size_t k = i; k < j; ++k) texts[k].clear();
    }
  }
  sheet::Item item;
  item.number = std::to_string(block_.number);
  bool parsed = false;
  if (unit_layout_) {
    std::string joined;
    for (const std::string& t : texts) joined += t + "\n";
    std::string category = category_;
    parsed = ParseWithUnit(joined, &item, &category);
    if (parsed) category_ = category;
  }
  if (!parsed) parsed = ParseWithMark(texts, &item);
  if (!parsed) {
    std::string all;
    for (const std::string& t : texts) all = text::JoinWrapped(all, t);
    // No mark: a heading ("1 内部組織"), or a question with a free-text answer
    // ("サービスに関する準拠法。 日本法"), or a question left unanswered.
    bool sentence = all.find("。") != std::string::npos || text::EndsWith(all, "か") ||
                    text::CodePointCount(all) > 40;
    if (!sentence && !all.empty()) {
      headings_.Push(item.number + ". " + all, item.number);
      heading_numbers_.push_back(block_.number);
      if (heading_numbers_.size() > 3) heading_numbers_.erase(heading_numbers_.begin());
      last_item_number_ = 0;
      for (const std::string& h : trailing) headings_.Push(h, "");
      return;
    }
    std::size_t p = all.rfind("。 ");
    if (p != std::string::npos) {
      std::string_view ans = text::Trim(std::string_view(all).substr(p + 4));
      if (!ans.empty() && text::CodePointCount(ans) <= 16 && ans.find("。") == std::string_view::npos) {
        item.question = all.substr(0, p + 3);
        item.answer = {sheet::ClassifyAnswer(ans), std::string(ans)};
      }
    }
    if (item.question.empty()) {
      item.question = all;
      if (warnings_) {
        sheet::SourceLocation loc;
        loc.file = file_;
        loc.line = block_.lines.empty() || !block_.lines.front() ? 0 : block_.lines.front()->lineno;
        warnings_->push_back({"item " + item.number + ": no answer found", loc});
      }
    }
  }
  if (item.answer.mark == Mark::kNo && sheet::MentionsPlanned(item.remarks)) item.answer.mark = Mark::kPlanned;
  AddItem(std::move(item), block_);
  for (const std::string& h : trailing) headings_.Push(h, "");
}

void PartParser::AddItem(sheet::Item item, const Block& b) {
  item.section = headings_.Path();
  if (!category_.empty()) item.section.push_back(category_);
  item.location.file = file_;
  for (const Line* l : b.lines) {
    if (!l) continue;
    if (item.location.line == 0) {
      item.location.line = l->lineno;
      item.location.page = l->page;
    }
    item.location.end_line = l->lineno;
  }
  item.id = internal::MakeItemId(part_id_, headings_.Path(), item.number, &used_ids_);
  last_item_number_ = b.number;
  headings_.NoteItem();
  part_->items.push_back(std::move(item));
}

// Assigns displaced headings: each cluster heads the items printed since the previous
// cluster, in order; the cut points are where the items' words best match the headings
// (dynamic programming over contiguous segments, each heading at least one item). The
// first segment may continue the previous cluster's last section.
void PartParser::ResolveClusters() {
  std::size_t start = 0;
  std::vector<std::string> carry;
  for (const Cluster& c : clusters_) {
    const std::size_t end = std::min(c.items_before, part_->items.size());
    const std::size_t m = end > start ? end - start : 0;
    const std::size_t k = c.paths.size();
    if (k == 0 || m == 0) {
      start = end;
      continue;
    }
    const bool can_carry = !carry.empty();
    // states: 0 = carry segment, 1..k = heading index + 1
    const std::size_t S = k + 1;
    const double kNeg = -1e18;
    std::vector<std::vector<double>> dp(m, std::vector<double>(S, kNeg));
    std::vector<std::vector<int>> from(m, std::vector<int>(S, -1));
    std::vector<std::set<std::u32string>> grams(S);
    if (can_carry) grams[0] = HeadingBigrams(carry.back());
    for (std::size_t h = 0; h < k; ++h) grams[h + 1] = HeadingBigrams(c.paths[h].back());
    auto score = [&](std::size_t i, std::size_t s) {
      return HeadingSimilarity(grams[s], part_->items[start + i].question);
    };
    if (can_carry) dp[0][0] = score(0, 0);
    dp[0][1] = score(0, 1);
    for (std::size_t i = 1; i < m; ++i) {
      for (std::size_t s = 0; s < S; ++s) {
        double best = dp[i - 1][s];
        int arg = static_cast<int>(s);
        if (s > 0 && dp[i - 1][s - 1] > best) {
          best = dp[i - 1][s - 1];
          arg = static_cast<int>(s - 1);
        }
        if (best <= kNeg / 2) continue;
        dp[i][s] = best + score(i, s);
        from[i][s] = arg;
      }
    }
    std::size_t s = k;
    if (dp[m - 1][s] <= kNeg / 2) {
      start = end;
      continue;  // fewer items than headings: leave these items as they are
    }
    for (std::size_t i = m; i-- > 0;) {
      sheet::Item& it = part_->items[start + i];
      it.section = s == 0 ? carry : c.paths[s - 1];
      if (i > 0) s = static_cast<std::size_t>(from[i][s]);
    }
    carry = c.paths.back();
    start = end;
  }
}

struct PartSpan {
  std::string title;
  std::vector<std::string> roles;
  std::vector<const Line*> lines;
};

}  // namespace

sheet::Checksheet ParseTextBlocks(const std::vector<std::string>& raw_lines, const std::vector<int>& pages,
                                  std::string_view file) {
  sheet::Checksheet cs;
  cs.source_file = std::string(file);
  std::vector<Line> lines;
  lines.reserve(raw_lines.size());
  for (std::size_t i = 0; i < raw_lines.size(); ++i) {
    lines.push_back({CleanCellText(raw_lines[i]), static_cast<int>(i + 1), i < pages.size() ? pages[i] : 0});
  }
  // Parts begin at header lines ("No. 種別 … 設定", "確認事項 実施有無 備考"); the line above a
  // header is the part's title. Both repeat on every page: those repeats are furniture.
  std::vector<bool> skip(lines.size(), false);
  for (std::size_t i = 0; i < lines.size(); ++i) skip[i] = IsFurniture(lines[i].text);
  struct Header {
    std::string text, title;
    std::vector<std::string> roles;
  };
  std::map<std::size_t, Header> headers;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    Header h;
    if (skip[i] || !IsHeaderLine(lines[i].text, &h.roles)) continue;
    h.text = lines[i].text;
    skip[i] = true;
    std::size_t t = i;
    while (t > 0 && lines[t - 1].text.empty()) --t;
    if (t > 0 && !skip[t - 1] && text::CodePointCount(lines[t - 1].text) <= 100 &&
        !text::EndsWith(lines[t - 1].text, "。")) {
      h.title = lines[t - 1].text;
      skip[t - 1] = true;
    }
    headers[i] = std::move(h);
  }
  std::vector<PartSpan> spans(1);  // spans[0]: text before the first header
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (auto h = headers.find(i); h != headers.end()) {
      const PartSpan& cur = spans.back();
      bool repeat = spans.size() > 1 && cur.roles == h->second.roles &&
                    (h->second.title.empty() || h->second.title == cur.title);
      if (!repeat) spans.push_back(PartSpan{h->second.title, h->second.roles, {}});
      continue;
    }
    if (skip[i]) continue;
    spans.back().lines.push_back(lines[i].text.empty() ? nullptr : &lines[i]);
  }
  // Text before the first header: a title and introduction.
  if (spans.size() > 1) {
    for (const Line* l : spans[0].lines) {
      if (l && cs.meta.find("title") == cs.meta.end() && text::CodePointCount(l->text) <= 60 &&
          l->text.find("。") == std::string::npos) {
        cs.meta["title"] = l->text;
      }
    }
  }
  std::size_t first = spans.size() > 1 ? 1 : 0;
  for (std::size_t s = first; s < spans.size(); ++s) {
    sheet::Part part;
    part.id = "p" + std::to_string(cs.parts.size() + 1);
    part.title = spans[s].title;
    bool unit_layout = std::find(spans[s].roles.begin(), spans[s].roles.end(), "unit") != spans[s].roles.end();
    PartParser parser(std::string(file), part.id, unit_layout, &part, &cs.warnings);
    parser.Parse(spans[s].lines);
    if (!part.items.empty()) cs.parts.push_back(std::move(part));
  }
  return cs;
}

Result<sheet::Checksheet> ReadText(std::string_view bytes, std::string_view file, const Limits& limits) {
  TS_ASSIGN_OR_RETURN(internal::Decoded d, internal::DecodeText(bytes, file));
  std::vector<std::string_view> raw = text::SplitLines(d.text);
  if (raw.size() > limits.max_lines) {
    return ResourceExhausted(std::string(file) + ": more than " + std::to_string(limits.max_lines) + " lines");
  }
  // Form feeds separate pages (pdftotext writes them).
  std::vector<std::string> lines;
  std::vector<int> pages;
  int page = 1;
  bool has_ff = d.text.find('\f') != std::string::npos;
  std::size_t tab_lines = 0, nonempty = 0;
  for (std::string_view l : raw) {
    std::string s(l);
    std::size_t ff;
    while ((ff = s.find('\f')) != std::string::npos) {
      s.erase(ff, 1);
      ++page;
    }
    if (s.size() > limits.max_cell_bytes) s = text::CutUtf8(std::move(s), limits.max_cell_bytes);
    if (!text::Trim(s).empty()) ++nonempty;
    if (s.find('\t') != std::string::npos) ++tab_lines;
    lines.push_back(std::move(s));
    pages.push_back(has_ff ? page : 0);
  }
  sheet::Checksheet cs;
  if (tab_lines >= 5 && tab_lines * 5 >= nonempty) {
    Grid g;
    g.from_spreadsheet = false;
    g.whole_cells = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      std::vector<std::string> row;
      std::size_t start = 0;
      const std::string& s = lines[i];
      for (std::size_t k = 0; k <= s.size(); ++k) {
        if (k == s.size() || s[k] == '\t') {
          row.push_back(s.substr(start, k - start));
          start = k + 1;
        }
      }
      g.rows.push_back(std::move(row));
      g.source_rows.push_back(static_cast<int>(i + 1));
      g.source_pages.push_back(pages[i]);
    }
    cs.source_file = std::string(file);
    TableContext ctx{std::string(file), "p1", &cs.warnings, &cs.meta};
    if (std::optional<sheet::Part> part = ReadTable(g, ctx)) {
      if (part->title.empty() && cs.meta.count("title")) part->title = cs.meta["title"];
      cs.parts.push_back(std::move(*part));
    }
  }
  if (cs.parts.empty()) cs = ParseTextBlocks(lines, pages, file);
  cs.format = "text";
  if (d.encoding != "utf-8") cs.meta["encoding"] = d.encoding;
  if (cs.parts.empty()) {
    return InvalidArgument(std::string(file) + ": no checksheet items found (no numbered questions with answers)");
  }
  return cs;
}

}  // namespace ts::ingest
