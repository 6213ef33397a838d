#include "sheet/sheet_json.h"

#include <nlohmann/json.hpp>

#include <sstream>

namespace ts::sheet {
namespace {

using ojson = nlohmann::ordered_json;

ojson LocationJson(const SourceLocation& l) {
  ojson j = ojson::object();
  j["file"] = l.file;
  if (!l.sheet.empty()) j["sheet"] = l.sheet;
  if (!l.range.empty()) j["range"] = l.range;
  if (l.page > 0) j["page"] = l.page;
  if (l.table > 0) j["table"] = l.table;
  if (l.line > 0) j["line"] = l.line;
  if (l.end_line > 0) j["end_line"] = l.end_line;
  if (!l.cells.empty()) j["cells"] = l.cells;
  return j;
}

SourceLocation LocationFrom(const ojson& j) {
  SourceLocation l;
  if (!j.is_object()) return l;
  l.file = j.value("file", "");
  l.sheet = j.value("sheet", "");
  l.range = j.value("range", "");
  l.page = j.value("page", 0);
  l.table = j.value("table", 0);
  l.line = j.value("line", 0);
  l.end_line = j.value("end_line", 0);
  if (auto it = j.find("cells"); it != j.end() && it->is_object()) {
    for (auto& [k, v] : it->items()) {
      if (v.is_string()) l.cells[k] = v.get<std::string>();
    }
  }
  return l;
}

ojson ItemJson(const Item& it) {
  ojson ij = ojson::object();
  ij["id"] = it.id;
  ij["section"] = it.section;
  ij["number"] = it.number;
  ij["question"] = it.question;
  ij["answer"] = {{"mark", std::string(MarkName(it.answer.mark))}, {"text", it.answer.text}};
  ij["remarks"] = it.remarks;
  if (!it.printed_answer.empty() || !it.printed_remarks.empty()) {
    ij["printed"] = {{"answer", it.printed_answer}, {"remarks", it.printed_remarks}};
  }
  if (!it.answer_cell.empty()) ij["answer_cell"] = it.answer_cell;
  if (!it.extra.empty()) {
    ojson ex = ojson::object();
    for (const auto& [k, v] : it.extra) ex[k] = v;
    ij["extra"] = std::move(ex);
  }
  ij["location"] = LocationJson(it.location);
  return ij;
}

ojson ColumnsJson(const std::vector<ColumnInfo>& columns) {
  ojson cols = ojson::array();
  for (const ColumnInfo& c : columns) {
    ojson cj = {{"header", c.header}, {"role", c.role}};
    if (!c.column.empty()) cj["column"] = c.column;
    if (c.role == "choice") cj["mark"] = std::string(MarkName(c.choice_mark));
    if (c.carries_remarks) cj["carries_remarks"] = true;
    if (!c.check_boxes.empty()) cj["check_boxes"] = c.check_boxes;
    cols.push_back(std::move(cj));
  }
  return cols;
}

}  // namespace

// Written by hand around values nlohmann/json writes: the document is never one json value.
struct JsonWriter::Out {
  std::ostream* out;
  bool pretty;
  // A line break and the indent of `depth` (nothing when compact).
  void Break(int depth) const {
    if (pretty) *out << '\n' << std::string(static_cast<std::size_t>(depth) * 2, ' ');
  }
  void Key(int depth, std::string_view key, bool first) const {
    if (!first) *out << ',';
    Break(depth);
    *out << ojson(key).dump() << (pretty ? ": " : ":");
  }
  // `v` written as the value of a member at `depth`: its inner lines indented below it.
  void Value(const ojson& v, int depth) const {
    std::string text = v.dump(pretty ? 2 : -1, ' ', false, ojson::error_handler_t::replace);
    if (pretty) {
      // Strings are escaped, so every line break in `text` is the writer's own.
      const std::string indent = "\n" + std::string(static_cast<std::size_t>(depth) * 2, ' ');
      for (std::size_t i = 0; (i = text.find('\n', i)) != std::string::npos; i += indent.size()) {
        text.replace(i, 1, indent);
      }
    }
    *out << text;
  }
};

JsonWriter::JsonWriter(std::ostream* out, bool pretty, const Checksheet* doc)
    : o_(std::make_unique<Out>(Out{out, pretty})), doc_(doc) {}
JsonWriter::~JsonWriter() = default;

void JsonWriter::WriteHead() {
  if (head_written_) return;
  head_written_ = true;
  *o_->out << '{';
  o_->Key(1, "source", true);
  o_->Value({{"file", doc_->source_file}, {"format", doc_->format}}, 1);
  o_->Key(1, "parts", false);
  *o_->out << '[';
}

Status JsonWriter::StartPart(const Part& head) {
  WriteHead();
  if (parts_++ > 0) *o_->out << ',';
  o_->Break(2);
  *o_->out << '{';
  o_->Key(3, "id", true);
  o_->Value(head.id, 3);
  o_->Key(3, "title", false);
  o_->Value(head.title, 3);
  if (!head.source_part.empty()) {
    o_->Key(3, "source_part", false);
    o_->Value(head.source_part, 3);
  }
  o_->Key(3, "items", false);
  *o_->out << '[';
  items_in_part_ = 0;
  return Written();
}

Status JsonWriter::AddItem(Item&& item) {
  if (items_in_part_++ > 0) *o_->out << ',';
  o_->Break(4);
  o_->Value(ItemJson(item), 4);
  ++items_;
  ++marks_[std::string(MarkName(item.answer.mark))];
  return Written();
}

Status JsonWriter::EndPart(Part&& part) { return WritePartEnd(part); }

Status JsonWriter::WritePartEnd(const Part& part) {
  if (items_in_part_ > 0) o_->Break(3);
  *o_->out << ']';
  if (!part.columns.empty()) {
    o_->Key(3, "columns", false);
    o_->Value(ColumnsJson(part.columns), 3);
  }
  if (!part.answer_vocabulary.empty()) {
    o_->Key(3, "answer_vocabulary", false);
    o_->Value(part.answer_vocabulary, 3);
  }
  o_->Break(2);
  *o_->out << '}';
  return Written();
}

Status JsonWriter::End() {
  const std::map<std::string, std::string>& meta = doc_->meta;
  const std::vector<Warning>& warnings = doc_->warnings;
  WriteHead();
  if (parts_ > 0) o_->Break(1);
  *o_->out << ']';
  if (!meta.empty()) {
    o_->Key(1, "meta", false);
    o_->Value(meta, 1);
  }
  ojson wj = ojson::array();
  for (const Warning& w : warnings) wj.push_back({{"message", w.message}, {"location", LocationJson(w.location)}});
  o_->Key(1, "warnings", false);
  o_->Value(wj, 1);
  o_->Key(1, "summary", false);
  o_->Value({{"parts", parts_}, {"items", items_}, {"answers", marks_}}, 1);
  o_->Break(0);
  *o_->out << "}\n";
  o_->out->flush();
  return Written();
}

Status JsonWriter::Written() const {
  if (!o_->out->good()) return Unavailable("cannot write the JSON output");
  return Status::Ok();
}

std::string ToJson(const Checksheet& sheet, bool pretty) {
  std::ostringstream out;
  JsonWriter w(&out, pretty, &sheet);
  for (const Part& p : sheet.parts) {
    Part head;
    head.id = p.id;
    head.title = p.title;
    head.source_part = p.source_part;
    (void)w.StartPart(head);
    for (const Item& it : p.items) (void)w.AddItem(Item(it));
    (void)w.WritePartEnd(p);
  }
  (void)w.End();
  return out.str();
}

Result<Checksheet> FromJson(std::string_view json) {
  ojson root = ojson::parse(json, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return InvalidArgument("checksheet JSON: not valid JSON");
  if (!root.is_object()) return InvalidArgument("checksheet JSON: top level is not an object");
  Checksheet sheet;
  try {
    if (auto s = root.find("source"); s != root.end() && s->is_object()) {
      sheet.source_file = s->value("file", "");
      sheet.format = s->value("format", "");
    }
    if (auto m = root.find("meta"); m != root.end() && m->is_object()) {
      for (auto& [k, v] : m->items()) {
        if (v.is_string()) sheet.meta[k] = v.get<std::string>();
      }
    }
    auto parts = root.find("parts");
    if (parts == root.end() || !parts->is_array()) {
      return InvalidArgument("checksheet JSON: 'parts' is missing or not an array");
    }
    for (std::size_t pi = 0; pi < parts->size(); ++pi) {
      const ojson& pj = (*parts)[pi];
      std::string where = "checksheet JSON: parts[" + std::to_string(pi) + "]";
      if (!pj.is_object()) return InvalidArgument(where + " is not an object");
      Part p;
      p.id = pj.value("id", "");
      p.title = pj.value("title", "");
      p.source_part = pj.value("source_part", "");
      if (auto v = pj.find("answer_vocabulary"); v != pj.end() && v->is_array()) {
        for (auto& w : *v) {
          if (w.is_string()) p.answer_vocabulary.push_back(w.get<std::string>());
        }
      }
      if (auto cols = pj.find("columns"); cols != pj.end() && cols->is_array()) {
        for (auto& cj : *cols) {
          ColumnInfo c;
          c.header = cj.value("header", "");
          c.role = cj.value("role", "");
          c.column = cj.value("column", "");
          c.choice_mark = MarkFromName(cj.value("mark", "none")).value_or(Mark::kNone);
          c.carries_remarks = cj.value("carries_remarks", false);
          c.check_boxes = cj.value("check_boxes", "");
          p.columns.push_back(std::move(c));
        }
      }
      auto items = pj.find("items");
      if (items == pj.end() || !items->is_array()) {
        return InvalidArgument(where + ".items is missing or not an array");
      }
      for (std::size_t ii = 0; ii < items->size(); ++ii) {
        const ojson& ij = (*items)[ii];
        std::string iw = where + ".items[" + std::to_string(ii) + "]";
        if (!ij.is_object()) return InvalidArgument(iw + " is not an object");
        Item it;
        it.id = ij.value("id", "");
        if (auto s = ij.find("section"); s != ij.end() && s->is_array()) {
          for (auto& h : *s) {
            if (h.is_string()) it.section.push_back(h.get<std::string>());
          }
        }
        it.number = ij.value("number", "");
        it.question = ij.value("question", "");
        if (it.question.empty()) return InvalidArgument(iw + ".question is missing or empty");
        if (auto a = ij.find("answer"); a != ij.end() && a->is_object()) {
          std::string mark = a->value("mark", "none");
          auto m = MarkFromName(mark);
          if (!m) return InvalidArgument(iw + ".answer.mark: unknown mark '" + mark + "'");
          it.answer.mark = *m;
          it.answer.text = a->value("text", "");
        }
        it.remarks = ij.value("remarks", "");
        if (auto pr = ij.find("printed"); pr != ij.end() && pr->is_object()) {
          it.printed_answer = pr->value("answer", "");
          it.printed_remarks = pr->value("remarks", "");
        }
        it.answer_cell = ij.value("answer_cell", "");
        if (auto ex = ij.find("extra"); ex != ij.end() && ex->is_object()) {
          for (auto& [k, v] : ex->items()) {
            if (v.is_string()) it.extra.emplace_back(k, v.get<std::string>());
          }
        }
        if (auto l = ij.find("location"); l != ij.end()) it.location = LocationFrom(*l);
        p.items.push_back(std::move(it));
      }
      sheet.parts.push_back(std::move(p));
    }
    if (auto ws = root.find("warnings"); ws != root.end() && ws->is_array()) {
      for (auto& wj : *ws) {
        if (!wj.is_object()) return InvalidArgument("checksheet JSON: a warning is not an object");
        Warning w;
        w.message = wj.value("message", "");
        if (auto l = wj.find("location"); l != wj.end()) w.location = LocationFrom(*l);
        sheet.warnings.push_back(std::move(w));
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgument(std::string("checksheet JSON: wrong type: ") + e.what());
  }
  return sheet;
}

}  // namespace ts::sheet
