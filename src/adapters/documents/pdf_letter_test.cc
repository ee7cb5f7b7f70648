#include "adapters/documents/pdf_letter.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/letters/letter_fixtures.h"
#include "app/letters/rdg13a.h"

namespace quitt::adapters::documents {
namespace {

namespace fs = std::filesystem;
using app::letters::Channel;
using app::letters::LetterModel;
using app::letters::SampleConsumerFirstReminder;

// PDFs, their PNG pages and text extractions land here for people to look at.
fs::path ArtefactDir() {
  fs::path dir = fs::current_path() / "letters_artefacts";
  fs::create_directories(dir);
  return dir;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string RunCommand(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

const TemplateSet& Templates() {
  static const TemplateSet* const set = [] {
    Result<TemplateSet> loaded = TemplateSet::Load(std::string(QUITT_SOURCE_DIR) + "/templates");
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.error().ToString();
      return new TemplateSet();
    }
    return new TemplateSet(std::move(loaded).value());
  }();
  return *set;
}

fs::path RenderToFile(const LetterModel& model, const std::string& name,
                      PdfRenderer::Options options = {}) {
  PdfRenderer renderer(options);
  Result<RenderedMessage> letter = Templates().Render(model, Channel::kLetter);
  EXPECT_TRUE(letter.ok()) << letter.error().ToString();
  if (!letter.ok()) return {};
  Result<std::string> pdf = renderer.RenderPdf(model, *letter);
  EXPECT_TRUE(pdf.ok()) << pdf.error().ToString();
  const fs::path path = ArtefactDir() / (name + ".pdf");
  std::ofstream(path, std::ios::binary) << pdf.value_or(std::string());
  // A look at the pages: PNGs beside the PDF.
  RunCommand("pdftoppm -png -r 60 '" + path.string() + "' '" + (ArtefactDir() / name).string() +
             "'");
  return path;
}

std::string PdfText(const fs::path& pdf, bool layout) {
  return RunCommand(std::string("pdftotext ") + (layout ? "-layout " : "") + "'" + pdf.string() +
                    "' -");
}

// Golden comparison of the layout text; QUITT_UPDATE_GOLDEN=1 rewrites the golden file.
void ExpectGolden(const std::string& text, const std::string& name) {
  const fs::path golden = fs::path(QUITT_SOURCE_DIR) / "tests/golden/letters" / (name + ".txt");
  const char* update = std::getenv("QUITT_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    fs::create_directories(golden.parent_path());
    std::ofstream(golden, std::ios::binary) << text;
    return;
  }
  ASSERT_TRUE(fs::exists(golden)) << golden << " missing; run with QUITT_UPDATE_GOLDEN=1";
  EXPECT_EQ(text, ReadFile(golden))
      << "text of " << name << " differs from " << golden << " (look at " << ArtefactDir() << ")";
}

TEST(PdfLetterTest, GermanFirstReminderMatchesGolden) {
  const fs::path pdf = RenderToFile(SampleConsumerFirstReminder("de"), "reminder_1_de");
  const std::string text = PdfText(pdf, true);
  EXPECT_NE(text.find("Jürgen Müller"), std::string::npos);
  EXPECT_NE(text.find("Seite 1 von 2"), std::string::npos);
  ExpectGolden(text, "reminder_1_de");
}

TEST(PdfLetterTest, EnglishFirstReminderMatchesGolden) {
  const fs::path pdf = RenderToFile(SampleConsumerFirstReminder("en"), "reminder_1_en");
  ExpectGolden(PdfText(pdf, true), "reminder_1_en");
}

// The own writer (the default) and cairo's PDF surface put the same text in the same places.
TEST(PdfLetterTest, OwnWriterMatchesCairo) {
  for (const std::string lang : {"de", "en"}) {
    PdfRenderer::Options cairo;
    cairo.cairo_only = true;
    const std::string reference =
        PdfText(RenderToFile(SampleConsumerFirstReminder(lang), "cairo_" + lang, cairo), true);
    const std::string own =
        PdfText(RenderToFile(SampleConsumerFirstReminder(lang), "own_" + lang), true);
    EXPECT_EQ(own, reference) << lang;
  }
}

TEST(PdfLetterTest, FirstConsumerLetterStatesEveryRdg13aItem) {
  for (const std::string lang : {"de", "en"}) {
    const LetterModel model = SampleConsumerFirstReminder(lang);
    ASSERT_TRUE(app::letters::CheckRdg13aModel(model).empty());
    const std::string text = PdfText(RenderToFile(model, "rdg13a_" + lang), false);
    const auto findings = app::letters::CheckRdg13aText(model, text);
    for (const auto& finding : findings) {
      ADD_FAILURE() << lang << ": " << app::letters::Rdg13aItemName(finding.item) << ": "
                    << finding.detail;
    }
  }
}

TEST(PdfLetterTest, Rdg13aTextCheckCatchesAMissingItem) {
  LetterModel model = SampleConsumerFirstReminder("de");
  model.client_cannot_deduct_vat = false;  // the template then leaves out the VAT notice
  const std::string text = PdfText(RenderToFile(model, "rdg13a_missing_vat"), false);
  const auto findings = app::letters::CheckRdg13aText(model, text);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].item, app::letters::Rdg13aItem::kVat);
}

TEST(PdfLetterTest, QrCodeCarriesThePayload) {
  const LetterModel model = SampleConsumerFirstReminder("de");
  const fs::path pdf = RenderToFile(model, "qr_check");
  const fs::path png = ArtefactDir() / "qr_check_150";
  RunCommand("pdftoppm -png -r 150 '" + pdf.string() + "' '" + png.string() + "'");
  std::string decoded = RunCommand("zbarimg --raw -q '" + png.string() + "'-*.png 2>/dev/null");
  while (!decoded.empty() && decoded.back() == '\n') decoded.pop_back();
  EXPECT_EQ(decoded, model.payment.epc_qr_payload);
}

TEST(PdfLetterTest, LongLetterBreaksPagesAndNumbersThem) {
  const fs::path pdf = RenderToFile(SampleConsumerFirstReminder("de", 30), "long_de");
  const std::string text = PdfText(pdf, false);
  EXPECT_NE(text.find("Seite 1 von 4"), std::string::npos);
  EXPECT_NE(text.find("Seite 4 von 4"), std::string::npos);
  EXPECT_NE(text.find("Stromliefervertrag Nr. 4740"), std::string::npos);
}

TEST(PdfLetterTest, FontsAreEmbedded) {
  const fs::path pdf = RenderToFile(SampleConsumerFirstReminder("de"), "fonts_de");
  const std::string fonts = RunCommand("pdffonts '" + pdf.string() + "'");
  EXPECT_NE(fonts.find("DejaVuSans"), std::string::npos) << fonts;
  EXPECT_EQ(fonts.find(" no  "), std::string::npos) << "a font is not embedded:\n" << fonts;
}

TEST(PdfLetterTest, PrintBatchConcatenatesLetters) {
  const fs::path path = ArtefactDir() / "batch.pdf";
  Result<std::unique_ptr<PdfBatch>> batch = PdfBatch::Create(path.string());
  ASSERT_TRUE(batch.ok());
  PdfRenderer renderer;
  for (int claims : {1, 30, 1}) {
    const LetterModel model = SampleConsumerFirstReminder("de", claims);
    Result<RenderedMessage> letter = Templates().Render(model, Channel::kLetter);
    ASSERT_TRUE(letter.ok());
    ASSERT_TRUE((*batch)->Add(renderer, model, *letter).ok());
  }
  ASSERT_TRUE((*batch)->Finish().ok());
  EXPECT_EQ((*batch)->letters(), 3);
  EXPECT_EQ((*batch)->pages(), 2 + 4 + 2);
  const std::string info = RunCommand("pdfinfo '" + path.string() + "'");
  const size_t at = info.find("Pages:");
  ASSERT_NE(at, std::string::npos) << info;
  EXPECT_EQ(std::atoi(info.c_str() + at + 6), 8);
}

// A name outside the own writer's font subset: the single letter goes through cairo and keeps
// every character; the own writer's print batch refuses it, a cairo batch takes it.
TEST(PdfLetterTest, LetterOutsideTheSubsetFallsBackToCairo) {
  LetterModel model = SampleConsumerFirstReminder("de");
  model.customer.name = "Юлия Мюллер";
  Result<RenderedMessage> letter = Templates().Render(model, Channel::kLetter);
  ASSERT_TRUE(letter.ok());
  PdfRenderer renderer;
  Result<std::string> pdf = renderer.RenderPdf(model, *letter);
  ASSERT_TRUE(pdf.ok());
  EXPECT_EQ(renderer.cairo_fallbacks(), 1);
  const fs::path path = ArtefactDir() / "cyrillic_de.pdf";
  std::ofstream(path, std::ios::binary) << *pdf;
  EXPECT_NE(PdfText(path, false).find("Юлия Мюллер"), std::string::npos);

  // In a print batch it goes to the cairo overflow file beside the batch.
  const LetterModel plain = SampleConsumerFirstReminder("de");
  Result<RenderedMessage> plain_letter = Templates().Render(plain, Channel::kLetter);
  ASSERT_TRUE(plain_letter.ok());
  const fs::path batch_path = ArtefactDir() / "mixed_batch.pdf";
  fs::remove(ArtefactDir() / "mixed_batch-cairo.pdf");
  Result<std::unique_ptr<PdfBatch>> batch = PdfBatch::Create(batch_path.string());
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ((*batch)->overflow_path(), "");
  ASSERT_TRUE((*batch)->Add(renderer, plain, *plain_letter).ok());
  ASSERT_TRUE((*batch)->Add(renderer, model, *letter).ok());
  ASSERT_TRUE((*batch)->Add(renderer, plain, *plain_letter).ok());
  ASSERT_TRUE((*batch)->Finish().ok());
  EXPECT_EQ((*batch)->letters(), 3);
  EXPECT_EQ((*batch)->pages(), 6);
  EXPECT_EQ((*batch)->overflow_path(), (ArtefactDir() / "mixed_batch-cairo.pdf").string());
  const std::string own_text = PdfText(batch_path, false);
  EXPECT_NE(own_text.find("Jürgen Müller"), std::string::npos);
  EXPECT_EQ(own_text.find("Мюллер"), std::string::npos);
  EXPECT_NE(PdfText((*batch)->overflow_path(), false).find("Юлия Мюллер"), std::string::npos);
}

TEST(PdfLetterTest, BadMarkupInBodyIsAnError) {
  TemplateSet set;
  ASSERT_TRUE(set.Add("de", "de/b2c/first-notice-friendly", Channel::kLetter,
                      "--- subject ---\nx\n--- info ---\n--- body ---\n<b>open\n--- footer "
                      "---\n--- page ---\n",
                      "t")
                  .ok());
  const LetterModel model = SampleConsumerFirstReminder("de");
  Result<RenderedMessage> letter = set.Render(model, Channel::kLetter);
  ASSERT_TRUE(letter.ok());
  PdfRenderer renderer;
  Result<std::string> pdf = renderer.RenderPdf(model, *letter);
  ASSERT_FALSE(pdf.ok());
  EXPECT_NE(pdf.error().message().find("letter body"), std::string::npos);
}

}  // namespace
}  // namespace quitt::adapters::documents
