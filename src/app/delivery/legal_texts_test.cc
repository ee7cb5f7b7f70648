#include "app/delivery/legal_texts.h"

#include <gtest/gtest.h>

namespace quitt::app::delivery {
namespace {

TEST(LegalBasisWords, GermanLettersGetGermanCitationsAndWords) {
  const std::string de = LegalBasisWords("§ 288(1) BGB: base rate + 5 points", "de");
  EXPECT_EQ(de, "§ 288 Abs. 1 BGB (Verzugszinsen: Basiszinssatz + 5 Prozentpunkte)");
  EXPECT_EQ(LegalBasisWords("§ 288(1) BGB: base rate + 5 points", "en"),
            "§ 288(1) BGB (default interest: base rate + 5 percentage points)");
  // The old § 288(2) wording is not mistaken for the current one.
  EXPECT_NE(LegalBasisWords("§ 288(2) BGB old version: base rate + 8 points", "de").find("8"),
            std::string::npos);
  EXPECT_NE(LegalBasisWords("§ 288(2) BGB: business customer, payment claim, base rate + 9", "de")
                .find("9 Prozentpunkte"),
            std::string::npos);
}

TEST(LegalBasisWords, CombinedRulesAreJoinedAndUnknownNotesDropped) {
  const std::string fee = LegalBasisWords(
      "Nr. 2300 VV RVG Anm. Abs. 2 S. 1: undisputed claim, at most 0,9; § 13(1) RVG with Anlage 2",
      "de");
  EXPECT_EQ(fee,
            "§ 13e RDG, Nr. 2300 VV RVG (Geschäftsgebühr) i. V. m. § 13 Abs. 1 RVG "
            "(Gebührentabelle)");
  EXPECT_EQ(LegalBasisWords("§ 999 XYZ: some English note", "de"), "§ 999 XYZ");
  EXPECT_EQ(LegalBasisWords("§§ 280(1), (2), 286 BGB: damage caused by default", "de"),
            "§§ 280 Abs. 1 und 2, 286 BGB (Verzugsschaden)");
  EXPECT_EQ(LegalBasisWords("Nr. 7008 VV RVG, § 12(1) UStG: 19 % VAT; the client cannot", "de"),
            "Nr. 7008 VV RVG, § 12 Abs. 1 UStG (Umsatzsteuer)");
}

TEST(CostKindWords, EveryKindHasGermanAndEnglishWords) {
  domain::FeeLine line;
  line.kind = domain::CostKind::kBusinessFee;
  line.rate_tenths = 9;
  line.value = domain::Money::FromMinorUnits(40000, domain::Currency::Eur());
  EXPECT_EQ(CostKindWords(line, "de"), "Inkassovergütung (0,9 Geschäftsgebühr aus 400,00 €)");
  EXPECT_EQ(CostKindWords(line, "en").substr(0, 33), "Collection fee (0.9 business fee ");
  for (domain::CostKind kind :
       {domain::CostKind::kClientCosts, domain::CostKind::kFlatDefaultFee,
        domain::CostKind::kFlatDefaultCredit, domain::CostKind::kSettlementFee,
        domain::CostKind::kExpenses, domain::CostKind::kVat}) {
    line.kind = kind;
    const std::string de = CostKindWords(line, "de");
    EXPECT_NE(de, CostKindWords(line, "en"));
    EXPECT_EQ(de.find('_'), std::string::npos) << de;  // not the ledger's code name
  }
}

}  // namespace
}  // namespace quitt::app::delivery
