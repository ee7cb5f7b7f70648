// IBAN, RF creditor reference and case number, tested against every vector in
// ../shared/standards/vectors.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "domain/case_number.h"
#include "domain/creditor_reference.h"
#include "domain/iban.h"

namespace quitt::domain {
namespace {

// Splits one CSV line with double-quoted fields.
std::vector<std::string> CsvFields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back().push_back(c);
    }
  }
  return fields;
}

std::vector<std::vector<std::string>> ReadVectors(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) rows.push_back(CsvFields(line));
  }
  return rows;
}

TEST(Iban, EveryVectorOfTheSharedStandardsFolder) {
  auto rows =
      ReadVectors(std::string(QUITT_SHARED_DIR) + "/standards/vectors/iban/iban_test_vectors.csv");
  ASSERT_GT(rows.size(), 200u);
  int checked = 0;
  for (const auto& row : rows) {
    const std::string& input = row[0];
    const std::string& expected = row[3];
    auto result = Iban::Parse(input);
    if (expected == "policy") {
      // Our policy: lower-case input is normalised to the upper-case electronic form.
      ASSERT_TRUE(result.ok()) << input;
      EXPECT_EQ(result->electronic(), row[1]);
    } else if (expected == "true") {
      ASSERT_TRUE(result.ok()) << input << ": " << result.error().message();
      EXPECT_EQ(result->electronic(), row[1]);
    } else {
      EXPECT_FALSE(result.ok()) << input << " should be rejected (" << row[4] << ")";
    }
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<int>(rows.size()));
}

TEST(Iban, ExplainsWhatIsWrong) {
  EXPECT_NE(Iban::Parse("DE89370400440532013001").error().message().find("check digits"),
            std::string::npos);
  EXPECT_NE(Iban::Parse("DE8937040044053201300").error().message().find("22 characters"),
            std::string::npos);
  EXPECT_NE(Iban::Parse("QQ9312345678").error().message().find("unknown country"),
            std::string::npos);
  EXPECT_EQ(Iban::Parse("DE89370400440532013000")->Printed(), "DE89 3704 0044 0532 0130 00");
}

TEST(CreditorReference, EveryVectorOfTheSharedStandardsFolder) {
  auto rows = ReadVectors(std::string(QUITT_SHARED_DIR) +
                          "/standards/vectors/iso11649/rf_creditor_reference_vectors.csv");
  ASSERT_GT(rows.size(), 100u);
  for (const auto& row : rows) {
    auto result = CreditorReference::Parse(row[0]);
    if (row[2] == "true") {
      ASSERT_TRUE(result.ok()) << row[0] << ": " << result.error().message();
      EXPECT_EQ(result->electronic(), row[1]);
      // Creating the reference from its payload gives the same check digits.
      EXPECT_EQ(CreditorReference::Create(result->reference())->electronic(), row[1]);
    } else {
      EXPECT_FALSE(result.ok()) << row[0] << " should be rejected (" << row[3] << ")";
    }
  }
}

TEST(CreditorReference, PrintForm) {
  EXPECT_EQ(CreditorReference::Create("539007547034")->Printed(), "RF18 5390 0754 7034");
  EXPECT_FALSE(CreditorReference::Create("").ok());
  EXPECT_FALSE(CreditorReference::Create("1234567890123456789012").ok());
}

TEST(CaseNumber, FormatsAndParsesWithCheckDigit) {
  auto number = *CaseNumber::FromSequence(12345);
  EXPECT_EQ(number.ToString().substr(0, 11), "Q-00012345-");
  EXPECT_EQ(*CaseNumber::Parse(number.ToString()), number);
  std::string compact = number.ToString();
  compact.erase(std::remove(compact.begin(), compact.end(), '-'), compact.end());
  EXPECT_EQ(*CaseNumber::Parse(compact), number);
  EXPECT_FALSE(CaseNumber::FromSequence(0).ok());
  EXPECT_FALSE(CaseNumber::FromSequence(CaseNumber::kMaxSequence + 1).ok());
}

TEST(CaseNumber, DetectsEverySingleDigitErrorAndAdjacentTransposition) {
  for (std::int64_t sequence : {1LL, 12345LL, 98765432LL, 50000001LL}) {
    std::string text = CaseNumber::FromSequence(sequence)->ToString();
    std::string digits;
    for (char c : text) {
      if (c >= '0' && c <= '9') digits.push_back(c);
    }
    for (std::size_t i = 0; i < digits.size(); ++i) {
      for (char d = '0'; d <= '9'; ++d) {
        if (d == digits[i]) continue;
        std::string typo = digits;
        typo[i] = d;
        EXPECT_FALSE(CaseNumber::Parse("Q" + typo).ok()) << typo;
      }
      if (i + 1 < digits.size() && digits[i] != digits[i + 1]) {
        std::string swapped = digits;
        std::swap(swapped[i], swapped[i + 1]);
        EXPECT_FALSE(CaseNumber::Parse("Q" + swapped).ok()) << swapped;
      }
    }
  }
}

TEST(CaseNumber, FoundInRemittanceText) {
  auto number = *CaseNumber::FromSequence(4711);
  auto found = CaseNumber::FindIn("Zahlung Rechnung 2024-17 Akte " + number.ToString() + " danke");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, number);
  EXPECT_FALSE(CaseNumber::FindIn("Rechnung 123456789").has_value());
}

}  // namespace
}  // namespace quitt::domain
