#include "sheet/sheet_json.h"

#include <nlohmann/json.hpp>

#include "text/utf8.h"

#include <sstream>

namespace ts::sheet {
namespace {

using ojson = nlohmann::ordered_json;

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

// JSON text written as it goes, into a buffer the writer empties after each item: the
// document is never one value in memory. The layout is nlohmann/json's (2-space indent, one
// member or element per line; compact without spaces). Invalid UTF-8 is written as U+FFFD.
class Emitter {
 public:
  explicit Emitter(bool pretty) : pretty_(pretty) {}
  std::string& text() { return out_; }

  void Open(char bracket) {
    StartValue();
    out_ += bracket;
    counts_.push_back(0);
  }
  void Close(char bracket) {
    const bool empty = counts_.back() == 0;
    counts_.pop_back();
    if (!empty) Break();
    out_ += bracket;
  }
  void Key(std::string_view key) {
    StartValue();
    Quoted(key);
    out_ += pretty_ ? ": " : ":";
    after_key_ = true;
  }
  void String(std::string_view s) {
    StartValue();
    Quoted(s);
  }
  void Number(std::size_t n) {
    StartValue();
    out_ += std::to_string(n);
  }
  void True() {
    StartValue();
    out_ += "true";
  }
  // Members whose values are already JSON text (compact): (key, value).
  void RawMembers(const std::vector<std::pair<std::string, std::string>>& members) {
    for (const auto& [key, json] : members) {
      Key(key);
      StartValue();
      out_.append(json);
    }
  }
  void Member(std::string_view key, std::string_view value) {
    Key(key);
    String(value);
  }
  void Strings(std::string_view key, const std::vector<std::string>& values) {
    Key(key);
    Open('[');
    for (const std::string& v : values) String(v);
    Close(']');
  }

 private:
  void Break() {
    if (pretty_) {
      out_ += '\n';
      out_.append(counts_.size() * 2, ' ');
    }
  }
  // Before a value: the comma after its predecessor and its line, unless it follows its key.
  void StartValue() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (counts_.empty()) return;
    if (counts_.back()++ > 0) out_ += ',';
    Break();
  }
  void Quoted(std::string_view s) {
    out_ += '"';
    for (std::size_t i = 0; i < s.size();) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x80) {
        const std::size_t start = i;
        if (text::DecodeUtf8(s, &i) == text::kReplacementChar && s.substr(start, i - start) != "\xEF\xBF\xBD") {
          // One U+FFFD for a broken sequence: its lead byte and the continuation bytes after it.
          const std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
          while (i < s.size() && i < start + len && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
          out_ += "\xEF\xBF\xBD";
        } else {
          out_.append(s.substr(start, i - start));
        }
        continue;
      }
      ++i;
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        case '\b': out_ += "\\b"; break;
        case '\f': out_ += "\\f"; break;
        default:
          if (c < 0x20) {
            static constexpr char kHex[] = "0123456789abcdef";
            out_ += "\\u00";
            out_ += kHex[c >> 4];
            out_ += kHex[c & 15];
          } else {
            out_ += static_cast<char>(c);
          }
      }
    }
    out_ += '"';
  }

  bool pretty_;
  bool after_key_ = false;
  std::string out_;
  std::vector<std::size_t> counts_;  // elements written so far, per open container
};

void WriteLocation(Emitter& e, const SourceLocation& l) {
  e.Open('{');
  e.Member("file", l.file);
  if (!l.sheet.empty()) e.Member("sheet", l.sheet);
  if (!l.range.empty()) e.Member("range", l.range);
  for (auto [key, n] : {std::pair<const char*, int>{"page", l.page}, {"table", l.table}, {"line", l.line},
                        {"end_line", l.end_line}}) {
    if (n > 0) {
      e.Key(key);
      e.Number(static_cast<std::size_t>(n));
    }
  }
  if (!l.cells.empty()) {
    e.Key("cells");
    e.Open('{');
    for (const auto& [role, cell] : l.cells) e.Member(role, cell);
    e.Close('}');
  }
  e.Close('}');
}

void WriteItem(Emitter& e, const Item& it, const JsonWriter::Members& annex) {
  e.Open('{');
  e.Member("id", it.id);
  e.Strings("section", it.section);
  e.Member("number", it.number);
  e.Member("question", it.question);
  e.Key("answer");
  e.Open('{');
  e.Member("mark", MarkName(it.answer.mark));
  e.Member("text", it.answer.text);
  e.Close('}');
  e.Member("remarks", it.remarks);
  if (!it.printed_answer.empty() || !it.printed_remarks.empty()) {
    e.Key("printed");
    e.Open('{');
    e.Member("answer", it.printed_answer);
    e.Member("remarks", it.printed_remarks);
    e.Close('}');
  }
  if (!it.answer_cell.empty()) e.Member("answer_cell", it.answer_cell);
  if (!it.extra.empty()) {
    // One member per header: a header that comes twice keeps its first place and last value.
    e.Key("extra");
    e.Open('{');
    for (std::size_t i = 0; i < it.extra.size(); ++i) {
      const std::string& key = it.extra[i].first;
      bool seen = false;
      for (std::size_t j = 0; j < i && !seen; ++j) seen = it.extra[j].first == key;
      if (seen) continue;
      const std::string* value = &it.extra[i].second;
      for (std::size_t j = i + 1; j < it.extra.size(); ++j) {
        if (it.extra[j].first == key) value = &it.extra[j].second;
      }
      e.Member(key, *value);
    }
    e.Close('}');
  }
  e.Key("location");
  WriteLocation(e, it.location);
  e.RawMembers(annex);
  e.Close('}');
}

}  // namespace

struct JsonWriter::Out : Emitter {
  Out(std::ostream* o, bool pretty) : Emitter(pretty), out(o) {}
  // What is written so far goes out: the buffer holds no more than an item.
  Status Flush() {
    out->write(text().data(), static_cast<std::streamsize>(text().size()));
    text().clear();
    if (!out->good()) return Unavailable("cannot write the JSON output");
    return Status::Ok();
  }
  std::ostream* out;
};

JsonWriter::JsonWriter(std::ostream* out, bool pretty, const Checksheet* doc)
    : o_(std::make_unique<Out>(out, pretty)), doc_(doc) {}
JsonWriter::~JsonWriter() = default;

void JsonWriter::WriteHead() {
  if (head_written_) return;
  head_written_ = true;
  o_->Open('{');
  o_->Key("source");
  o_->Open('{');
  o_->Member("file", doc_->source_file);
  o_->Member("format", doc_->format);
  o_->Close('}');
  o_->Key("parts");
  o_->Open('[');
}

Status JsonWriter::StartPart(const Part& head) {
  WriteHead();
  ++parts_;
  o_->Open('{');
  o_->Member("id", head.id);
  o_->Member("title", head.title);
  if (!head.source_part.empty()) o_->Member("source_part", head.source_part);
  o_->Key("items");
  o_->Open('[');
  return o_->Flush();
}

void JsonWriter::SetItemAnnex(ItemAnnex annex) { item_annex_ = std::move(annex); }

Status JsonWriter::AddItem(Item&& item) {
  WriteItem(*o_, item, item_annex_ ? item_annex_(item) : Members{});
  ++items_;
  ++marks_[std::string(MarkName(item.answer.mark))];
  return o_->Flush();
}

Status JsonWriter::EndPart(Part&& part) { return WritePartEnd(part); }

Status JsonWriter::WritePartEnd(const Part& part) {
  o_->Close(']');
  if (!part.columns.empty()) {
    o_->Key("columns");
    o_->Open('[');
    for (const ColumnInfo& c : part.columns) {
      o_->Open('{');
      o_->Member("header", c.header);
      o_->Member("role", c.role);
      if (!c.column.empty()) o_->Member("column", c.column);
      if (c.role == "choice") o_->Member("mark", MarkName(c.choice_mark));
      if (c.carries_remarks) {
        o_->Key("carries_remarks");
        o_->True();
      }
      if (!c.check_boxes.empty()) o_->Member("check_boxes", c.check_boxes);
      o_->Close('}');
    }
    o_->Close(']');
  }
  if (!part.answer_vocabulary.empty()) o_->Strings("answer_vocabulary", part.answer_vocabulary);
  o_->Close('}');
  return o_->Flush();
}

Status JsonWriter::End(const Members& annex) {
  WriteHead();
  o_->Close(']');
  if (!doc_->meta.empty()) {
    o_->Key("meta");
    o_->Open('{');
    for (const auto& [k, v] : doc_->meta) o_->Member(k, v);
    o_->Close('}');
  }
  o_->Key("warnings");
  o_->Open('[');
  for (const Warning& w : doc_->warnings) {
    o_->Open('{');
    o_->Member("message", w.message);
    o_->Key("location");
    WriteLocation(*o_, w.location);
    o_->Close('}');
  }
  o_->Close(']');
  o_->Key("summary");
  o_->Open('{');
  o_->Key("parts");
  o_->Number(parts_);
  o_->Key("items");
  o_->Number(items_);
  o_->Key("answers");
  o_->Open('{');
  for (const auto& [mark, n] : marks_) {
    o_->Key(mark);
    o_->Number(n);
  }
  o_->Close('}');
  o_->Close('}');
  o_->RawMembers(annex);
  o_->Close('}');
  o_->text() += '\n';
  TS_RETURN_IF_ERROR(o_->Flush());
  o_->out->flush();
  return o_->Flush();  // nothing left to write: whether the stream took it all
}

Status JsonWriter::WriteParts(const Checksheet& sheet) {
  for (const Part& p : sheet.parts) {
    Part head;
    head.id = p.id;
    head.title = p.title;
    head.source_part = p.source_part;
    TS_RETURN_IF_ERROR(StartPart(head));
    for (const Item& it : p.items) TS_RETURN_IF_ERROR(AddItem(Item(it)));
    TS_RETURN_IF_ERROR(WritePartEnd(p));
  }
  return Status::Ok();
}

std::string ToJson(const Checksheet& sheet, bool pretty) {
  std::ostringstream out;
  JsonWriter w(&out, pretty, &sheet);
  (void)w.WriteParts(sheet);
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
