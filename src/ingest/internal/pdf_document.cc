#include "ingest/internal/pdf_document.h"

#include <malloc.h>
#include <mupdf/fitz.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <new>

namespace ts::ingest::internal {
namespace {

// MuPDF's allocator: every byte it holds is counted, and a request past the cap fails (MuPDF
// then throws, and the read ends with a clear error instead of taking the machine's memory).
struct Arena {
  std::size_t used = 0;
  std::size_t cap = 0;
  bool exceeded = false;
};

void* ArenaMalloc(void* user, std::size_t n) {
  auto* a = static_cast<Arena*>(user);
  if (a->used + n > a->cap) {
    a->exceeded = true;
    return nullptr;
  }
  void* p = std::malloc(n);
  if (p) a->used += malloc_usable_size(p);
  return p;
}

void* ArenaRealloc(void* user, void* old, std::size_t n) {
  auto* a = static_cast<Arena*>(user);
  std::size_t before = old ? malloc_usable_size(old) : 0;
  if (n > before && a->used + (n - before) > a->cap) {
    a->exceeded = true;
    return nullptr;
  }
  void* p = std::realloc(old, n);
  if (p) a->used = a->used - before + malloc_usable_size(p);
  return p;
}

void ArenaFree(void* user, void* p) {
  if (!p) return;
  static_cast<Arena*>(user)->used -= malloc_usable_size(p);
  std::free(p);
}

void Quiet(void*, const char*) {}

// Where the ruling device puts what it finds on one page. The same pass counts the page's
// characters and drawing operations and stops the page (the cookie's abort) past the limits,
// before any text is extracted.
struct PageSink {
  std::vector<Segment>* rulings = nullptr;
  std::size_t max_segments = 0;
  std::size_t max_chars = 0;
  std::size_t max_ops = 0;
  std::size_t chars = 0, ops = 0;
  fz_cookie* cookie = nullptr;
  bool too_many = false;        // drawn lines
  bool too_many_chars = false;  // characters
  bool too_much_work = false;   // drawing operations (nested forms that multiply)
  bool failed = false;  // an allocation of ours failed inside a MuPDF callback
  // The path being walked: its points in page space, and where its subpath started.
  std::vector<fz_point> points;
  fz_matrix ctm = fz_identity;
  fz_point start{0, 0}, current{0, 0};
  bool stroke = false;
};

constexpr double kAxisSlack = 0.6;   // points a ruling may lean and still count as straight
constexpr double kThinBar = 3.0;     // a filled rectangle this thin is a drawn line

void Stop(PageSink* s) {
  if (s->cookie) s->cookie->abort = 1;
}

// One more drawing operation; false when the page is to stop.
bool Count(PageSink* s) {
  if (++s->ops > s->max_ops) {
    s->too_much_work = true;
    Stop(s);
  }
  return !(s->too_many || s->too_many_chars || s->too_much_work || s->failed);
}

void AddSegment(PageSink* s, fz_point a, fz_point b) {
  if (s->rulings->size() >= s->max_segments) {
    s->too_many = true;
    Stop(s);
    return;
  }
  double dx = std::abs(a.x - b.x), dy = std::abs(a.y - b.y);
  try {  // no C++ exception may cross MuPDF's C frames
    if (dy <= kAxisSlack && dx >= 1.0) {
      double y = (a.y + b.y) / 2;
      s->rulings->push_back({std::min(a.x, b.x), y, std::max(a.x, b.x), y});
    } else if (dx <= kAxisSlack && dy >= 1.0) {
      double x = (a.x + b.x) / 2;
      s->rulings->push_back({x, std::min(a.y, b.y), x, std::max(a.y, b.y)});
    }
  } catch (const std::bad_alloc&) {
    s->failed = true;
    Stop(s);
  }
}

// A filled path's corners, while it can still be a rectangle (five points at most).
void AddPoint(PageSink* s, fz_point p) {
  if (s->points.size() > 5) return;
  try {
    s->points.push_back(p);
  } catch (const std::bad_alloc&) {
    s->failed = true;
    Stop(s);
  }
}

void OnMove(fz_context*, void* arg, float x, float y) {
  auto* s = static_cast<PageSink*>(arg);
  s->current = s->start = fz_transform_point_xy(x, y, s->ctm);
  if (!s->stroke) AddPoint(s, s->current);
}

void OnLine(fz_context*, void* arg, float x, float y) {
  auto* s = static_cast<PageSink*>(arg);
  fz_point p = fz_transform_point_xy(x, y, s->ctm);
  if (s->stroke) {
    AddSegment(s, s->current, p);
  } else {
    AddPoint(s, p);
  }
  s->current = p;
}

void OnCurve(fz_context*, void* arg, float, float, float, float, float x3, float y3) {
  auto* s = static_cast<PageSink*>(arg);
  s->current = fz_transform_point_xy(x3, y3, s->ctm);
  if (!s->stroke) AddPoint(s, {NAN, NAN});  // not a rectangle any more
}

void OnClose(fz_context*, void* arg) {
  auto* s = static_cast<PageSink*>(arg);
  if (s->stroke) AddSegment(s, s->current, s->start);
  s->current = s->start;
}

void OnRect(fz_context* ctx, void* arg, float x1, float y1, float x2, float y2) {
  OnMove(ctx, arg, x1, y1);
  OnLine(ctx, arg, x2, y1);
  OnLine(ctx, arg, x2, y2);
  OnLine(ctx, arg, x1, y2);
  OnClose(ctx, arg);
}

const fz_path_walker kWalker = {OnMove, OnLine, OnCurve, OnClose, nullptr, nullptr, nullptr, OnRect};

// Paint a person cannot see on white paper draws no line.
bool Invisible(fz_context* ctx, fz_colorspace* cs, const float* color, float alpha) {
  if (alpha < 0.1f || !cs || !color) return alpha < 0.1f;
  int n = fz_colorspace_n(ctx, cs);
  const enum fz_colorspace_type type = fz_colorspace_type(ctx, cs);
  if (type == FZ_COLORSPACE_SEPARATION) {  // tints (Separation, DeviceN): 0 is no ink
    for (int i = 0; i < n; ++i) {
      if (color[i] >= 0.05f) return false;
    }
    return true;
  }
  if (n == 1) return color[0] > 0.95f;
  if (n == 3) return color[0] > 0.95f && color[1] > 0.95f && color[2] > 0.95f;
  if (n == 4) return color[0] < 0.05f && color[1] < 0.05f && color[2] < 0.05f && color[3] < 0.05f;
  return false;
}

struct RulingDevice {
  fz_device super;
  PageSink* sink;
};

void StrokePath(fz_context* ctx, fz_device* dev, const fz_path* path, const fz_stroke_state*, fz_matrix ctm,
                fz_colorspace* cs, const float* color, float alpha, fz_color_params) {
  PageSink* s = reinterpret_cast<RulingDevice*>(dev)->sink;
  if (!Count(s) || Invisible(ctx, cs, color, alpha)) return;
  s->ctm = ctm;
  s->stroke = true;
  fz_walk_path(ctx, path, &kWalker, s);
}

// A filled path counts when it is one thin axis-aligned rectangle: a line drawn as a bar.
void FillPath(fz_context* ctx, fz_device* dev, const fz_path* path, int, fz_matrix ctm, fz_colorspace* cs,
              const float* color, float alpha, fz_color_params) {
  PageSink* s = reinterpret_cast<RulingDevice*>(dev)->sink;
  if (!Count(s) || Invisible(ctx, cs, color, alpha)) return;
  s->ctm = ctm;
  s->stroke = false;
  s->points.clear();
  fz_walk_path(ctx, path, &kWalker, s);
  {
    if (s->points.size() < 4 || s->points.size() > 5) return;
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (const fz_point& p : s->points) {
      if (std::isnan(p.x)) return;
      x0 = std::min<double>(x0, p.x), x1 = std::max<double>(x1, p.x);
      y0 = std::min<double>(y0, p.y), y1 = std::max<double>(y1, p.y);
    }
    for (const fz_point& p : s->points) {  // every corner on the box: a rectangle, not a polygon
      bool on_x = std::abs(p.x - x0) <= kAxisSlack || std::abs(p.x - x1) <= kAxisSlack;
      bool on_y = std::abs(p.y - y0) <= kAxisSlack || std::abs(p.y - y1) <= kAxisSlack;
      if (!on_x || !on_y) return;
    }
    double w = x1 - x0, h = y1 - y0;
    if (h <= kThinBar && w > h) AddSegment(s, {float(x0), float((y0 + y1) / 2)}, {float(x1), float((y0 + y1) / 2)});
    if (w <= kThinBar && h > w) AddSegment(s, {float((x0 + x1) / 2), float(y0)}, {float((x0 + x1) / 2), float(y1)});
  }
}

// Text: only counted (the structured-text pass reads it), so that a page with more characters
// than the limits allow stops before the text is extracted.
void CountText(PageSink* s, const fz_text* text) {
  if (!Count(s)) return;
  for (const fz_text_span* span = text->head; span; span = span->next) s->chars += static_cast<std::size_t>(span->len);
  if (s->chars > s->max_chars) {
    s->too_many_chars = true;
    Stop(s);
  }
}
void FillText(fz_context*, fz_device* dev, const fz_text* text, fz_matrix, fz_colorspace*, const float*, float,
              fz_color_params) {
  CountText(reinterpret_cast<RulingDevice*>(dev)->sink, text);
}
void StrokeText(fz_context*, fz_device* dev, const fz_text* text, const fz_stroke_state*, fz_matrix, fz_colorspace*,
                const float*, float, fz_color_params) {
  CountText(reinterpret_cast<RulingDevice*>(dev)->sink, text);
}
void ClipText(fz_context*, fz_device* dev, const fz_text* text, fz_matrix, fz_rect) {
  CountText(reinterpret_cast<RulingDevice*>(dev)->sink, text);
}
void IgnoreText(fz_context*, fz_device* dev, const fz_text* text, fz_matrix) {
  CountText(reinterpret_cast<RulingDevice*>(dev)->sink, text);
}
void CountOp(PageSink* s) { Count(s); }
void FillImage(fz_context*, fz_device* dev, fz_image*, fz_matrix, float, fz_color_params) {
  CountOp(reinterpret_cast<RulingDevice*>(dev)->sink);
}
void FillShade(fz_context*, fz_device* dev, fz_shade*, fz_matrix, float, fz_color_params) {
  CountOp(reinterpret_cast<RulingDevice*>(dev)->sink);
}
void ClipPath(fz_context*, fz_device* dev, const fz_path*, int, fz_matrix, fz_rect) {
  CountOp(reinterpret_cast<RulingDevice*>(dev)->sink);
}

// The characters of a structured-text page, line by line.
Status TakeChars(fz_stext_page* text, PdfPage* out, std::size_t* budget, const std::string& file) {
  int line_no = 0;
  for (fz_stext_block* b = text->first_block; b; b = b->next) {
    if (b->type != FZ_STEXT_BLOCK_TEXT) continue;
    for (fz_stext_line* l = b->u.t.first_line; l; l = l->next, ++line_no) {
      for (fz_stext_char* ch = l->first_char; ch; ch = ch->next) {
        if (*budget == 0) {
          return ResourceExhausted(file + ": page " + std::to_string(out->number) +
                                   ": more text than the import limit allows");
        }
        --*budget;
        fz_rect r = fz_rect_from_quad(ch->quad);
        if (!std::isfinite(r.x0) || !std::isfinite(r.y0) || !std::isfinite(r.x1) || !std::isfinite(r.y1)) continue;
        out->chars.push_back({static_cast<char32_t>(ch->c), r.x0, r.y0, r.x1, r.y1, ch->size, line_no});
      }
    }
  }
  return Status::Ok();
}

struct ContextDeleter {
  void operator()(fz_context* ctx) const { fz_drop_context(ctx); }
};

// The MuPDF calls that may throw live in these two functions, whose locals are all MuPDF
// pointers (fz_var) so that nothing is lost when an error unwinds to fz_catch.
struct OpenedDocument {
  fz_stream* stm = nullptr;
  fz_document* doc = nullptr;
  bool locked = false;
  int pages = 0;
  std::string error;
};

void OpenDocument(fz_context* ctx, std::string_view bytes, OpenedDocument* out) {
  fz_try(ctx) {
    fz_register_document_handlers(ctx);
    out->stm = fz_open_memory(ctx, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    out->doc = fz_open_document_with_stream(ctx, "application/pdf", out->stm);
    out->locked = fz_needs_password(ctx, out->doc);
    if (!out->locked) out->pages = fz_count_pages(ctx, out->doc);
  }
  fz_catch(ctx) { out->error = fz_caught_message(ctx); }
}

// Page `p`'s structured text (into *text, which the caller drops) and its rulings (into the sink).
void RunPage(fz_context* ctx, fz_document* doc, int p, PageSink* sink, fz_stext_page** text, fz_rect* bounds,
             std::string* error) {
  fz_page* page = nullptr;
  fz_device* dev = nullptr;
  fz_var(page);
  fz_var(dev);
  fz_try(ctx) {
    page = fz_load_page(ctx, doc, p);
    *bounds = fz_bound_page(ctx, page);
    // First the rulings, counting characters and operations: a page past the limits stops here.
    auto* rd = fz_new_derived_device(ctx, RulingDevice);
    rd->sink = sink;
    rd->super.stroke_path = StrokePath;
    rd->super.fill_path = FillPath;
    rd->super.clip_path = ClipPath;
    rd->super.fill_text = FillText;
    rd->super.stroke_text = StrokeText;
    rd->super.clip_text = ClipText;
    rd->super.ignore_text = IgnoreText;
    rd->super.fill_image = FillImage;
    rd->super.fill_shade = FillShade;
    dev = &rd->super;
    fz_run_page(ctx, page, dev, fz_identity, sink->cookie);
    fz_close_device(ctx, dev);
    fz_drop_device(ctx, dev);
    dev = nullptr;
    if (!sink->cookie->abort) {
      *text = fz_new_stext_page(ctx, *bounds);
      // Spaces only where the file has them: MuPDF would add one for every wide gap, and word
      // processors widen the gap between Japanese and Latin text.
      fz_stext_options opts = {FZ_STEXT_MEDIABOX_CLIP | FZ_STEXT_INHIBIT_SPACES, 0};
      dev = fz_new_stext_device(ctx, *text, &opts);
      fz_run_page(ctx, page, dev, fz_identity, nullptr);
      fz_close_device(ctx, dev);
    }
  }
  fz_always(ctx) {
    fz_drop_device(ctx, dev);
    fz_drop_page(ctx, page);
  }
  fz_catch(ctx) { *error = fz_caught_message(ctx); }
}

}  // namespace

Result<PdfDocument> ReadPdfDocument(std::string_view bytes, const std::string& file, const Limits& limits) {
  Arena arena;
  arena.cap = limits.max_pdf_memory_bytes;
  fz_alloc_context alloc = {&arena, ArenaMalloc, ArenaRealloc, ArenaFree};
  std::unique_ptr<fz_context, ContextDeleter> owner(fz_new_context(&alloc, nullptr, limits.max_pdf_memory_bytes / 8));
  fz_context* ctx = owner.get();
  if (!ctx) return ResourceExhausted(file + ": not enough memory to open the PDF");
  fz_set_warning_callback(ctx, Quiet, nullptr);
  fz_set_error_callback(ctx, Quiet, nullptr);
  const auto memory_error = [&] {
    return ResourceExhausted(file + ": the PDF needs more than " + std::to_string(limits.max_pdf_memory_bytes >> 20) +
                             " MiB to read; refused");
  };

  OpenedDocument opened;
  OpenDocument(ctx, bytes, &opened);
  struct DocGuard {
    fz_context* ctx;
    OpenedDocument* d;
    ~DocGuard() {
      fz_drop_document(ctx, d->doc);
      fz_drop_stream(ctx, d->stm);
    }
  } guard{ctx, &opened};
  if (arena.exceeded) return memory_error();
  if (!opened.error.empty() || !opened.doc) return Corruption(file + ": not a readable PDF (damaged or truncated)");
  if (opened.locked) return InvalidArgument(file + ": PDF is password-protected");
  PdfDocument out;
  out.page_count = opened.pages;
  if (out.page_count <= 0) return InvalidArgument(file + ": PDF has no pages");
  if (out.page_count > limits.max_pdf_pages) {
    return ResourceExhausted(file + ": PDF has " + std::to_string(out.page_count) + " pages; the limit is " +
                             std::to_string(limits.max_pdf_pages));
  }

  std::size_t chars_left = limits.max_pdf_chars;  // over all pages
  std::size_t segments = 0;                        // over all pages, against limits.max_cells
  for (int p = 0; p < out.page_count; ++p) {
    PdfPage& page_out = out.pages.emplace_back();
    page_out.number = p + 1;
    PageSink sink;
    sink.rulings = &page_out.rulings;
    sink.max_segments = limits.max_cells - segments;
    sink.max_chars = chars_left;
    sink.max_ops = limits.max_pdf_operations;
    fz_cookie cookie = {};
    sink.cookie = &cookie;
    fz_stext_page* text = nullptr;
    fz_rect bounds = fz_empty_rect;
    std::string error;
    RunPage(ctx, opened.doc, p, &sink, &text, &bounds, &error);
    Status st = Status::Ok();
    if (text && error.empty()) st = TakeChars(text, &page_out, &chars_left, file);
    fz_drop_stext_page(ctx, text);
    // MuPDF may recover from a refused allocation (it empties its caches and tries again): only
    // a page that failed is a memory error.
    if (arena.exceeded && (!error.empty() || !st.ok())) return memory_error();
    arena.exceeded = false;
    if (sink.too_many_chars) {
      return ResourceExhausted(file + ": page " + std::to_string(p + 1) + ": more than " +
                               std::to_string(limits.max_pdf_chars) + " characters in the document");
    }
    if (sink.too_much_work) {
      return ResourceExhausted(file + ": page " + std::to_string(p + 1) + ": more than " +
                               std::to_string(limits.max_pdf_operations) + " drawing operations; refused");
    }
    if (sink.failed) return ResourceExhausted(file + ": page " + std::to_string(p + 1) + ": out of memory");
    if (sink.too_many) {
      return ResourceExhausted(file + ": page " + std::to_string(p + 1) + ": more than " +
                               std::to_string(limits.max_cells) + " drawn lines in the document");
    }
    if (!st.ok()) return st;
    if (!error.empty()) {
      return Corruption(file + ": page " + std::to_string(p + 1) + " cannot be read (damaged): " + error);
    }
    segments += page_out.rulings.size();
    page_out.width = bounds.x1 - bounds.x0;
    page_out.height = bounds.y1 - bounds.y0;
  }
  return out;
}

}  // namespace ts::ingest::internal
