#include "adapters/documents/pdf_writer.h"

#include <gtest/gtest.h>
#include <hb.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace quitt::adapters::documents::pdf {
namespace {

std::string Number(double v, int decimals = 3) {
  std::string out;
  AppendNumber(out, v, decimals);
  return out;
}

TEST(PdfWriterTest, NumbersHaveNoTrailingZeros) {
  EXPECT_EQ(Number(12.5), "12.5");
  EXPECT_EQ(Number(-3), "-3");
  EXPECT_EQ(Number(0.125), "0.125");
  EXPECT_EQ(Number(841.8897637), "841.89");
  EXPECT_EQ(Number(70.8671875, 4), "70.8672");
  EXPECT_EQ(Number(-0.0001), "0");
}

TEST(PdfWriterTest, Utf16HexEncodesSurrogatePairs) {
  EXPECT_EQ(Utf16Hex("Aß€"), "004100DF20AC");
  EXPECT_EQ(Utf16Hex("\xF0\x9F\x98\x80"), "D83DDE00");  // U+1F600
}

hb_face_t* DejaVuSans() {
  hb_blob_t* blob = hb_blob_create_from_file("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
  hb_face_t* face = hb_face_create(blob, 0);
  hb_blob_destroy(blob);
  return face;
}

TEST(PdfWriterTest, FontSubsetIsBuiltOnceAndKnowsTheRepertoire) {
  hb_face_t* face = DejaVuSans();
  const EmbeddedFont* font = EmbeddedFontFor(face);
  ASSERT_NE(font, nullptr);
  EXPECT_EQ(EmbeddedFontFor(face), font);
  EXPECT_NE(font->base_font.find("+DejaVuSans"), std::string::npos);
  hb_font_t* hb = hb_font_create(face);
  hb_codepoint_t euro = 0;
  hb_codepoint_t cyrillic = 0;
  ASSERT_TRUE(hb_font_get_nominal_glyph(hb, 0x20AC, &euro));
  ASSERT_TRUE(hb_font_get_nominal_glyph(hb, 0x0416, &cyrillic));  // Ж, outside the subset
  hb_font_destroy(hb);
  EXPECT_TRUE(font->known[euro]);
  EXPECT_EQ(font->unicode[euro], "20AC");
  EXPECT_FALSE(font->known[cyrillic]);
  // Much smaller than the 740 KB font file.
  EXPECT_LT(font->font_file.size(), 40000u);
  hb_face_destroy(face);
}

TEST(PdfWriterTest, OneGlyphCannotStandForTwoTexts) {
  hb_face_t* face = DejaVuSans();
  const EmbeddedFont* font = EmbeddedFontFor(face);
  hb_face_destroy(face);
  ASSERT_NE(font, nullptr);
  Document doc(595.276, 841.89, 1);
  EXPECT_TRUE(doc.UseGlyph(font, 36, ""));
  EXPECT_TRUE(doc.UseGlyph(font, 36, font->unicode[36]));
  EXPECT_FALSE(doc.UseGlyph(font, 36, "0078"));
  EXPECT_TRUE(doc.UseGlyph(font, 37, "00660069"));
  EXPECT_TRUE(doc.UseGlyph(font, 37, "00660069"));
  EXPECT_FALSE(doc.UseGlyph(font, 37, ""));
}

TEST(PdfWriterTest, DocumentIsReadByPoppler) {
  hb_face_t* face = DejaVuSans();
  const EmbeddedFont* font = EmbeddedFontFor(face);
  hb_font_t* hb = hb_font_create(face);
  hb_face_destroy(face);
  ASSERT_NE(font, nullptr);
  Document doc(595.276, 841.89, 1);
  std::string ops = "BT 1 0 0 1 72 700 Tm /F" + std::to_string(font->id) + " 12 Tf [<";
  for (hb_codepoint_t cp : {0x47u, 0x72u, 0xFCu, 0xDFu, 0x65u}) {
    hb_codepoint_t gid = 0;
    ASSERT_TRUE(hb_font_get_nominal_glyph(hb, cp, &gid));
    ASSERT_TRUE(doc.UseGlyph(font, static_cast<uint16_t>(gid), ""));
    char hex[8];
    std::snprintf(hex, sizeof hex, "%04X", font->new_gid[gid]);
    ops += hex;
  }
  hb_font_destroy(hb);
  ops += ">] TJ ET\n";
  doc.AddPage(ops);
  const std::string bytes = doc.Finish({"Titel", "D:20260701000000Z"});
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / "quitt_pdf_writer_test.pdf";
  std::ofstream(path, std::ios::binary) << bytes;
  std::string text;
  if (FILE* pipe = popen(("pdftotext '" + path.string() + "' - 2>&1").c_str(), "r")) {
    char buffer[256];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) text.append(buffer, n);
    pclose(pipe);
  }
  std::filesystem::remove(path);
  EXPECT_NE(text.find("Grüße"), std::string::npos) << text;
}

}  // namespace
}  // namespace quitt::adapters::documents::pdf
