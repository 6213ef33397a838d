#include "formats/docx.h"

#include <cstdlib>
#include <cstring>
#include <string_view>

#include "text/utf8.h"

namespace ts::formats::docx {

std::string_view LocalName(pugi::xml_node n) {
  std::string_view name = n.name();
  std::size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node Child(pugi::xml_node n, std::string_view local) {
  for (pugi::xml_node c : n.children()) {
    if (LocalName(c) == local) return c;
  }
  return {};
}

pugi::xml_attribute Attr(pugi::xml_node n, std::string_view local) {
  for (pugi::xml_attribute a : n.attributes()) {
    std::string_view an = a.name();
    std::size_t colon = an.find(':');
    if ((colon == std::string_view::npos ? an : an.substr(colon + 1)) == local) return a;
  }
  return {};
}

pugi::xml_node CheckBoxControl(pugi::xml_node sdt) { return Child(Child(sdt, "sdtPr"), "checkbox"); }

namespace {

bool OnOff(pugi::xml_node n, bool if_absent) {
  if (!n) return if_absent;
  pugi::xml_attribute v = Attr(n, "val");
  if (!v) return true;
  std::string_view s = v.value();
  return !(s == "0" || s == "false" || s == "off");
}

int IntVal(pugi::xml_node n, int fallback) {
  if (!n) return fallback;
  int v = std::atoi(Attr(n, "val").value());
  return v > 0 && v < 1000 ? v : fallback;
}

void BlocksOf(pugi::xml_node container, std::vector<pugi::xml_node>* out) {
  for (pugi::xml_node c : container.children()) {
    std::string_view n = LocalName(c);
    if (n == "p" || n == "tbl") {
      out->push_back(c);
    } else if (n == "sdt") {
      BlocksOf(Child(c, "sdtContent"), out);
    } else if (n == "customXml") {
      BlocksOf(c, out);
    }
  }
}

// A Wingdings (or other symbol font) character: the box symbols as ☑ ☒ ☐ ■ □.
char32_t SymbolChar(pugi::xml_node sym) {
  const char32_t code = static_cast<char32_t>(std::strtoul(Attr(sym, "char").value(), nullptr, 16));
  switch (code) {
    case 0xF0FE: return U'☑';
    case 0xF0FD: case 0xF078: return U'☒';
    case 0xF0A8: return U'☐';
    case 0xF06E: return U'■';
    case 0xF06F: case 0xF071: return U'□';
    default: return code >= 0xF000 && code <= 0xF0FF ? 0 : code;
  }
}

void TextOf(pugi::xml_node n, std::string* out) {
  for (pugi::xml_node c : n.children()) {
    std::string_view name = LocalName(c);
    if (c.type() != pugi::node_element) continue;
    if (name == "t") {
      *out += c.text().get();
    } else if (name == "tab") {
      *out += '\t';
    } else if (name == "br" || name == "cr") {
      *out += '\n';
    } else if (name == "sym") {
      if (char32_t ch = SymbolChar(c)) text::AppendUtf8(ch, out);
    } else if (name == "fldChar") {
      // A legacy check-box form field shows its state where the field begins.
      if (pugi::xml_node box = Child(Child(c, "ffData"), "checkBox")) {
        pugi::xml_node checked = Child(box, "checked");
        const bool on = checked ? OnOff(checked, true) : OnOff(Child(box, "default"), false);
        *out += on ? "☑" : "☐";
      }
    } else if (name == "sdt") {
      if (pugi::xml_node box = CheckBoxControl(c)) {
        *out += OnOff(Child(box, "checked"), false) ? "☑" : "☐";
      } else {
        TextOf(Child(c, "sdtContent"), out);
      }
    } else if (name == "r" || name == "ins" || name == "hyperlink" || name == "smartTag" || name == "fldSimple" ||
               name == "customXml" || name == "sdtContent") {
      TextOf(c, out);
    }
    // Left out: properties, deleted text (del, delText), field codes (instrText), drawings.
  }
}

void CellTextOf(pugi::xml_node container, std::string* out, bool* first) {
  for (pugi::xml_node c : container.children()) {
    std::string_view n = LocalName(c);
    if (n == "p") {
      if (!*first) *out += '\n';
      *first = false;
      *out += ParagraphText(c);
    } else if (n == "tbl") {
      for (pugi::xml_node tr : c.children()) {
        if (LocalName(tr) != "tr") continue;
        for (const GridCell& gc : RowCells(tr)) CellTextOf(gc.tc, out, first);
      }
    } else if (n == "sdt") {
      CellTextOf(Child(c, "sdtContent"), out, first);
    }
  }
}

}  // namespace

std::vector<pugi::xml_node> BodyBlocks(pugi::xml_node document) {
  std::vector<pugi::xml_node> out;
  pugi::xml_node root = document.first_child();
  while (root && root.type() != pugi::node_element) root = root.next_sibling();
  BlocksOf(Child(root, "body"), &out);
  return out;
}

std::vector<pugi::xml_node> BodyTables(pugi::xml_node document) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node b : BodyBlocks(document)) {
    if (LocalName(b) == "tbl") out.push_back(b);
  }
  return out;
}

std::vector<GridCell> RowCells(pugi::xml_node tr) {
  std::vector<GridCell> out;
  int col = IntVal(Child(Child(tr, "trPr"), "gridBefore"), 0);
  std::vector<pugi::xml_node> cells;
  for (pugi::xml_node c : tr.children()) {
    std::string_view n = LocalName(c);
    if (n == "tc") {
      cells.push_back(c);
    } else if (n == "sdt" || n == "customXml") {  // row-level content controls around cells
      pugi::xml_node content = n == "sdt" ? Child(c, "sdtContent") : c;
      for (pugi::xml_node tc : content.children()) {
        if (LocalName(tc) == "tc") cells.push_back(tc);
      }
    }
  }
  for (pugi::xml_node tc : cells) {
    GridCell gc;
    gc.tc = tc;
    gc.col = col;
    pugi::xml_node pr = Child(tc, "tcPr");
    gc.span = IntVal(Child(pr, "gridSpan"), 1);
    if (pugi::xml_node vm = Child(pr, "vMerge")) {
      gc.vmerge = std::string_view(Attr(vm, "val").value()) == "restart" ? GridCell::VMerge::kRestart
                                                                           : GridCell::VMerge::kContinue;
    }
    out.push_back(gc);
    col += gc.span;
  }
  return out;
}

pugi::xml_node CellAt(pugi::xml_node tbl, int row, int col) {
  int r = 0;
  for (pugi::xml_node tr : tbl.children()) {
    if (LocalName(tr) != "tr") continue;
    if (r++ != row) continue;
    for (const GridCell& gc : RowCells(tr)) {
      if (col >= gc.col && col < gc.col + gc.span) return gc.tc;
    }
    return {};
  }
  return {};
}

std::string ParagraphText(pugi::xml_node p) {
  std::string out;
  TextOf(p, &out);
  return out;
}

std::string CellText(pugi::xml_node tc) {
  std::string out;
  bool first = true;
  CellTextOf(tc, &out, &first);
  return out;
}

}  // namespace ts::formats::docx
