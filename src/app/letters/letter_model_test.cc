#include "app/letters/letter_model.h"

#include <gtest/gtest.h>

#include "app/letters/letter_fixtures.h"

namespace quitt::app::letters {
namespace {

using Kind = TemplateNode::Kind;

// Every field the model emits is in the schema with the same kind, and every schema field is
// emitted: the schema is what templates are validated against, so the two must not drift.
void ExpectMatches(const TemplateNode& node, const FieldSpec& spec, const std::string& path) {
  ASSERT_EQ(node.kind, spec.kind) << path;
  if (node.kind == Kind::kObject) {
    EXPECT_EQ(node.fields.size(), spec.children.size()) << path;
    for (const auto& [name, child] : node.fields) {
      const FieldSpec* child_spec = spec.Find(name);
      ASSERT_NE(child_spec, nullptr) << path << "." << name << " not in schema";
      ExpectMatches(child, *child_spec, path + "." + name);
    }
  } else if (node.kind == Kind::kList) {
    ASSERT_FALSE(node.items.empty()) << path << ": sample should fill every list";
    FieldSpec element{"", Kind::kObject, spec.children};
    for (const TemplateNode& item : node.items) ExpectMatches(item, element, path + "[]");
  }
}

TEST(LetterModelTest, FieldsMatchSchema) {
  const LetterModel model = SampleConsumerFirstReminder("de");
  ExpectMatches(TemplateFields(model), LetterFieldSchema(), "");
}

TEST(LetterModelTest, GermanFormatting) {
  const TemplateNode fields = TemplateFields(SampleConsumerFirstReminder("de"));
  EXPECT_EQ(fields.Find("total_due")->text, "421,41 €");
  EXPECT_EQ(fields.Find("deadline")->text, "15.07.2026");
  const TemplateNode& row = fields.Find("interest")->items.at(0);
  EXPECT_EQ(row.Find("rate")->text, "6,27 %");
  EXPECT_EQ(fields.Find("payment")->Find("reference")->text, "RF78 1234 5");
}

TEST(LetterModelTest, EnglishFormatting) {
  const TemplateNode fields = TemplateFields(SampleConsumerFirstReminder("en"));
  EXPECT_EQ(fields.Find("total_due")->text, "EUR 421.41");
  EXPECT_EQ(fields.Find("deadline")->text, "15 Jul 2026");
  EXPECT_EQ(fields.Find("interest")->items.at(0).Find("rate")->text, "6.27%");
}

TEST(LetterModelTest, FormatRateSmallAndNegative) {
  EXPECT_EQ(FormatRate(5, "de"), "0,05 %");
  EXPECT_EQ(FormatRate(-88, "en"), "-0.88%");
  EXPECT_EQ(FormatRate(-362, "en"), "-3.62%");
}

TEST(LetterModelTest, CheckAcceptsSampleAndNamesWrongTotal) {
  LetterModel model = SampleConsumerFirstReminder("de");
  EXPECT_TRUE(CheckLetterModel(model).ok());
  model.total_due = model.total_due + domain::Money::FromMinorUnits(1, domain::Currency::Eur());
  const Status status = CheckLetterModel(model);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("total_due"), std::string::npos) << status.message();
}

TEST(LetterModelTest, CheckRejectsDeadlineBeforeLetter) {
  LetterModel model = SampleConsumerFirstReminder("de");
  model.deadline = model.letter_date.AddDays(-1);
  EXPECT_NE(CheckLetterModel(model).message().find("deadline"), std::string::npos);
}

TEST(LetterModelTest, StepAndChannelNamesRoundTrip) {
  for (LetterStep step : {LetterStep::kFirstReminder, LetterStep::kSecondReminder}) {
    EXPECT_EQ(ParseLetterStep(LetterStepName(step)), step);
  }
  for (Channel channel : {Channel::kLetter, Channel::kEmail, Channel::kSms}) {
    EXPECT_EQ(ParseChannel(ChannelName(channel)), channel);
  }
  EXPECT_FALSE(ParseChannel("fax").has_value());
}

}  // namespace
}  // namespace quitt::app::letters
