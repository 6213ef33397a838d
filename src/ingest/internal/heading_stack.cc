#include "ingest/internal/heading_stack.h"

#include <charconv>

#include "text/utf8.h"

namespace ts::ingest::internal {
namespace {

std::optional<int> ParseInt(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

HeadingText SplitHeadingNumber(std::string_view line) {
  std::string_view s = text::Trim(line);
  HeadingText out;
  std::size_t i = 0;
  bool paren = false;
  if (!s.empty() && s[0] == '(') {
    paren = true;
    i = 1;
  }
  std::size_t start = i;
  while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') ||
                          (s[i] == '.' && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '9' &&
                           i > start))) {
    ++i;
  }
  if (i == start) {
    out.title = std::string(s);
    return out;
  }
  std::string number(s.substr(start, i - start));
  if (paren) {
    if (i >= s.size() || s[i] != ')') {
      out.title = std::string(s);
      return out;
    }
    ++i;
  }
  // Separator: '.', ')', '、' or space; at least one of them, or a CJK letter right after.
  std::string_view rest = s.substr(i);
  bool sep = false;
  while (!rest.empty() && (rest[0] == '.' || rest[0] == ')' || rest[0] == ' ')) {
    rest.remove_prefix(1);
    sep = true;
  }
  if (text::StartsWith(rest, "、")) {
    rest.remove_prefix(3);
    sep = true;
  }
  rest = text::Trim(rest);
  if (rest.empty()) {
    out.title = std::string(s);
    return out;
  }
  std::size_t k = 0;
  char32_t first = text::DecodeUtf8(rest, &k);
  // Without a separator only a short number before a word counts: "1内部組織" yes, but
  // "2023年の実績" and "5回" are quantities.
  static constexpr std::u32string_view kCounters = U"年月日時分秒回件名人個台週歳割";
  if (!sep && (!text::IsCjk(first) || number.size() > 2 || kCounters.find(first) != std::u32string_view::npos)) {
    out.title = std::string(s);
    return out;
  }
  out.number = number;
  out.title = std::string(rest);
  return out;
}

std::string MakeItemId(std::string_view part_id, const std::vector<std::string>& section_path,
                       std::string_view local, std::set<std::string>* used) {
  std::vector<std::string> numbers;
  for (const std::string& s : section_path) numbers.push_back(SplitHeadingNumber(s).number);
  return MakeItemIdFromNumbers(part_id, numbers, local, used);
}

std::string MakeItemIdFromNumbers(std::string_view part_id, const std::vector<std::string>& section_numbers,
                                  std::string_view local, std::set<std::string>* used) {
  std::string id(part_id);
  id += "/";
  std::string secnums;
  for (const std::string& n : section_numbers) {
    if (!n.empty()) secnums += (secnums.empty() ? "" : ".") + n;
  }
  if (!secnums.empty()) id += secnums + "/";
  id += local;
  std::string unique = id;
  for (int k = 2; !used->insert(unique).second; ++k) unique = id + "~" + std::to_string(k);
  return unique;
}

void HeadingStack::Push(const std::string& display, std::string_view number) {
  Entry e{display, std::nullopt, !number.empty()};
  std::size_t dots = 0;
  for (char c : number) dots += c == '.' ? 1 : 0;
  if (dots > 0) {
    // Explicit depth: "2.1" is depth 1 (0-based).
    std::string_view last = number.substr(number.rfind('.') + 1);
    e.number = ParseInt(last);
    TruncateTo(dots);
    stack_.push_back(std::move(e));
    items_since_heading_ = false;
    return;
  }
  if (e.numbered) e.number = ParseInt(number);
  const bool after_heading = !items_since_heading_ && !stack_.empty();
  items_since_heading_ = false;
  if (stack_.empty()) {
    stack_.push_back(std::move(e));
    return;
  }
  if (after_heading) {  // a heading right under a heading is its child
    stack_.push_back(std::move(e));
    return;
  }
  if (!e.numbered) {
    // Sibling of the deepest unnumbered heading, or a new top-level one.
    for (std::size_t d = stack_.size(); d-- > 0;) {
      if (!stack_[d].numbered) {
        TruncateTo(d);
        stack_.push_back(std::move(e));
        return;
      }
    }
    TruncateTo(0);
    stack_.push_back(std::move(e));
    return;
  }
  const int n = e.number.value_or(0);
  const Entry& top = stack_[0];
  if (top.number && n == *top.number + 1) {
    TruncateTo(0);
  } else if (stack_.size() >= 2 && stack_[1].number && n == *stack_[1].number + 1) {
    TruncateTo(1);
  } else if (n == 1 && top.numbered) {
    TruncateTo(1);
  } else {
    TruncateTo(0);
  }
  stack_.push_back(std::move(e));
}

std::vector<std::string> HeadingStack::Path() const {
  std::vector<std::string> out;
  out.reserve(stack_.size());
  for (const Entry& e : stack_) out.push_back(e.display);
  return out;
}

}  // namespace ts::ingest::internal
