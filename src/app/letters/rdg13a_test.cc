#include "app/letters/rdg13a.h"

#include <gtest/gtest.h>

#include "app/letters/letter_fixtures.h"

namespace quitt::app::letters {
namespace {

bool Has(const std::vector<Rdg13aFinding>& findings, Rdg13aItem item) {
  for (const Rdg13aFinding& finding : findings) {
    if (finding.item == item) return true;
  }
  return false;
}

TEST(Rdg13aTest, SampleModelIsComplete) {
  const auto findings = CheckRdg13aModel(SampleConsumerFirstReminder("de"));
  EXPECT_TRUE(findings.empty()) << findings.front().detail;
}

TEST(Rdg13aTest, EachMissingModelItemIsNamed) {
  LetterModel m = SampleConsumerFirstReminder("de");
  m.client.address.reset();
  m.claims[0].subject.clear();
  m.interest[0].above_statutory_rate = true;
  m.fees[0].legal_basis.clear();
  m.client_cannot_deduct_vat = false;
  m.address_research_source.clear();
  m.sender.authority_contact.clear();
  const auto findings = CheckRdg13aModel(m);
  for (Rdg13aItem item : {Rdg13aItem::kClient, Rdg13aItem::kClaimReason,
                          Rdg13aItem::kAboveStatutoryRate, Rdg13aItem::kCosts, Rdg13aItem::kVat,
                          Rdg13aItem::kResearchedAddress, Rdg13aItem::kSupervisoryAuthority}) {
    EXPECT_TRUE(Has(findings, item)) << Rdg13aItemName(item);
  }
  EXPECT_FALSE(Has(findings, Rdg13aItem::kInterest));
}

TEST(Rdg13aTest, WithheldClientAddressIsAllowed) {
  LetterModel m = SampleConsumerFirstReminder("de");
  m.client.address.reset();
  m.client.address_withheld = true;
  EXPECT_FALSE(Has(CheckRdg13aModel(m), Rdg13aItem::kClient));
}

TEST(Rdg13aTest, OnlyFirstConsumerLetter) {
  LetterModel m = SampleConsumerFirstReminder("de");
  m.sender.authority_name.clear();
  m.customer_kind = domain::CustomerKind::kBusiness;
  EXPECT_TRUE(CheckRdg13aModel(m).empty());
  m.customer_kind = domain::CustomerKind::kConsumer;
  m.step = LetterStep::kSecondReminder;
  EXPECT_TRUE(CheckRdg13aText(m, "").empty());
}

TEST(Rdg13aTest, TextCheckFindsItemsAcrossLineBreaks) {
  const LetterModel m = SampleConsumerFirstReminder("de");
  const std::string text =
      "Stadtwerke Beispielstadt GmbH, Am Markt 1, 12345\n  Beispielstadt. Stromliefervertrag Nr. "
      "4711, "
      "Jahresabrechnung 2025 vom 01.03.2024. 400,00 € zu 6,27 % vom 16.04.2026 bis 30.06.2026. "
      "Inkassovergütung (0,9 Geschäftsgebühr) 46,35 € § 13e RDG i. V. m. Nr. 2300 VV RVG; "
      "Post- und Telekommunikationspauschale 9,27 € Nr. 7002 VV RVG. Unsere Auftraggeberin ist "
      "nicht zum Vorsteuerabzug\nberechtigt. Ihre Anschrift wurde nicht von unserer Auftraggeberin "
      "mitgeteilt, Einwohnermeldeamt Berlin. Bundesamt für Justiz, Adenauerallee 99–103, 53113 "
      "Bonn, "
      "www.bundesjustizamt.de";
  const auto findings = CheckRdg13aText(m, text);
  EXPECT_TRUE(findings.empty()) << findings.front().detail;
}

TEST(Rdg13aTest, TextCheckNamesMissingAuthority) {
  const LetterModel m = SampleConsumerFirstReminder("en");
  const auto findings = CheckRdg13aText(m, "nothing useful");
  for (int item = 1; item <= 8; ++item) {
    if (item == 4) continue;  // no rate above the statutory rate in the sample
    EXPECT_TRUE(Has(findings, static_cast<Rdg13aItem>(item))) << item;
  }
  EXPECT_FALSE(Has(findings, Rdg13aItem::kAboveStatutoryRate));
}

}  // namespace
}  // namespace quitt::app::letters
