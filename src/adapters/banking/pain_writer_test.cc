#include "adapters/banking/pain_writer.h"

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include <memory>

namespace quitt::adapters::banking {
namespace {

using domain::Currency;
using domain::Date;
using domain::Money;
using domain::Timestamp;

const std::string kXsd = std::string(QUITT_SHARED_DIR) + "/standards/iso20022/xsd/";

void CollectSchemaError(void* context, xmlError* error) {
  auto* out = static_cast<std::string*>(context);
  if (error != nullptr && error->message != nullptr) {
    *out += "line " + std::to_string(error->line) + ": " + error->message;
  }
}

// Validates `xml` against the XSD at `schema_path` with libxml2; returns "" when valid, else the
// validator's messages.
std::string SchemaErrors(const std::string& xml, const std::string& schema_path) {
  std::string errors;
  xmlSchemaParserCtxtPtr parser = xmlSchemaNewParserCtxt(schema_path.c_str());
  xmlSchemaSetParserStructuredErrors(parser, CollectSchemaError, &errors);
  xmlSchemaPtr schema = xmlSchemaParse(parser);
  xmlSchemaFreeParserCtxt(parser);
  if (schema == nullptr) return "cannot load schema " + schema_path + ": " + errors;
  xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "generated.xml", nullptr,
                                XML_PARSE_NONET);
  if (doc == nullptr) {
    xmlSchemaFree(schema);
    return "not well-formed";
  }
  xmlSchemaValidCtxtPtr validator = xmlSchemaNewValidCtxt(schema);
  xmlSchemaSetValidStructuredErrors(validator, CollectSchemaError, &errors);
  const int result = xmlSchemaValidateDoc(validator, doc);
  xmlSchemaFreeValidCtxt(validator);
  xmlFreeDoc(doc);
  xmlSchemaFree(schema);
  if (result != 0 && errors.empty()) errors = "invalid (code " + std::to_string(result) + ")";
  return result == 0 ? std::string() : errors;
}

Money Eur(std::int64_t cents) { return Money::FromMinorUnits(cents, Currency::Eur()); }

SepaAccount TrustAccount() {
  SepaAccount account;
  account.name = "Quitt Inkasso GmbH Treuhandkonto";
  account.iban = "DE89370400440532013000";
  account.bic = "COBADEFFXXX";
  return account;
}

CreditTransferBatch Remittance() {
  CreditTransferBatch batch;
  batch.message_id = "QUITT-REM-2026-11-30-001";
  batch.created_at = *Timestamp::Parse("2026-11-30T08:15:00Z");
  batch.initiating_party = "Quitt Inkasso GmbH";
  batch.payment_info_id = "REM-2026-11-30";
  batch.execution_date = *Date::Parse("2026-12-01");
  batch.trust_account = TrustAccount();
  CreditTransfer first;
  first.end_to_end_id = "REM-C17-2026-11";
  first.amount = Eur(123456);
  first.payee.name = "Müller & Söhne Maschinenbau KG";
  first.payee.iban = "DE12 5001 0517 0648 4898 90";
  first.payee.address = PostalAddress{"Hauptstraße", "12", "60311", "Frankfurt am Main", "DE"};
  first.remittance_text = "Auskehrung November 2026, Abrechnung 17/11";
  CreditTransfer second;
  second.end_to_end_id = "REFUND-Q-00000042-3";
  second.amount = Eur(1999);
  second.payee.name = "Café Zoë";  // accents are spelled out, umlauts kept
  second.payee.iban = "DE41500105170123456789";
  second.payee.bic = "INGDDEFFXXX";
  second.reference = *domain::CreditorReference::Parse("RF18539007547034");
  batch.transfers = {first, second};
  return batch;
}

TEST(PainWriterTest, Pain001ValidatesAgainstIsoAndDkSchemas) {
  auto xml = BuildPain001(Remittance());
  ASSERT_TRUE(xml.ok()) << xml.error().ToString();
  EXPECT_EQ(SchemaErrors(*xml, kXsd + "iso/pain.001.001.09.xsd"), "");
  EXPECT_EQ(SchemaErrors(*xml, kXsd + "dk/pain.001.001.09_GBIC_5.xsd"), "");
  EXPECT_NE(xml->find("<NbOfTxs>2</NbOfTxs>"), std::string::npos);
  EXPECT_NE(xml->find("<CtrlSum>1254.55</CtrlSum>"), std::string::npos);
  EXPECT_NE(xml->find("<InstdAmt Ccy=\"EUR\">1234.56</InstdAmt>"), std::string::npos);
  EXPECT_NE(xml->find("<Nm>Müller &amp; Söhne Maschinenbau KG</Nm>"), std::string::npos);
  EXPECT_NE(xml->find("<Nm>Cafe Zoe</Nm>"), std::string::npos);
  EXPECT_NE(xml->find("<IBAN>DE12500105170648489890</IBAN>"), std::string::npos);
  EXPECT_NE(xml->find("<Ref>RF18539007547034</Ref>"), std::string::npos);
  EXPECT_NE(xml->find("<CreDtTm>2026-11-30T08:15:00Z</CreDtTm>"), std::string::npos);
  EXPECT_EQ(xml->find("UETR"), std::string::npos);
}

TEST(PainWriterTest, Pain001WithoutBicsUsesNotProvided) {
  CreditTransferBatch batch = Remittance();
  batch.trust_account.bic.clear();
  batch.transfers[1].payee.bic.clear();
  auto xml = BuildPain001(batch);
  ASSERT_TRUE(xml.ok()) << xml.error().ToString();
  EXPECT_NE(xml->find("<Id>NOTPROVIDED</Id>"), std::string::npos);
  EXPECT_EQ(SchemaErrors(*xml, kXsd + "iso/pain.001.001.09.xsd"), "");
  EXPECT_EQ(SchemaErrors(*xml, kXsd + "dk/pain.001.001.09_GBIC_5.xsd"), "");
}

TEST(PainWriterTest, Pain001RejectsBadInputNamingTheField) {
  CreditTransferBatch batch = Remittance();
  batch.transfers[1].end_to_end_id = "REF_1";  // '_' is not a SEPA character
  auto xml = BuildPain001(batch);
  ASSERT_FALSE(xml.ok());
  EXPECT_NE(xml.error().message().find("transfer 2 end-to-end id"), std::string::npos);

  batch = Remittance();
  batch.transfers[0].amount = Money::FromMinorUnits(100, *Currency::FromCode("CHF"));
  xml = BuildPain001(batch);
  ASSERT_FALSE(xml.ok());
  EXPECT_NE(xml.error().message().find("CHF"), std::string::npos);

  batch = Remittance();
  batch.transfers[0].payee.iban = "DE89370400440532013001";
  xml = BuildPain001(batch);
  ASSERT_FALSE(xml.ok());
  EXPECT_NE(xml.error().message().find("transfer 1 payee IBAN"), std::string::npos);

  batch = Remittance();
  batch.transfers[0].remittance_text = std::string(141, 'x');
  EXPECT_FALSE(BuildPain001(batch).ok());
  batch = Remittance();
  batch.transfers[0].payee.name = "日本";
  EXPECT_FALSE(BuildPain001(batch).ok());
  batch = Remittance();
  batch.transfers.clear();
  EXPECT_FALSE(BuildPain001(batch).ok());
  batch = Remittance();
  batch.transfers[1].remittance_text = "also text";
  EXPECT_FALSE(BuildPain001(batch).ok());
}

DirectDebitBatch Instalments() {
  DirectDebitBatch batch;
  batch.message_id = "QUITT-DD-2026-12-01";
  batch.created_at = *Timestamp::Parse("2026-11-25T10:00:00Z");
  batch.initiating_party = "Quitt Inkasso GmbH";
  batch.payment_info_id = "DD-RCUR-2026-12-01";
  batch.sequence_type = SequenceType::kRecurring;
  batch.collection_date = *Date::Parse("2026-12-01");
  batch.creditor_account = TrustAccount();
  batch.creditor_id = "DE98ZZZ09999999999";
  DirectDebit debit;
  debit.end_to_end_id = "Q-00012345-6-R3";
  debit.amount = Eur(5000);
  debit.mandate_id = "QUITT-M-12345";
  debit.mandate_signed_on = *Date::Parse("2026-09-14");
  debit.customer.name = "Jürgen Weiß";
  debit.customer.iban = "DE88200800000970375700";
  debit.customer.address = PostalAddress{"", "", "20095", "Hamburg", "DE"};
  debit.remittance_text = "Rate 3 von 6, Akte Q-00012345-6";
  DirectDebit second = debit;
  second.end_to_end_id = "Q-00000077-1-R1";
  second.amount = Eur(2550);
  second.mandate_id = "QUITT-M-77";
  second.customer.name = "Anna Schmidt";
  second.customer.iban = "DE12500105170648489890";
  second.customer.bic = "INGDDEFFXXX";
  second.customer.address.reset();
  batch.debits = {debit, second};
  return batch;
}

TEST(PainWriterTest, Pain008ValidatesAgainstIsoAndDkSchemas) {
  auto xml = BuildPain008(Instalments());
  ASSERT_TRUE(xml.ok()) << xml.error().ToString();
  EXPECT_EQ(SchemaErrors(*xml, kXsd + "iso/pain.008.001.08.xsd"), "");
  EXPECT_EQ(SchemaErrors(*xml, kXsd + "dk/pain.008.001.08_GBIC_5.xsd"), "");
  EXPECT_NE(xml->find("<SeqTp>RCUR</SeqTp>"), std::string::npos);
  EXPECT_NE(xml->find("<Cd>CORE</Cd>"), std::string::npos);
  EXPECT_NE(xml->find("<MndtId>QUITT-M-12345</MndtId>"), std::string::npos);
  EXPECT_NE(xml->find("<DtOfSgntr>2026-09-14</DtOfSgntr>"), std::string::npos);
  EXPECT_NE(xml->find("<CtrlSum>75.50</CtrlSum>"), std::string::npos);
  EXPECT_NE(xml->find("<Id>DE98ZZZ09999999999</Id>"), std::string::npos);

  DirectDebitBatch first = Instalments();
  first.sequence_type = SequenceType::kFirst;
  first.scheme = DirectDebitScheme::kB2b;
  auto frst = BuildPain008(first);
  ASSERT_TRUE(frst.ok());
  EXPECT_NE(frst->find("<SeqTp>FRST</SeqTp>"), std::string::npos);
  EXPECT_NE(frst->find("<Cd>B2B</Cd>"), std::string::npos);
  EXPECT_EQ(SchemaErrors(*frst, kXsd + "dk/pain.008.001.08_GBIC_5.xsd"), "");
}

// FRST and RCUR debits in one message: one PmtInf each, header totals over both.
TEST(PainWriterTest, Pain008FileWithFirstAndRecurringBlocksValidates) {
  DirectDebitFile file;
  file.message_id = "QUITT-DD-20261125-1";
  file.created_at = *Timestamp::Parse("2026-11-25T10:00:00Z");
  file.initiating_party = "Quitt Inkasso GmbH";
  DirectDebitBatch rcur = Instalments();
  rcur.batch_booking = false;
  DirectDebitBatch frst = Instalments();
  frst.payment_info_id = "DD-FRST-2026-12-02";
  frst.sequence_type = SequenceType::kFirst;
  frst.collection_date = *Date::Parse("2026-12-02");
  frst.batch_booking = false;
  frst.debits.resize(1);
  frst.debits[0].end_to_end_id = "Q-00000099-8-R1";
  file.blocks = {frst, rcur};
  auto xml = BuildPain008File(file);
  ASSERT_TRUE(xml.ok()) << xml.error().ToString();
  EXPECT_EQ(SchemaErrors(*xml, kXsd + "iso/pain.008.001.08.xsd"), "");
  EXPECT_EQ(SchemaErrors(*xml, kXsd + "dk/pain.008.001.08_GBIC_5.xsd"), "");
  EXPECT_NE(xml->find("<NbOfTxs>3</NbOfTxs>"), std::string::npos);
  EXPECT_NE(xml->find("<CtrlSum>125.50</CtrlSum>"), std::string::npos);
  EXPECT_LT(xml->find("<SeqTp>FRST</SeqTp>"), xml->find("<SeqTp>RCUR</SeqTp>"));
  EXPECT_NE(xml->find("<BtchBookg>false</BtchBookg>"), std::string::npos);

  file.blocks[1].payment_info_id = file.blocks[0].payment_info_id;
  auto twice = BuildPain008File(file);
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().message().find("used twice"), std::string::npos);
}

TEST(PainWriterTest, Pain008RejectsBadMandates) {
  DirectDebitBatch batch = Instalments();
  batch.debits[0].mandate_signed_on = *Date::Parse("2027-01-01");
  auto xml = BuildPain008(batch);
  ASSERT_FALSE(xml.ok());
  EXPECT_NE(xml.error().message().find("direct debit 1"), std::string::npos);
  batch = Instalments();
  batch.debits[1].mandate_id = "";
  EXPECT_FALSE(BuildPain008(batch).ok());
  batch = Instalments();
  batch.creditor_id = "DE98_ZZZ";
  EXPECT_FALSE(BuildPain008(batch).ok());
}

// The validator itself must be able to say no, or the tests above prove nothing.
TEST(PainWriterTest, DkSchemaRejectsWhatIsoAccepts) {
  auto xml = BuildPain001(Remittance());
  ASSERT_TRUE(xml.ok());
  std::string with_uetr = *xml;
  const std::string anchor = "<EndToEndId>REM-C17-2026-11</EndToEndId>";
  with_uetr.insert(with_uetr.find(anchor) + anchor.size(),
                   "<UETR>235d1eb5-8dd7-4c1a-8ece-559df8c67da1</UETR>");
  EXPECT_EQ(SchemaErrors(with_uetr, kXsd + "iso/pain.001.001.09.xsd"), "");
  EXPECT_NE(SchemaErrors(with_uetr, kXsd + "dk/pain.001.001.09_GBIC_5.xsd"), "");
}

}  // namespace
}  // namespace quitt::adapters::banking
