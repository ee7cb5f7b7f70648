// The shipped strategies against the shipped templates: every template a strategy names exists
// and validates in German and English, every consumer first-contact letter states the § 13a RDG
// items, and a representative set of wordings is pinned by golden texts
// (tests/golden/letters/<name>.txt; QUITT_UPDATE_GOLDEN=1 rewrites them).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapters/documents/pdf_letter.h"
#include "adapters/documents/sms.h"
#include "adapters/documents/template_store.h"
#include "app/letters/letter_fixtures.h"
#include "app/letters/rdg13a.h"
#include "app/letters/template_needs.h"
#include "workflow/strategy.h"

namespace quitt::adapters::documents {
namespace {

namespace fs = std::filesystem;
using app::letters::Channel;
using app::letters::LetterModel;

const fs::path kSource = QUITT_SOURCE_DIR;

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

const TemplateSet& Shipped() {
  static const TemplateSet* const set = [] {
    Result<TemplateSet> loaded = TemplateSet::Load(kSource / "templates");
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.error().ToString();
      return new TemplateSet();
    }
    return new TemplateSet(std::move(loaded).value());
  }();
  return *set;
}

workflow::Strategy ShippedStrategy(const std::string& file) {
  const fs::path path = kSource / "strategies" / file;
  Result<workflow::Strategy> strategy = workflow::LoadStrategy(Slurp(path), path.string());
  EXPECT_TRUE(strategy.ok()) << strategy.error().ToString();
  return std::move(strategy).value();
}

// A letter of `template_name` for a consumer (b2c) or a business (b2b).
LetterModel Model(const std::string& template_name, const std::string& language) {
  LetterModel model = app::letters::SampleConsumerFirstReminder(language);
  model.template_name = template_name;
  if (template_name.find("first-notice") == std::string::npos) {
    model.step = app::letters::LetterStep::kSecondReminder;
  }
  if (template_name.find("/b2b/") != std::string::npos) {
    model.customer_kind = domain::CustomerKind::kBusiness;
    model.customer.name = "Bäckerei Schmidt GmbH";
  }
  return model;
}

std::string PdfToText(const LetterModel& model, const std::string& name, bool layout) {
  Result<RenderedMessage> letter = Shipped().Render(model, Channel::kLetter);
  EXPECT_TRUE(letter.ok()) << letter.error().ToString();
  if (!letter.ok()) return {};
  PdfRenderer renderer;
  Result<std::string> pdf = renderer.RenderPdf(model, *letter);
  EXPECT_TRUE(pdf.ok()) << pdf.error().ToString();
  const fs::path dir = fs::current_path() / "letters_artefacts";
  fs::create_directories(dir);
  const fs::path file = dir / (name + ".pdf");
  std::ofstream(file, std::ios::binary) << pdf.value_or(std::string());
  std::string out;
  const std::string command =
      std::string("pdftotext ") + (layout ? "-layout '" : "'") + file.string() + "' -";
  FILE* pipe = popen(command.c_str(), "r");
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

// Line breaks of the PDF layout become single spaces, so phrases can be searched.
std::string Flatten(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool space = c == '\n' || c == ' ';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out.push_back(space ? ' ' : c);
  }
  return out;
}

void ExpectGolden(const std::string& text, const std::string& name) {
  const fs::path golden = kSource / "tests/golden/letters" / (name + ".txt");
  const char* update = std::getenv("QUITT_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(golden, std::ios::binary) << text;
    return;
  }
  ASSERT_TRUE(fs::exists(golden)) << golden << " missing; run with QUITT_UPDATE_GOLDEN=1";
  EXPECT_EQ(text, Slurp(golden)) << name << " differs from " << golden;
}

TEST(StrategyTemplatesTest, EveryTemplateOfTheShippedStrategiesExistsInGermanAndEnglish) {
  for (const std::string file : {"de-b2c.toml", "de-b2b.toml"}) {
    const workflow::Strategy strategy = ShippedStrategy(file);
    const std::vector<app::letters::TemplateNeed> needs = app::letters::TemplatesNeeded(strategy);
    EXPECT_GE(needs.size(), 14u) << file;
    const Status covered = Shipped().CheckCovers(needs, {"de", "en"});
    EXPECT_TRUE(covered.ok()) << covered.message();
    // ... and each renders from a full model (validation happened at load time).
    for (const auto& need : needs) {
      for (const std::string language : {"de", "en"}) {
        Result<RenderedMessage> out =
            Shipped().Render(Model(need.template_name, language), need.channel);
        ASSERT_TRUE(out.ok()) << out.error().ToString();
        for (const auto& [part, text] : out->parts) {
          EXPECT_EQ(text.find("Schuldner"), std::string::npos) << need.template_name << part;
          EXPECT_EQ(text.find("debtor"), std::string::npos) << need.template_name << part;
        }
      }
    }
  }
}

TEST(StrategyTemplatesTest, AStrategyNamingAnUnknownTemplateFailsTheCheck) {
  const workflow::Strategy strategy = ShippedStrategy("de-b2c.toml");
  std::vector<app::letters::TemplateNeed> needs = app::letters::TemplatesNeeded(strategy);
  needs.push_back({"de/b2c/third-reminder", Channel::kLetter, "test"});
  const Status covered = Shipped().CheckCovers(needs, {"de", "en"});
  ASSERT_FALSE(covered.ok());
  EXPECT_NE(covered.message().find("de/de/b2c/third-reminder.letter.mustache (test)"),
            std::string::npos)
      << covered.message();
}

TEST(StrategyTemplatesTest, EveryConsumerFirstContactLetterStatesEveryRdg13aItem) {
  for (const std::string name :
       {"de/b2c/first-notice-friendly", "de/b2c/first-notice-firm", "de/b2c/first-notice-email"}) {
    for (const std::string language : {"de", "en"}) {
      const LetterModel model = Model(name, language);
      ASSERT_TRUE(app::letters::CheckRdg13aModel(model).empty());
      const std::string text = PdfToText(model, "rdg13a_check", false);
      for (const auto& finding : app::letters::CheckRdg13aText(model, text)) {
        ADD_FAILURE() << name << " " << language << ": "
                      << app::letters::Rdg13aItemName(finding.item) << ": " << finding.detail;
      }
    }
  }
}

TEST(StrategyTemplatesTest, FinalNoticesAnnounceTheCourtDunningProcedure) {
  for (const std::string name : {"de/b2c/final-notice", "de/b2b/final-notice"}) {
    const std::string de = Flatten(PdfToText(Model(name, "de"), "final_de", false));
    EXPECT_NE(de.find("gerichtliches Mahnverfahren"), std::string::npos) << name;
    EXPECT_NE(de.find("Widerspruch"), std::string::npos) << name;
    EXPECT_NE(de.find("Vollstreckungsbescheid"), std::string::npos) << name;
    const std::string en = Flatten(PdfToText(Model(name, "en"), "final_en", false));
    EXPECT_NE(en.find("court dunning procedure"), std::string::npos) << name;
    EXPECT_NE(en.find("object to it within two weeks"), std::string::npos) << name;
  }
}

TEST(StrategyTemplatesTest, SmsFitsTwoGsm7Segments) {
  for (const std::string language : {"de", "en"}) {
    LetterModel model = Model("de/b2c/reminder-sms", language);
    // Long but realistic values: the sample's names plus a tracking link.
    model.payment.tracking_url =
        "https://pay.quitt.example/t/Q-00012345-6.abcdefghijklmnopqrstuvwx";
    Result<RenderedMessage> sms = Shipped().Render(model, Channel::kSms);
    ASSERT_TRUE(sms.ok());
    const SmsLength length = MeasureSms(sms->Part("text"));
    EXPECT_EQ(length.encoding, SmsEncoding::kGsm7) << sms->Part("text");
    EXPECT_LE(length.segments, 2) << sms->Part("text");
  }
}

TEST(StrategyTemplatesTest, RepresentativeWordingsMatchGolden) {
  ExpectGolden(PdfToText(Model("de/b2c/final-notice", "de"), "b2c_final_notice_de", true),
               "b2c_final_notice_de");
  ExpectGolden(PdfToText(Model("de/b2b/final-notice", "en"), "b2b_final_notice_en", true),
               "b2b_final_notice_en");
  ExpectGolden(
      PdfToText(Model("de/b2c/second-reminder-firm", "de"), "b2c_second_reminder_firm_de", true),
      "b2c_second_reminder_firm_de");
  Result<RenderedMessage> email =
      Shipped().Render(Model("de/b2b/first-notice-email", "de"), Channel::kEmail);
  ASSERT_TRUE(email.ok());
  ExpectGolden(email->Part("subject") + "\n\n" + email->Part("text") + "\n",
               "b2b_first_notice_email_de");
  Result<RenderedMessage> sms = Shipped().Render(Model("de/b2c/reminder-sms", "de"), Channel::kSms);
  ASSERT_TRUE(sms.ok());
  ExpectGolden(sms->Part("text") + "\n", "b2c_reminder_sms_de");
}

}  // namespace
}  // namespace quitt::adapters::documents
