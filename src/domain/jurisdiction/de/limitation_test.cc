#include "domain/jurisdiction/de/limitation.h"

#include <gtest/gtest.h>

namespace quitt::domain::de {
namespace {

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

TEST(GermanLimitation, ThreeYearsFromTheEndOfTheYear) {
  LimitationInput in;
  in.arose = D(2022, 1, 1);
  EXPECT_EQ(GermanLimitation(in, D(2022, 6, 1)).expires, D(2025, 12, 31));
  in.arose = D(2022, 12, 31);
  EXPECT_EQ(GermanLimitation(in, D(2022, 6, 1)).expires, D(2025, 12, 31));
}

TEST(GermanLimitation, LateKnowledgeIsCappedAtTenYears) {
  LimitationInput in;
  in.arose = D(2015, 3, 10);
  in.knowledge = D(2020, 5, 1);
  EXPECT_EQ(GermanLimitation(in, D(2021, 1, 1)).expires, D(2023, 12, 31));
  in.knowledge = D(2024, 5, 1);  // would run to 2027, but § 199(4) ends it 10 years after arising
  LimitationInfo info = GermanLimitation(in, D(2021, 1, 1));
  EXPECT_EQ(info.expires, D(2025, 3, 10));
  EXPECT_NE(info.basis.rule.find("199(4)"), std::string::npos);
}

TEST(GermanLimitation, AcknowledgementRestartsButNeverShortens) {
  LimitationInput in;
  in.arose = D(2022, 3, 1);
  in.last_acknowledgement = D(2022, 6, 1);  // before the period began: regular end stays
  EXPECT_EQ(GermanLimitation(in, D(2022, 7, 1)).expires, D(2025, 12, 31));
  in.last_acknowledgement = D(2024, 2, 29);
  EXPECT_EQ(GermanLimitation(in, D(2024, 3, 1)).expires, D(2027, 2, 28));
}

TEST(GermanLimitation, ThirtyYearsOnceTitled) {
  LimitationInput in;
  in.arose = D(2020, 1, 1);
  in.titled = D(2021, 4, 15);
  LimitationInfo info = GermanLimitation(in, D(2021, 5, 1));
  EXPECT_EQ(info.expires, D(2051, 4, 15));
  EXPECT_NE(info.basis.rule.find("197"), std::string::npos);
}

TEST(GermanLimitation, SuspensionAddsDays) {
  LimitationInput in;
  in.arose = D(2022, 1, 1);
  in.suspended_days = 10;
  EXPECT_EQ(GermanLimitation(in, D(2022, 6, 1)).expires, D(2026, 1, 10));
}

TEST(GermanLimitation, WarnsBeforeItRunsOut) {
  LimitationInput in;
  in.arose = D(2022, 5, 1);  // expires 31.12.2025
  EXPECT_EQ(GermanLimitation(in, D(2025, 10, 1)).state, LimitationState::kRunning);
  EXPECT_EQ(GermanLimitation(in, D(2025, 10, 2)).state, LimitationState::kWarning);
  EXPECT_EQ(GermanLimitation(in, D(2025, 12, 1)).state, LimitationState::kUrgent);
  EXPECT_EQ(GermanLimitation(in, D(2025, 12, 31)).state, LimitationState::kUrgent);
  EXPECT_EQ(GermanLimitation(in, D(2026, 1, 1)).state, LimitationState::kExpired);
  LimitationInfo info = GermanLimitation(in, D(2025, 1, 1));
  EXPECT_EQ(info.warn_from, D(2025, 10, 2));
  EXPECT_EQ(info.urgent_from, D(2025, 12, 1));
}

}  // namespace
}  // namespace quitt::domain::de
