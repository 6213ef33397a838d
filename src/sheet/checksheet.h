// The checksheet model: a document holds parts (templates), a part holds items under a heading
// path. Every item remembers where it came from so export can write answers back in place.
// Plain values; thread-compatible.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "sheet/answer_mark.h"

namespace ts::sheet {

// Where something came from. For spreadsheets: sheet and A1 cell range (plus the cell of each
// role, e.g. "answer" -> "D12"); for PDF and text: page and line numbers (1-based; 0 = unknown).
struct SourceLocation {
  std::string file;
  std::string sheet;
  std::string range;
  int page = 0;
  int table = 0;  // DOCX: the body's table (1-based); `line` is then its row
  int line = 0;
  int end_line = 0;
  std::map<std::string, std::string> cells;  // role -> cell ("question", "answer", "remarks", ...)

  // Human-readable, compiler style: "file:sheet 'S'!D12" or "file:page 3 line 40".
  std::string Describe() const;
};

struct Answer {
  Mark mark = Mark::kNone;
  std::string text;  // as printed (normalized), e.g. "有", "◯", "はい", "日本法"
};

struct Item {
  std::string id;                    // stable within the document, e.g. "p1/2.1/5"
  std::vector<std::string> section;  // heading path, outermost first
  std::string number;                // printed item number ("16"), may be empty
  std::string question;
  Answer answer;
  std::string remarks;
  std::vector<std::pair<std::string, std::string>> extra;  // other columns: (header, value)
  // The answer's text and the remarks exactly as the file has them (characters, line breaks;
  // not normalized), where the reader knows them (workbooks and CSV); empty otherwise. What a
  // library keeps and writes back. PrintedAnswer/PrintedRemarks fall back to the fields above.
  std::string printed_answer;
  std::string printed_remarks;
  // The answer cell as printed when it holds check boxes with labels ("□ 対応済\n■ 未対策"):
  // export ticks the drafted label in this row's own cell.
  std::string answer_cell;
  SourceLocation location;
};

// Column metadata of a table part, for export: which column holds what, and the answer
// vocabulary the sheet uses (from a data-validation list, the header, or existing answers).
struct ColumnInfo {
  std::string header;
  std::string role;  // number, section, question, answer, remarks, unit, choice, other
  std::string column;  // spreadsheet column letters ("D"), a Word table's grid column ("4"), or empty
  Mark choice_mark = Mark::kNone;  // for role "choice": the mark a tick in this column means
  // For role "answer" in a table without a remarks column: the cell holds the answer and its
  // remarks together, as 「【有】10営業日前までに通知します。」; export writes them so.
  bool carries_remarks = false;
  // For role "answer" when its cells are check boxes with labels: one such cell as printed
  // ("□ 対応済\n□ 未対策"); export ticks the drafted label's box in it (TickCheckBox).
  std::string check_boxes;
};

struct Part {
  std::string id;
  std::string title;
  std::string source_part;  // XLSX: the worksheet part the table came from, for writing back
  std::vector<ColumnInfo> columns;
  std::vector<std::string> answer_vocabulary;  // e.g. {"はい","いいえ","該当なし"}
  std::vector<Item> items;
};

struct Warning {
  std::string message;
  SourceLocation location;
};

// Receives a table's items as they are read, so that a sheet too large to hold is never held
// whole. Calls come in order: StartPart, AddItem for each item, EndPart; a table without items
// never starts.
class PartSink {
 public:
  virtual ~PartSink() = default;
  // The part's id, title, source part and columns (without what only the whole table tells).
  virtual Status StartPart(const Part& head) = 0;
  virtual Status AddItem(Item&& item) = 0;
  // The part complete but for its items: columns with carries_remarks and check_boxes, and
  // the answer vocabulary.
  virtual Status EndPart(Part&& part) = 0;
};

// Keeps what it receives: each part with its items, appended to `parts`.
class PartsCollector : public PartSink {
 public:
  explicit PartsCollector(std::vector<Part>* parts) : parts_(parts) {}
  Status StartPart(const Part&) override { return Status::Ok(); }
  Status AddItem(Item&& item) override {
    items_.push_back(std::move(item));
    return Status::Ok();
  }
  Status EndPart(Part&& part) override {
    part.items = std::move(items_);
    items_ = {};
    parts_->push_back(std::move(part));
    return Status::Ok();
  }

 private:
  std::vector<Part>* parts_;
  std::vector<Item> items_;
};

const std::string& PrintedAnswer(const Item& item);
const std::string& PrintedRemarks(const Item& item);

struct Checksheet {
  std::string source_file;
  std::string format;                       // text, pdf, xlsx, csv
  std::map<std::string, std::string> meta;  // title, vendor, service, ... where found
  std::vector<Part> parts;
  std::vector<Warning> warnings;

  std::size_t ItemCount() const;
};

}  // namespace ts::sheet
