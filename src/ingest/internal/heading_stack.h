// Tracks the section path while reading a checksheet top to bottom. Decides the level of a
// heading from its numbering ("2.1" is explicit; "1 内部組織" right after "2 組織" is a child;
// "4 資産の管理" after subsections of 3 is a new top-level section). Not thread-safe.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace ts::ingest::internal {

// A heading line split into its number and title: "2.1 内部組織" -> {"2.1", "内部組織"}.
struct HeadingText {
  std::string number;  // "" if unnumbered
  std::string title;
};

// Parses "1. 基本方針", "1 基本方針", "2.1 内部組織", "(3) 物理", "第2章 組織"; unnumbered
// headings come back with an empty number.
HeadingText SplitHeadingNumber(std::string_view line);

// A stable item id: "<part>/<section numbers>/<local>", e.g. "p1/2.1/5"; `local` is the item
// number (or "r12" for a row without one). A repeat within `used` gets "~2", "~3"...
std::string MakeItemId(std::string_view part_id, const std::vector<std::string>& section_path,
                       std::string_view local, std::set<std::string>* used);
// The same from the section numbers themselves ({"イ", "1"} -> "<part>/イ.1/<local>").
std::string MakeItemIdFromNumbers(std::string_view part_id, const std::vector<std::string>& section_numbers,
                                  std::string_view local, std::set<std::string>* used);

class HeadingStack {
 public:
  // `display` is what the section path shows (the heading as printed).
  void Push(const std::string& display, std::string_view number);
  void NoteItem() { items_since_heading_ = true; }
  std::vector<std::string> Path() const;
  bool Empty() const { return stack_.empty(); }
  void Clear() {
    stack_.clear();
    items_since_heading_ = true;
  }

 private:
  struct Entry {
    std::string display;
    std::optional<int> number;
    bool numbered;
  };
  void TruncateTo(std::size_t depth) {
    if (stack_.size() > depth) stack_.resize(depth);
  }
  std::vector<Entry> stack_;
  bool items_since_heading_ = true;
};

}  // namespace ts::ingest::internal
