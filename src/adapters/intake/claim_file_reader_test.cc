#include "adapters/intake/claim_file_reader.h"

#include <gtest/gtest.h>

#include <map>

#include "adapters/intake/contact_normalizer.h"

namespace quitt::adapters::intake {
namespace {

std::string DataFile(const std::string& name) {
  return std::string(QUITT_SOURCE_DIR) + "/tests/data/intake/" + name;
}

std::vector<app::IntakeRow> ReadAll(const std::string& path, ReaderOptions options = {}) {
  auto source = OpenClaimFile(path, options);
  EXPECT_TRUE(source.ok()) << source.error().ToString();
  std::vector<app::IntakeRow> rows;
  if (!source.ok()) return rows;
  app::IntakeRow row;
  while (true) {
    auto more = (*source)->Next(row);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) break;
    rows.push_back(row);
  }
  return rows;
}

std::vector<app::IntakeRow> ReadText(const std::string& text, ReaderOptions options = {}) {
  auto source = OpenClaimText("test.csv", text, options);
  EXPECT_TRUE(source.ok()) << source.error().ToString();
  std::vector<app::IntakeRow> rows;
  if (!source.ok()) return rows;
  app::IntakeRow row;
  while (*(*source)->Next(row)) rows.push_back(row);
  return rows;
}

TEST(CsvReader, GermanExcelExportInWindows1252WithSemicolonsAndDecimalCommas) {
  auto rows = ReadAll(DataFile("windows1252_semicolon.csv"));
  ASSERT_EQ(rows.size(), 2u);
  const auto& first = rows[0];
  ASSERT_TRUE(first.problems.empty())
      << first.problems[0].field << ": " << first.problems[0].message;
  EXPECT_EQ(first.line, 2);
  EXPECT_EQ(first.customer.name, "Jürgen Müller");
  EXPECT_EQ(first.customer.address.street, "Hauptstraße 5");
  EXPECT_EQ(first.customer.address.country, "DE");
  EXPECT_EQ(first.customer.language, "de");
  EXPECT_EQ(first.customer.kind, domain::CustomerKind::kConsumer);
  ASSERT_EQ(first.customer.phones.size(), 1u);
  EXPECT_EQ(first.customer.phones[0], "+49301234567");
  EXPECT_EQ(first.customer.emails[0], "Juergen@example.de");
  EXPECT_EQ(first.claim.reason, "Heizöl");
  EXPECT_EQ(first.claim.principal.ToDecimalString(), "1234.56");
  EXPECT_EQ(first.claim.client_costs.ToDecimalString(), "5.00");
  EXPECT_EQ(first.claim.due_date, *domain::Date::Parse("2026-03-15"));
  const auto& second = rows[1];
  ASSERT_TRUE(second.problems.empty()) << second.problems[0].message;
  EXPECT_EQ(second.claim.reason, "Wartung; Frühjahr");           // quoted separator
  EXPECT_EQ(second.claim.principal.ToDecimalString(), "99.90");  // "99,90 €"
  EXPECT_EQ(second.customer.customer_ref, "K1");
}

TEST(CsvReader, DeclaredUtf8RejectsWindows1252Rows) {
  ReaderOptions options;
  options.encoding = Encoding::kUtf8;
  auto source = OpenClaimFile(DataFile("windows1252_semicolon.csv"), options);
  // The header itself has "Straße" in Windows-1252, so the file is refused at the header.
  ASSERT_FALSE(source.ok());
  EXPECT_NE(source.error().message().find(":1:"), std::string::npos);
}

TEST(CsvReader, EnglishHeadersCommasQuotesAndMultilineFields) {
  auto rows = ReadAll(DataFile("english_comma.csv"));
  ASSERT_EQ(rows.size(), 2u);
  const auto& first = rows[0];
  ASSERT_TRUE(first.problems.empty())
      << first.problems[0].field << ": " << first.problems[0].message;
  EXPECT_EQ(first.customer.kind, domain::CustomerKind::kBusiness);
  EXPECT_EQ(first.customer.name, "Schulz Bau GmbH");
  EXPECT_EQ(first.customer.phones[0], "+492219876543");
  ASSERT_TRUE(first.customer.iban.has_value());
  EXPECT_EQ(first.customer.iban->electronic(), "DE89370400440532013000");
  EXPECT_EQ(first.claim.reason, "Delivery \"A\", pallets");
  EXPECT_EQ(first.claim.principal.ToDecimalString(), "15000.00");
  EXPECT_FALSE(first.claim.interest.statutory);
  EXPECT_EQ(first.claim.interest.contractual_rate_bp, 950);
  EXPECT_EQ(*first.claim.default_date, *domain::Date::Parse("2026-03-04"));
  const auto& second = rows[1];
  ASSERT_TRUE(second.problems.empty()) << second.problems[0].message;
  EXPECT_EQ(second.line, 3);
  EXPECT_EQ(second.claim.reason, "Multi-line\nreason");
  EXPECT_EQ(second.claim.principal.ToDecimalString(), "250.00");
  EXPECT_TRUE(second.claim.interest.statutory);
}

TEST(CsvReader, EveryBadRowNamesLineFieldAndReason) {
  auto rows = ReadAll(DataFile("bad_rows.csv"));
  ASSERT_EQ(rows.size(), 13u);
  std::map<std::string, std::pair<std::int64_t, std::string>> problems;  // ref → (line, field)
  for (const auto& row : rows) {
    for (const auto& p : row.problems)
      problems[row.claim.client_ref + "#" + p.field] = {p.line, p.message};
  }
  EXPECT_TRUE(rows[0].problems.empty());
  EXPECT_TRUE(rows[12].problems.empty());
  auto expect = [&](const std::string& key, std::int64_t line, const std::string& fragment) {
    auto it = problems.find(key);
    ASSERT_NE(it, problems.end()) << "no problem " << key;
    EXPECT_EQ(it->second.first, line) << key;
    EXPECT_NE(it->second.second.find(fragment), std::string::npos)
        << key << ": " << it->second.second;
  };
  expect("BAD-IBAN#iban", 3, "check digits");
  expect("BAD-CUR#currency", 4, "unknown currency");
  expect("BAD-DECIMALS#amount", 7, "decimals");
  expect("BAD-DATE#invoice_date", 8, "2026-13");
  expect("BAD-EMAIL#email", 9, "@");
  expect("BAD-PHONE#phone", 10, "phone");
  expect("BAD-TYPE#customer_type", 11, "neither consumer nor business");
  expect("#client_reference", 12, "missing");
  EXPECT_EQ(rows[11].problems.size(), 1u);
  EXPECT_NE(rows[11].problems[0].message.find("has 3 fields"), std::string::npos);
  EXPECT_EQ(rows[11].line, 13);
  // The business rules (dates in order, positive amount) are checked by the import use case.
  EXPECT_TRUE(rows[3].problems.empty());
  EXPECT_TRUE(rows[4].problems.empty());
}

TEST(CsvReader, HeaderProblemsAreReportedAtOnce) {
  auto source = OpenClaimText("broken.csv", "name;foo;Betrag;Betrag\nA;B;1;2\n", {});
  ASSERT_FALSE(source.ok());
  const std::string& message = source.error().message();
  EXPECT_NE(message.find("broken.csv:1"), std::string::npos) << message;
  EXPECT_NE(message.find("repeats field amount"), std::string::npos) << message;
  EXPECT_NE(message.find("no column for client_reference"), std::string::npos) << message;
  EXPECT_NE(message.find("no column for due_date"), std::string::npos) << message;
  EXPECT_FALSE(OpenClaimText("empty.csv", "", {}).ok());
  EXPECT_FALSE(OpenClaimFile("/nonexistent/claims.csv", {}).ok());
}

TEST(CsvReader, DecimalStyleCanBeForced) {
  const std::string text =
      "ref;name;invoice_date;due_date;amount\nR1;A B;2026-01-01;2026-01-02;1.234\n";
  auto automatic = ReadText(text);
  ASSERT_EQ(automatic.size(), 1u);
  EXPECT_EQ(automatic[0].claim.principal.ToDecimalString(), "1234.00");  // German thousands dot
  ReaderOptions point;
  point.decimal = DecimalStyle::kPoint;
  auto forced = ReadText(text, point);
  ASSERT_EQ(forced[0].problems.size(), 1u);  // 1.234 has three decimals
  EXPECT_EQ(forced[0].problems[0].field, "amount");
}

TEST(CsvReader, BlankLinesAndByteOrderMarkAreIgnored) {
  auto rows = ReadText(
      "\xEF\xBB\xBFref,name,invoice_date,due_date,amount\n\nR1,A B,2026-01-01,2026-01-02,5\n\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].line, 3);
  EXPECT_TRUE(rows[0].problems.empty());
}

TEST(JsonLinesReader, ReadsObjectsAndRefusesNumbersForMoney) {
  auto rows = ReadAll(DataFile("claims.jsonl"));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_TRUE(rows[0].problems.empty()) << rows[0].problems[0].message;
  EXPECT_EQ(rows[0].customer.name, "Zoë Åberg");
  EXPECT_EQ(rows[0].customer.language, "en");
  EXPECT_EQ(rows[0].customer.phones[0], "+4915112345678");
  EXPECT_EQ(rows[1].line, 3);
  ASSERT_EQ(rows[1].problems.size(), 1u);
  EXPECT_EQ(rows[1].problems[0].field, "amount");
  EXPECT_NE(rows[1].problems[0].message.find("string"), std::string::npos);
  EXPECT_EQ(rows[2].problems[0].message, "is not a JSON object");
  EXPECT_TRUE(rows[3].problems.empty());
  EXPECT_TRUE(rows[3].claim.interest.consumer_credit);
}

TEST(ReadAhead, GivesTheSameRowsAsDirectReading) {
  ReaderOptions direct;
  direct.read_ahead = false;
  std::string text = "ref;name;invoice_date;due_date;amount\n";
  for (int i = 0; i < 5000; ++i) {
    text += "R" + std::to_string(i) + ";Name " + std::to_string(i) + ";01.01.2026;15.01.2026;" +
            std::to_string(i) + ",50\n";
  }
  auto a = ReadText(text, direct);
  auto b = ReadText(text);
  ASSERT_EQ(a.size(), 5000u);
  ASSERT_EQ(b.size(), 5000u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].line, b[i].line);
    EXPECT_EQ(a[i].claim.principal, b[i].claim.principal);
  }
}

TEST(ContactNormalizer, PhonesEmailsCountries) {
  EXPECT_EQ(*NormalizePhone("0171 1234567", "DE"), "+491711234567");
  EXPECT_EQ(*NormalizePhone("+43 1 5344450", "DE"), "+4315344450");
  EXPECT_FALSE(NormalizePhone("12", "DE").ok());
  EXPECT_FALSE(NormalizePhone("call me", "DE").ok());
  EXPECT_EQ(*NormalizeEmail(" A.B@Example.COM "), "A.B@example.com");
  EXPECT_FALSE(NormalizeEmail("a@b").ok());
  EXPECT_FALSE(NormalizeEmail("a b@c.de").ok());
  EXPECT_EQ(*NormalizeCountry("Deutschland"), "DE");
  EXPECT_EQ(*NormalizeCountry("at"), "AT");
  EXPECT_FALSE(NormalizeCountry("Narnia").ok());
}

}  // namespace
}  // namespace quitt::adapters::intake
