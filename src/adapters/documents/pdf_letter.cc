#include "adapters/documents/pdf_letter.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include <vector>

namespace quitt::adapters::documents {
namespace {

constexpr double kPtPerMm = 72.0 / 25.4;
constexpr double Mm(double mm) { return mm * kPtPerMm; }
constexpr double kPageWidth = Mm(210);
constexpr double kPageHeight = Mm(297);
constexpr double kLeft = Mm(25);
constexpr double kTextWidth = Mm(165);
constexpr double kFirstBodyTop = Mm(103.46);
constexpr double kNextPageTop = Mm(20);
constexpr double kBodyBottom = Mm(272);
constexpr double kBlockGap = Mm(3);
constexpr double kQrSize = Mm(32);
constexpr double kQrGap = Mm(4);
constexpr const char* kFont = "DejaVu Sans";

struct Block {
  PangoLayout* layout = nullptr;
  bool qr = false;
  double x = kLeft;
};

struct PlacedLine {
  int block;
  int line;
  int page;
  double baseline;  // absolute, points
};

struct PlacedQr {
  int page;
  double top;
};

cairo_status_t AppendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::vector<std::string> SplitBlocks(const std::string& body) {
  std::vector<std::string> blocks;
  std::string current;
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t end = body.find('\n', pos);
    if (end == std::string::npos) end = body.size();
    std::string line = body.substr(pos, end - pos);
    if (line.find_first_not_of(" \t\r") == std::string::npos) {
      if (!current.empty()) blocks.push_back(current);
      current.clear();
    } else {
      if (!current.empty()) current.push_back('\n');
      current += line;
    }
    if (end == body.size()) break;
    pos = end + 1;
  }
  if (!current.empty()) blocks.push_back(current);
  return blocks;
}

Result<PangoTabArray*> ParseTabs(const std::string& spec) {
  std::vector<std::pair<double, bool>> stops;  // position mm, right aligned
  size_t pos = 0;
  while (pos < spec.size()) {
    while (pos < spec.size() && spec[pos] == ' ') ++pos;
    size_t end = spec.find(' ', pos);
    if (end == std::string::npos) end = spec.size();
    if (end == pos) break;
    std::string token = spec.substr(pos, end - pos);
    bool right = false;
    if (token.back() == 'r' || token.back() == 'l') {
      right = token.back() == 'r';
      token.pop_back();
    }
    char* rest = nullptr;
    const long mm = std::strtol(token.c_str(), &rest, 10);
    if (token.empty() || *rest != '\0' || mm <= 0 || mm > 200) {
      return InvalidArgument("letter body: bad tab stop '" + spec.substr(pos, end - pos) + "'");
    }
    stops.emplace_back(static_cast<double>(mm), right);
    pos = end;
  }
  PangoTabArray* tabs = pango_tab_array_new(static_cast<int>(stops.size()), TRUE);
  for (size_t i = 0; i < stops.size(); ++i) {
    pango_tab_array_set_tab(tabs, static_cast<int>(i),
                            stops[i].second ? PANGO_TAB_RIGHT : PANGO_TAB_LEFT,
                            static_cast<int>(Mm(stops[i].first)));
  }
  return tabs;
}

void DrawQr(cairo_t* cr, const std::string& payload, double x, double y, double size) {
  QRcode* code =
      QRcode_encodeData(static_cast<int>(payload.size()),
                        reinterpret_cast<const unsigned char*>(payload.data()), 0, QR_ECLEVEL_M);
  if (!code) return;
  const int width = code->width;
  const int quiet = 4;
  const double module = size / (width + 2 * quiet);
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (int row = 0; row < width; ++row) {
    int col = 0;
    while (col < width) {
      if (!(code->data[row * width + col] & 1)) {
        ++col;
        continue;
      }
      int run = col;
      while (run < width && (code->data[row * width + run] & 1)) ++run;
      cairo_rectangle(cr, x + (quiet + col) * module, y + (quiet + row) * module,
                      (run - col) * module, module);
      col = run;
    }
  }
  cairo_fill(cr);
  QRcode_free(code);
}

}  // namespace

struct PdfRenderer::Impl {
  PangoFontMap* font_map = nullptr;
  PangoContext* context = nullptr;
  PangoFontDescription* body_font = nullptr;
  PangoFontDescription* small_font = nullptr;
  PangoFontDescription* bold_font = nullptr;

  Impl() {
    font_map = pango_cairo_font_map_new();
    context = pango_font_map_create_context(font_map);
    pango_cairo_context_set_resolution(context, 72.0);  // 1 pango point = 1 PDF unit
    body_font = pango_font_description_from_string("DejaVu Sans 10");
    small_font = pango_font_description_from_string("DejaVu Sans 7");
    bold_font = pango_font_description_from_string("DejaVu Sans Bold 10");
  }
  ~Impl() {
    pango_font_description_free(body_font);
    pango_font_description_free(small_font);
    pango_font_description_free(bold_font);
    g_object_unref(context);
    g_object_unref(font_map);
  }

  PangoLayout* Plain(const std::string& text, const PangoFontDescription* font, double width) {
    PangoLayout* layout = pango_layout_new(context);
    pango_layout_set_font_description(layout, font);
    if (width > 0) {
      pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
      pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
    return layout;
  }

  static void Show(cairo_t* cr, PangoLayout* layout, double x, double y) {
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, layout);
    g_object_unref(layout);
  }

  void DrawFirstPageHead(cairo_t* cr, const app::letters::LetterModel& model,
                         const RenderedMessage& letter) {
    const app::letters::LetterAddress& sender = model.sender.address;
    cairo_set_source_rgb(cr, 0, 0, 0);
    Show(cr, Plain(sender.name, bold_font, 0), kLeft, Mm(15));
    Show(cr, Plain(sender.street + " · " + sender.postcode + " " + sender.city, small_font, 0),
         kLeft, Mm(21));
    // Return address in the 5 mm zone at the top of the address field.
    Show(cr,
         Plain(sender.name + " · " + sender.street + " · " + sender.postcode + " " + sender.city,
               small_font, Mm(85)),
         Mm(20), Mm(45) + Mm(1.5));
    const app::letters::LetterAddress& to = model.customer;
    std::string address = to.name + "\n" + to.street + "\n" + to.postcode + " " + to.city;
    if (to.country != sender.country && !to.country.empty()) address += "\n" + to.country;
    Show(cr, Plain(address, body_font, Mm(80)), Mm(20), Mm(45 + 17.7));
    // Information block: "label<TAB>value" lines.
    PangoLayout* info = Plain("", small_font, Mm(75));
    PangoTabArray* tabs =
        pango_tab_array_new_with_positions(1, TRUE, PANGO_TAB_LEFT, static_cast<int>(Mm(25)));
    pango_layout_set_tabs(info, tabs);
    pango_tab_array_free(tabs);
    const std::string& info_text = letter.Part("info");
    pango_layout_set_text(info, info_text.data(), static_cast<int>(info_text.size()));
    Show(cr, info, Mm(125), Mm(50));
    // Fold marks (105, 210 mm) and punch mark (148.5 mm) at the left edge.
    cairo_set_line_width(cr, 0.5);
    for (double y : {Mm(105), Mm(210)}) {
      cairo_move_to(cr, Mm(3), y);
      cairo_line_to(cr, Mm(8), y);
    }
    cairo_move_to(cr, Mm(3), Mm(148.5));
    cairo_line_to(cr, Mm(10), Mm(148.5));
    cairo_stroke(cr);
  }

  void DrawFooter(cairo_t* cr, const RenderedMessage& letter, int page, int pages) {
    PangoLayout* footer = Plain(letter.Part("footer"), small_font, kTextWidth);
    pango_layout_set_alignment(footer, PANGO_ALIGN_CENTER);
    Show(cr, footer, kLeft, Mm(280));
    std::string label = Replace(Replace(letter.Part("page"), "{pages}", std::to_string(pages)),
                                "{page}", std::to_string(page));
    PangoLayout* number = Plain(label, small_font, kTextWidth);
    pango_layout_set_alignment(number, PANGO_ALIGN_RIGHT);
    Show(cr, number, kLeft, Mm(287));
  }
};

PdfRenderer::PdfRenderer() : impl_(std::make_unique<Impl>()) {}
PdfRenderer::~PdfRenderer() = default;

Result<int> PdfRenderer::DrawOnto(void* cairo_context, const app::letters::LetterModel& model,
                                  const RenderedMessage& letter) {
  cairo_t* cr = static_cast<cairo_t*>(cairo_context);
  pango_cairo_update_context(cr, impl_->context);

  // Subject, then the body blocks, laid out once and placed line by line.
  std::vector<Block> blocks;
  auto free_blocks = [&blocks] {
    for (Block& block : blocks) g_object_unref(block.layout);
  };
  {
    PangoLayout* subject = impl_->Plain(letter.Part("subject"), impl_->bold_font, kTextWidth);
    blocks.push_back({subject, false, kLeft});
  }
  for (std::string text : SplitBlocks(letter.Part("body"))) {
    Block block;
    PangoTabArray* tabs = nullptr;
    if (text.rfind("[[", 0) == 0) {
      const size_t close = text.find("]]");
      if (close == std::string::npos) {
        free_blocks();
        return InvalidArgument("letter body: unclosed directive in block '" + text.substr(0, 40) +
                               "'");
      }
      const std::string directive = text.substr(2, close - 2);
      text = text.substr(text.find('\n', close) == std::string::npos ? text.size()
                                                                     : text.find('\n', close) + 1);
      if (directive == "qr") {
        block.qr = true;
      } else if (directive.rfind("tabs ", 0) == 0) {
        Result<PangoTabArray*> parsed = ParseTabs(directive.substr(5));
        if (!parsed.ok()) {
          free_blocks();
          return parsed.error();
        }
        tabs = *parsed;
      } else {
        free_blocks();
        return InvalidArgument("letter body: unknown directive '[[" + directive + "]]'");
      }
    }
    const double width = block.qr ? kTextWidth - kQrSize - kQrGap : kTextWidth;
    block.x = block.qr ? kLeft + kQrSize + kQrGap : kLeft;
    block.layout = pango_layout_new(impl_->context);
    pango_layout_set_font_description(block.layout, impl_->body_font);
    pango_layout_set_width(block.layout, static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(block.layout, PANGO_WRAP_WORD_CHAR);
    if (tabs) {
      pango_layout_set_tabs(block.layout, tabs);
      pango_tab_array_free(tabs);
    }
    GError* error = nullptr;
    if (!pango_parse_markup(text.data(), static_cast<int>(text.size()), 0, nullptr, nullptr,
                            nullptr, &error)) {
      std::string message = error ? error->message : "bad markup";
      if (error) g_error_free(error);
      g_object_unref(block.layout);
      free_blocks();
      return InvalidArgument("letter body: " + message + " in block '" + text.substr(0, 60) + "'");
    }
    pango_layout_set_markup(block.layout, text.data(), static_cast<int>(text.size()));
    blocks.push_back(block);
  }

  std::vector<PlacedLine> lines;
  std::vector<PlacedQr> qrs;
  int page = 1;
  double cursor = kFirstBodyTop;
  for (size_t b = 0; b < blocks.size(); ++b) {
    Block& block = blocks[b];
    if (block.qr) {
      int text_height = 0;
      pango_layout_get_size(block.layout, nullptr, &text_height);
      const double height = std::max(kQrSize, static_cast<double>(text_height) / PANGO_SCALE);
      if (cursor + height > kBodyBottom) {
        ++page;
        cursor = kNextPageTop;
      }
      qrs.push_back({page, cursor});
    }
    const double block_top = cursor;
    PangoLayoutIter* iter = pango_layout_get_iter(block.layout);
    int index = 0;
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(iter, nullptr, &logical);
      const double height = static_cast<double>(logical.height) / PANGO_SCALE;
      const double above =
          static_cast<double>(pango_layout_iter_get_baseline(iter) - logical.y) / PANGO_SCALE;
      if (!block.qr && cursor + height > kBodyBottom) {
        ++page;
        cursor = kNextPageTop;
      }
      lines.push_back({static_cast<int>(b), index, page, cursor + above});
      cursor += height;
      ++index;
    } while (pango_layout_iter_next_line(iter));
    pango_layout_iter_free(iter);
    if (block.qr) cursor = std::max(cursor, block_top + kQrSize);
    cursor += (b == 0) ? Mm(6) : kBlockGap;
  }
  const int pages = page;

  size_t next_line = 0;
  size_t next_qr = 0;
  for (int p = 1; p <= pages; ++p) {
    if (p == 1) impl_->DrawFirstPageHead(cr, model, letter);
    cairo_set_source_rgb(cr, 0, 0, 0);
    while (next_line < lines.size() && lines[next_line].page == p) {
      const PlacedLine& placed = lines[next_line++];
      const Block& block = blocks[placed.block];
      PangoLayoutLine* line = pango_layout_get_line_readonly(block.layout, placed.line);
      cairo_move_to(cr, block.x, placed.baseline);
      pango_cairo_show_layout_line(cr, line);
    }
    while (next_qr < qrs.size() && qrs[next_qr].page == p) {
      DrawQr(cr, model.payment.epc_qr_payload, kLeft, qrs[next_qr].top, kQrSize);
      ++next_qr;
    }
    impl_->DrawFooter(cr, letter, p, pages);
    cairo_show_page(cr);
  }
  free_blocks();
  return pages;
}

Result<std::string> PdfRenderer::RenderPdf(const app::letters::LetterModel& model,
                                           const RenderedMessage& letter) {
  std::string out;
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(AppendToString, &out, kPageWidth, kPageHeight);
  // A fixed creation date (the letter's date) keeps the bytes reproducible across runs.
  const std::string created = model.letter_date.ToString() + "T00:00:00Z";
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, created.c_str());
  const std::string title = letter.Part("subject");
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "quitt");
  cairo_t* cr = cairo_create(surface);
  Result<int> pages = DrawOnto(cr, model, letter);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (!pages.ok()) return pages.error();
  if (status != CAIRO_STATUS_SUCCESS) {
    return Internal(std::string("cairo: ") + cairo_status_to_string(status));
  }
  return out;
}

Result<std::unique_ptr<PdfBatch>> PdfBatch::Create(const std::string& path) {
  std::unique_ptr<PdfBatch> batch(new PdfBatch());
  cairo_surface_t* surface = cairo_pdf_surface_create(path.c_str(), kPageWidth, kPageHeight);
  if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
    const std::string message = cairo_status_to_string(cairo_surface_status(surface));
    cairo_surface_destroy(surface);
    return Unavailable("cannot create print batch '" + path + "': " + message);
  }
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "quitt");
  batch->surface_ = surface;
  batch->context_ = cairo_create(surface);
  batch->path_ = path;
  return batch;
}

PdfBatch::~PdfBatch() {
  if (context_) cairo_destroy(static_cast<cairo_t*>(context_));
  if (surface_) cairo_surface_destroy(static_cast<cairo_surface_t*>(surface_));
}

Status PdfBatch::Add(PdfRenderer& renderer, const app::letters::LetterModel& model,
                     const RenderedMessage& letter) {
  if (!context_) return FailedPrecondition("print batch '" + path_ + "' is finished");
  QUITT_ASSIGN_OR_RETURN(const int pages, renderer.DrawOnto(context_, model, letter));
  ++letters_;
  pages_ += pages;
  return OkStatus();
}

Status PdfBatch::Finish() {
  if (!context_) return OkStatus();
  cairo_destroy(static_cast<cairo_t*>(context_));
  context_ = nullptr;
  cairo_surface_t* surface = static_cast<cairo_surface_t*>(surface_);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  surface_ = nullptr;
  if (status != CAIRO_STATUS_SUCCESS) {
    return Unavailable("print batch '" + path_ + "': " + cairo_status_to_string(status));
  }
  return OkStatus();
}

}  // namespace quitt::adapters::documents
