#include "ingest/import.h"

#include "base/file_io.h"
#include "ingest/csv_reader.h"
#include "ingest/pdf_reader.h"
#include "ingest/text_reader.h"
#include "ingest/docx_reader.h"
#include "ingest/xlsx_reader.h"
#include "text/utf8.h"

namespace ts::ingest {
namespace {

std::string LowerExtension(std::string_view file) {
  std::size_t dot = file.rfind('.');
  std::size_t slash = file.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return "";
  return text::AsciiLower(file.substr(dot + 1));
}

bool Contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

}  // namespace

std::string_view FormatName(Format f) {
  switch (f) {
    case Format::kAuto: return "auto";
    case Format::kText: return "text";
    case Format::kPdf: return "pdf";
    case Format::kXlsx: return "xlsx";
    case Format::kCsv: return "csv";
    case Format::kDocx: return "docx";
  }
  return "auto";
}

std::optional<Format> FormatFromName(std::string_view name) {
  for (Format f : {Format::kAuto, Format::kText, Format::kPdf, Format::kXlsx, Format::kCsv, Format::kDocx}) {
    if (FormatName(f) == name) return f;
  }
  if (name == "txt") return Format::kText;
  if (name == "tsv") return Format::kCsv;
  return std::nullopt;
}

Result<Format> DetectFormat(std::string_view bytes, std::string_view file) {
  const std::string f(file);
  if (bytes.empty()) return InvalidArgument(f + ": file is empty");
  if (text::StartsWith(bytes, "%PDF-")) return Format::kPdf;
  if (text::StartsWith(bytes, "PK\x03\x04")) {
    // An Office Open XML package: a Word document names its main part in the archive.
    const std::string ext = LowerExtension(file);
    if (ext == "docx" || ext == "docm") return Format::kDocx;
    if (ext == "xlsx" || ext == "xlsm") return Format::kXlsx;
    return Contains(bytes, "word/document.xml") ? Format::kDocx : Format::kXlsx;
  }
  if (text::StartsWith(bytes, "PK\x05\x06")) return InvalidArgument(f + ": empty zip archive, not an Excel workbook");
  if (text::StartsWith(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
    // OLE2 compound file: a legacy .xls, or an OOXML workbook encrypted with a password.
    static const std::string kEncInfo("E\0n\0c\0r\0y\0p\0t\0i\0o\0n\0I\0n\0f\0o", 28);
    if (Contains(bytes, kEncInfo)) {
      return InvalidArgument(f + ": workbook is password-protected (encrypted); remove the password in Excel and save again");
    }
    if (LowerExtension(file) == "doc") {
      return InvalidArgument(f + ": legacy Word 97-2003 (.doc) is not supported; save it as .docx");
    }
    return InvalidArgument(f + ": legacy Excel 97-2003 (.xls) or other OLE2 file is not supported; save it as .xlsx");
  }
  struct Magic {
    std::string_view bytes, name;
  };
  static constexpr Magic kImages[] = {{"\x89PNG", "a PNG image"},    {"\xFF\xD8\xFF", "a JPEG image"},
                                      {"GIF8", "a GIF image"},       {"BM", "a BMP image"},
                                      {"RIFF", "a RIFF (WebP/WAV) file"}, {"\x1F\x8B", "a gzip file"},
                                      {"Rar!", "a RAR archive"},     {"7z\xBC\xAF", "a 7-Zip archive"}};
  for (const Magic& m : kImages) {
    if (text::StartsWith(bytes, m.bytes)) {
      return InvalidArgument(f + ": is " + std::string(m.name) +
                             ", not a checksheet (expected xlsx, docx, csv, pdf or text)");
    }
  }
  std::string ext = LowerExtension(file);
  if (ext == "csv" || ext == "tsv") return Format::kCsv;
  if (ext == "xlsx" || ext == "xlsm") {
    return InvalidArgument(f + ": not a valid .xlsx file (it is not a zip archive)");
  }
  if (ext == "docx" || ext == "docm") {
    return InvalidArgument(f + ": not a valid .docx file (it is not a zip archive)");
  }
  if (ext == "pdf") return InvalidArgument(f + ": not a valid PDF (no %PDF- header)");
  return Format::kText;
}

namespace {

// What every import satisfies on its way to the sink: each item has a question (a row with
// only a number is dropped with a warning) and each part has items (a part starts with its
// first item that has one).
class QuestionsOnly : public sheet::PartSink {
 public:
  QuestionsOnly(sheet::PartSink* next, std::vector<sheet::Warning>* warnings) : next_(next), warnings_(warnings) {}
  Status StartPart(const sheet::Part& head) override {
    head_ = head;
    started_ = false;
    return Status::Ok();
  }
  Status AddItem(sheet::Item&& item) override {
    if (text::Trim(item.question).empty()) {
      warnings_->push_back({"item " + (item.number.empty() ? item.id : item.number) + " has no question text: skipped",
                            item.location});
      return Status::Ok();
    }
    if (!started_) {
      started_ = true;
      ++parts_;
      TS_RETURN_IF_ERROR(next_->StartPart(head_));
    }
    return next_->AddItem(std::move(item));
  }
  Status EndPart(sheet::Part&& part) override { return started_ ? next_->EndPart(std::move(part)) : Status::Ok(); }
  std::size_t parts() const { return parts_; }

 private:
  sheet::PartSink* next_;
  std::vector<sheet::Warning>* warnings_;
  sheet::Part head_;
  bool started_ = false;
  std::size_t parts_ = 0;
};

// A document read whole, passed on part by part.
Status Replay(Result<sheet::Checksheet> read, sheet::PartSink* sink, sheet::Checksheet* doc) {
  TS_RETURN_IF_ERROR(read.status());
  sheet::Checksheet& cs = *read;
  doc->source_file = std::move(cs.source_file);
  doc->format = std::move(cs.format);
  doc->meta = std::move(cs.meta);
  doc->warnings = std::move(cs.warnings);
  for (sheet::Part& part : cs.parts) {
    std::vector<sheet::Item> items = std::move(part.items);
    part.items.clear();
    TS_RETURN_IF_ERROR(sink->StartPart(part));
    for (sheet::Item& item : items) TS_RETURN_IF_ERROR(sink->AddItem(std::move(item)));
    TS_RETURN_IF_ERROR(sink->EndPart(std::move(part)));
  }
  return Status::Ok();
}

}  // namespace

Status ImportBytesTo(std::string_view bytes, std::string_view file, const ImportOptions& options,
                     sheet::PartSink* sink, sheet::Checksheet* doc) {
  if (bytes.size() > options.limits.max_file_bytes) {
    return ResourceExhausted(std::string(file) + ": file is " + std::to_string(bytes.size()) +
                             " bytes; the limit is " + std::to_string(options.limits.max_file_bytes) + " bytes");
  }
  Format format = options.format;
  if (format == Format::kAuto) {
    TS_ASSIGN_OR_RETURN(format, DetectFormat(bytes, file));
  } else if (bytes.empty()) {
    return InvalidArgument(std::string(file) + ": file is empty");
  }
  QuestionsOnly checked(sink, &doc->warnings);
  switch (format) {
    case Format::kText: TS_RETURN_IF_ERROR(Replay(ReadText(bytes, file, options.limits), &checked, doc)); break;
    case Format::kCsv: TS_RETURN_IF_ERROR(Replay(ReadCsv(bytes, file, options.limits), &checked, doc)); break;
    case Format::kXlsx:
      TS_RETURN_IF_ERROR(ReadXlsxTo(bytes, file, options.limits, &checked, doc, options.stream_after_rows));
      break;
    case Format::kPdf: TS_RETURN_IF_ERROR(Replay(ReadPdf(bytes, file, options.limits), &checked, doc)); break;
    case Format::kDocx: TS_RETURN_IF_ERROR(Replay(ReadDocx(bytes, file, options.limits), &checked, doc)); break;
    case Format::kAuto: return Internal(std::string(file) + ": no reader for the format");
  }
  if (checked.parts() == 0) return InvalidArgument(std::string(file) + ": no checksheet items with question text found");
  return Status::Ok();
}

Status ImportFileTo(const std::string& path, const ImportOptions& options, sheet::PartSink* sink,
                    sheet::Checksheet* doc) {
  TS_ASSIGN_OR_RETURN(std::string bytes, ReadFileBounded(path, options.limits.max_file_bytes));
  return ImportBytesTo(bytes, path, options, sink, doc);
}

Result<sheet::Checksheet> ImportBytes(std::string_view bytes, std::string_view file,
                                      const ImportOptions& options) {
  sheet::Checksheet cs;
  sheet::PartsCollector sink(&cs.parts);
  TS_RETURN_IF_ERROR(ImportBytesTo(bytes, file, options, &sink, &cs));
  return cs;
}

Result<sheet::Checksheet> ImportFile(const std::string& path, const ImportOptions& options) {
  TS_ASSIGN_OR_RETURN(std::string bytes, ReadFileBounded(path, options.limits.max_file_bytes));
  return ImportBytes(bytes, path, options);
}

}  // namespace ts::ingest
