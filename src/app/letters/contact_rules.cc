#include "app/letters/contact_rules.h"

#include <algorithm>

namespace quitt::app::letters {
namespace {

bool Contains(const std::vector<Channel>& channels, Channel channel) {
  return std::find(channels.begin(), channels.end(), channel) != channels.end();
}

bool IsHoliday(const ContactPolicy& policy, domain::Date date) {
  return std::find(policy.holidays.begin(), policy.holidays.end(), date) != policy.holidays.end();
}

struct Span {
  int start;
  int end;
};

Span EffectiveSpan(const ContactWindow& window, const ContactPreferences& preferences) {
  Span span{window.unrestricted ? 0 : window.start_minute,
            window.unrestricted ? 24 * 60 : window.end_minute};
  if (preferences.earliest_minute) span.start = std::max(span.start, *preferences.earliest_minute);
  if (preferences.latest_minute) span.end = std::min(span.end, *preferences.latest_minute);
  return span;
}

bool DayAllowed(const ContactPolicy& policy, const ContactWindow& window, domain::Date date) {
  if (window.unrestricted) return true;
  return window.weekdays[date.iso_weekday()] && !IsHoliday(policy, date);
}

}  // namespace

const ContactWindow& ContactPolicy::WindowFor(Channel channel) const {
  switch (channel) {
    case Channel::kLetter: return letter;
    case Channel::kEmail: return email;
    case Channel::kSms: return sms;
  }
  return letter;
}

ContactDecision DecideContact(const ContactPolicy& policy, const ContactPreferences& preferences,
                              Channel channel, LocalDateTime at) {
  ContactDecision decision;
  if (preferences.all_contact_paused) {
    decision.reason = "contact with the customer is paused";
    return decision;
  }
  if (Contains(preferences.opted_out, channel)) {
    decision.reason = std::string("customer opted out of ") + ChannelName(channel);
    return decision;
  }
  const ContactWindow& window = policy.WindowFor(channel);
  const Span span = EffectiveSpan(window, preferences);
  if (span.start >= span.end) {
    decision.reason = std::string("no allowed hours left for ") + ChannelName(channel);
    return decision;
  }
  for (int offset = 0; offset <= policy.max_defer_days; ++offset) {
    const domain::Date day = at.date.AddDays(offset);
    if (!DayAllowed(policy, window, day)) continue;
    if (offset == 0) {
      if (at.minute_of_day >= span.end) continue;
      if (at.minute_of_day >= span.start) {
        decision.kind = ContactDecision::Kind::kSendNow;
        decision.not_before = at;
        return decision;
      }
    }
    decision.kind = ContactDecision::Kind::kDefer;
    decision.not_before = LocalDateTime{day, span.start};
    decision.reason = std::string("quiet hours for ") + ChannelName(channel);
    return decision;
  }
  decision.reason = "no allowed day within " + std::to_string(policy.max_defer_days) + " days";
  return decision;
}

std::optional<Channel> ChooseChannel(const ContactPreferences& preferences,
                                     const std::vector<Channel>& reachable,
                                     const std::vector<Channel>& bounced) {
  std::vector<Channel> order = preferences.preferred;
  for (Channel fallback : {Channel::kLetter, Channel::kEmail, Channel::kSms}) {
    if (!Contains(order, fallback)) order.push_back(fallback);
  }
  for (Channel channel : order) {
    if (Contains(reachable, channel) && !Contains(preferences.opted_out, channel) &&
        !Contains(bounced, channel)) {
      return channel;
    }
  }
  return std::nullopt;
}

}  // namespace quitt::app::letters
