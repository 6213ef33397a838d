#include "cli/table_print.h"

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
  std::string out;
  out += sheet.source_file + " (" + sheet.format + "): " + std::to_string(sheet.parts.size()) + " part(s), " +
         std::to_string(sheet.ItemCount()) + " items; answers: " + SummarizeMarks(sheet) + "\n";
  for (const auto& p : sheet.parts) {
    out += "\n== " + p.id + (p.title.empty() ? "" : "  " + p.title) + "  (" + std::to_string(p.items.size()) + " items)\n";
    out += FitToWidth("No.", 6) + " " + FitToWidth("Answer", 14) + " " + FitToWidth("Question", 60) + " Remarks\n";
    std::vector<std::string> last_section;
    for (const auto& it : p.items) {
      if (it.section != last_section && !it.section.empty()) {
        std::string path;
        for (const auto& s : it.section) path += (path.empty() ? "" : " / ") + s;
        out += "  [" + path + "]\n";
        last_section = it.section;
      }
      std::string answer = std::string(sheet::MarkName(it.answer.mark));
      if (!it.answer.text.empty()) answer += " " + it.answer.text;
      std::string line = FitToWidth(it.number, 6) + " " + FitToWidth(answer, 14) + " " +
                         FitToWidth(it.question, 60) + " " + FitToWidth(it.remarks, 40);
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
    }
  }
  if (!sheet.warnings.empty()) {
    out += "\n" + std::to_string(sheet.warnings.size()) + " warning(s):\n";
    for (const auto& w : sheet.warnings) out += "  " + w.location.Describe() + ": " + w.message + "\n";
  }
  return out;
}

}  // namespace ts::cli
