#include "sheet/checksheet.h"

namespace ts::sheet {

std::string SourceLocation::Describe() const {
  std::string out = file;
  auto add = [&out](const std::string& piece) {
    if (!out.empty()) out += ":";
    out += piece;
  };
  if (!sheet.empty()) {
    std::string s = "sheet '" + sheet + "'";
    if (!range.empty()) s += " " + range;
    add(s);
  } else if (!range.empty()) {
    add(range);
  }
  if (page > 0) add("page " + std::to_string(page));
  if (table > 0) add("table " + std::to_string(table));
  if (line > 0) {
    std::string s = (table > 0 ? "row " : "line ") + std::to_string(line);
    if (end_line > line) s += "-" + std::to_string(end_line);
    add(s);
  }
  return out;
}

const std::string& PrintedAnswer(const Item& item) {
  return item.printed_answer.empty() ? item.answer.text : item.printed_answer;
}

const std::string& PrintedRemarks(const Item& item) {
  return item.printed_remarks.empty() ? item.remarks : item.printed_remarks;
}

std::size_t Checksheet::ItemCount() const {
  std::size_t n = 0;
  for (const Part& p : parts) n += p.items.size();
  return n;
}

}  // namespace ts::sheet
