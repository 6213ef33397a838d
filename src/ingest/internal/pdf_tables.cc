#include "ingest/internal/pdf_tables.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "text/utf8.h"

namespace ts::ingest::internal {
namespace {

constexpr double kSnap = 1.5;     // lines this close are one line (double borders, rounding)
constexpr double kJoin = 2.5;     // collinear pieces this close are one segment
constexpr double kTouch = 2.0;    // a horizontal and a vertical this close meet
constexpr std::size_t kMaxSegmentsPerPage = 6000;  // past this a page is a drawing, not a form
constexpr std::size_t kMaxGridCells = 200000;

// Segments of one direction on shared lines: positions within kSnap averaged, touching pieces
// joined. For horizontals `pos` is y and the extent is x; for verticals the other way round.
struct Line {
  double pos, a, b;  // position across, extent along (a <= b)
};

std::vector<Line> Joined(std::vector<Line> ls) {
  std::sort(ls.begin(), ls.end(), [](const Line& l, const Line& r) { return l.pos < r.pos; });
  // Cluster positions.
  for (std::size_t i = 0; i < ls.size();) {
    std::size_t j = i + 1;
    double sum = ls[i].pos;
    while (j < ls.size() && ls[j].pos - ls[j - 1].pos <= kSnap) sum += ls[j++].pos;
    double mean = sum / static_cast<double>(j - i);
    for (std::size_t k = i; k < j; ++k) ls[k].pos = mean;
    i = j;
  }
  std::sort(ls.begin(), ls.end(), [](const Line& l, const Line& r) { return l.pos != r.pos ? l.pos < r.pos : l.a < r.a; });
  std::vector<Line> out;
  for (const Line& l : ls) {
    if (!out.empty() && out.back().pos == l.pos && l.a <= out.back().b + kJoin) {
      out.back().b = std::max(out.back().b, l.b);
    } else {
      out.push_back(l);
    }
  }
  return out;
}

struct UnionFind {
  std::vector<std::size_t> parent;
  explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  std::size_t Find(std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void Join(std::size_t a, std::size_t b) { parent[Find(a)] = Find(b); }
};

// Distinct positions, those within kSnap taken as one.
std::vector<double> Positions(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::vector<double> out;
  for (double x : v) {
    if (out.empty() || x - out.back() > kSnap) out.push_back(x);
  }
  return out;
}

// Whether the lines at `pos` (within kSnap) cover [a, b] but for the slack at its ends.
bool Covered(const std::vector<Line>& lines, double pos, double a, double b) {
  const double slack = std::min(kTouch, (b - a) / 4);
  for (const Line& l : lines) {
    if (std::abs(l.pos - pos) <= kSnap && l.a <= a + slack && l.b >= b - slack) return true;
  }
  return false;
}

std::size_t IndexOf(const std::vector<double>& bounds, double v) {
  auto it = std::upper_bound(bounds.begin(), bounds.end(), v);
  return static_cast<std::size_t>(it - bounds.begin()) - 1;  // caller checks the range
}

RuledTable BuildTable(const std::vector<Line>& hs, const std::vector<Line>& vs) {
  RuledTable t;
  std::vector<double> xs, ys;
  for (const Line& v : vs) xs.push_back(v.pos);
  for (const Line& h : hs) ys.push_back(h.pos);
  t.xs = Positions(xs);
  t.ys = Positions(ys);
  if (t.xs.size() < 3 || t.ys.size() < 3) return t;  // fewer than two columns or two rows
  const std::size_t rows = t.ys.size() - 1, cols = t.xs.size() - 1;
  if (rows * cols > kMaxGridCells) {
    t.xs.clear();
    return t;
  }
  t.x0 = t.xs.front(), t.x1 = t.xs.back(), t.y0 = t.ys.front(), t.y1 = t.ys.back();
  UnionFind uf(rows * cols);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) {
      if (c + 1 < cols && !Covered(vs, t.xs[c + 1], t.ys[r], t.ys[r + 1])) uf.Join(r * cols + c, r * cols + c + 1);
      if (r + 1 < rows && !Covered(hs, t.ys[r + 1], t.xs[c], t.xs[c + 1])) uf.Join(r * cols + c, (r + 1) * cols + c);
    }
  }
  // Each merged group as a rectangle; a group that is not one (cells left open on an L-shaped
  // path) is no merge: its cells stay apart.
  std::map<std::size_t, MergeRange> box;
  std::map<std::size_t, std::size_t> count;
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) {
      std::size_t root = uf.Find(r * cols + c);
      auto [it, fresh] = box.try_emplace(root, MergeRange{int(r), int(c), int(r), int(c)});
      if (!fresh) {
        it->second.row0 = std::min(it->second.row0, int(r));
        it->second.col0 = std::min(it->second.col0, int(c));
        it->second.row1 = std::max(it->second.row1, int(r));
        it->second.col1 = std::max(it->second.col1, int(c));
      }
      ++count[root];
    }
  }
  t.cells.assign(rows, std::vector<std::string>(cols));
  for (const auto& [root, m] : box) {
    std::size_t area = std::size_t(m.row1 - m.row0 + 1) * std::size_t(m.col1 - m.col0 + 1);
    if (area > 1 && area == count[root]) t.merges.push_back(m);
  }
  return t;
}

// For each grid cell (row-major), the top-left grid cell of the merged cell it belongs to.
std::vector<std::pair<std::size_t, std::size_t>> Owners(const RuledTable& t) {
  const std::size_t rows = t.cells.size(), cols = t.xs.size() - 1;
  std::vector<std::pair<std::size_t, std::size_t>> owner(rows * cols);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) owner[r * cols + c] = {r, c};
  }
  for (const MergeRange& m : t.merges) {
    for (int r = m.row0; r <= m.row1; ++r) {
      for (int c = m.col0; c <= m.col1; ++c) owner[std::size_t(r) * cols + std::size_t(c)] = {m.row0, m.col0};
    }
  }
  return owner;
}

}  // namespace

bool GapIsSpace(const PdfChar& a, const PdfChar& b) {
  // Between Latin letters a gap of a fifth of the font size is a word space; where Japanese
  // stands on either side, gaps are spacing (word processors widen them), not spaces.
  if (text::IsCjk(a.c) || text::IsCjk(b.c)) return false;
  return b.x0 - a.x1 > 0.2 * std::max(1.0, std::min(a.size, b.size));
}

std::string CharsText(const std::vector<const PdfChar*>& chars) {
  // Group by text line, then put lines whose middles agree on one visual line.
  struct Group {
    double top, bottom, left;
    std::vector<const PdfChar*> chars;
  };
  std::map<int, Group> by_line;
  for (const PdfChar* ch : chars) {
    auto [it, fresh] = by_line.try_emplace(ch->line, Group{ch->y0, ch->y1, ch->x0, {}});
    Group& g = it->second;
    g.top = std::min(g.top, ch->y0), g.bottom = std::max(g.bottom, ch->y1), g.left = std::min(g.left, ch->x0);
    g.chars.push_back(ch);
  }
  std::vector<Group> groups;
  for (auto& [_, g] : by_line) groups.push_back(std::move(g));
  std::sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
    return (a.top + a.bottom) < (b.top + b.bottom);
  });
  std::vector<std::vector<Group>> visual;
  for (Group& g : groups) {
    if (!visual.empty()) {
      const Group& prev = visual.back().back();
      double h = std::min(prev.bottom - prev.top, g.bottom - g.top);
      if (std::abs((prev.top + prev.bottom) / 2 - (g.top + g.bottom) / 2) < h / 2) {
        visual.back().push_back(std::move(g));
        continue;
      }
    }
    visual.push_back({std::move(g)});
  }
  std::string out;
  for (auto& line : visual) {
    std::sort(line.begin(), line.end(), [](const Group& a, const Group& b) { return a.left < b.left; });
    if (!out.empty()) out += '\n';
    std::string text;
    const PdfChar* prev = nullptr;
    for (const Group& g : line) {
      for (const PdfChar* ch : g.chars) {
        bool space = ch->c == U' ' || ch->c == U'\t';
        if (prev && !space && !text.empty() && text.back() != ' ' && GapIsSpace(*prev, *ch)) text += ' ';
        if (space) {
          if (!text.empty() && text.back() != ' ') text += ' ';
        } else {
          text::AppendUtf8(ch->c, &text);
        }
        prev = ch;
      }
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text;
  }
  return out;
}

PageTables FindRuledTables(const PdfPage& page) {
  PageTables out;
  std::vector<Line> hs, vs;
  for (const Segment& s : page.rulings) {
    if (s.Horizontal()) {
      hs.push_back({s.y0, s.x0, s.x1});
    } else {
      vs.push_back({s.x0, s.y0, s.y1});
    }
  }
  hs = Joined(std::move(hs));
  vs = Joined(std::move(vs));
  std::vector<const PdfChar*> loose_chars;
  if (hs.size() + vs.size() <= kMaxSegmentsPerPage && !hs.empty() && !vs.empty()) {
    // Segments that meet are one table.
    UnionFind uf(hs.size() + vs.size());
    for (std::size_t i = 0; i < hs.size(); ++i) {
      for (std::size_t j = 0; j < vs.size(); ++j) {
        const Line& h = hs[i];
        const Line& v = vs[j];
        if (v.pos >= h.a - kTouch && v.pos <= h.b + kTouch && h.pos >= v.a - kTouch && h.pos <= v.b + kTouch) {
          uf.Join(i, hs.size() + j);
        }
      }
    }
    std::map<std::size_t, std::pair<std::vector<Line>, std::vector<Line>>> parts;
    for (std::size_t i = 0; i < hs.size(); ++i) parts[uf.Find(i)].first.push_back(hs[i]);
    for (std::size_t j = 0; j < vs.size(); ++j) parts[uf.Find(hs.size() + j)].second.push_back(vs[j]);
    for (auto& [_, p] : parts) {
      RuledTable t = BuildTable(p.first, p.second);
      if (!t.cells.empty()) out.tables.push_back(std::move(t));
    }
  }
  std::sort(out.tables.begin(), out.tables.end(), [](const RuledTable& a, const RuledTable& b) { return a.y0 < b.y0; });

  // Characters to the cells under their centres.
  std::vector<std::vector<std::vector<std::vector<const PdfChar*>>>> buckets(out.tables.size());
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> owners(out.tables.size());
  for (std::size_t k = 0; k < out.tables.size(); ++k) {
    owners[k] = Owners(out.tables[k]);
    buckets[k].assign(out.tables[k].cells.size(), std::vector<std::vector<const PdfChar*>>(out.tables[k].xs.size() - 1));
  }
  for (const PdfChar& ch : page.chars) {
    double cx = (ch.x0 + ch.x1) / 2, cy = (ch.y0 + ch.y1) / 2;
    if (!std::isfinite(cx) || !std::isfinite(cy)) continue;
    bool placed = false;
    for (std::size_t k = 0; k < out.tables.size() && !placed; ++k) {
      const RuledTable& t = out.tables[k];
      if (!(cx > t.x0 && cx < t.x1 && cy > t.y0 && cy < t.y1)) continue;
      auto [r, c] = owners[k][IndexOf(t.ys, cy) * (t.xs.size() - 1) + IndexOf(t.xs, cx)];
      buckets[k][r][c].push_back(&ch);
      placed = true;
    }
    if (!placed) loose_chars.push_back(&ch);
  }
  for (std::size_t k = 0; k < out.tables.size(); ++k) {
    for (std::size_t r = 0; r < buckets[k].size(); ++r) {
      for (std::size_t c = 0; c < buckets[k][r].size(); ++c) {
        if (!buckets[k][r][c].empty()) out.tables[k].cells[r][c] = CharsText(buckets[k][r][c]);
      }
    }
  }
  // Loose text, line by line.
  std::map<int, std::vector<const PdfChar*>> lines;
  for (const PdfChar* ch : loose_chars) lines[ch->line].push_back(ch);
  for (auto& [_, chars] : lines) {
    LooseLine l{chars.front()->y0, chars.front()->x0, CharsText(chars)};
    for (const PdfChar* ch : chars) l.y0 = std::min(l.y0, ch->y0), l.x0 = std::min(l.x0, ch->x0);
    if (!text::Trim(l.text).empty()) out.loose.push_back(std::move(l));
  }
  std::sort(out.loose.begin(), out.loose.end(), [](const LooseLine& a, const LooseLine& b) {
    return a.y0 != b.y0 ? a.y0 < b.y0 : a.x0 < b.x0;
  });
  return out;
}

}  // namespace ts::ingest::internal
