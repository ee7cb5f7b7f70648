#include "adapters/banking/mt940_reader.h"

#include <gtest/gtest.h>

#include "adapters/banking/statement_reader.h"

namespace quitt::adapters::banking {
namespace {

using domain::Date;
using domain::payment::BankStatement;
using domain::payment::BankTransaction;
using domain::payment::Direction;

const std::string kSample = std::string(QUITT_SOURCE_DIR) + "/tests/data/banking/sample.mt940";

Date D(const char* iso) { return *Date::Parse(iso); }

TEST(Mt940ReaderTest, ReadsOurSampleStatement) {
  auto statements = ReadStatementFile(kSample);  // recognised as MT940 by its content
  ASSERT_TRUE(statements.ok()) << statements.error().ToString();
  ASSERT_EQ(statements->size(), 2u);
  const BankStatement& s = (*statements)[0];
  EXPECT_EQ(s.format, "MT940");
  EXPECT_EQ(s.account_iban, "DE89370400440532013000");
  EXPECT_EQ(s.statement_id, "STARTUMSE/00042/001");
  EXPECT_EQ(s.opening_balance->ToDecimalString(), "12345.67");
  EXPECT_EQ(s.closing_balance->ToDecimalString(), "13060.22");
  EXPECT_EQ(s.closing_date, D("2026-11-28"));
  ASSERT_EQ(s.transactions.size(), 4u);

  const BankTransaction& in = s.transactions[0];
  EXPECT_EQ(in.direction, Direction::kCredit);
  EXPECT_EQ(in.amount.ToDecimalString(), "1234.56");
  EXPECT_EQ(in.value_date, D("2026-11-28"));
  EXPECT_EQ(in.booking_date, D("2026-11-28"));
  EXPECT_EQ(in.account_servicer_reference, "20261128-00017");
  EXPECT_EQ(in.entry_reference, "");  // NONREF
  EXPECT_EQ(in.bank_transaction_code, "166");
  EXPECT_EQ(in.additional_info, "SEPA GUTSCHRIFT");
  EXPECT_EQ(in.end_to_end_id, "QUITT-PL-000123");
  ASSERT_EQ(in.unstructured.size(), 1u);
  EXPECT_EQ(in.unstructured[0], "RF18 5390 0754 7034 Rate 2");  // joined across ?21/?22
  EXPECT_EQ(in.counterparty_name, "MUELLER HANS");              // ?32 on a continuation line
  EXPECT_EQ(in.counterparty_iban, "DE12500105170648489890");
  EXPECT_EQ(in.counterparty_bic, "COBADEFFXXX");
  EXPECT_EQ(in.key, "DE89370400440532013000|asr:20261128-00017");

  const BankTransaction& out = s.transactions[1];
  EXPECT_EQ(out.direction, Direction::kDebit);
  EXPECT_EQ(out.amount.ToDecimalString(), "500.00");  // "500," has no decimals
  EXPECT_EQ(out.entry_reference, "KREF-77");
  EXPECT_EQ(out.counterparty_name, "Muster GmbH");
  ASSERT_EQ(out.unstructured.size(), 2u);  // no SEPA keywords: lines kept as they are
  EXPECT_EQ(out.unstructured[1], "Mandant 17");

  const BankTransaction& cash = s.transactions[2];
  EXPECT_EQ(cash.value_date, D("2026-11-29"));
  EXPECT_EQ(cash.booking_date, D("2026-11-28"));
  ASSERT_EQ(cash.unstructured.size(), 1u);
  EXPECT_EQ(cash.unstructured[0], "Bareinzahlung Filiale Mitte Q-00000042-3");
  EXPECT_EQ(cash.key, "DE89370400440532013000|stmt:STARTUMSE/00042/001#3");

  const BankTransaction& returned = s.transactions[3];
  EXPECT_TRUE(returned.reversal);
  EXPECT_EQ(returned.direction, Direction::kDebit);
  EXPECT_EQ(returned.mandate_id, "QUITT-M-7");
  EXPECT_EQ(returned.end_to_end_id, "QUITT-DD-7");

  std::int64_t net = s.opening_balance->minor_units();
  for (const BankTransaction& t : s.transactions) {
    net += t.direction == Direction::kCredit ? t.amount.minor_units() : -t.amount.minor_units();
  }
  EXPECT_EQ(net, s.closing_balance->minor_units());

  EXPECT_EQ((*statements)[1].account_iban, "37040044/0532013000");  // BLZ/account form
  EXPECT_TRUE((*statements)[1].transactions.empty());
}

TEST(Mt940ReaderTest, ConvertsLatin1AndStraddlesTheYearEnd) {
  const std::string text =
      ":20:X\n:25:DE89370400440532013000\n:28C:1\n:60F:C261231EUR0,00\n"
      ":61:2612310102C10,00NTRFNONREF//B1\n:86:166?00GUTSCHRIFT?20Gr\xFC\xDF"
      "e?32J\xFCrgen\n"
      ":62F:C270102EUR10,00\n-\n";
  auto statements = ParseMt940(text, "latin1.sta");
  ASSERT_TRUE(statements.ok()) << statements.error().ToString();
  const BankTransaction& t = (*statements)[0].transactions[0];
  EXPECT_EQ(t.counterparty_name, "Jürgen");
  EXPECT_EQ(t.unstructured[0], "Grüße");
  EXPECT_EQ(t.value_date, D("2026-12-31"));
  EXPECT_EQ(t.booking_date, D("2027-01-02"));
}

TEST(Mt940ReaderTest, ErrorsNameFileAndLine) {
  auto missing_balance = ParseMt940(":20:X\n:25:A\n:61:2611281128C1,00NTRFNONREF\n", "a.sta");
  ASSERT_FALSE(missing_balance.ok());
  EXPECT_NE(missing_balance.error().message().find("a.sta:3"), std::string::npos)
      << missing_balance.error().message();

  auto bad_mark = ParseMt940(":20:X\n:60F:C261127EUR1,00\n:61:2611281128X1,00NTRF\n", "b.sta");
  ASSERT_FALSE(bad_mark.ok());
  EXPECT_NE(bad_mark.error().message().find("b.sta:3: :61:"), std::string::npos);

  auto bad_date = ParseMt940(":20:X\n:60F:C261327EUR1,00\n", "c.sta");
  ASSERT_FALSE(bad_date.ok());
  EXPECT_NE(bad_date.error().message().find("c.sta:2"), std::string::npos);

  EXPECT_FALSE(ParseMt940("", "d.sta").ok());
  EXPECT_FALSE(ParseMt940("hello\n", "e.sta").ok());
  EXPECT_FALSE(ParseMt940(":86:no booking\n", "f.sta").ok());
  EXPECT_FALSE(ParseMt940(":20:X\n:60F:C261127EUR1,00\n:61:26\n", "g.sta").ok());
  EXPECT_FALSE(ParseStatement("PK\x03\x04 zip", "h.zip").ok());
}

}  // namespace
}  // namespace quitt::adapters::banking
