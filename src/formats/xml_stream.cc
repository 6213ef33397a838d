#include "formats/xml_stream.h"

#include <expat.h>

namespace ts::formats {

struct XmlStream::Impl {
  XML_Parser parser = nullptr;
  XmlStreamHandler* handler = nullptr;
  std::string where;
  int max_depth = 0;
  int depth = 0;
  Status error;

  void Fail(Status s) {
    if (error.ok()) error = std::move(s);
    XML_StopParser(parser, XML_FALSE);
  }
};

namespace {

XmlStream::Impl* Of(void* user) { return static_cast<XmlStream::Impl*>(user); }

void OnStart(void* user, const XML_Char* name, const XML_Char** attrs) {
  XmlStream::Impl* s = Of(user);
  if (!s->error.ok()) return;
  if (++s->depth > s->max_depth) {
    s->Fail(InvalidArgument(s->where + ": XML is nested deeper than " + std::to_string(s->max_depth) + " levels"));
    return;
  }
  if (Status st = s->handler->Start(name, attrs); !st.ok()) s->Fail(std::move(st));
}

void OnEnd(void* user, const XML_Char* name) {
  XmlStream::Impl* s = Of(user);
  if (!s->error.ok()) return;
  --s->depth;
  if (Status st = s->handler->End(name); !st.ok()) s->Fail(std::move(st));
}

void OnText(void* user, const XML_Char* text, int len) {
  XmlStream::Impl* s = Of(user);
  if (!s->error.ok()) return;
  if (Status st = s->handler->Text(std::string_view(text, static_cast<std::size_t>(len))); !st.ok()) {
    s->Fail(std::move(st));
  }
}

void OnDoctype(void* user, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  XmlStream::Impl* s = Of(user);
  s->Fail(InvalidArgument(s->where + ": XML with a DTD (<!DOCTYPE>) is not allowed"));
}

void OnEntity(void* user, const XML_Char*, int, const XML_Char*, int, const XML_Char*, const XML_Char*,
              const XML_Char*, const XML_Char*) {
  XmlStream::Impl* s = Of(user);
  s->Fail(InvalidArgument(s->where + ": XML with a DTD (<!DOCTYPE>) is not allowed"));
}

}  // namespace

XmlStream::XmlStream(XmlStreamHandler* handler, std::string where, int max_depth) : impl_(std::make_unique<Impl>()) {
  impl_->parser = XML_ParserCreate(nullptr);
  impl_->handler = handler;
  impl_->where = std::move(where);
  impl_->max_depth = max_depth;
  if (impl_->parser) {
    XML_SetUserData(impl_->parser, impl_.get());
    XML_SetElementHandler(impl_->parser, OnStart, OnEnd);
    XML_SetCharacterDataHandler(impl_->parser, OnText);
    XML_SetStartDoctypeDeclHandler(impl_->parser, OnDoctype);
    XML_SetEntityDeclHandler(impl_->parser, OnEntity);
  }
}

XmlStream::~XmlStream() {
  if (impl_->parser) XML_ParserFree(impl_->parser);
}

Status XmlStream::Feed(std::string_view bytes, bool last) {
  if (!impl_->parser) return ResourceExhausted(impl_->where + ": out of memory for the XML parser");
  if (!impl_->error.ok()) return impl_->error;
  for (;;) {  // expat takes an int length
    const std::size_t n = std::min<std::size_t>(bytes.size(), 1u << 30);
    const bool final_piece = last && n == bytes.size();
    if (XML_Parse(impl_->parser, bytes.data(), static_cast<int>(n), final_piece ? XML_TRUE : XML_FALSE) ==
        XML_STATUS_ERROR) {
      if (!impl_->error.ok()) return impl_->error;
      return Corruption(impl_->where + ": malformed XML at byte " +
                        std::to_string(XML_GetCurrentByteIndex(impl_->parser)) + ": " +
                        XML_ErrorString(XML_GetErrorCode(impl_->parser)));
    }
    if (!impl_->error.ok()) return impl_->error;
    bytes.remove_prefix(n);
    if (bytes.empty()) return Status::Ok();
  }
}

std::string_view AttrValue(const char** attrs, std::string_view name) {
  for (int i = 0; attrs && attrs[i]; i += 2) {
    if (name == attrs[i]) return attrs[i + 1];
  }
  return {};
}

}  // namespace ts::formats
