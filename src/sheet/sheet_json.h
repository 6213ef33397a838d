// The JSON form of the checksheet model (documented in docs/checksheet-json.md). Keeps
// nlohmann/json out of this header so that including it stays cheap. Thread-safe.
#pragma once

#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>
#include <string_view>

#include "base/status.h"
#include "sheet/checksheet.h"

namespace ts::sheet {

// Serializes `sheet` to JSON text (UTF-8, 2-space indent when `pretty`): what JsonWriter
// writes for it.
std::string ToJson(const Checksheet& sheet, bool pretty = true);

// Writes the JSON form to `out` as an import streams (ingest::ImportFileTo): each item as it
// comes, so that a sheet of any size is never held. Nothing is written before the first part
// (an import that fails writes nothing); End closes the document. Errors: Unavailable when
// `out` fails. A part's columns and vocabulary follow its items (only the whole table tells
// them). Not thread-safe.
class JsonWriter : public PartSink {
 public:
  // `doc` heads the document with its source and format when the first part comes, and
  // ends it with its metadata and warnings (its parts are not read).
  JsonWriter(std::ostream* out, bool pretty, const Checksheet* doc);
  ~JsonWriter() override;
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  Status StartPart(const Part& head) override;
  Status AddItem(Item&& item) override;
  Status EndPart(Part&& part) override;
  // The part's columns and vocabulary (its items are not written again).
  Status WritePartEnd(const Part& part);
  // Every part of a document held whole, with its items (what ToJson writes before End).
  Status WriteParts(const Checksheet& sheet);
  // Members added to an object: (key, the value as compact JSON text).
  using Members = std::vector<std::pair<std::string, std::string>>;
  // Members written at the end of each item's object (`assess --json` adds "assessment").
  using ItemAnnex = std::function<Members(const Item&)>;
  void SetItemAnnex(ItemAnnex annex);
  // The document's metadata, warnings and summary, then `annex`.
  Status End(const Members& annex = {});
  std::size_t items() const { return items_; }

 private:
  struct Out;
  void WriteHead();
  std::unique_ptr<Out> o_;
  const Checksheet* doc_;
  ItemAnnex item_annex_;
  bool head_written_ = false;
  std::size_t parts_ = 0, items_ = 0;
  std::map<std::string, std::size_t> marks_;
};

// Parses the JSON form back. Errors: InvalidArgument naming the JSON path that is wrong.
Result<Checksheet> FromJson(std::string_view json);

}  // namespace ts::sheet
