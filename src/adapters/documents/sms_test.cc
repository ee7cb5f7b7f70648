#include "adapters/documents/sms.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "adapters/documents/template_store.h"
#include "app/letters/letter_fixtures.h"

namespace quitt::adapters::documents {
namespace {

TEST(SmsTest, PlainGermanWithUmlautsStaysGsm7) {
  const SmsLength length = MeasureSms("Grüße aus Köln, Straße ÄÖÜ äöü ß");
  EXPECT_EQ(length.encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(length.units, 32);
  EXPECT_EQ(length.segments, 1);
}

TEST(SmsTest, ExtensionCharactersCostTwoSeptets) {
  const SmsLength length = MeasureSms("12,50 € [x]");
  EXPECT_EQ(length.encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(length.units, 14);  // 8 basic + € [ ] at two each
}

TEST(SmsTest, SegmentBoundariesGsm7) {
  EXPECT_EQ(MeasureSms(std::string(160, 'a')).segments, 1);
  EXPECT_EQ(MeasureSms(std::string(161, 'a')).segments, 2);
  EXPECT_EQ(MeasureSms(std::string(306, 'a')).segments, 2);
  EXPECT_EQ(MeasureSms(std::string(307, 'a')).segments, 3);
  // 152 septets then "€": the escape pair does not fit the first part (152 + 2 > 153), so it
  // opens the second.
  std::string text = std::string(152, 'a') + "€" + std::string(10, 'b');
  EXPECT_EQ(MeasureSms(text).units, 164);
  EXPECT_EQ(MeasureSms(text).segments, 2);
  EXPECT_EQ(MeasureSms("").segments, 0);
}

TEST(SmsTest, NonGsmCharactersSwitchToUcs2) {
  const SmsLength length = MeasureSms("Zahlung bitte – danke");  // en dash is not GSM
  EXPECT_EQ(length.encoding, SmsEncoding::kUcs2);
  EXPECT_EQ(length.units, 21);
  EXPECT_EQ(MeasureSms(std::string(70, 'a') + "ł").segments, 2);
  EXPECT_EQ(MeasureSms(std::string(69, 'a') + "ł").segments, 1);
  EXPECT_EQ(MeasureSms("😀").units, 2);  // outside the BMP: a surrogate pair
  std::string long_text;
  for (int i = 0; i < 134; ++i) long_text += "ł";
  EXPECT_EQ(MeasureSms(long_text).segments, 2);
  EXPECT_EQ(MeasureSms(long_text + "ł").segments, 3);
}

TEST(SmsTest, CheckRejectsBadNumberAndTooLong) {
  EXPECT_EQ(CheckSms({"015112345678", "hi", "r"}, 3).error().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(CheckSms({"+4915112345678", "hi", "r"}, 3).ok());
  const auto too_long = CheckSms({"+4915112345678", std::string(500, 'a'), "r"}, 3);
  ASSERT_FALSE(too_long.ok());
  EXPECT_NE(too_long.error().message().find("4 parts"), std::string::npos);
}

TEST(SmsTest, ShippedSmsTemplatesFitOneOrTwoParts) {
  Result<TemplateSet> set = TemplateSet::Load(std::string(QUITT_SOURCE_DIR) + "/templates");
  ASSERT_TRUE(set.ok());
  for (const std::string lang : {"de", "en"}) {
    app::letters::LetterModel model = app::letters::SampleConsumerFirstReminder(lang);
    model.template_name = "de/b2c/reminder-sms";
    model.payment.tracking_url =
        "https://pay.quitt.example/t/Q-00012345-6.abcdefghijklmnopqrstuvwxyz";
    Result<RenderedMessage> sms = set->Render(model, app::letters::Channel::kSms);
    ASSERT_TRUE(sms.ok()) << sms.error().ToString();
    EXPECT_NE(sms->Part("text").find(model.payment.tracking_url), std::string::npos);
    EXPECT_NE(sms->Part("text").find("PIN 482913"), std::string::npos);
    const SmsLength length = MeasureSms(sms->Part("text"));
    EXPECT_EQ(length.encoding, SmsEncoding::kGsm7) << lang << ": " << sms->Part("text");
    EXPECT_LE(length.segments, 2) << lang;
  }
}

TEST(SmsTest, FileSinkWritesJsonLines) {
  const std::filesystem::path path = std::filesystem::current_path() / "sms_artefacts.jsonl";
  std::filesystem::remove(path);
  FileSmsSink sink(path.string());
  Result<SmsReceipt> receipt =
      sink.Send({"+4915112345678", "Offen: 421,41 €", "Q-1.reminder_1.sms.1"});
  ASSERT_TRUE(receipt.ok());
  EXPECT_EQ(receipt->length.segments, 1);
  EXPECT_FALSE(sink.Send({"+49", "x", "r"}).ok());
  std::ifstream in(path);
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  const nlohmann::json json = nlohmann::json::parse(line);
  EXPECT_EQ(json["text"], "Offen: 421,41 €");
  EXPECT_EQ(json["encoding"], "gsm7");
  EXPECT_FALSE(std::getline(in, line));
}

TEST(SmsTest, HttpGatewayReportsUnreachableProviderAsTemporary) {
  HttpSmsConfig config;
  config.url = "http://127.0.0.1:9/sms";  // discard port: nothing listens
  config.timeout_seconds = 5;
  HttpSmsGateway gateway(config);
  EXPECT_EQ(gateway.Send({"+4915112345678", "hi", "r"}).error().code(), StatusCode::kUnavailable);
  EXPECT_EQ(gateway.Send({"bad", "hi", "r"}).error().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace quitt::adapters::documents
