#include "catalog/term_trie.h"

namespace ts::catalog {

void TermTrie::Add(std::u32string_view key, std::uint32_t value) {
  std::uint32_t node = 0;
  for (char32_t c : key) {
    auto [it, inserted] =
        building_[node].children.try_emplace(c, static_cast<std::uint32_t>(building_.size()));
    if (inserted) building_.emplace_back();
    node = it->second;  // building_ may have grown: index again, never hold a reference
  }
  building_[node].values.push_back(value);
}

void TermTrie::Finish() {
  nodes_.assign(building_.size(), Node{});
  edges_.clear();
  values_.clear();
  for (std::size_t i = 0; i < building_.size(); ++i) {
    Node& n = nodes_[i];
    n.first_edge = static_cast<std::uint32_t>(edges_.size());
    n.edge_count = static_cast<std::uint32_t>(building_[i].children.size());
    for (const auto& [c, child] : building_[i].children)
      edges_.push_back({c, child});  // std::map: sorted
    n.first_value = static_cast<std::uint32_t>(values_.size());
    n.value_count = static_cast<std::uint32_t>(building_[i].values.size());
    values_.insert(values_.end(), building_[i].values.begin(), building_[i].values.end());
  }
  std::size_t slots = 16;
  while (slots < 2 * building_[0].children.size()) slots *= 2;
  root_slots_.assign(slots, Edge{0, 0});  // child 0 marks an empty slot: no edge leads to the root
  for (const auto& [c, child] : building_[0].children) {
    std::size_t i = (c * 2654435761u) & (slots - 1);
    while (root_slots_[i].child != 0) i = (i + 1) & (slots - 1);
    root_slots_[i] = {c, child};
  }
  // The build form is no longer needed; dropping it keeps copies of a finished trie cheap.
  building_ = {};
}

}  // namespace ts::catalog
