#include "adapters/documents/pdf_writer.h"

#include <hb-subset.h>
#include <hb.h>
#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>

namespace quitt::adapters::documents::pdf {
namespace {

// What letters are written in: Basic Latin, Latin-1, Latin Extended-A (names across Europe),
// general punctuation (dashes, quotes, bullet, ellipsis, per mille), €, ™, − (minus sign).
constexpr std::pair<uint32_t, uint32_t> kRepertoire[] = {
    {0x20, 0x7E},     {0xA0, 0x17F},    {0x2010, 0x2027}, {0x2030, 0x2030},
    {0x2039, 0x203A}, {0x20AC, 0x20AC}, {0x2122, 0x2122}, {0x2212, 0x2212},
};

std::string Deflate(std::string_view data, int level) {
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  std::string out(size, '\0');
  compress2(reinterpret_cast<Bytef*>(out.data()), &size,
            reinterpret_cast<const Bytef*>(data.data()), static_cast<uLong>(data.size()), level);
  out.resize(size);
  return out;
}

void AppendInt(std::string& out, long long v) {
  char buffer[24];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
  out.append(buffer, result.ptr);
}

void AppendHex4(std::string& out, unsigned v) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  out.push_back(kDigits[(v >> 12) & 15]);
  out.push_back(kDigits[(v >> 8) & 15]);
  out.push_back(kDigits[(v >> 4) & 15]);
  out.push_back(kDigits[v & 15]);
}

int16_t ReadInt16(const char* data, unsigned length, unsigned at) {
  if (at + 2 > length) return 0;
  return static_cast<int16_t>((static_cast<uint8_t>(data[at]) << 8) |
                              static_cast<uint8_t>(data[at + 1]));
}

std::string PostScriptName(hb_face_t* face) {
  char name[128];
  unsigned size = sizeof name;
  if (hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &size, name) ==
      0) {
    return "Font";
  }
  std::string out;
  for (const char* c = name; *c; ++c) {
    if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
        *c == '-') {
      out.push_back(*c);
    }
  }
  return out.empty() ? "Font" : out;
}

std::unique_ptr<EmbeddedFont> BuildFont(hb_face_t* face, int id) {
  hb_subset_input_t* input = hb_subset_input_create_or_fail();
  if (!input) return nullptr;
  hb_set_t* unicodes = hb_subset_input_unicode_set(input);
  for (const auto& [first, last] : kRepertoire) hb_set_add_range(unicodes, first, last);
  // Glyph ids are renumbered (new_gid), which keeps loca and hmtx small. The TrueType hinting
  // instructions are left out: they are two thirds of DejaVu's glyph data and only matter for
  // rasterising at small pixel sizes, not for print or for viewers (which hint on their own).
  hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING);
  hb_subset_plan_t* plan = hb_subset_plan_create_or_fail(face, input);
  hb_subset_input_destroy(input);
  if (!plan) return nullptr;
  hb_face_t* subset = hb_subset_plan_execute_or_fail(plan);
  const unsigned glyph_count = hb_face_get_glyph_count(face);
  auto font = std::make_unique<EmbeddedFont>();
  font->known.assign(glyph_count, false);
  font->new_gid.assign(glyph_count, 0);
  const hb_map_t* mapping = hb_subset_plan_old_to_new_glyph_mapping(plan);
  for (hb_codepoint_t gid = 0; gid < glyph_count; ++gid) {
    const hb_codepoint_t new_gid = hb_map_get(mapping, gid);
    if (new_gid == HB_MAP_VALUE_INVALID || new_gid > 0xFFFF) continue;
    font->known[gid] = true;
    font->new_gid[gid] = static_cast<uint16_t>(new_gid);
  }
  hb_subset_plan_destroy(plan);
  if (!subset) return nullptr;
  hb_blob_t* blob = hb_face_reference_blob(subset);
  unsigned length = 0;
  const char* data = hb_blob_get_data(blob, &length);
  font->font_file_length = length;
  font->font_file = Deflate(std::string_view(data, length), 9);
  hb_blob_destroy(blob);
  hb_face_destroy(subset);
  if (font->font_file_length == 0) return nullptr;

  font->id = id;
  const std::string name = PostScriptName(face);
  // The subset tag (ISO 32000-1 9.6.4): six capitals, here derived from the name.
  std::string tag;
  unsigned hash = 2166136261u;
  for (char c : name) hash = (hash ^ static_cast<uint8_t>(c)) * 16777619u;
  for (int i = 0; i < 6; ++i, hash /= 26) tag.push_back(static_cast<char>('A' + hash % 26));
  font->base_font = tag + "+" + name;

  hb_font_t* metrics = hb_font_create(face);
  const unsigned upem = hb_face_get_upem(face);
  const double scale = 1000.0 / upem;
  font->advance.assign(glyph_count, 0.0);
  font->unicode.assign(glyph_count, std::string());
  font->widths = "[";
  for (unsigned gid = 0; gid < glyph_count; ++gid) {
    if (!font->known[gid]) continue;
    // /W gets whole thousandths rounded down and the text position follows the exact advance,
    // as cairo does: pdftotext's columns (the golden files) depend on both.
    const double advance = hb_font_get_glyph_h_advance(metrics, gid) * scale;
    font->advance[gid] = advance;
    AppendInt(font->widths, font->new_gid[gid]);
    font->widths += " [";
    AppendNumber(font->widths, std::floor(advance), 0);
    font->widths += "] ";
  }
  font->widths += "]";
  for (const auto& [first, last] : kRepertoire) {
    for (uint32_t cp = first; cp <= last; ++cp) {
      hb_codepoint_t gid = 0;
      if (!hb_font_get_nominal_glyph(metrics, cp, &gid) || gid >= glyph_count) continue;
      if (font->unicode[gid].empty()) {
        font->unicode[gid].clear();
        AppendHex4(font->unicode[gid], cp);  // the repertoire is in the BMP
      }
    }
  }
  hb_font_extents_t extents{};
  hb_font_get_h_extents(metrics, &extents);
  hb_position_t cap_height = 0;
  if (!hb_ot_metrics_get_position(metrics, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap_height)) {
    cap_height = extents.ascender;
  }
  hb_font_destroy(metrics);

  hb_blob_t* head = hb_face_reference_table(face, HB_TAG('h', 'e', 'a', 'd'));
  unsigned head_length = 0;
  const char* head_data = hb_blob_get_data(head, &head_length);
  const int bbox[4] = {ReadInt16(head_data, head_length, 36), ReadInt16(head_data, head_length, 38),
                       ReadInt16(head_data, head_length, 40),
                       ReadInt16(head_data, head_length, 42)};
  hb_blob_destroy(head);
  hb_blob_t* post = hb_face_reference_table(face, HB_TAG('p', 'o', 's', 't'));
  unsigned post_length = 0;
  const char* post_data = hb_blob_get_data(post, &post_length);
  const double italic_angle = ReadInt16(post_data, post_length, 4) +
                              static_cast<uint16_t>(ReadInt16(post_data, post_length, 6)) / 65536.0;
  hb_blob_destroy(post);

  std::string& d = font->descriptor;
  d = "/Flags ";
  AppendInt(d, italic_angle != 0 ? 32 + 64 : 32);  // nonsymbolic, italic
  d += " /FontBBox [";
  for (int i = 0; i < 4; ++i) {
    if (i) d += ' ';
    AppendNumber(d, bbox[i] * scale, 0);
  }
  d += "] /ItalicAngle ";
  AppendNumber(d, italic_angle, 2);
  d += " /Ascent ";
  AppendNumber(d, extents.ascender * scale, 0);
  d += " /Descent ";
  AppendNumber(d, extents.descender * scale, 0);
  d += " /CapHeight ";
  AppendNumber(d, cap_height * scale, 0);
  d += " /StemV 80";
  return font;
}

struct FontCache {
  std::mutex mutex;
  std::vector<std::unique_ptr<EmbeddedFont>> fonts;
  // Keyed by name and size, not by hb_face_t: each pango font map has its own face per file.
  std::map<std::pair<std::string, unsigned>, const EmbeddedFont*> by_name;
  int next_id = 0;
};

FontCache& Cache() {
  static FontCache* const cache = new FontCache();
  return *cache;
}

}  // namespace

const EmbeddedFont* EmbeddedFontFor(hb_face_t* face) {
  hb_blob_t* blob = hb_face_reference_blob(face);
  const unsigned length = hb_blob_get_length(blob);
  hb_blob_destroy(blob);
  const std::pair<std::string, unsigned> name_key{PostScriptName(face), length};
  FontCache& cache = Cache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  auto found = cache.by_name.find(name_key);
  if (found != cache.by_name.end()) return found->second;
  std::unique_ptr<EmbeddedFont> font = BuildFont(face, cache.next_id);
  const EmbeddedFont* result = font.get();
  if (font) {
    ++cache.next_id;
    cache.fonts.push_back(std::move(font));
  }
  cache.by_name[name_key] = result;
  return result;
}

std::string Utf16Hex(std::string_view utf8) {
  std::string out;
  size_t i = 0;
  while (i < utf8.size()) {
    const auto c = static_cast<uint8_t>(utf8[i]);
    uint32_t cp = c;
    int extra = 0;
    if (c >= 0xF0) {
      cp = c & 0x07;
      extra = 3;
    } else if (c >= 0xE0) {
      cp = c & 0x0F;
      extra = 2;
    } else if (c >= 0xC0) {
      cp = c & 0x1F;
      extra = 1;
    }
    ++i;
    for (int k = 0; k < extra && i < utf8.size(); ++k, ++i) {
      cp = (cp << 6) | (static_cast<uint8_t>(utf8[i]) & 0x3F);
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      AppendHex4(out, 0xD800 + (cp >> 10));
      AppendHex4(out, 0xDC00 + (cp & 0x3FF));
    } else {
      AppendHex4(out, cp);
    }
  }
  return out;
}

void AppendNumber(std::string& out, double v, int decimals) {
  static constexpr long long kPow10[] = {1, 10, 100, 1000, 10000};
  const long long p = kPow10[decimals];
  long long scaled = std::llround(v * static_cast<double>(p));
  if (scaled < 0) {
    out.push_back('-');
    scaled = -scaled;
  }
  AppendInt(out, scaled / p);
  long long fraction = scaled % p;
  if (fraction == 0) return;
  int digits = decimals;
  while (fraction % 10 == 0) {
    fraction /= 10;
    --digits;
  }
  out.push_back('.');
  char buffer[8];
  for (int i = digits - 1; i >= 0; --i) {
    buffer[i] = static_cast<char>('0' + fraction % 10);
    fraction /= 10;
  }
  out.append(buffer, static_cast<size_t>(digits));
}

Document::FontUse& Document::UseOf(const EmbeddedFont* font) {
  for (FontUse& use : fonts_) {
    if (use.font == font) return use;
  }
  fonts_.push_back({font, std::vector<uint8_t>(font->known.size(), 0), {}});
  return fonts_.back();
}

bool Document::UseGlyph(const EmbeddedFont* font, uint16_t gid, const std::string& text_hex) {
  FontUse& use = UseOf(font);
  uint8_t& state = use.used[gid];
  const bool is_default = text_hex.empty() || text_hex == font->unicode[gid];
  if (is_default) {
    if (state == 2) return false;
    state = 1;
    return true;
  }
  if (state == 1) return false;
  if (state == 2) {
    for (const auto& [g, text] : use.overrides) {
      if (g == gid) return text == text_hex;
    }
  }
  state = 2;
  use.overrides.emplace_back(gid, text_hex);
  return true;
}

struct Document::GlyphState {
  std::vector<FontUse> fonts;
};

std::shared_ptr<Document::GlyphState> Document::SaveGlyphs() const {
  auto state = std::make_shared<GlyphState>();
  state->fonts = fonts_;
  return state;
}

void Document::RestoreGlyphs(const GlyphState& state) { fonts_ = state.fonts; }

// Object numbers: 1 catalog, 2 page tree, 3 info, 4 resources; pages and fonts as they come.
Document::Document(double page_width, double page_height, int zlib_level, std::FILE* sink)
    : width_(page_width), height_(page_height), zlib_level_(zlib_level), sink_(sink) {
  offsets_.assign(5, 0);
  out_.reserve(64 * 1024);
  out_ += "%PDF-1.5\n%\xE2\xE3\xCF\xD3\n";
}

int Document::NewObject() {
  offsets_.push_back(0);
  return static_cast<int>(offsets_.size()) - 1;
}

void Document::Flush(bool all) {
  if (!sink_ || (!all && out_.size() < (1u << 20))) return;
  if (!out_.empty() && std::fwrite(out_.data(), 1, out_.size(), sink_) != out_.size()) {
    sink_failed_ = true;
  }
  flushed_ += out_.size();
  out_.clear();
}

namespace {

struct Writer {
  std::string& out;
  size_t base;
  std::vector<size_t>& offsets;

  void Begin(int number) {
    offsets[static_cast<size_t>(number)] = base + out.size();
    AppendInt(out, number);
    out += " 0 obj\n";
  }
  void Ref(int number) {
    AppendInt(out, number);
    out += " 0 R";
  }
  void Stream(int number, std::string_view dict_extra, std::string_view data, bool deflated) {
    Begin(number);
    out += "<< /Length ";
    AppendInt(out, static_cast<long long>(data.size()));
    if (deflated) out += " /Filter /FlateDecode";
    out += dict_extra;
    out += " >>\nstream\n";
    out += data;
    out += "\nendstream\nendobj\n";
  }
};

}  // namespace

void Document::AddPage(std::string_view content) {
  const int page = NewObject();
  const int contents = NewObject();
  kids_.push_back(page);
  Writer w{out_, flushed_, offsets_};
  w.Begin(page);
  out_ += "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ";
  AppendNumber(out_, width_);
  out_ += ' ';
  AppendNumber(out_, height_);
  out_ += "] /Resources 4 0 R /Contents ";
  w.Ref(contents);
  out_ += " >>\nendobj\n";
  if (zlib_level_ > 0) {
    w.Stream(contents, "", Deflate(content, zlib_level_), true);
  } else {
    w.Stream(contents, "", content, false);
  }
  Flush(false);
}

std::string Document::Finish(const Info& info, bool* ok) {
  const int first_font = static_cast<int>(offsets_.size());
  offsets_.resize(offsets_.size() + 5 * fonts_.size(), 0);
  Writer w{out_, flushed_, offsets_};
  std::string& out = out_;

  w.Begin(1);
  out += "<< /Type /Catalog /Pages 2 0 R >>\nendobj\n";
  w.Begin(2);
  out += "<< /Type /Pages /Count ";
  AppendInt(out, static_cast<long long>(kids_.size()));
  out += " /Kids [";
  for (int kid : kids_) {
    w.Ref(kid);
    out += ' ';
  }
  out += "] >>\nendobj\n";
  Flush(false);
  w.base = flushed_;
  w.Begin(3);
  out += "<< /Creator (quitt) /Producer (quitt) /CreationDate (";
  out += info.creation_date;
  out += ") /Title <FEFF";
  out += Utf16Hex(info.title);
  out += "> >>\nendobj\n";
  w.Begin(4);
  out += "<< /Font << ";
  for (size_t f = 0; f < fonts_.size(); ++f) {
    out += "/F";
    AppendInt(out, fonts_[f].font->id);
    out += ' ';
    w.Ref(first_font + 5 * static_cast<int>(f));
    out += ' ';
  }
  out += ">> >>\nendobj\n";

  for (size_t f = 0; f < fonts_.size(); ++f) {
    const FontUse& use = fonts_[f];
    const EmbeddedFont& font = *use.font;
    const int n = first_font + 5 * static_cast<int>(f);
    w.Begin(n);
    out += "<< /Type /Font /Subtype /Type0 /BaseFont /";
    out += font.base_font;
    out += " /Encoding /Identity-H /DescendantFonts [";
    w.Ref(n + 1);
    out += "] /ToUnicode ";
    w.Ref(n + 4);
    out += " >>\nendobj\n";
    w.Begin(n + 1);
    out += "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /";
    out += font.base_font;
    out +=
        " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
        " /FontDescriptor ";
    w.Ref(n + 2);
    out += " /CIDToGIDMap /Identity /W ";
    out += font.widths;
    out += " >>\nendobj\n";
    w.Begin(n + 2);
    out += "<< /Type /FontDescriptor /FontName /";
    out += font.base_font;
    out += ' ';
    out += font.descriptor;
    out += " /FontFile2 ";
    w.Ref(n + 3);
    out += " >>\nendobj\n";
    std::string length1 = " /Length1 ";
    AppendInt(length1, static_cast<long long>(font.font_file_length));
    w.Stream(n + 3, length1, font.font_file, true);

    std::string cmap =
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
    std::vector<std::pair<uint16_t, const std::string*>> entries;
    for (size_t gid = 0; gid < use.used.size(); ++gid) {
      if (use.used[gid] == 1 && !font.unicode[gid].empty()) {
        entries.emplace_back(static_cast<uint16_t>(gid), &font.unicode[gid]);
      } else if (use.used[gid] == 2) {
        for (const auto& [g, text] : use.overrides) {
          if (g == gid) entries.emplace_back(g, &text);
        }
      }
    }
    for (size_t i = 0; i < entries.size(); i += 100) {  // at most 100 per block
      const size_t count = std::min<size_t>(100, entries.size() - i);
      AppendInt(cmap, static_cast<long long>(count));
      cmap += " beginbfchar\n";
      for (size_t k = i; k < i + count; ++k) {
        cmap += '<';
        AppendHex4(cmap, font.new_gid[entries[k].first]);
        cmap += "> <";
        cmap += *entries[k].second;
        cmap += ">\n";
      }
      cmap += "endbfchar\n";
    }
    cmap += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    w.Stream(n + 4, "", cmap, false);
  }

  const size_t xref = flushed_ + out.size();
  const size_t objects = offsets_.size();
  out += "xref\n0 ";
  AppendInt(out, static_cast<long long>(objects));
  out += "\n0000000000 65535 f \n";
  for (size_t i = 1; i < objects; ++i) {
    char entry[24];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offsets_[i]);
    out += entry;
  }
  out += "trailer\n<< /Size ";
  AppendInt(out, static_cast<long long>(objects));
  out += " /Root 1 0 R /Info 3 0 R >>\nstartxref\n";
  AppendInt(out, static_cast<long long>(xref));
  out += "\n%%EOF\n";
  if (!sink_) {
    if (ok) *ok = true;
    return std::move(out_);
  }
  Flush(true);
  if (std::fflush(sink_) != 0) sink_failed_ = true;
  if (ok) *ok = !sink_failed_;
  return std::string();
}

}  // namespace quitt::adapters::documents::pdf
