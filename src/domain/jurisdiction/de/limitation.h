#pragma once
// German limitation (Verjährung), reference § 5:
//   § 195/§ 199(1) BGB: 3 years from the end of the year in which the claim arose and the client
//     knew the facts → expires 31.12. of (that year + 3);
//   § 199(4) BGB: at most 10 years from arising, whatever the knowledge;
//   § 212(1) Nr. 1 BGB: a part payment or other acknowledgement restarts the 3 years from that day
//     (never earlier than the regular end: an acknowledgement before the period started has no
//     restart to make);
//   § 197(1) Nr. 3-5 BGB: 30 years from a final judgment or enforcement order (§ 201 BGB);
//   §§ 203, 204, 209 BGB: suspended days are added.
// Warnings: from 90 days before the end ("warning"), from 30 days before ("urgent").
#include "domain/jurisdiction/jurisdiction.h"

namespace quitt::domain::de {

inline constexpr std::int32_t kLimitationWarningDays = 90;
inline constexpr std::int32_t kLimitationUrgentDays = 30;

LimitationInfo GermanLimitation(const LimitationInput& input, Date as_of);

}  // namespace quitt::domain::de
