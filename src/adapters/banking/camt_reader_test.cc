#include "adapters/banking/camt_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace quitt::adapters::banking {
namespace {

using domain::Date;
using domain::payment::BankStatement;
using domain::payment::BankTransaction;
using domain::payment::Direction;
using domain::payment::EntryStatus;

const std::string kSamples = std::string(QUITT_SHARED_DIR) + "/standards/iso20022/samples/";

std::vector<BankStatement> ReadOk(const std::string& relative) {
  auto result = ReadCamtFile(kSamples + relative);
  EXPECT_TRUE(result.ok()) << result.error().ToString();
  return result.value_or(std::vector<BankStatement>{});
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Date D(const char* iso) { return *Date::Parse(iso); }

TEST(CamtReaderTest, IsoMdrExampleCamt053V02) {
  auto statements = ReadOk("iso-mdr-example/camt.053.001.02_AAAASESS-FP-STAT001.xml");
  ASSERT_EQ(statements.size(), 1u);
  const BankStatement& s = statements[0];
  EXPECT_EQ(s.format, "camt.053.001.02");
  EXPECT_EQ(s.message_id, "AAAASESS-FP-STAT001");
  EXPECT_EQ(s.account_iban, "50000000054910000003");  // Othr/Id: this account has no IBAN
  EXPECT_EQ(s.opening_balance->ToDecimalString(), "500000.00");
  EXPECT_EQ(s.closing_balance->ToDecimalString(), "435678.50");
  EXPECT_EQ(s.closing_balance->currency().code(), "SEK");
  ASSERT_EQ(s.transactions.size(), 3u);
  const BankTransaction& first = s.transactions[0];
  EXPECT_EQ(first.amount.ToDecimalString(), "105678.50");
  EXPECT_EQ(first.direction, Direction::kCredit);
  EXPECT_EQ(first.status, EntryStatus::kBooked);
  EXPECT_EQ(first.booking_date, D("2010-10-18"));  // from BookgDt/DtTm
  EXPECT_EQ(first.value_date, D("2010-10-18"));
  EXPECT_EQ(first.account_servicer_reference, "AAAASESS-FP-CN_98765/01");
  EXPECT_EQ(first.end_to_end_id, "MUELL/FINP/RA12345");
  EXPECT_EQ(first.counterparty_name, "MUELLER");
  EXPECT_EQ(first.bank_transaction_code, "PAYM/0001/0005");
  // The batch debit of 20 transactions carries no details, so it stays one transaction.
  EXPECT_EQ(s.transactions[1].direction, Direction::kDebit);
  EXPECT_EQ(s.transactions[1].amount.ToDecimalString(), "200000.00");
  EXPECT_EQ(s.transactions[1].detail_count, 1);
}

TEST(CamtReaderTest, FinnishCamt053SplitsBatchesAndReadsReferences) {
  auto statements = ReadOk("fffs-finland/FI_camt_053_sample.xml");
  ASSERT_EQ(statements.size(), 1u);
  const BankStatement& s = statements[0];
  EXPECT_EQ(s.statement_id, "BANKSTMTID0972009");
  EXPECT_EQ(s.account_iban, "FI7433010001222090");
  EXPECT_EQ(s.opening_balance->ToDecimalString(), "10000.00");
  EXPECT_EQ(s.closing_balance->ToDecimalString(), "23644.83");
  EXPECT_EQ(s.closing_date, D("2009-10-29"));
  // 10 entries; ARCH03 is a batch of three and ARCH09 a batch of two: 13 transactions.
  ASSERT_EQ(s.transactions.size(), 13u);
  const BankTransaction& batch_part = s.transactions[3];
  EXPECT_EQ(batch_part.account_servicer_reference, "091029ACCTSTMTARCH03");
  EXPECT_EQ(batch_part.detail_index, 1);
  EXPECT_EQ(batch_part.detail_count, 3);
  EXPECT_EQ(batch_part.amount.ToDecimalString(), "1000.01");
  EXPECT_EQ(batch_part.counterparty_name, "Creditor Company");
  EXPECT_EQ(batch_part.counterparty_iban, "29501800020582");
  ASSERT_EQ(batch_part.unstructured.size(), 1u);
  EXPECT_EQ(batch_part.unstructured[0], "Invoices 123 and 321");
  EXPECT_EQ(batch_part.key, "FI7433010001222090|asr:091029ACCTSTMTARCH03|1");

  const BankTransaction& rf = s.transactions[10];
  EXPECT_EQ(rf.account_servicer_reference, "091029ACCTSTMTARCH08");
  EXPECT_EQ(rf.direction, Direction::kCredit);
  EXPECT_EQ(rf.amount.ToDecimalString(), "10000.00");
  EXPECT_EQ(rf.end_to_end_id, "EndToEndIdSCT01");
  EXPECT_EQ(rf.creditor_reference, "RF98123456789012");
  EXPECT_EQ(rf.creditor_reference_type, "SCOR");
  EXPECT_EQ(s.transactions[8].value_date, D("2009-10-30"));

  // The entries sum to the movement between opening and closing balance.
  std::int64_t net = 0;
  for (const BankTransaction& t : s.transactions) {
    net += t.direction == Direction::kCredit ? t.amount.minor_units() : -t.amount.minor_units();
  }
  EXPECT_EQ(s.opening_balance->minor_units() + net, s.closing_balance->minor_units());
}

TEST(CamtReaderTest, FinnishCamt054NotificationWithReversalsAndForeignCurrency) {
  auto statements = ReadOk("fffs-finland/FI_camt_054_sample.xml");
  ASSERT_EQ(statements.size(), 1u);
  const BankStatement& s = statements[0];
  EXPECT_EQ(s.format, "camt.054.001.02");
  EXPECT_EQ(s.statement_id, "BANKFILEID00001NTR00001");
  EXPECT_FALSE(s.opening_balance.has_value());
  ASSERT_EQ(s.transactions.size(), 13u);  // six entries, all batches
  EXPECT_EQ(s.transactions[0].amount.ToDecimalString(), "1900.00");
  EXPECT_EQ(s.transactions[0].tx_account_servicer_reference, "D091029N987654321S001");
  EXPECT_EQ(s.transactions[0].creditor_reference, "3900");
  EXPECT_EQ(s.transactions[4].creditor_reference, "RF7812345");  // trimmed "RF7812345 "
  EXPECT_EQ(s.transactions[4].end_to_end_id, "EndToEndIdAT-41-001");
  EXPECT_EQ(s.transactions[5].unstructured[0], "RFB/557742358");
  // Instructed in USD, booked in EUR: the transaction amount in the account currency counts.
  EXPECT_EQ(s.transactions[9].amount.ToDecimalString(), "500.00");
  EXPECT_EQ(s.transactions[9].amount.currency().code(), "EUR");
  EXPECT_EQ(s.transactions[9].counterparty_name, "CREDITOR");
  EXPECT_EQ(s.transactions[9].counterparty_bic, "BOFAUS6H");
  const BankTransaction& returned = s.transactions[11];
  EXPECT_TRUE(returned.reversal);
  EXPECT_EQ(returned.status, EntryStatus::kInformation);
  EXPECT_EQ(returned.return_reason, "AC01");
  EXPECT_EQ(returned.amount.ToDecimalString(), "40.00");
}

TEST(CamtReaderTest, GoldmanSachsCamt053) {
  auto statements = ReadOk("goldman-sachs/camt053_001_02.xml");
  ASSERT_EQ(statements.size(), 1u);
  const BankStatement& s = statements[0];
  EXPECT_EQ(s.account_iban, "DD01100056869");
  EXPECT_EQ(s.opening_balance->ToDecimalString(), "-843686.20");  // a debit balance
  EXPECT_EQ(s.closing_balance->ToDecimalString(), "-846665.15");
  ASSERT_EQ(s.transactions.size(), 15u);
  EXPECT_EQ(s.transactions[0].entry_reference, "52198201");
  EXPECT_TRUE(s.transactions[0].reversal);
  EXPECT_EQ(s.transactions[0].unstructured[0], "Sample Unstructured Remittance 123");
  EXPECT_EQ(s.transactions[7].amount.ToDecimalString(), "29.06");
  EXPECT_EQ(s.transactions[7].amount.currency().code(), "EUR");
  EXPECT_EQ(s.transactions[7].counterparty_iban, "GB14BARC20325340846481");
  EXPECT_EQ(s.transactions[7].counterparty_name, "Test creditor name");
  EXPECT_EQ(s.transactions[7].booking_date, D("2023-08-02"));
}

TEST(CamtReaderTest, PostFinanceCamt053Versions04And08ReadAlike) {
  auto v04 =
      ReadOk("postfinance/camt053_P_CH2909000000250094239_1110092698_0_2020062503071366_v2009.xml");
  auto v08 =
      ReadOk("postfinance/camt053_P_CH2909000000250094239_1110092698_0_2020112503071366_v2019.xml");
  ASSERT_EQ(v04.size(), 1u);
  ASSERT_EQ(v08.size(), 1u);
  EXPECT_EQ(v04[0].format, "camt.053.001.04");
  EXPECT_EQ(v08[0].format, "camt.053.001.08");
  ASSERT_EQ(v08[0].transactions.size(), 5u);
  ASSERT_EQ(v04[0].transactions.size(), 5u);
  // Same bookings; the two files differ only in their entry references.
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(v04[0].transactions[i].amount, v08[0].transactions[i].amount);
    EXPECT_EQ(v04[0].transactions[i].account_servicer_reference,
              v08[0].transactions[i].account_servicer_reference);
  }
  // In the .04 file even AcctSvcrRef + NtryRef repeat: the later entry gets its sequence added.
  EXPECT_EQ(v04[0].transactions[4].key,
            "CH2909000000250094239|asr:07582000303KBMSU|ntry:CH7730000001250094239"
            "|seq:20201124375204229003973#5");
  const auto& t = v08[0].transactions;
  EXPECT_EQ(v08[0].account_iban, "CH2909000000250094239");
  EXPECT_EQ(v08[0].opening_balance->ToDecimalString(), "211993.19");
  EXPECT_EQ(v08[0].closing_balance->ToDecimalString(), "215112.21");
  EXPECT_EQ(t[0].amount.ToDecimalString(), "4.50");
  EXPECT_EQ(t[0].status, EntryStatus::kBooked);  // .08: Sts/Cd
  EXPECT_EQ(t[0].entry_reference, "41100000000872849");
  EXPECT_EQ(t[1].direction, Direction::kDebit);
  EXPECT_EQ(t[3].value_date, D("2020-11-25"));
  // Two entries share AcctSvcrRef 07582000303KBMSU and differ only in NtryRef: distinct keys.
  EXPECT_EQ(t[3].account_servicer_reference, t[4].account_servicer_reference);
  EXPECT_NE(t[3].key, t[4].key);
}

TEST(CamtReaderTest, PostFinanceCamt054V08QrReferencesAndPartyName) {
  auto statements = ReadOk(
      "postfinance/200519_camt054_P_CH2909000000250094239_1111091335_0_2020061900081727_v2019.xml");
  ASSERT_EQ(statements.size(), 1u);
  const auto& t = statements[0].transactions;
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].amount.ToDecimalString(), "778.29");
  EXPECT_EQ(t[1].amount.ToDecimalString(), "913.93");
  EXPECT_EQ(t[0].counterparty_name, "Bernasconi Maria");  // .08: Dbtr/Pty/Nm
  EXPECT_EQ(t[0].counterparty_iban, "CH5109000000250092291");
  EXPECT_EQ(t[0].creditor_reference, "539115429773825311971477453");
  EXPECT_EQ(t[0].creditor_reference_type, "QRR");
  EXPECT_EQ(t[0].end_to_end_id, "1006265-aic5dL-75dzf3jk9-cf2d5e9");
}

TEST(CamtReaderTest, EveryCamtSampleParsesWithUniqueKeys) {
  const char* files[] = {
      "fffs-finland/FI_camt_053_sample.xml",
      "fffs-finland/FI_camt_054_sample.xml",
      "goldman-sachs/camt053_001_02.xml",
      "iso-mdr-example/camt.053.001.02_AAAASESS-FP-STAT001.xml",
      "postfinance/"
      "200519_camt054-ESR-ASR_P_CH2909000000250094239_1110092704_0_2019042500372179_v2009.xml",
      "postfinance/"
      "200519_camt054_P_CH2909000000250094239_1111091335_0_2020061900081727_v2019.xml",
      "postfinance/camt053_P_CH2909000000250094239_1110092698_0_2020062503071366_v2009.xml",
      "postfinance/camt053_P_CH2909000000250094239_1110092698_0_2020112503071366_v2019.xml",
      "postfinance/camt054_P_CH2909000000250094239_1111111112_0_2022031011011199_v2009.xml",
      "postfinance/camt054_P_CH2909000000250094239_1111111112_0_2022031011011199_v2019.xml",
  };
  const std::size_t expected_counts[] = {13, 13, 15, 3, 1, 2, 5, 5, 1, 1};
  for (std::size_t f = 0; f < std::size(files); ++f) {
    auto first = ReadOk(files[f]);
    auto again = ReadOk(files[f]);
    std::set<std::string> keys;
    std::size_t count = 0;
    for (std::size_t s = 0; s < first.size(); ++s) {
      for (std::size_t i = 0; i < first[s].transactions.size(); ++i) {
        const BankTransaction& t = first[s].transactions[i];
        EXPECT_TRUE(keys.insert(t.key).second) << files[f] << " duplicate key " << t.key;
        EXPECT_EQ(t.key, again[s].transactions[i].key) << "keys must be stable";
        EXPECT_TRUE(t.amount.is_positive() || t.amount.is_zero()) << files[f];
        ++count;
      }
    }
    EXPECT_EQ(count, expected_counts[f]) << files[f];
  }
  auto esr = ReadOk(
      "postfinance/"
      "200519_camt054-ESR-ASR_P_CH2909000000250094239_1110092704_0_2019042500372179_v2009.xml");
  EXPECT_EQ(esr[0].transactions[0].amount.ToDecimalString(), "147.00");
  EXPECT_EQ(esr[0].transactions[0].creditor_reference, "100041698214115449371805278");
}

// --- hostile and broken input: a clear error naming the file, never a crash ---

Status ParseError(const std::string& xml, const CamtLimits& limits = {}) {
  auto result = ParseCamt(xml, "upload.xml", limits);
  EXPECT_FALSE(result.ok());
  if (result.ok()) return OkStatus();
  EXPECT_NE(result.error().message().find("upload.xml"), std::string::npos)
      << result.error().message();
  return result.error();
}

TEST(CamtReaderTest, RefusesBillionLaughs) {
  std::string xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n";
  for (int i = 1; i <= 9; ++i) {
    xml += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int j = 0; j < 10; ++j)
      xml += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
    xml += "\">\n";
  }
  xml += "]>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">&lol9;</Document>";
  Status status = ParseError(xml);
  EXPECT_NE(status.message().find("DOCTYPE"), std::string::npos) << status.message();
}

TEST(CamtReaderTest, RefusesExternalEntities) {
  const std::string xml =
      "<?xml version=\"1.0\"?><!-- harmless comment -->\n"
      "<!DOCTYPE Document [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
      "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt>"
      "<Id>&xxe;</Id></Stmt></BkToCstmrStmt></Document>";
  Status status = ParseError(xml);
  EXPECT_NE(status.message().find("DOCTYPE"), std::string::npos);
  EXPECT_EQ(status.message().find("root:"), std::string::npos);  // nothing of /etc/passwd leaks
}

TEST(CamtReaderTest, RefusesTruncatedFile) {
  const std::string full = Slurp(kSamples + "fffs-finland/FI_camt_053_sample.xml");
  Status status = ParseError(full.substr(0, full.size() / 2));
  EXPECT_NE(status.message().find("malformed XML"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("line"), std::string::npos);
}

TEST(CamtReaderTest, RefusesWrongSchemaNamingNamespaceOrElement) {
  const std::string pain = Slurp(kSamples + "library-fixtures/php-sepa-xml_pain.001.001.09.xml");
  Status status = ParseError(pain);
  EXPECT_NE(status.message().find("pain.001.001.09"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("<Document>"), std::string::npos);

  status = ParseError("<?xml version=\"1.0\"?><Statement/>");
  EXPECT_NE(status.message().find("<Statement>"), std::string::npos);

  status = ParseError(
      "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.01\"><BkToCstmrStmt/>"
      "</Document>");
  EXPECT_NE(status.message().find("camt.053.001.01"), std::string::npos);

  status = ParseError(
      "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">"
      "<BkToCstmrDbtCdtNtfctn/></Document>");
  EXPECT_NE(status.message().find("<BkToCstmrDbtCdtNtfctn>"), std::string::npos);
  EXPECT_NE(status.message().find("<BkToCstmrStmt>"), std::string::npos);
}

TEST(CamtReaderTest, RefusesBadValuesNamingTheElement) {
  const std::string head =
      "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><BkToCstmrStmt>"
      "<Stmt><Id>S1</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct><Ntry>";
  const std::string tail = "</Ntry></Stmt></BkToCstmrStmt></Document>";
  Status status =
      ParseError(head + "<Amt Ccy=\"EUR\">12,50</Amt><CdtDbtInd>CRDT</CdtDbtInd>" + tail);
  EXPECT_NE(status.message().find("Stmt[1]/Ntry[1]/Amt"), std::string::npos) << status.message();
  status = ParseError(head + "<Amt Ccy=\"XXY\">12.50</Amt><CdtDbtInd>CRDT</CdtDbtInd>" + tail);
  EXPECT_NE(status.message().find("XXY"), std::string::npos);
  status = ParseError(head + "<Amt Ccy=\"EUR\">12.50</Amt><CdtDbtInd>UP</CdtDbtInd>" + tail);
  EXPECT_NE(status.message().find("CdtDbtInd"), std::string::npos);
  status = ParseError(head +
                      "<Amt Ccy=\"EUR\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
                      "<BookgDt><Dt>2024-02-30</Dt></BookgDt>" +
                      tail);
  EXPECT_NE(status.message().find("BookgDt"), std::string::npos);

  auto ok = ParseCamt(head + "<Amt Ccy=\"EUR\">12.5</Amt><CdtDbtInd>CRDT</CdtDbtInd>" + tail,
                      "upload.xml");
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  EXPECT_EQ(ok->at(0).transactions.at(0).amount.minor_units(), 1250);
  EXPECT_EQ(ok->at(0).transactions.at(0).key, "DE89370400440532013000|stmt:S1#1");
}

TEST(CamtReaderTest, EnforcesSizeAndEntryLimits) {
  const std::string full = Slurp(kSamples + "fffs-finland/FI_camt_053_sample.xml");
  Status status = ParseError(full, CamtLimits{.max_bytes = 1000, .max_entries = 100});
  EXPECT_NE(status.message().find("limit"), std::string::npos);
  status = ParseError(full, CamtLimits{.max_bytes = 1u << 20, .max_entries = 5});
  EXPECT_NE(status.message().find("more than 5 entries"), std::string::npos);

  auto missing = ReadCamtFile("/nonexistent/statement.xml");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find("/nonexistent/statement.xml"), std::string::npos);
}

TEST(CamtReaderTest, SurvivesGarbageAndDeepNesting) {
  (void)ParseError("");
  (void)ParseError("not xml at all");
  (void)ParseError(std::string("\xFF\xFE<\0D\0", 6));
  (void)ParseError("<?xml version=\"1.0\"?>");
  std::string deep = "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">";
  for (int i = 0; i < 100000; ++i) deep += "<a>";
  (void)ParseError(deep);
  // Well-formed but no statement at all.
  Status status = ParseError(
      "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.04\">"
      "<BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>1</MsgId></GrpHdr></BkToCstmrDbtCdtNtfctn>"
      "</Document>");
  EXPECT_NE(status.message().find("Ntfctn"), std::string::npos);
}

}  // namespace
}  // namespace quitt::adapters::banking
