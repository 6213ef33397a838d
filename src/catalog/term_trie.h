// A trie over code-point keys: finds every key that starts at a given position of a text in
// as many steps as the longest match is long, however many keys share a first character. The
// catalog's plain terms and pattern alternatives are searched with it. Built by Add calls and
// one Finish call, then immutable; MatchAt is const and thread-safe.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string_view>
#include <vector>

namespace ts::catalog {

class TermTrie {
 public:
  // Adds `key` (not empty) with `value`, a number the caller gives meaning to. A key may be
  // added with several values.
  void Add(std::u32string_view key, std::uint32_t value);
  // Compacts the trie for searching; call after the last Add and before MatchAt.
  void Finish();

  bool empty() const { return nodes_.size() <= 1; }

  // Calls on_match(length, value) for every key that occurs in `text` at `pos`, shortest key
  // first (values of one key in the order they were added).
  template <typename OnMatch>
  void MatchAt(std::u32string_view text, std::size_t pos, OnMatch&& on_match) const {
    if (pos >= text.size()) return;
    // The root has a child for most characters that begin a key: a hash table finds it in one
    // probe or two, where a search of its edges would take ten steps at every position.
    std::uint32_t node = RootChild(text[pos]);
    if (node == 0) return;
    for (std::uint32_t v = 0; v < nodes_[node].value_count; ++v)
      on_match(1, values_[nodes_[node].first_value + v]);
    for (std::size_t k = pos + 1; k < text.size(); ++k) {
      node = Child(nodes_[node], text[k]);
      if (node == 0) return;
      const Node& child = nodes_[node];
      for (std::uint32_t v = 0; v < child.value_count; ++v)
        on_match(k - pos + 1, values_[child.first_value + v]);
    }
  }

 private:
  struct Edge {
    char32_t c;
    std::uint32_t child;
  };
  struct Node {
    std::uint32_t first_edge = 0;
    std::uint32_t edge_count = 0;
    std::uint32_t first_value = 0;
    std::uint32_t value_count = 0;
  };
  // While building: children by character and values, per node (node 0 is the root).
  struct BuildNode {
    std::map<char32_t, std::uint32_t> children;
    std::vector<std::uint32_t> values;
  };
  // The child of `n` for `c`, or 0 (the root) when there is none. Below the root most nodes
  // have one to three edges, where a plain scan beats a binary search.
  std::uint32_t Child(const Node& n, char32_t c) const {
    const Edge* first = edges_.data() + n.first_edge;
    const Edge* last = first + n.edge_count;
    if (n.edge_count > 8)
      first =
          std::lower_bound(first, last, c, [](const Edge& edge, char32_t x) { return edge.c < x; });
    for (; first != last && first->c <= c; ++first) {
      if (first->c == c) return first->child;
    }
    return 0;
  }
  // The root's child for `c`, or 0 (the root) when there is none.
  std::uint32_t RootChild(char32_t c) const {
    if (root_slots_.empty()) return 0;
    const std::size_t mask = root_slots_.size() - 1;
    for (std::size_t i = (c * 2654435761u) & mask;; i = (i + 1) & mask) {
      if (root_slots_[i].child == 0) return 0;
      if (root_slots_[i].c == c) return root_slots_[i].child;
    }
  }

  // A deque: growing it never copies the nodes built so far (each holds a map).
  std::deque<BuildNode> building_{1};
  std::vector<Edge> root_slots_;  // open addressing, a power of two long, at most half full
  std::vector<Node> nodes_{1};
  std::vector<Edge> edges_;  // each node's edges together, sorted by character
  std::vector<std::uint32_t> values_;
};

}  // namespace ts::catalog
