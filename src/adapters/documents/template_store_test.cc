#include "adapters/documents/template_store.h"

#include <gtest/gtest.h>

#include "app/letters/letter_fixtures.h"

namespace quitt::adapters::documents {
namespace {

using app::letters::Channel;
using app::letters::LetterFieldSchema;
using app::letters::LetterStep;

TEST(TemplateStoreTest, ShippedTemplatesLoadAndRender) {
  Result<TemplateSet> set = TemplateSet::Load(std::string(QUITT_SOURCE_DIR) + "/templates");
  ASSERT_TRUE(set.ok()) << set.error().ToString();
  for (const std::string lang : {"de", "en"}) {
    for (Channel channel : {Channel::kLetter, Channel::kEmail, Channel::kSms}) {
      EXPECT_TRUE(set->Has(lang, LetterStep::kFirstReminder, channel)) << lang;
    }
  }
  Result<RenderedMessage> email =
      set->Render(app::letters::SampleConsumerFirstReminder("de"), Channel::kEmail);
  ASSERT_TRUE(email.ok()) << email.error().ToString();
  EXPECT_NE(email->Part("subject").find("421,41 €"), std::string::npos);
  EXPECT_NE(email->Part("text").find("Jürgen Müller"), std::string::npos);
  EXPECT_EQ(email->template_id, "de/reminder_1.email");
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
  EXPECT_FALSE(
      set.Add("de", LetterStep::kFirstReminder, Channel::kSms, "--- txt ---\nx", "a").ok());
  EXPECT_FALSE(
      set.Add("de", LetterStep::kFirstReminder, Channel::kEmail, "--- subject ---\nx", "b").ok());
  EXPECT_TRUE(
      set.Add("fr", LetterStep::kFirstReminder, Channel::kSms, "--- text ---\n{{total_due}}", "c")
          .ok());
  EXPECT_EQ(set.Languages(), std::vector<std::string>{"fr"});
}

TEST(TemplateStoreTest, EscapingDependsOnPart) {
  TemplateSet set;
  ASSERT_TRUE(set.Add("de", LetterStep::kFirstReminder, Channel::kEmail,
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

}  // namespace
}  // namespace quitt::adapters::documents
