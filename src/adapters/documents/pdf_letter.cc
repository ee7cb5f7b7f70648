#include "adapters/documents/pdf_letter.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "adapters/documents/pdf_writer.h"

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

struct PlacedLine {
  int block;
  int part;
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

// Calls rect(dx, dy, width, height) for each horizontal run of dark modules of the payload's
// QR code (level M, 4-module quiet zone), offsets from the code's top-left corner.
template <typename Rect>
void ForEachQrRun(const std::string& payload, double size, Rect&& rect) {
  QRcode* code =
      QRcode_encodeData(static_cast<int>(payload.size()),
                        reinterpret_cast<const unsigned char*>(payload.data()), 0, QR_ECLEVEL_M);
  if (!code) return;
  const int width = code->width;
  const int quiet = 4;
  const double module = size / (width + 2 * quiet);
  for (int row = 0; row < width; ++row) {
    int col = 0;
    while (col < width) {
      if (!(code->data[row * width + col] & 1)) {
        ++col;
        continue;
      }
      int run = col;
      while (run < width && (code->data[row * width + run] & 1)) ++run;
      rect((quiet + col) * module, (quiet + row) * module, (run - col) * module, module);
      col = run;
    }
  }
  QRcode_free(code);
}

void DrawQr(cairo_t* cr, const std::string& payload, double x, double y, double size) {
  cairo_set_source_rgb(cr, 0, 0, 0);
  ForEachQrRun(payload, size, [&](double dx, double dy, double w, double h) {
    cairo_rectangle(cr, x + dx, y + dy, w, h);
  });
  cairo_fill(cr);
}

// What a layout shows; its string form is the cache key.
enum class FontKind : char { kBody = 'b', kSmall = 's', kBold = 'B' };

struct LayoutSpec {
  FontKind font = FontKind::kBody;
  double width = 0;  // points; 0 = one line per paragraph, no wrapping
  PangoAlignment align = PANGO_ALIGN_LEFT;
  std::string tabs;  // "120r 165r" as in the [[tabs]] directive (mm)
  bool markup = false;
  std::string text;
};

// One glyph shown by a line, for the document's ToUnicode map.
struct GlyphUse {
  const pdf::EmbeddedFont* font;
  uint16_t gid;
  std::string text_hex;  // empty = the glyph's cmap character
};

struct CachedLine {
  double height = 0;    // logical, points
  double above = 0;     // baseline below the line's logical top
  double x = 0;         // alignment offset within the layout
  double baseline = 0;  // from the layout's top
  std::string ops;      // PDF text operators relative to the line's origin
  std::vector<GlyphUse> uses;
};

// A shaped layout kept across letters: static paragraphs, head and footer repeat in every letter.
struct CachedLayout {
  PangoLayout* layout = nullptr;
  double height = 0;
  std::vector<CachedLine> lines;
  bool fast = true;  // every line encoded for the own writer
  ~CachedLayout() {
    if (layout) g_object_unref(layout);
  }
};

// A body block: one layout per paragraph (line of the template), so the paragraphs that do not
// change from letter to letter come from the cache even when a neighbour does change.
struct Block {
  std::vector<const CachedLayout*> parts;
  bool qr = false;
  double x = kLeft;
};

// Where everything of a letter goes; both writers draw from it.
struct LetterPlan {
  struct Placed {
    const CachedLayout* layout;
    double x;
    double y;
  };
  std::vector<Block> blocks;
  std::vector<PlacedLine> lines;
  std::vector<PlacedQr> qrs;
  std::vector<Placed> head;  // first page, drawn with their line offsets (pango_cairo_show_layout)
  const CachedLayout* footer = nullptr;
  std::vector<const CachedLayout*> page_numbers;  // one per page
  int pages = 0;
  bool fast = true;
};

std::string PdfDate(const domain::Date& date) {
  std::string out = "D:";
  for (char c : date.ToString()) {
    if (c != '-') out.push_back(c);
  }
  return out + "000000Z";
}

void AppendQr(std::string& ops, const std::string& payload, double x, double y, double size) {
  bool any = false;
  ForEachQrRun(payload, size, [&](double dx, double dy, double w, double h) {
    any = true;
    pdf::AppendNumber(ops, x + dx);
    ops += ' ';
    pdf::AppendNumber(ops, kPageHeight - (y + dy + h));
    ops += ' ';
    pdf::AppendNumber(ops, w);
    ops += ' ';
    pdf::AppendNumber(ops, h);
    ops += " re\n";
  });
  if (any) ops += "f\n";
}

}  // namespace

struct PdfRenderer::Impl {
  Options options;
  PangoFontMap* font_map = nullptr;
  PangoContext* context = nullptr;
  PangoFontDescription* body_font = nullptr;
  PangoFontDescription* small_font = nullptr;
  PangoFontDescription* bold_font = nullptr;
  // Two generations: when `layouts` is full it becomes `old_layouts` (the previous old ones are
  // freed), and what is used again moves back. Memory stays bounded by twice the limit.
  std::unordered_map<std::string, std::unique_ptr<CachedLayout>> layouts;
  std::unordered_map<std::string, std::unique_ptr<CachedLayout>> old_layouts;
  struct FontRef {
    const pdf::EmbeddedFont* font;
    double size;
  };
  std::unordered_map<PangoFont*, FontRef> fonts;  // holds a reference on each key
  long long fallbacks = 0;

  explicit Impl(Options opts) : options(opts) {
    font_map = pango_cairo_font_map_new();
    context = pango_font_map_create_context(font_map);
    pango_cairo_context_set_resolution(context, 72.0);  // 1 pango point = 1 PDF unit
    // The font options of a PDF surface (unhinted metrics), set once so layouts made for the own
    // writer are the same as those cairo would draw.
    cairo_surface_t* surface =
        cairo_pdf_surface_create_for_stream(nullptr, nullptr, kPageWidth, kPageHeight);
    cairo_t* cr = cairo_create(surface);
    pango_cairo_update_context(cr, context);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_surface_destroy(surface);
    body_font = pango_font_description_from_string("DejaVu Sans 10");
    small_font = pango_font_description_from_string("DejaVu Sans 7");
    bold_font = pango_font_description_from_string("DejaVu Sans Bold 10");
  }
  ~Impl() {
    layouts.clear();
    old_layouts.clear();
    for (auto& [font, ref] : fonts) g_object_unref(font);
    pango_font_description_free(body_font);
    pango_font_description_free(small_font);
    pango_font_description_free(bold_font);
    g_object_unref(context);
    g_object_unref(font_map);
  }

  const PangoFontDescription* Font(FontKind kind) const {
    switch (kind) {
      case FontKind::kSmall: return small_font;
      case FontKind::kBold: return bold_font;
      case FontKind::kBody: break;
    }
    return body_font;
  }

  FontRef FontOf(PangoFont* font) {
    auto found = fonts.find(font);
    if (found != fonts.end()) return found->second;
    FontRef ref{nullptr, 0};
    hb_font_t* hb = pango_font_get_hb_font(font);
    if (hb) ref.font = pdf::EmbeddedFontFor(hb_font_get_face(hb));
    PangoFontDescription* description = pango_font_describe_with_absolute_size(font);
    ref.size = static_cast<double>(pango_font_description_get_size(description)) / PANGO_SCALE;
    pango_font_description_free(description);
    g_object_ref(font);
    fonts.emplace(font, ref);
    return ref;
  }

  // The line as PDF text operators from its origin: glyph ids where pango placed them.
  // False when something is outside what the own writer draws (the letter then goes to cairo).
  bool EncodeLine(PangoLayout* layout, PangoLayoutLine* line, CachedLine& out) {
    const char* text = pango_layout_get_text(layout);
    std::string& ops = out.ops;
    double pen = 0;  // pango's position, points from the line origin
    double tx = 0;   // the PDF text position
    for (GSList* l = line->runs; l; l = l->next) {
      auto* run = static_cast<PangoGlyphItem*>(l->data);
      PangoItem* item = run->item;
      if (item->analysis.level % 2 != 0) return false;  // right-to-left
      for (GSList* a = item->analysis.extra_attrs; a; a = a->next) {
        switch (static_cast<PangoAttribute*>(a->data)->klass->type) {
          case PANGO_ATTR_UNDERLINE:
          case PANGO_ATTR_STRIKETHROUGH:
          case PANGO_ATTR_OVERLINE:
          case PANGO_ATTR_FOREGROUND:
          case PANGO_ATTR_BACKGROUND:
          case PANGO_ATTR_SHAPE:
          case PANGO_ATTR_RISE: return false;
          default: break;
        }
      }
      const FontRef font = FontOf(item->analysis.font);
      if (!font.font || font.size <= 0) return false;
      const PangoGlyphString* glyphs = run->glyphs;
      bool in_array = false;
      bool in_string = false;
      for (int i = 0; i < glyphs->num_glyphs; ++i) {
        const PangoGlyphInfo& glyph = glyphs->glyphs[i];
        const double gx = pen + static_cast<double>(glyph.geometry.x_offset) / PANGO_SCALE;
        pen += static_cast<double>(glyph.geometry.width) / PANGO_SCALE;
        if (glyph.glyph == PANGO_GLYPH_EMPTY) continue;
        if ((glyph.glyph & PANGO_GLYPH_UNKNOWN_FLAG) || glyph.glyph >= font.font->known.size() ||
            !font.font->known[glyph.glyph] || glyph.geometry.y_offset != 0 ||
            !glyph.attr.is_cluster_start ||
            (i + 1 < glyphs->num_glyphs && !glyphs->glyphs[i + 1].attr.is_cluster_start)) {
          return false;  // not in the subset, shifted, or several glyphs for one cluster
        }
        const int start = item->offset + glyphs->log_clusters[i];
        const int end = i + 1 < glyphs->num_glyphs ? item->offset + glyphs->log_clusters[i + 1]
                                                   : item->offset + item->length;
        if (end < start) return false;
        std::string hex = pdf::Utf16Hex(std::string_view(text + start, end - start));
        if (hex == font.font->unicode[glyph.glyph]) hex.clear();
        bool seen = false;
        for (const GlyphUse& use : out.uses) {
          if (use.font == font.font && use.gid == glyph.glyph && use.text_hex == hex) {
            seen = true;
            break;
          }
        }
        if (!seen) out.uses.push_back({font.font, static_cast<uint16_t>(glyph.glyph), hex});
        if (!in_array) {
          ops += "/F";
          ops += std::to_string(font.font->id);
          ops += ' ';
          pdf::AppendNumber(ops, font.size);
          ops += " Tf [";
          in_array = true;
        }
        // TJ numbers move left by n/1000 of the font size; written as whole numbers, tracked as
        // written, and left out below 3 (cairo's rule, kept so extracted text is the same).
        const double adjust = std::round(-(gx - tx) * 1000 / font.size);
        if (std::abs(adjust) >= 3) {
          if (in_string) ops += '>';
          in_string = false;
          pdf::AppendNumber(ops, adjust, 0);
          tx -= adjust * font.size / 1000;
        }
        if (!in_string) ops += '<';
        in_string = true;
        static constexpr char kDigits[] = "0123456789ABCDEF";
        const unsigned shown = font.font->new_gid[glyph.glyph];
        ops.push_back(kDigits[(shown >> 12) & 15]);
        ops.push_back(kDigits[(shown >> 8) & 15]);
        ops.push_back(kDigits[(shown >> 4) & 15]);
        ops.push_back(kDigits[shown & 15]);
        tx += font.font->advance[glyph.glyph] * font.size / 1000;
      }
      if (in_string) ops += '>';
      if (in_array) ops += "] TJ\n";
    }
    return true;
  }

  Result<const CachedLayout*> Layout(const LayoutSpec& spec) {
    std::string key;
    key.reserve(spec.text.size() + spec.tabs.size() + 32);
    key += static_cast<char>(spec.font);
    key += spec.markup ? 'm' : 't';
    key += static_cast<char>('0' + spec.align);
    key += std::to_string(static_cast<int>(spec.width * PANGO_SCALE));
    key += '|';
    key += spec.tabs;
    key += '|';
    key += spec.text;
    auto found = layouts.find(key);
    if (found != layouts.end()) return found->second.get();
    auto old = old_layouts.find(key);
    if (old != old_layouts.end()) {
      const CachedLayout* result = old->second.get();
      layouts.emplace(std::move(key), std::move(old->second));
      old_layouts.erase(old);
      return result;
    }

    auto cached = std::make_unique<CachedLayout>();
    PangoLayout* layout = pango_layout_new(context);
    cached->layout = layout;
    pango_layout_set_font_description(layout, Font(spec.font));
    if (spec.width > 0) {
      pango_layout_set_width(layout, static_cast<int>(spec.width * PANGO_SCALE));
      pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_alignment(layout, spec.align);
    if (!spec.tabs.empty()) {
      QUITT_ASSIGN_OR_RETURN(PangoTabArray * tabs, ParseTabs(spec.tabs));
      pango_layout_set_tabs(layout, tabs);
      pango_tab_array_free(tabs);
    }
    if (spec.markup) {
      GError* error = nullptr;
      if (!pango_parse_markup(spec.text.data(), static_cast<int>(spec.text.size()), 0, nullptr,
                              nullptr, nullptr, &error)) {
        std::string message = error ? error->message : "bad markup";
        if (error) g_error_free(error);
        return InvalidArgument("letter body: " + message + " in block '" + spec.text.substr(0, 60) +
                               "'");
      }
      pango_layout_set_markup(layout, spec.text.data(), static_cast<int>(spec.text.size()));
    } else {
      pango_layout_set_text(layout, spec.text.data(), static_cast<int>(spec.text.size()));
    }
    int height = 0;
    pango_layout_get_size(layout, nullptr, &height);
    cached->height = static_cast<double>(height) / PANGO_SCALE;
    PangoLayoutIter* iter = pango_layout_get_iter(layout);
    int index = 0;
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(iter, nullptr, &logical);
      CachedLine line;
      line.height = static_cast<double>(logical.height) / PANGO_SCALE;
      line.above =
          static_cast<double>(pango_layout_iter_get_baseline(iter) - logical.y) / PANGO_SCALE;
      line.x = static_cast<double>(logical.x) / PANGO_SCALE;
      line.baseline = static_cast<double>(pango_layout_iter_get_baseline(iter)) / PANGO_SCALE;
      if (!options.cairo_only && cached->fast) {
        cached->fast = EncodeLine(layout, pango_layout_get_line_readonly(layout, index), line);
      }
      cached->lines.push_back(std::move(line));
      ++index;
    } while (pango_layout_iter_next_line(iter));
    pango_layout_iter_free(iter);
    const CachedLayout* result = cached.get();
    layouts.emplace(std::move(key), std::move(cached));
    return result;
  }

  Result<const CachedLayout*> Plain(std::string text, FontKind font, double width,
                                    PangoAlignment align = PANGO_ALIGN_LEFT) {
    LayoutSpec spec;
    spec.font = font;
    spec.width = width;
    spec.align = align;
    spec.text = std::move(text);
    return Layout(spec);
  }

  // One layout per paragraph when each paragraph is valid markup on its own, else one for all.
  Result<std::vector<const CachedLayout*>> Parts(const LayoutSpec& spec) {
    std::vector<const CachedLayout*> parts;
    if (spec.text.find('\n') != std::string::npos) {
      LayoutSpec paragraph = spec;
      size_t pos = 0;
      while (true) {
        const size_t end = spec.text.find('\n', pos);
        paragraph.text = spec.text.substr(pos, end == std::string::npos ? end : end - pos);
        Result<const CachedLayout*> part = Layout(paragraph);
        if (!part.ok()) {
          parts.clear();
          break;
        }
        parts.push_back(*part);
        if (end == std::string::npos) return parts;
        pos = end + 1;
      }
    }
    QUITT_ASSIGN_OR_RETURN(const CachedLayout* whole, Layout(spec));
    parts.push_back(whole);
    return parts;
  }

  Result<LetterPlan> Plan(const app::letters::LetterModel& model, const RenderedMessage& letter) {
    // Rotated between letters only, so the plan's pointers stay valid while it is drawn.
    if (static_cast<int>(layouts.size()) > options.layout_cache_entries) {
      old_layouts = std::move(layouts);
      layouts.clear();
    }
    LetterPlan plan;

    // Subject, then the body blocks, laid out once and placed line by line.
    {
      LayoutSpec subject;
      subject.font = FontKind::kBold;
      subject.width = kTextWidth;
      subject.text = letter.Part("subject");
      QUITT_ASSIGN_OR_RETURN(std::vector<const CachedLayout*> parts, Parts(subject));
      plan.blocks.push_back({std::move(parts), false, kLeft});
    }
    for (std::string text : SplitBlocks(letter.Part("body"))) {
      Block block;
      LayoutSpec spec;
      if (text.rfind("[[", 0) == 0) {
        const size_t close = text.find("]]");
        if (close == std::string::npos) {
          return InvalidArgument("letter body: unclosed directive in block '" + text.substr(0, 40) +
                                 "'");
        }
        const std::string directive = text.substr(2, close - 2);
        text = text.substr(
            text.find('\n', close) == std::string::npos ? text.size() : text.find('\n', close) + 1);
        if (directive == "qr") {
          block.qr = true;
        } else if (directive.rfind("tabs ", 0) == 0) {
          spec.tabs = directive.substr(5);
        } else {
          return InvalidArgument("letter body: unknown directive '[[" + directive + "]]'");
        }
      }
      spec.width = block.qr ? kTextWidth - kQrSize - kQrGap : kTextWidth;
      spec.markup = true;
      spec.text = std::move(text);
      block.x = block.qr ? kLeft + kQrSize + kQrGap : kLeft;
      QUITT_ASSIGN_OR_RETURN(block.parts, Parts(spec));
      plan.blocks.push_back(std::move(block));
    }

    int page = 1;
    double cursor = kFirstBodyTop;
    for (size_t b = 0; b < plan.blocks.size(); ++b) {
      const Block& block = plan.blocks[b];
      if (block.qr) {
        double text_height = 0;
        for (const CachedLayout* part : block.parts) text_height += part->height;
        const double height = std::max(kQrSize, text_height);
        if (cursor + height > kBodyBottom) {
          ++page;
          cursor = kNextPageTop;
        }
        plan.qrs.push_back({page, cursor});
      }
      const double block_top = cursor;
      for (size_t part = 0; part < block.parts.size(); ++part) {
        const CachedLayout& layout = *block.parts[part];
        for (size_t index = 0; index < layout.lines.size(); ++index) {
          const CachedLine& line = layout.lines[index];
          if (!block.qr && cursor + line.height > kBodyBottom) {
            ++page;
            cursor = kNextPageTop;
          }
          plan.lines.push_back({static_cast<int>(b), static_cast<int>(part),
                                static_cast<int>(index), page, cursor + line.above});
          cursor += line.height;
        }
        plan.fast = plan.fast && layout.fast;
      }
      if (block.qr) cursor = std::max(cursor, block_top + kQrSize);
      cursor += (b == 0) ? Mm(6) : kBlockGap;
    }
    plan.pages = page;

    const app::letters::LetterAddress& sender = model.sender.address;
    auto head = [&plan](Result<std::vector<const CachedLayout*>> parts, double x,
                        double y) -> Status {
      if (!parts.ok()) return parts.error();
      for (const CachedLayout* part : *parts) {
        plan.head.push_back({part, x, y});
        plan.fast = plan.fast && part->fast;
        y += part->height;
      }
      return OkStatus();
    };
    auto plain = [this](std::string text, FontKind font, double width) {
      LayoutSpec spec;
      spec.font = font;
      spec.width = width;
      spec.text = std::move(text);
      return Parts(spec);
    };
    QUITT_RETURN_IF_ERROR(head(plain(sender.name, FontKind::kBold, 0), kLeft, Mm(15)));
    QUITT_RETURN_IF_ERROR(head(
        plain(sender.street + " · " + sender.postcode + " " + sender.city, FontKind::kSmall, 0),
        kLeft, Mm(21)));
    // Return address in the 5 mm zone at the top of the address field.
    QUITT_RETURN_IF_ERROR(head(
        plain(sender.name + " · " + sender.street + " · " + sender.postcode + " " + sender.city,
              FontKind::kSmall, Mm(85)),
        Mm(20), Mm(45) + Mm(1.5)));
    const app::letters::LetterAddress& to = model.customer;
    std::string address = to.name + "\n" + to.street + "\n" + to.postcode + " " + to.city;
    if (to.country != sender.country && !to.country.empty()) address += "\n" + to.country;
    QUITT_RETURN_IF_ERROR(head(plain(address, FontKind::kBody, Mm(80)), Mm(20), Mm(45 + 17.7)));
    // Information block: "label<TAB>value" lines.
    LayoutSpec info;
    info.font = FontKind::kSmall;
    info.width = Mm(75);
    info.tabs = "25";
    info.text = letter.Part("info");
    QUITT_RETURN_IF_ERROR(head(Parts(info), Mm(125), Mm(50)));

    QUITT_ASSIGN_OR_RETURN(plan.footer, Plain(letter.Part("footer"), FontKind::kSmall, kTextWidth,
                                              PANGO_ALIGN_CENTER));
    plan.fast = plan.fast && plan.footer->fast;
    for (int p = 1; p <= plan.pages; ++p) {
      std::string label =
          Replace(Replace(letter.Part("page"), "{pages}", std::to_string(plan.pages)), "{page}",
                  std::to_string(p));
      QUITT_ASSIGN_OR_RETURN(const CachedLayout* number, Plain(std::move(label), FontKind::kSmall,
                                                               kTextWidth, PANGO_ALIGN_RIGHT));
      plan.page_numbers.push_back(number);
      plan.fast = plan.fast && number->fast;
    }
    return plan;
  }

  // --- cairo ---------------------------------------------------------------------------------

  static void Show(cairo_t* cr, const CachedLayout* layout, double x, double y) {
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, layout->layout);
  }

  static void DrawMarks(cairo_t* cr) {
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

  void DrawCairo(cairo_t* cr, const app::letters::LetterModel& model, const LetterPlan& plan) {
    size_t next_line = 0;
    size_t next_qr = 0;
    for (int p = 1; p <= plan.pages; ++p) {
      cairo_set_source_rgb(cr, 0, 0, 0);
      if (p == 1) {
        for (const LetterPlan::Placed& placed : plan.head) {
          Show(cr, placed.layout, placed.x, placed.y);
        }
        DrawMarks(cr);
      }
      while (next_line < plan.lines.size() && plan.lines[next_line].page == p) {
        const PlacedLine& placed = plan.lines[next_line++];
        const Block& block = plan.blocks[static_cast<size_t>(placed.block)];
        PangoLayoutLine* line = pango_layout_get_line_readonly(
            block.parts[static_cast<size_t>(placed.part)]->layout, placed.line);
        cairo_move_to(cr, block.x, placed.baseline);
        pango_cairo_show_layout_line(cr, line);
      }
      while (next_qr < plan.qrs.size() && plan.qrs[next_qr].page == p) {
        DrawQr(cr, model.payment.epc_qr_payload, kLeft, plan.qrs[next_qr].top, kQrSize);
        ++next_qr;
      }
      Show(cr, plan.footer, kLeft, Mm(280));
      Show(cr, plan.page_numbers[static_cast<size_t>(p - 1)], kLeft, Mm(287));
      cairo_show_page(cr);
    }
  }

  // --- own writer ----------------------------------------------------------------------------

  static bool PlaceLine(pdf::Document& doc, std::string& ops, const CachedLine& line, double x,
                        double baseline) {
    if (line.ops.empty()) return true;
    for (const GlyphUse& use : line.uses) {
      if (!doc.UseGlyph(use.font, use.gid, use.text_hex)) return false;
    }
    // Origins on cairo's 1/256 point grid (cairo_move_to), so text lands where cairo puts it.
    ops += "BT 1 0 0 1 ";
    pdf::AppendNumber(ops, std::round(x * 256) / 256, 4);
    ops += ' ';
    pdf::AppendNumber(ops, kPageHeight - std::round(baseline * 256) / 256, 4);
    ops += " Tm\n";
    ops += line.ops;
    ops += "ET\n";
    return true;
  }

  static bool PlaceLayout(pdf::Document& doc, std::string& ops, const CachedLayout* layout,
                          double x, double y) {
    for (const CachedLine& line : layout->lines) {
      if (!PlaceLine(doc, ops, line, x + line.x, y + line.baseline)) return false;
    }
    return true;
  }

  // The letter through the own writer; nullopt when a glyph's text conflicts (then cairo).
  // Appends the letter's pages to `doc`; false (and `doc` unchanged) when a glyph's text
  // conflicts with what the document already maps it to.
  bool AppendFast(pdf::Document& doc, const app::letters::LetterModel& model,
                  const LetterPlan& plan) {
    const std::shared_ptr<pdf::Document::GlyphState> saved = doc.SaveGlyphs();
    std::vector<std::string> pages;
    if (!DrawFast(doc, model, plan, pages)) {
      doc.RestoreGlyphs(*saved);
      return false;
    }
    for (const std::string& page : pages) doc.AddPage(page);
    return true;
  }

  bool DrawFast(pdf::Document& doc, const app::letters::LetterModel& model, const LetterPlan& plan,
                std::vector<std::string>& pages) {
    size_t next_line = 0;
    size_t next_qr = 0;
    for (int p = 1; p <= plan.pages; ++p) {
      std::string& ops = pages.emplace_back();
      ops.reserve(16 * 1024);
      if (p == 1) {
        for (const LetterPlan::Placed& placed : plan.head) {
          if (!PlaceLayout(doc, ops, placed.layout, placed.x, placed.y)) return false;
        }
        ops += "0.5 w\n";
        for (auto [y, x2] : {std::pair{Mm(105), Mm(8)}, {Mm(210), Mm(8)}, {Mm(148.5), Mm(10)}}) {
          pdf::AppendNumber(ops, Mm(3));
          ops += ' ';
          pdf::AppendNumber(ops, kPageHeight - y);
          ops += " m ";
          pdf::AppendNumber(ops, x2);
          ops += ' ';
          pdf::AppendNumber(ops, kPageHeight - y);
          ops += " l\n";
        }
        ops += "S\n";
      }
      while (next_line < plan.lines.size() && plan.lines[next_line].page == p) {
        const PlacedLine& placed = plan.lines[next_line++];
        const Block& block = plan.blocks[static_cast<size_t>(placed.block)];
        const CachedLayout& layout = *block.parts[static_cast<size_t>(placed.part)];
        if (!PlaceLine(doc, ops, layout.lines[static_cast<size_t>(placed.line)], block.x,
                       placed.baseline)) {
          return false;
        }
      }
      while (next_qr < plan.qrs.size() && plan.qrs[next_qr].page == p) {
        AppendQr(ops, model.payment.epc_qr_payload, kLeft, plan.qrs[next_qr].top, kQrSize);
        ++next_qr;
      }
      if (!PlaceLayout(doc, ops, plan.footer, kLeft, Mm(280)) ||
          !PlaceLayout(doc, ops, plan.page_numbers[static_cast<size_t>(p - 1)], kLeft, Mm(287))) {
        return false;
      }
    }
    return true;
  }
};

PdfRenderer::PdfRenderer() : PdfRenderer(Options()) {}
PdfRenderer::PdfRenderer(Options options) : impl_(std::make_unique<Impl>(options)) {}
PdfRenderer::~PdfRenderer() = default;

long long PdfRenderer::cairo_fallbacks() const { return impl_->fallbacks; }

Result<int> PdfRenderer::DrawOnto(void* cairo_context, const app::letters::LetterModel& model,
                                  const RenderedMessage& letter) {
  cairo_t* cr = static_cast<cairo_t*>(cairo_context);
  QUITT_ASSIGN_OR_RETURN(const LetterPlan plan, impl_->Plan(model, letter));
  impl_->DrawCairo(cr, model, plan);
  return plan.pages;
}

Result<std::string> PdfRenderer::RenderPdf(const app::letters::LetterModel& model,
                                           const RenderedMessage& letter) {
  QUITT_ASSIGN_OR_RETURN(const LetterPlan plan, impl_->Plan(model, letter));
  if (!impl_->options.cairo_only) {
    if (plan.fast) {
      pdf::Document doc(kPageWidth, kPageHeight, impl_->options.zlib_level);
      if (impl_->AppendFast(doc, model, plan)) {
        pdf::Document::Info info;
        info.title = letter.Part("subject");
        info.creation_date = PdfDate(model.letter_date);
        return doc.Finish(info);
      }
    }
    ++impl_->fallbacks;
  }
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
  impl_->DrawCairo(cr, model, plan);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    return Internal(std::string("cairo: ") + cairo_status_to_string(status));
  }
  return out;
}

Result<int> PdfRenderer::AppendTo(pdf::Document& doc, const app::letters::LetterModel& model,
                                  const RenderedMessage& letter) {
  QUITT_ASSIGN_OR_RETURN(const LetterPlan plan, impl_->Plan(model, letter));
  if (!plan.fast || !impl_->AppendFast(doc, model, plan)) {
    return FailedPrecondition(
        "letter " + (model.case_number ? model.case_number->ToString() : std::string("?")) +
        " has text the own PDF writer does not draw (a glyph outside its font subset, another "
        "font, right-to-left text, underline or colour); put it into a print batch written "
        "with cairo (PdfRenderer::Options::cairo_only)");
  }
  return plan.pages;
}

bool PdfRenderer::cairo_only() const { return impl_->options.cairo_only; }

Result<std::unique_ptr<PdfBatch>> PdfBatch::Create(const std::string& path) {
  std::unique_ptr<PdfBatch> batch(new PdfBatch());
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) {
    return Unavailable("cannot create print batch '" + path + "': " + std::strerror(errno));
  }
  batch->file_ = file;
  batch->path_ = path;
  return batch;
}

PdfBatch::~PdfBatch() {
  if (context_) cairo_destroy(static_cast<cairo_t*>(context_));
  if (surface_) cairo_surface_destroy(static_cast<cairo_surface_t*>(surface_));
  doc_.reset();
  if (file_) std::fclose(file_);
}

Status PdfBatch::Add(PdfRenderer& renderer, const app::letters::LetterModel& model,
                     const RenderedMessage& letter) {
  if (finished_) return FailedPrecondition("print batch '" + path_ + "' is finished");
  if (!doc_ && !context_) {
    // The first letter's renderer decides the writer of the whole file.
    if (renderer.cairo_only()) {
      std::fclose(file_);
      file_ = nullptr;
      cairo_surface_t* surface = cairo_pdf_surface_create(path_.c_str(), kPageWidth, kPageHeight);
      if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        const std::string message = cairo_status_to_string(cairo_surface_status(surface));
        cairo_surface_destroy(surface);
        return Unavailable("cannot create print batch '" + path_ + "': " + message);
      }
      cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "quitt");
      surface_ = surface;
      context_ = cairo_create(surface);
    } else {
      doc_ = std::make_unique<pdf::Document>(kPageWidth, kPageHeight, 1, file_);
      created_ = PdfDate(model.letter_date);
    }
  }
  int pages = 0;
  if (doc_) {
    Result<int> appended = renderer.AppendTo(*doc_, model, letter);
    if (!appended.ok() && appended.error().code() == StatusCode::kFailedPrecondition) {
      if (!overflow_) {
        std::string path = path_;
        if (path.size() > 4 && path.compare(path.size() - 4, 4, ".pdf") == 0)
          path.resize(path.size() - 4);
        QUITT_ASSIGN_OR_RETURN(overflow_, Create(path + "-cairo.pdf"));
        PdfRenderer::Options options;
        options.cairo_only = true;
        overflow_renderer_ = std::make_unique<PdfRenderer>(options);
      }
      const int before = overflow_->pages_;
      QUITT_RETURN_IF_ERROR(overflow_->Add(*overflow_renderer_, model, letter));
      ++letters_;
      pages_ += overflow_->pages_ - before;
      return OkStatus();
    }
    QUITT_ASSIGN_OR_RETURN(pages, std::move(appended));
  } else {
    QUITT_ASSIGN_OR_RETURN(pages, renderer.DrawOnto(context_, model, letter));
  }
  ++letters_;
  pages_ += pages;
  return OkStatus();
}

std::string PdfBatch::overflow_path() const { return overflow_ ? overflow_->path_ : std::string(); }

Status PdfBatch::Finish() {
  if (finished_) return OkStatus();
  finished_ = true;
  if (overflow_) QUITT_RETURN_IF_ERROR(overflow_->Finish());
  if (doc_) {
    bool ok = false;
    doc_->Finish({"quitt print batch", created_}, &ok);
    doc_.reset();
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!ok || !closed) return Unavailable("print batch '" + path_ + "': write failed");
    return OkStatus();
  }
  if (file_) {  // no letter was added: an empty but valid file
    pdf::Document empty(kPageWidth, kPageHeight, 1, file_);
    bool ok = false;
    empty.Finish({"quitt print batch", ""}, &ok);
    std::fclose(file_);
    file_ = nullptr;
    return ok ? OkStatus() : Unavailable("print batch '" + path_ + "': write failed");
  }
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
