#include "app/delivery/customer_contact.h"

#include <algorithm>

#include "app/case_service.h"
#include "app/delivery/deliver.h"
#include "app/delivery/portal_access.h"
#include "app/payments/posting.h"

namespace quitt::app::delivery {
namespace {

constexpr std::string_view kChannelWords[] = {"letter", "email", "sms", "phone"};

Status CheckChannelWords(const std::vector<std::string>& words, const char* field) {
  for (const std::string& word : words) {
    if (std::find(std::begin(kChannelWords), std::end(kChannelWords), word) ==
        std::end(kChannelWords)) {
      return InvalidArgument(std::string(field) + ": unknown channel '" + word +
                             "' (letter, email, sms, phone)");
    }
  }
  return OkStatus();
}

std::vector<std::string> SplitWords(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) out += (out.empty() ? "" : ",") + word;
  return out;
}

struct Found {
  CaseView view;
  domain::MessageDelivery sent;  // the attempt the id names
};

// The sent attempt with this message id; NotFound when there is none.
Result<Found> FindAttempt(CaseStore& store, const std::string& message_id,
                          const std::string& case_number) {
  auto summary = store.FindCaseByNumber(case_number);
  if (!summary.ok()) return summary.error();
  if (!summary->has_value()) return NotFound("no message " + message_id);
  QUITT_ASSIGN_OR_RETURN(CaseView view, LoadCase(store, case_number));
  for (const domain::MessageDelivery& d : view.state.deliveries) {
    if (d.state != "sent") continue;
    auto channel = letters::ParseChannel(d.channel);
    if (!channel) continue;
    if (DeliveryMessageId(d.message_key, *channel, d.attempt) == message_id) {
      return Found{std::move(view), d};
    }
  }
  return NotFound("no message " + message_id);
}

bool AlreadyRecorded(const domain::CaseState& state, const domain::MessageDelivery& sent,
                     const std::string& recorded_state) {
  for (const domain::MessageDelivery& d : state.deliveries) {
    if (d.message_key == sent.message_key && d.attempt == sent.attempt &&
        d.state == recorded_state) {
      return true;
    }
  }
  return false;
}

// The check and the append run in one transaction on the history read inside it: a pixel and a
// click, an image proxy fetching twice or a provider retrying arrive concurrently, and a check on
// a case read before the transaction lets both append. A store whose Begin() does not serialise
// writers fails the second append on the unique seq (kAborted); that writer re-reads and finds
// the state recorded.
Result<Recorded> RecordOnce(CaseStore& store, Clock& clock, const Found& found,
                            const std::string& state, const std::string& detail) {
  domain::MessageDelivery e = found.sent;
  e.state = state;
  e.detail = detail;
  constexpr int kTries = 3;
  for (int attempt = 1;; ++attempt) {
    bool already = false;
    Status written = [&]() -> Status {
      QUITT_ASSIGN_OR_RETURN(auto transaction, store.Begin());
      QUITT_ASSIGN_OR_RETURN(CaseView view, LoadCase(store, found.view.summary.case_number));
      already = AlreadyRecorded(view.state, found.sent, state);
      if (already) return transaction->Commit();
      const domain::Timestamp now = clock.Now();
      const domain::Date today = domain::Date::FromDaysSinceEpoch(
          static_cast<std::int32_t>(now.unix_micros() / 86400000000LL));
      QUITT_RETURN_IF_ERROR(
          payments::WriteCaseEvents(store, now, view, {e}, today, "system:delivery-report"));
      return transaction->Commit();
    }();
    if (written.ok()) return already ? Recorded::kAlreadyRecorded : Recorded::kRecorded;
    if (written.code() != StatusCode::kAborted || attempt == kTries) return written;
  }
}

std::string CaseNumberOfMessageId(const std::string& message_id) {
  return message_id.substr(0, message_id.find('.'));
}

}  // namespace

Result<int> ParseMinuteOfDay(const std::string& text) {
  const bool shape = text.size() == 5 && text[2] == ':' && std::isdigit(text[0]) &&
                     std::isdigit(text[1]) && std::isdigit(text[3]) && std::isdigit(text[4]);
  if (!shape) return InvalidArgument("time '" + text + "' must be HH:MM");
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0)) {
    return InvalidArgument("time '" + text + "' is not a time of day");
  }
  return hours * 60 + minutes;
}

Result<domain::ContactPreferencesChanged> SetContactPreferences(CaseStore& store, Clock& clock,
                                                                const std::string& case_number,
                                                                const ContactPreferencesInput& in,
                                                                const std::string& actor) {
  QUITT_RETURN_IF_ERROR(CheckChannelWords(in.opt_out, "opt_out"));
  QUITT_RETURN_IF_ERROR(CheckChannelWords(in.opt_in, "opt_in"));
  QUITT_RETURN_IF_ERROR(CheckChannelWords(in.prefer, "prefer"));
  for (const auto& [value, name] :
       {std::pair{in.earliest_minute, "not_before"}, std::pair{in.latest_minute, "not_after"}}) {
    if (value && (*value < -1 || *value > 24 * 60)) {
      return InvalidArgument(std::string(name) + ": minute of the day out of range");
    }
  }
  if (in.source.empty()) {
    return InvalidArgument("source: say who asked and how (e.g. \"phone call, agent anna\")");
  }
  QUITT_ASSIGN_OR_RETURN(CaseView view, LoadCase(store, case_number));
  domain::ContactPreferencesChanged e;
  if (view.state.contact_preferences) e = *view.state.contact_preferences;
  std::vector<std::string> opted_out = SplitWords(e.opted_out);
  for (const std::string& word : in.opt_out) {
    if (std::find(opted_out.begin(), opted_out.end(), word) == opted_out.end()) {
      opted_out.push_back(word);
    }
  }
  std::erase_if(opted_out, [&](const std::string& word) {
    return std::find(in.opt_in.begin(), in.opt_in.end(), word) != in.opt_in.end();
  });
  e.opted_out = JoinWords(opted_out);
  if (!in.prefer.empty()) e.preferred = JoinWords(in.prefer);
  if (in.earliest_minute) e.earliest_minute = *in.earliest_minute;
  if (in.latest_minute) e.latest_minute = *in.latest_minute;
  if (e.earliest_minute >= 0 && e.latest_minute >= 0 && e.latest_minute <= e.earliest_minute) {
    return InvalidArgument("not_after: must be later than not_before");
  }
  e.source = in.source;
  e.on = in.on;
  auto appended = AppendToCase(store, clock, case_number, {e}, actor, in.on);
  if (!appended.ok()) return appended.error();
  return e;
}

letters::ContactPreferences ContactPreferencesOf(
    const std::optional<domain::ContactPreferencesChanged>& recorded) {
  letters::ContactPreferences prefs;
  if (!recorded) return prefs;
  for (const std::string& word : SplitWords(recorded->opted_out)) {
    if (auto channel = letters::ParseChannel(word)) prefs.opted_out.push_back(*channel);
  }
  for (const std::string& word : SplitWords(recorded->preferred)) {
    if (auto channel = letters::ParseChannel(word)) prefs.preferred.push_back(*channel);
  }
  if (recorded->earliest_minute >= 0) prefs.earliest_minute = recorded->earliest_minute;
  if (recorded->latest_minute >= 0) prefs.latest_minute = recorded->latest_minute;
  return prefs;
}

Result<Recorded> RecordMessageOpened(CaseStore& store, Clock& clock, const std::string& secret,
                                     const std::string& token) {
  const std::optional<std::string> case_number = CaseOfTrackingToken(token);
  if (!case_number) return NotFound("unknown tracking token");
  auto summary = store.FindCaseByNumber(*case_number);
  if (!summary.ok()) return summary.error();
  if (!summary->has_value()) return NotFound("unknown tracking token");
  QUITT_ASSIGN_OR_RETURN(CaseView view, LoadCase(store, *case_number));
  for (const domain::MessageDelivery& d : view.state.deliveries) {
    auto channel = letters::ParseChannel(d.channel);
    if (d.state != "sent" || !channel || *channel == letters::Channel::kLetter) continue;
    const std::string id = DeliveryMessageId(d.message_key, *channel, d.attempt);
    if (SameSecret(TrackingToken(secret, *case_number, id), token)) {
      return RecordOnce(store, clock, Found{view, d}, "opened", "tracking link");
    }
  }
  return NotFound("unknown tracking token");
}

Result<Recorded> RecordMessageDelivered(CaseStore& store, Clock& clock,
                                        const std::string& message_id, bool delivered,
                                        const std::string& detail) {
  QUITT_ASSIGN_OR_RETURN(Found found,
                         FindAttempt(store, message_id, CaseNumberOfMessageId(message_id)));
  return RecordOnce(store, clock, found, delivered ? "delivered" : "bounced", detail);
}

Result<Recorded> RecordMessageBounced(CaseStore& store, Clock& clock, const std::string& message_id,
                                      const std::string& detail) {
  QUITT_ASSIGN_OR_RETURN(Found found,
                         FindAttempt(store, message_id, CaseNumberOfMessageId(message_id)));
  return RecordOnce(store, clock, found, "bounced", detail);
}

}  // namespace quitt::app::delivery
