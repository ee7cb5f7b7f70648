#pragma once
// What the customer tells us about contacting them, and what channels report back after sending:
// * contact preferences and opt-outs (`contact_preferences_changed` events), set by an agent
//   (CLI) or the API, read by Deliver through ContactPreferencesOf;
// * `opened` (tracking link or pixel), `delivered` (SMS provider's delivery report) and late
//   `bounced` (a mail server's delivery status notification) as `message_delivery` events, each
//   recorded at most once per message attempt. A late bounce makes the next deliver run send the
//   message again on another channel (PlanAttempt).
#include <optional>
#include <string>
#include <vector>

#include "app/letters/contact_rules.h"
#include "app/ports.h"
#include "domain/case_event.h"

namespace quitt::app::delivery {

// The change as given by a person: channel words "letter", "email", "sms", "phone".
struct ContactPreferencesInput {
  std::vector<std::string> opt_out;    // added to the opted-out channels
  std::vector<std::string> opt_in;     // removed from them
  std::vector<std::string> prefer;     // replaces the preference order when not empty
  std::optional<int> earliest_minute;  // "not before 10:00"; -1 clears
  std::optional<int> latest_minute;    // "not after 18:00" (first minute not allowed); -1 clears
  std::string source;                  // required: who said so, how
  domain::Date on = domain::Date::FromDaysSinceEpoch(0);
};

// Applies the change to the case's current preferences and records the full result as one
// `contact_preferences_changed` event. InvalidArgument names a bad channel word, a window
// outside 0..1440 or empty `source`.
Result<domain::ContactPreferencesChanged> SetContactPreferences(CaseStore& store, Clock& clock,
                                                                const std::string& case_number,
                                                                const ContactPreferencesInput& in,
                                                                const std::string& actor);

// The rules' view of the recorded preferences (nullopt = none recorded; "phone" is not a message
// channel and only matters for the call list).
letters::ContactPreferences ContactPreferencesOf(
    const std::optional<domain::ContactPreferencesChanged>& recorded);

// "HH:MM" → minute of the day (24:00 allowed as the end of the day).
Result<int> ParseMinuteOfDay(const std::string& text);

enum class Recorded { kRecorded, kAlreadyRecorded };

// A tracking token came back (pixel loaded or link followed). NotFound for a token that matches
// no sent e-mail or SMS (the HTTP route answers the same either way).
Result<Recorded> RecordMessageOpened(CaseStore& store, Clock& clock, const std::string& secret,
                                     const std::string& token);

// The SMS provider reports delivery of the message whose reference is our message id
// ("Q-00000011-7.de-b2c.first_notice_friendly.2026-03-02.sms.1"). `delivered` = false records a
// permanent failure as `bounced` (the next run uses another channel).
Result<Recorded> RecordMessageDelivered(CaseStore& store, Clock& clock,
                                        const std::string& message_id, bool delivered,
                                        const std::string& detail);

// A mail server's bounce (RFC 3464) for the e-mail with this Message-ID (without <> and domain).
Result<Recorded> RecordMessageBounced(CaseStore& store, Clock& clock, const std::string& message_id,
                                      const std::string& detail);

}  // namespace quitt::app::delivery
