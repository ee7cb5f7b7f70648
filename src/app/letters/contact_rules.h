#pragma once
// Contact rules: whether and when a message to a customer may go out on a channel, and which
// channel to use next. Pure: the caller converts "now" into the customer's local time.
//
// Quiet hours are a policy of the agency, not a statutory number: German law has no fixed
// clock for collection contacts, but contacts at night, on Sundays and public holidays are
// treated as undue pressure (§ 4a UWG, aggressive practices), so the defaults keep e-mail and SMS
// to Monday–Saturday 08:00–20:00 and outside listed holidays. Letters are posted, not delivered
// at an hour, so they have no quiet hours by default.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "app/letters/letter_model.h"
#include "domain/date.h"

namespace quitt::app::letters {

struct LocalDateTime {
  domain::Date date = domain::Date::FromDaysSinceEpoch(0);
  int minute_of_day = 0;  // 0..1439 in the customer's time zone
  friend auto operator<=>(const LocalDateTime&, const LocalDateTime&) = default;
};

struct ContactWindow {
  int start_minute = 8 * 60;  // first minute allowed
  int end_minute = 20 * 60;   // first minute no longer allowed
  // Allowed ISO weekdays; index 1 = Monday ... 7 = Sunday (index 0 unused).
  std::array<bool, 8> weekdays = {false, true, true, true, true, true, true, false};
  bool unrestricted = false;  // any time (letters)
};

struct ContactPolicy {
  ContactWindow letter{.unrestricted = true};
  ContactWindow email;
  ContactWindow sms;
  std::vector<domain::Date> holidays;  // no e-mail or SMS on these days
  // How far ahead to look for the next allowed moment before giving up.
  int max_defer_days = 14;
  const ContactWindow& WindowFor(Channel channel) const;
};

struct ContactPreferences {
  std::vector<Channel> preferred;  // in order of preference; empty = policy order
  std::vector<Channel> opted_out;  // the customer asked not to be contacted this way
  // The customer's own narrower window ("not before 10"), applied on top of the policy.
  std::optional<int> earliest_minute;
  std::optional<int> latest_minute;
  bool all_contact_paused = false;  // dispute under review, death, insolvency: nothing goes out
};

struct ContactDecision {
  enum class Kind { kSendNow, kDefer, kRefused };
  Kind kind = Kind::kRefused;
  LocalDateTime not_before;  // kDefer: the earliest allowed moment
  std::string reason;        // kDefer / kRefused: why, for the case history
};

ContactDecision DecideContact(const ContactPolicy& policy, const ContactPreferences& preferences,
                              Channel channel, LocalDateTime at);

// The channel for the next message: the first in the customer's preference order (else letter,
// e-mail, SMS — the post reaches everyone, and § 13a RDG wants text form) that the customer can
// be reached on (`reachable`), has not opted out of, and has not bounced. nullopt = no channel
// left.
std::optional<Channel> ChooseChannel(const ContactPreferences& preferences,
                                     const std::vector<Channel>& reachable,
                                     const std::vector<Channel>& bounced);

}  // namespace quitt::app::letters
