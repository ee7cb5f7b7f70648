#include "adapters/documents/template_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "app/letters/letter_fixtures.h"

namespace quitt::adapters::documents {
namespace {

using app::letters::Channel;
using app::letters::LetterFieldSchema;
namespace fs = std::filesystem;

app::letters::LetterModel EmailModel(const std::string& language) {
  app::letters::LetterModel model = app::letters::SampleConsumerFirstReminder(language);
  model.template_name = "de/b2c/first-notice-email";
  return model;
}

TEST(TemplateStoreTest, ShippedTemplatesLoadAndRender) {
  Result<TemplateSet> set = TemplateSet::Load(std::string(QUITT_SOURCE_DIR) + "/templates");
  ASSERT_TRUE(set.ok()) << set.error().ToString();
  EXPECT_EQ(set->Languages(), (std::vector<std::string>{"de", "en"}));
  EXPECT_TRUE(set->Has("de", "de/b2c/final-notice", Channel::kLetter));
  EXPECT_TRUE(set->Has("en", "de/b2c/reminder-sms", Channel::kSms));
  EXPECT_FALSE(set->Has("en", "de/b2c/final-notice", Channel::kSms));
  Result<RenderedMessage> email = set->Render(EmailModel("de"), Channel::kEmail);
  ASSERT_TRUE(email.ok()) << email.error().ToString();
  EXPECT_NE(email->Part("subject").find("421,41 €"), std::string::npos);
  EXPECT_NE(email->Part("text").find("Jürgen Müller"), std::string::npos);
  EXPECT_EQ(email->template_id, "de/de/b2c/first-notice-email.email");
  EXPECT_EQ(email->template_sha256.size(), 64u);
}

TEST(TemplateStoreTest, UnknownFieldIsLoadError) {
  const Status status =
      ValidateTemplate("Hallo\n{{customer.nmae}}", LetterFieldSchema(), "x.mustache");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("x.mustache:2: unknown field 'customer.nmae'"), std::string::npos)
      << status.message();
}

TEST(TemplateStoreTest, ListFieldsResolveInsideTheirSectionOnly) {
  EXPECT_TRUE(ValidateTemplate("{{#claims}}{{subject}} {{case_number}}{{/claims}}",
                               LetterFieldSchema(), "t")
                  .ok());
  EXPECT_FALSE(ValidateTemplate("{{subject}}", LetterFieldSchema(), "t").ok());
  EXPECT_FALSE(ValidateTemplate("{{claims}}", LetterFieldSchema(), "t").ok());  // list as text
  EXPECT_FALSE(ValidateTemplate("{{#total_due}}x{{/total_due}}", LetterFieldSchema(), "t").ok());
  EXPECT_FALSE(ValidateTemplate("{{#claims}}x{{/fees}}", LetterFieldSchema(), "t").ok());
  EXPECT_FALSE(ValidateTemplate("{{#claims}}x", LetterFieldSchema(), "t").ok());
  EXPECT_FALSE(ValidateTemplate("{{> partial}}", LetterFieldSchema(), "t").ok());
  EXPECT_TRUE(
      ValidateTemplate("{{! a comment }}{{^has_fees}}none{{/has_fees}}", LetterFieldSchema(), "t")
          .ok());
}

TEST(TemplateStoreTest, MissingOrUnknownPartIsLoadError) {
  TemplateSet set;
  EXPECT_FALSE(set.Add("de", "de/b2c/x", Channel::kSms, "--- txt ---\nx", "a").ok());
  EXPECT_FALSE(set.Add("de", "de/b2c/x", Channel::kEmail, "--- subject ---\nx", "b").ok());
  EXPECT_TRUE(set.Add("fr", "de/b2c/x", Channel::kSms, "--- text ---\n{{total_due}}", "c").ok());
  EXPECT_EQ(set.Languages(), std::vector<std::string>{"fr"});
  EXPECT_FALSE(set.Add("fr", "b2c-x", Channel::kSms, "--- text ---\nx", "d").ok());  // no country
  EXPECT_FALSE(set.Add("FR", "de/b2c/x", Channel::kSms, "--- text ---\nx", "e").ok());
}

TEST(TemplateStoreTest, EscapingDependsOnPart) {
  TemplateSet set;
  ASSERT_TRUE(set.Add("de", "de/b2c/first-notice-friendly", Channel::kEmail,
                      "--- subject ---\n{{client.name}}\n--- text ---\n{{client.name}}\n--- html "
                      "---\n{{client.name}}",
                      "e")
                  .ok());
  app::letters::LetterModel model = app::letters::SampleConsumerFirstReminder("de");
  model.client.name = "Müller & Söhne <GmbH>";
  Result<RenderedMessage> out = set.Render(model, Channel::kEmail);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->Part("subject"), "Müller & Söhne <GmbH>");
  EXPECT_EQ(out->Part("html"), "Müller &amp; Söhne &lt;GmbH&gt;");
}

TEST(TemplateStoreTest, AMissingTemplateIsNamedAndNeverReplacedByOtherWording) {
  TemplateSet set;
  ASSERT_TRUE(set.Add("de", "de/b2c/final-notice", Channel::kSms, "--- text ---\nx", "a").ok());
  app::letters::LetterModel model = app::letters::SampleConsumerFirstReminder("en");
  model.template_name = "de/b2c/final-notice";
  Result<RenderedMessage> out = set.Render(model, Channel::kSms);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().message().find("de/en/b2c/final-notice.sms.mustache"), std::string::npos)
      << out.error().message();

  const Status covered =
      set.CheckCovers({{"de/b2c/final-notice", Channel::kSms, "strategy s step a"},
                       {"de/b2c/final-notice", Channel::kLetter, "strategy s step b"}},
                      {"de", "en"});
  ASSERT_FALSE(covered.ok());
  EXPECT_NE(covered.message().find("3 template(s) missing"), std::string::npos)
      << covered.message();
  EXPECT_NE(covered.message().find("de/en/b2c/final-notice.sms.mustache (strategy s step a)"),
            std::string::npos)
      << covered.message();
  EXPECT_TRUE(set.CheckCovers({{"de/b2c/final-notice", Channel::kSms, "a"}}, {"de"}).ok());
}

TEST(TemplateStoreTest, FilesOutsideTheSchemeAreLoadErrors) {
  const fs::path dir = fs::path(testing::TempDir()) / "templates_scheme";
  fs::remove_all(dir);
  fs::create_directories(dir / "de");
  std::ofstream(dir / "de" / "reminder_1.sms.mustache") << "--- text ---\nx\n";
  Result<TemplateSet> set = TemplateSet::Load(dir);
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.error().message().find("<country>/<language>/<segment>/<step>.<channel>"),
            std::string::npos)
      << set.error().message();
  fs::remove_all(dir);
  fs::create_directories(dir / "de" / "en" / "b2c");
  std::ofstream(dir / "de" / "en" / "b2c" / "final-notice.sms.mustache") << "--- text ---\nx\n";
  set = TemplateSet::Load(dir);
  ASSERT_TRUE(set.ok()) << set.error().ToString();
  EXPECT_TRUE(set->Has("en", "de/b2c/final-notice", Channel::kSms));
}

}  // namespace
}  // namespace quitt::adapters::documents
