#include "domain/payment/epc_qr.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace quitt::domain::payment {
namespace {

std::string ReadVector(const std::string& name) {
  std::ifstream in(std::string(QUITT_SHARED_DIR) + "/standards/vectors/epc-qr/" + name,
                   std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string MakeIban(const char* text) { return text; }

Money Eur(std::int64_t cents) { return Money::FromMinorUnits(cents, Currency::Eur()); }

TEST(EpcQrTest, Example1StructuredReferenceByteForByte) {
  EpcQrInput input;
  input.bic = "BHBLDEHHXXX";
  input.beneficiary_name = "Franz Mustermänn";
  input.iban = MakeIban("DE71110220330123456789");
  input.amount = Eur(1230);
  input.purpose = "GDDS";
  input.reference = *CreditorReference::Parse("RF18539007547034");
  auto payload = BuildEpcQrPayload(input);
  ASSERT_TRUE(payload.ok()) << payload.error().ToString();
  EXPECT_EQ(*payload, ReadVector("epc069-12_v2.1_example1_structured-ref.utf8.txt"));
  EXPECT_EQ(payload->size(), 96u);
}

TEST(EpcQrTest, Example2UnstructuredLatin1ByteForByte) {
  EpcQrInput input;
  input.charset = EpcCharset::kIso8859_1;
  input.beneficiary_name = "François D'Alsace S.A.";
  input.iban = MakeIban("FR1420041010050500013M02606");
  input.amount = Eur(1230);
  input.text = "Client:Marie Louise La Lune";
  auto payload = BuildEpcQrPayload(input);
  ASSERT_TRUE(payload.ok()) << payload.error().ToString();
  EXPECT_EQ(*payload, ReadVector("epc069-12_v2.1_example2_unstructured.latin1.txt"));
  EXPECT_EQ(payload->size(), 103u);
}

TEST(EpcQrTest, SegnoWikimediaExampleByteForByte) {
  EpcQrInput input;
  input.charset = EpcCharset::kIso8859_1;
  input.beneficiary_name = "Wikimedia Foerdergesellschaft";
  input.iban = MakeIban("DE33100205000001194700");
  input.amount = Eur(2000);
  input.text = "Spende fuer Wikipedia";
  auto payload = BuildEpcQrPayload(input);
  ASSERT_TRUE(payload.ok()) << payload.error().ToString();
  EXPECT_EQ(*payload, ReadVector("segno-docs_wikimedia_example.txt"));
}

TEST(EpcQrTest, WikipediaRedCrossVersion001ByteForByte) {
  EpcQrInput input;
  input.version = EpcVersion::k001;
  input.bic = "BPOTBEB1";
  input.beneficiary_name = "Red Cross of Belgium";
  input.iban = MakeIban("BE72000000001616");
  input.amount = Eur(100);
  input.purpose = "CHAR";
  input.text = "Urgency fund";
  input.hint = "Sample EPC QR code";
  auto payload = BuildEpcQrPayload(input);
  ASSERT_TRUE(payload.ok()) << payload.error().ToString();
  EXPECT_EQ(*payload, ReadVector("wikipedia_red-cross-belgium_example.v001.utf8.txt"));
}

TEST(EpcQrTest, AmountTextDropsTrailingZeros) {
  EXPECT_EQ(EpcAmountText(Eur(1230)), "12.3");
  EXPECT_EQ(EpcAmountText(Eur(100)), "1");
  EXPECT_EQ(EpcAmountText(Eur(5)), "0.05");
  EXPECT_EQ(EpcAmountText(Eur(99'999'999'999)), "999999999.99");
}

EpcQrInput Minimal() {
  EpcQrInput input;
  input.beneficiary_name = "Inkasso GmbH";
  input.iban = "DE89370400440532013000";
  input.amount = Eur(12345);
  return input;
}

TEST(EpcQrTest, MinimalPayloadOmitsTrailingEmptyLines) {
  auto payload = BuildEpcQrPayload(Minimal());
  ASSERT_TRUE(payload.ok());
  EXPECT_EQ(*payload, "BCD\n002\n1\nSCT\n\nInkasso GmbH\nDE89370400440532013000\nEUR123.45");
}

TEST(EpcQrTest, RejectsReferenceAndTextTogether) {
  EpcQrInput input = Minimal();
  input.reference = *CreditorReference::Parse("RF18539007547034");
  input.text = "Rechnung 4711";
  auto payload = BuildEpcQrPayload(input);
  ASSERT_FALSE(payload.ok());
  EXPECT_NE(payload.error().message().find("not both"), std::string::npos);
}

TEST(EpcQrTest, RejectsNonEuroAndOutOfRangeAmounts) {
  EpcQrInput input = Minimal();
  input.amount = Money::FromMinorUnits(100, *Currency::FromCode("CHF"));
  auto chf = BuildEpcQrPayload(input);
  ASSERT_FALSE(chf.ok());
  EXPECT_NE(chf.error().message().find("CHF"), std::string::npos);
  input.amount = Eur(0);
  EXPECT_FALSE(BuildEpcQrPayload(input).ok());
  input.amount = Eur(100'000'000'000);
  EXPECT_FALSE(BuildEpcQrPayload(input).ok());
  input.amount = Eur(-5);
  EXPECT_FALSE(BuildEpcQrPayload(input).ok());
}

TEST(EpcQrTest, EnforcesFieldLimits) {
  EpcQrInput input = Minimal();
  input.beneficiary_name = std::string(71, 'a');
  auto name = BuildEpcQrPayload(input);
  ASSERT_FALSE(name.ok());
  EXPECT_NE(name.error().message().find("beneficiary name"), std::string::npos);
  // 70 umlauts are 140 bytes but 70 characters: allowed.
  input.beneficiary_name.clear();
  for (int i = 0; i < 70; ++i) input.beneficiary_name += "ä";
  EXPECT_TRUE(BuildEpcQrPayload(input).ok());

  input = Minimal();
  input.text = std::string(141, 'x');
  EXPECT_FALSE(BuildEpcQrPayload(input).ok());
  input.text = "line\nbreak";
  EXPECT_FALSE(BuildEpcQrPayload(input).ok());
  input = Minimal();
  input.hint = std::string(71, 'x');
  EXPECT_FALSE(BuildEpcQrPayload(input).ok());
  input = Minimal();
  input.beneficiary_name = "  ";
  EXPECT_FALSE(BuildEpcQrPayload(input).ok());
}

TEST(EpcQrTest, EnforcesTheByteLimitAfterEncoding) {
  EpcQrInput input = Minimal();
  input.bic = "COBADEFFXXX";
  input.purpose = "GDDS";
  input.beneficiary_name = std::string(70, 'N');
  input.text.clear();
  for (int i = 0; i < 140; ++i) input.text += "€";  // 3 bytes each in UTF-8
  auto payload = BuildEpcQrPayload(input);
  ASSERT_FALSE(payload.ok());
  EXPECT_NE(payload.error().message().find("331"), std::string::npos);
  input.text = std::string(140, 'T');
  input.hint = std::string(54, 'H');  // brings this payload to exactly 331 bytes
  auto full = BuildEpcQrPayload(input);
  ASSERT_TRUE(full.ok()) << full.error().ToString();
  EXPECT_EQ(full->size(), kEpcMaxPayloadBytes);
  input.hint.push_back('H');
  EXPECT_FALSE(BuildEpcQrPayload(input).ok());
}

TEST(EpcQrTest, ValidatesBicAndVersion001NeedsIt) {
  EpcQrInput input = Minimal();
  input.bic = "COBADEFF";
  EXPECT_TRUE(BuildEpcQrPayload(input).ok());
  input.bic = "COBA1EFF";
  EXPECT_FALSE(BuildEpcQrPayload(input).ok());
  input.bic = "COBADEF";
  EXPECT_FALSE(BuildEpcQrPayload(input).ok());
  input.bic.clear();
  input.version = EpcVersion::k001;
  EXPECT_FALSE(BuildEpcQrPayload(input).ok());
}

TEST(EpcQrTest, Latin1RejectsCharactersOutsideLatin1) {
  EpcQrInput input = Minimal();
  input.charset = EpcCharset::kIso8859_1;
  input.text = "Preis 5 €";
  EXPECT_FALSE(BuildEpcQrPayload(input).ok());
  input.text = "Grüße";
  auto payload = BuildEpcQrPayload(input);
  ASSERT_TRUE(payload.ok());
  EXPECT_NE(payload->find("Gr\xFC\xDF"
                          "e"),
            std::string::npos);
}

}  // namespace
}  // namespace quitt::domain::payment
