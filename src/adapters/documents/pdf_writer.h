#pragma once
// A small PDF writer for the letters' fast path (pdf_letter.cc): pages are content streams the
// caller writes (text as glyph ids placed where pango put them, rectangles, lines); fonts are
// TrueType subsets embedded as CID fonts (Identity-H) with a ToUnicode map so the text stays
// extractable.
//
// Why not cairo for every letter: cairo's PDF surface subsets and compresses the fonts of every
// document anew and formats every number with printf; that alone cost about 8 ms per 2-page
// letter (perf, see docs/letters.md), four times the budget of 1,000 letters/s on two cores.
// Here the font subset is built once per process (harfbuzz hb-subset, glyph ids kept, a fixed
// repertoire: Latin-1, Latin Extended-A, general punctuation, € and a few symbols) and its
// compressed bytes are copied into each letter. A glyph outside the subset makes the caller fall
// back to cairo, so no letter loses a character.
//
// PDF 1.7 (ISO 32000-1): 9.7.4 CIDFontType2, 9.10.3 ToUnicode CMaps, 7.5 file structure.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct hb_face_t;

namespace quitt::adapters::documents::pdf {

// A TrueType font subset ready to be embedded; built once per font and kept for the process.
struct EmbeddedFont {
  int id = 0;                   // resource name /F<id>, stable within the process
  std::string base_font;        // "ABCDEF+DejaVuSans"
  std::string font_file;        // deflated TrueType subset (glyph ids unchanged)
  size_t font_file_length = 0;  // its uncompressed length (/Length1)
  std::string descriptor;       // the FontDescriptor's entries after /FontName
  std::string widths;           // the CIDFont's /W array
  // Indexed by the original glyph id (pango's):
  std::vector<double> advance;       // 1/1000 em, exact (/W is rounded down)
  std::vector<bool> known;           // kept in the subset
  std::vector<uint16_t> new_gid;     // its id in the subset (what content streams show)
  std::vector<std::string> unicode;  // UTF-16BE hex of its cmap character
};

// The embedded font for a harfbuzz face (pango's face of a PangoFont), built on first use and
// cached for the process (thread-safe). nullptr when the face cannot be subset.
const EmbeddedFont* EmbeddedFontFor(hb_face_t* face);

// UTF-8 text as UTF-16BE hex digits (for ToUnicode and text strings).
std::string Utf16Hex(std::string_view utf8);

// Appends v with at most `decimals` decimals, without trailing zeros ("12.5", "-3", "0.125").
void AppendNumber(std::string& out, double v, int decimals = 3);

// One PDF document built page by page. Pages are written out as they are added (to `sink` when
// given, in chunks, else kept in memory), so a print batch of any length needs memory only for
// the font usage; fonts, page tree and cross-reference table follow in Finish.
class Document {
 public:
  // `zlib_level` for the page content streams (0 = not compressed). `sink` stays owned by the
  // caller and must outlive the document.
  Document(double page_width, double page_height, int zlib_level, std::FILE* sink = nullptr);

  // Records that `font`'s glyph `gid` (original id) was shown for `text_hex` (UTF-16BE hex;
  // empty = the glyph's cmap character). Returns false if the glyph already stood for other text
  // in this document (a ToUnicode map has one entry per glyph), so the caller falls back.
  bool UseGlyph(const EmbeddedFont* font, uint16_t gid, const std::string& text_hex);

  // The glyph bookkeeping, to undo the UseGlyph calls of a letter that is then not added.
  struct GlyphState;
  std::shared_ptr<GlyphState> SaveGlyphs() const;
  void RestoreGlyphs(const GlyphState& state);

  void AddPage(std::string_view content);
  int pages() const { return static_cast<int>(kids_.size()); }

  struct Info {
    std::string title;          // UTF-8
    std::string creation_date;  // "D:20260701000000Z"
  };
  // Writes the rest; returns the whole file when there is no sink (else ""). False in `ok` when
  // writing to the sink failed.
  std::string Finish(const Info& info, bool* ok = nullptr);

 private:
  struct FontUse {
    const EmbeddedFont* font;
    std::vector<uint8_t> used;  // per glyph id: 0 unused, 1 cmap text, 2 override
    std::vector<std::pair<uint16_t, std::string>> overrides;
  };
  FontUse& UseOf(const EmbeddedFont* font);
  int NewObject();
  void Flush(bool all);

  double width_;
  double height_;
  int zlib_level_;
  std::FILE* sink_;
  bool sink_failed_ = false;
  std::string out_;              // not yet flushed
  size_t flushed_ = 0;           // bytes already in the sink
  std::vector<size_t> offsets_;  // per object number
  std::vector<int> kids_;        // page object numbers
  std::vector<FontUse> fonts_;
};

}  // namespace quitt::adapters::documents::pdf
