#include "cli/table_print.h"

#include <algorithm>
#include <array>
#include <map>

#include "text/utf8.h"

namespace ts::cli {
namespace {

int CharWidth(char32_t c) {
  if (c >= 0x1100 && (c <= 0x115F || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
                      (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
                      (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) ||
                      (c >= 0x20000 && c <= 0x3FFFD) || c == 0x25EF || c == 0x2715)) {
    return 2;
  }
  return 1;
}

// Kana, kanji (with 々) and half-width katakana: what a Japanese question is written in.
bool IsJapaneseChar(char32_t c) {
  return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF66 && c <= 0xFF9F) || c == 0x3005;
}

bool HasJapanese(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (IsJapaneseChar(text::DecodeUtf8(s, &i))) return true;
  }
  return false;
}

// The words of the tables in one language. Marks by sheet::Mark, confidences by
// match::Confidence (none, low, medium, high).
struct TableWords {
  std::string_view number, answer, question, remarks, confidence, source;
  std::string_view part, item, answers, unanswered;
  std::array<std::string_view, 7> marks;
  std::array<std::string_view, 4> confidences;
  std::string_view confidence_separator;
};

constexpr TableWords kJapaneseWords{
    "番号", "回答", "質問", "備考", "信頼度", "出典", "パート", "項目", "回答", "未回答",
    {"", "はい", "いいえ", "一部", "予定", "対象外", "記述"}, {"なし", "低", "中", "高"}, " / "};
constexpr TableWords kEnglishWords{
    "No.", "Answer", "Question", "Remarks", "Confidence", "Source", "part", "item", "answers", "none",
    {"", "yes", "no", "partial", "planned", "not-applicable", "text"}, {"none", "low", "medium", "high"}, ", "};

const TableWords& WordsFor(Language lang) { return lang == Language::kJapanese ? kJapaneseWords : kEnglishWords; }

std::string_view MarkLabel(sheet::Mark mark, Language lang) {
  return WordsFor(lang).marks[static_cast<std::size_t>(mark)];
}

// "4 項目", "4 items", "1 item".
std::string Count(std::size_t n, Language lang, std::string_view unit) {
  std::string out = std::to_string(n) + " " + std::string(unit);
  if (lang == Language::kEnglish && n != 1) out += "s";
  return out;
}

// The widest of `header` and `values`, at most `cap` columns.
int ColumnWidth(std::string_view header, const std::vector<std::string>& values, int cap) {
  int w = DisplayWidth(header);
  for (const std::string& v : values) w = std::max(w, DisplayWidth(v));
  return std::min(w, cap);
}

std::string TrimRight(std::string line) {
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

// Every item's printed number, in sheet order.
std::vector<std::string> Numbers(const sheet::Checksheet& sheet) {
  std::vector<std::string> out;
  for (const auto& p : sheet.parts) {
    for (const auto& it : p.items) out.push_back(it.number);
  }
  return out;
}

// "○ 3, × (予定) 1, 未回答 2": the answers counted by mark, in the sheet's words.
std::string SummarizeAnswers(const sheet::Checksheet& sheet, Language lang) {
  const TableWords& w = WordsFor(lang);
  std::map<sheet::Mark, int> counts;
  for (const auto& p : sheet.parts) {
    for (const auto& it : p.items) counts[it.answer.mark]++;
  }
  const std::vector<std::string> vocabulary =
      sheet.parts.empty() ? std::vector<std::string>{} : sheet.parts[0].answer_vocabulary;
  std::string out;
  for (sheet::Mark m : {sheet::Mark::kYes, sheet::Mark::kNo, sheet::Mark::kPartial, sheet::Mark::kPlanned,
                        sheet::Mark::kNotApplicable, sheet::Mark::kText, sheet::Mark::kNone}) {
    auto it = counts.find(m);
    if (it == counts.end()) continue;
    if (!out.empty()) out += ", ";
    const std::string word = m == sheet::Mark::kNone ? std::string(w.unanswered) : MarkWord(m, vocabulary, lang);
    out += word + " " + std::to_string(it->second);
  }
  return out;
}

// "== p1  セキュリティ確認  (9 項目)"
std::string PartHeading(const sheet::Part& p, Language lang) {
  return "== " + p.id + (p.title.empty() ? "" : "  " + p.title) + "  (" +
         Count(p.items.size(), lang, WordsFor(lang).item) + ")\n";
}

}  // namespace

int DisplayWidth(std::string_view s) {
  int w = 0;
  for (std::size_t i = 0; i < s.size();) w += CharWidth(text::DecodeUtf8(s, &i));
  return w;
}

std::string FitToWidth(std::string_view s, int width) {
  std::string out;
  int w = 0;
  int total = DisplayWidth(s);
  for (std::size_t i = 0; i < s.size();) {
    std::size_t start = i;
    char32_t c = text::DecodeUtf8(s, &i);
    int cw = CharWidth(c);
    if (total > width && w + cw > width - 1) {
      out += "…";
      ++w;
      break;
    }
    if (w + cw > width) break;
    out.append(s.substr(start, i - start));
    w += cw;
  }
  out.append(static_cast<std::size_t>(std::max(0, width - w)), ' ');
  return out;
}

Language SheetLanguage(const sheet::Checksheet& sheet) {
  std::size_t items = 0, japanese = 0;
  for (const auto& p : sheet.parts) {
    for (const auto& it : p.items) {
      ++items;
      if (HasJapanese(it.question)) ++japanese;
    }
  }
  return japanese * 2 > items ? Language::kJapanese : Language::kEnglish;
}

std::string MarkWord(sheet::Mark mark, const std::vector<std::string>& vocabulary, Language lang) {
  const std::string label(MarkLabel(mark, lang));
  const std::string word = match::SheetWord(mark, vocabulary, "");
  if (word.empty()) return label;
  return mark == sheet::Mark::kPlanned ? word + " (" + label + ")" : word;
}

std::string AnswerAsWritten(const sheet::Answer& answer, const std::vector<std::string>& vocabulary, Language lang) {
  if (answer.text.empty()) return MarkWord(answer.mark, vocabulary, lang);
  const std::optional<sheet::Mark> printed = sheet::MarkOfToken(answer.text);
  if (printed && *printed != answer.mark && answer.mark != sheet::Mark::kNone) {
    return answer.text + " (" + std::string(MarkLabel(answer.mark, lang)) + ")";
  }
  return answer.text;
}

std::string SummarizeMarks(const sheet::Checksheet& sheet) {
  std::map<std::string, int> counts;
  for (const auto& p : sheet.parts) {
    for (const auto& it : p.items) counts[std::string(sheet::MarkName(it.answer.mark))]++;
  }
  std::string out;
  for (const char* m : {"yes", "no", "partial", "planned", "not-applicable", "text", "none"}) {
    auto it = counts.find(m);
    if (it == counts.end()) continue;
    if (!out.empty()) out += ", ";
    out += std::string(m) + " " + std::to_string(it->second);
  }
  return out;
}

std::string RenderTable(const sheet::Checksheet& sheet) {
  const Language lang = SheetLanguage(sheet);
  const TableWords& w = WordsFor(lang);
  std::vector<std::string> answers;
  for (const auto& p : sheet.parts) {
    for (const auto& it : p.items) answers.push_back(AnswerAsWritten(it.answer, p.answer_vocabulary, lang));
  }
  const int number_width = ColumnWidth(w.number, Numbers(sheet), 12);
  const int answer_width = ColumnWidth(w.answer, answers, 16);
  std::string out;
  out += sheet.source_file + " (" + sheet.format + "): " + Count(sheet.parts.size(), lang, w.part) + ", " +
         Count(sheet.ItemCount(), lang, w.item) + "; " + std::string(w.answers) + ": " + SummarizeAnswers(sheet, lang) +
         "\n";
  std::size_t k = 0;
  for (const auto& p : sheet.parts) {
    out += "\n" + PartHeading(p, lang);
    out += TrimRight(FitToWidth(w.number, number_width) + " " + FitToWidth(w.answer, answer_width) + " " +
                     FitToWidth(w.question, 60) + " " + std::string(w.remarks)) +
           "\n";
    std::vector<std::string> last_section;
    for (const auto& it : p.items) {
      if (it.section != last_section && !it.section.empty()) {
        std::string path;
        for (const auto& s : it.section) path += (path.empty() ? "" : " / ") + s;
        out += "  [" + path + "]\n";
        last_section = it.section;
      }
      out += TrimRight(FitToWidth(it.number, number_width) + " " + FitToWidth(answers[k++], answer_width) + " " +
                       FitToWidth(it.question, 60) + " " + FitToWidth(it.remarks, 40)) +
             "\n";
    }
  }
  if (!sheet.warnings.empty()) {
    out += "\n" + (lang == Language::kJapanese ? "警告 " + std::to_string(sheet.warnings.size()) + " 件:\n"
                                               : std::to_string(sheet.warnings.size()) + " warning(s):\n");
    for (const auto& warning : sheet.warnings) {
      out += "  " + warning.location.Describe() + ": " + warning.message + "\n";
    }
  }
  return out;
}

std::string RenderDraftTable(const sheet::Checksheet& sheet, const std::vector<std::vector<match::Draft>>& drafts) {
  const Language lang = SheetLanguage(sheet);
  const TableWords& w = WordsFor(lang);
  std::vector<std::string> answers, confidences;
  std::array<int, 4> by_confidence{};
  for (const auto& part : drafts) {
    for (const match::Draft& d : part) {
      answers.push_back(d.text);
      confidences.emplace_back(w.confidences[static_cast<std::size_t>(d.confidence)]);
      ++by_confidence[static_cast<std::size_t>(d.confidence)];
    }
  }
  const int number_width = ColumnWidth(w.number, Numbers(sheet), 12);
  const int confidence_width = ColumnWidth(w.confidence, confidences, 12);
  const int answer_width = ColumnWidth(w.answer, answers, 12);
  std::string out = TrimRight(FitToWidth(w.number, number_width) + " " + FitToWidth(w.confidence, confidence_width) +
                              " " + FitToWidth(w.answer, answer_width) + " " + FitToWidth(w.question, 50) + " " +
                              std::string(w.source)) +
                    "\n";
  std::size_t k = 0;
  for (std::size_t p = 0; p < sheet.parts.size(); ++p) {
    // Numbers restart in each part of a multi-part sheet: say which part they belong to.
    if (sheet.parts.size() > 1) out += PartHeading(sheet.parts[p], lang);
    for (std::size_t i = 0; i < sheet.parts[p].items.size(); ++i, ++k) {
      const match::Draft& d = drafts[p][i];
      const std::string source = d.source ? "#" + d.source->entry_id + " " + d.source->document : std::string();
      out += TrimRight(FitToWidth(sheet.parts[p].items[i].number, number_width) + " " +
                       FitToWidth(confidences[k], confidence_width) + " " + FitToWidth(answers[k], answer_width) + " " +
                       FitToWidth(sheet.parts[p].items[i].question, 50) + " " + FitToWidth(source, 40)) +
             "\n";
    }
  }
  out += Count(k, lang, w.item) + ": ";
  for (int c = 3; c >= 0; --c) {
    if (c != 3) out += w.confidence_separator;
    out += std::string(w.confidences[static_cast<std::size_t>(c)]) + " " +
           std::to_string(by_confidence[static_cast<std::size_t>(c)]);
  }
  return out + "\n";
}

}  // namespace ts::cli
