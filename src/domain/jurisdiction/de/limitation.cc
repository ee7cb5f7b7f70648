#include "domain/jurisdiction/de/limitation.h"

#include <algorithm>

namespace quitt::domain::de {

LimitationInfo GermanLimitation(const LimitationInput& input, Date as_of) {
  LimitationInfo info;
  if (input.titled) {
    // § 201 BGB: starts with the title's legal force; § 188(2) BGB: ends on the same calendar day.
    info.expires = input.titled->AddYears(30);
    info.basis = {
        "§ 197(1) Nr. 3-5, § 201 BGB: 30 years from the title (interest falling due "
        "after the title: 3 years, § 197(2) BGB)",
        "https://www.gesetze-im-internet.de/bgb/__197.html"};
  } else {
    Date start = std::max(input.arose, input.knowledge.value_or(input.arose));
    Date regular = start.AddYears(3).EndOfYear();
    info.expires = regular;
    info.basis = {
        "§§ 195, 199(1) BGB: 3 years from the end of the year " + std::to_string(start.year()),
        "https://www.gesetze-im-internet.de/bgb/__199.html"};
    Date cap = input.arose.AddYears(10);
    if (cap < info.expires) {
      info.expires = cap;
      info.basis = {"§ 199(4) BGB: at most 10 years from arising",
                    "https://www.gesetze-im-internet.de/bgb/__199.html"};
    }
    if (input.last_acknowledgement) {
      Date restarted = input.last_acknowledgement->AddYears(3);
      if (restarted > info.expires) {
        info.expires = restarted;
        info.basis = {"§ 212(1) Nr. 1 BGB: restarted by the acknowledgement (part payment) of " +
                          input.last_acknowledgement->ToGermanString() + ", 3 years (§ 195 BGB)",
                      "https://www.gesetze-im-internet.de/bgb/__212.html"};
      }
    }
  }
  if (input.suspended_days > 0) {
    info.expires = info.expires.AddDays(input.suspended_days);
    info.basis.rule +=
        "; plus " + std::to_string(input.suspended_days) + " days suspended (§ 209 BGB)";
  }
  info.warn_from = info.expires.AddDays(-kLimitationWarningDays);
  info.urgent_from = info.expires.AddDays(-kLimitationUrgentDays);
  if (as_of > info.expires) {
    info.state = LimitationState::kExpired;
  } else if (as_of >= info.urgent_from) {
    info.state = LimitationState::kUrgent;
  } else if (as_of >= info.warn_from) {
    info.state = LimitationState::kWarning;
  } else {
    info.state = LimitationState::kRunning;
  }
  return info;
}

}  // namespace quitt::domain::de
