#include "adapters/http/json_request.h"

#include <gtest/gtest.h>

namespace quitt::adapters::http {
namespace {

TEST(JsonRequestTest, BodyMustBeAnObjectOfBoundedDepth) {
  EXPECT_TRUE(ParseJsonBody(R"({"a":1})").ok());
  EXPECT_FALSE(ParseJsonBody("[1]").ok());
  EXPECT_TRUE(ParseJsonBody("[1]", true).ok());
  EXPECT_FALSE(ParseJsonBody("{").ok());
  EXPECT_FALSE(ParseJsonBody("").ok());
  EXPECT_FALSE(ParseJsonBody("\"text\"").ok());
  std::string deep = "{\"a\":" + std::string(40, '[') + std::string(40, ']') + "}";
  EXPECT_FALSE(ParseJsonBody(deep).ok());
  // Brackets inside strings do not count.
  EXPECT_TRUE(ParseJsonBody("{\"a\":\"" + std::string(100, '[') + "\"}").ok());
}

TEST(JsonRequestTest, ClaimUsesTheFileFieldNamesAndNamesBadFields) {
  auto body = *ParseJsonBody(R"({"client_reference":"R1","name":"Max","invoice_date":"2025-01-02",
      "due_date":"2025-01-16","amount":"99.90","currency":"EUR"})");
  auto rows = ClaimRowsFromBody(body, false);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_TRUE((*rows)[0].problems.empty()) << (*rows)[0].problems[0].message;
  EXPECT_EQ((*rows)[0].claim.principal.minor_units(), 9990);

  auto typo = ClaimRowsFromBody(*ParseJsonBody(R"({"client_ref":"R1"})"), false);
  ASSERT_TRUE(typo.ok());
  EXPECT_EQ((*typo)[0].problems.at(0).field, "client_ref");
  // Aliases of the CSV reader are not API fields.
  auto alias = ClaimRowsFromBody(*ParseJsonBody(R"({"Rechnungsnummer":"R1"})"), false);
  EXPECT_EQ((*alias)[0].problems.at(0).field, "Rechnungsnummer");
  auto number = ClaimRowsFromBody(*ParseJsonBody(R"({"claims":[{"amount":1.5}]})"), true);
  ASSERT_TRUE(number.ok());
  EXPECT_EQ((*number)[0].problems.at(0).field, "claims[0].amount");
}

TEST(JsonRequestTest, BulkLimitsAndShape) {
  EXPECT_FALSE(ClaimRowsFromBody(*ParseJsonBody(R"({"claims":[]})"), true).ok());
  EXPECT_FALSE(ClaimRowsFromBody(*ParseJsonBody(R"({"claims":{}})"), true).ok());
  EXPECT_FALSE(ClaimRowsFromBody(*ParseJsonBody(R"({"claims":[{},{},{}]})"), true, 2).ok());
  auto not_object = ClaimRowsFromBody(*ParseJsonBody(R"({"claims":[5]})"), true);
  ASSERT_TRUE(not_object.ok());
  EXPECT_EQ((*not_object)[0].problems.at(0).field, "claims[0]");
}

TEST(JsonRequestTest, DirectPaymentNeedsAStringAmountAndAValidDate) {
  auto ok = ParseDirectPaymentRequest(
      *ParseJsonBody(R"({"amount":"12.34","currency":"EUR","paid_on":"2025-02-28"})"));
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  EXPECT_EQ(ok->amount.minor_units(), 1234);
  auto number = ParseDirectPaymentRequest(
      *ParseJsonBody(R"({"amount":12.34,"currency":"EUR","paid_on":"2025-02-28"})"));
  EXPECT_EQ(number.error().message().rfind("amount:", 0), 0u);
  auto date = ParseDirectPaymentRequest(
      *ParseJsonBody(R"({"amount":"1.00","currency":"EUR","paid_on":"2025-02-30"})"));
  EXPECT_EQ(date.error().message().rfind("paid_on", 0), 0u);
  auto zero = ParseDirectPaymentRequest(
      *ParseJsonBody(R"({"amount":"0.00","currency":"EUR","paid_on":"2025-02-28"})"));
  EXPECT_FALSE(zero.ok());
}

TEST(JsonRequestTest, SmallRequestsCheckTypesAndUnknownFields) {
  EXPECT_TRUE(ParseNoteRequest(*ParseJsonBody(R"({"text":"hi"})")).ok());
  EXPECT_EQ(ParseNoteRequest(*ParseJsonBody(R"({"text":""})")).error().message(),
            "text: must not be empty");
  EXPECT_EQ(ParseNoteRequest(*ParseJsonBody(R"({"text":"a","x":1})")).error().message(),
            "x: is not a field of this request");
  EXPECT_FALSE(ParseClientRequest(*ParseJsonBody(R"({"code":"A B","name":"x"})")).ok());
  EXPECT_FALSE(
      ParseClientRequest(*ParseJsonBody(R"({"code":"AB","name":"x","country":"de"})")).ok());
  EXPECT_FALSE(ParseWebhookRequest(*ParseJsonBody(R"({"url":"file:///etc/passwd"})")).ok());
  EXPECT_FALSE(ParseWebhookRequest(*ParseJsonBody(R"({"url":"http://a b"})")).ok());
  EXPECT_TRUE(ParseWebhookRequest(*ParseJsonBody(R"({"url":"https://erp.example/hook"})")).ok());
  EXPECT_FALSE(ParseLoginRequest(*ParseJsonBody(R"({"username":"a"})")).ok());
}

}  // namespace
}  // namespace quitt::adapters::http
