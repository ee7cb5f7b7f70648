#include "domain/payment/sepa_text.h"

#include <gtest/gtest.h>

namespace quitt::domain::payment {
namespace {

TEST(SepaText, KeepsTheSetUmlautsAndAmpersandAndSpellsOtherAccentsPlain) {
  EXPECT_EQ(*SepaText("name", "Müller & Söhne GmbH", 70), "Müller & Söhne GmbH");
  EXPECT_EQ(*SepaText("name", "Café Señora Ångström", 70),
            "Cafe Senora Angström");  // ö is an umlaut: it stays
  EXPECT_EQ(*SepaText("name", "Straße 1/2 (Hof), Nr. 3-4 + 5?", 70),
            "Straße 1/2 (Hof), Nr. 3-4 + 5?");
}

TEST(SepaText, RefusesWhatTheFileCannotCarryNamingFieldAndValue) {
  auto underscore = SepaText("account holder", "Bernd_Weber", 70);
  ASSERT_FALSE(underscore.ok());
  EXPECT_NE(underscore.error().message().find("account holder 'Bernd_Weber' contains '_'"),
            std::string::npos)
      << underscore.error().message();
  EXPECT_FALSE(SepaText("name", "Иван", 70).ok());
  EXPECT_FALSE(SepaText("name", "   ", 70).ok());
  auto longer = SepaText("town", "Garmisch-Partenkirchen", 10);
  ASSERT_FALSE(longer.ok());
  EXPECT_NE(longer.error().message().find("at most 10"), std::string::npos);
}

TEST(SepaText, IdentifiersTakeTheBasicSetOnly) {
  EXPECT_TRUE(IsSepaIdChar('Q'));
  EXPECT_TRUE(IsSepaIdChar('/'));
  EXPECT_FALSE(IsSepaIdChar('&'));
  EXPECT_FALSE(IsSepaIdChar('_'));
}

}  // namespace
}  // namespace quitt::domain::payment
