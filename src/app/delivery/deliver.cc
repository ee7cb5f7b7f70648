#include "app/delivery/deliver.h"

#include <algorithm>
#include <variant>

#include "app/case_service.h"
#include "app/delivery/customer_contact.h"
#include "app/delivery/portal_access.h"

namespace quitt::app::delivery {

namespace {

using letters::Channel;

bool IsOutcomeSent(const std::string& state) {
  return state == "sent" || state == "delivered" || state == "opened";
}

constexpr std::string_view kTemporary = "temporary: ";

bool IsTemporaryFailure(const domain::MessageDelivery& d) {
  return d.state == "failed" && d.detail.rfind(kTemporary, 0) == 0;
}

bool Contains(const std::vector<Channel>& channels, Channel channel) {
  return std::find(channels.begin(), channels.end(), channel) != channels.end();
}

AttemptPlan Plan(AttemptPlan::Kind kind, Channel channel, int attempt, std::string reason = {}) {
  return AttemptPlan{kind, channel, attempt, std::move(reason)};
}

domain::MessageDelivery Event(const std::string& key, Channel channel, int attempt,
                              const std::string& state, std::string detail) {
  domain::MessageDelivery e;
  e.message_key = key;
  e.channel = letters::ChannelName(channel);
  e.attempt = attempt;
  e.state = state;
  e.detail = std::move(detail);
  return e;
}

}  // namespace

std::string DeliveryMessageId(const std::string& key, Channel channel, int attempt) {
  std::string id = key;
  std::replace(id.begin(), id.end(), '/', '.');
  return id + "." + letters::ChannelName(channel) + "." + std::to_string(attempt);
}

std::vector<RecordedDelivery> DeliveriesOf(const std::vector<domain::CaseEvent>& events) {
  std::vector<RecordedDelivery> out;
  for (const domain::CaseEvent& event : events) {
    if (const auto* d = std::get_if<domain::MessageDelivery>(&event.payload)) {
      out.push_back({*d, event.recorded_at});
    }
  }
  return out;
}

std::vector<Channel> ReachableChannels(const domain::Customer& customer) {
  std::vector<Channel> reachable;
  const domain::PostalAddress& a = customer.address;
  if (!a.street.empty() && !a.postcode.empty() && !a.city.empty()) {
    reachable.push_back(Channel::kLetter);
  }
  if (!customer.emails.empty()) reachable.push_back(Channel::kEmail);
  for (const std::string& phone : customer.phones) {
    const bool german_mobile = phone.rfind("+4915", 0) == 0 || phone.rfind("+4916", 0) == 0 ||
                               phone.rfind("+4917", 0) == 0;
    if (german_mobile || (phone.rfind("+49", 0) != 0 && phone.rfind("+", 0) == 0)) {
      reachable.push_back(Channel::kSms);
      break;
    }
  }
  return reachable;
}

AttemptPlan PlanAttempt(const std::string& message_key, Channel requested,
                        const std::vector<RecordedDelivery>& case_deliveries,
                        const ContactContext& context) {
  std::vector<Channel> bounced;
  std::vector<const RecordedDelivery*> mine;
  for (const RecordedDelivery& r : case_deliveries) {
    auto channel = letters::ParseChannel(r.delivery.channel);
    if (r.delivery.state == "bounced" && channel && !Contains(bounced, *channel)) {
      bounced.push_back(*channel);
    }
    if (r.delivery.message_key == message_key) mine.push_back(&r);
  }
  // A bounce reported after `sent` (a mail server's DSN, an SMS delivery report) reopens the
  // message: the next attempt goes out on another channel.
  std::vector<int> bounced_attempts;
  for (const RecordedDelivery* r : mine) {
    if (r->delivery.state == "bounced") bounced_attempts.push_back(r->delivery.attempt);
  }
  int attempt = 1;
  for (const RecordedDelivery* r : mine) {
    const domain::MessageDelivery& d = r->delivery;
    const bool late_bounce = std::find(bounced_attempts.begin(), bounced_attempts.end(),
                                       d.attempt) != bounced_attempts.end();
    if (IsOutcomeSent(d.state) && !late_bounce) {
      return Plan(AttemptPlan::Kind::kDone, requested, d.attempt);
    }
    if (d.state == "failed" && !IsTemporaryFailure(d)) {
      return Plan(AttemptPlan::Kind::kDone, requested, d.attempt);
    }
    attempt = std::max(attempt, d.attempt + 1);
  }

  std::optional<Channel> channel = requested;
  if (!mine.empty()) {
    const RecordedDelivery& last = *mine.back();
    auto last_channel = letters::ParseChannel(last.delivery.channel).value_or(requested);
    if (last.delivery.state == "queued") {
      // The run died between `queued` and the outcome.
      if (last_channel != Channel::kLetter) {
        return Plan(AttemptPlan::Kind::kInterrupted, last_channel, last.delivery.attempt,
                    "the run stopped during this attempt; it may have gone out, so it is not "
                    "sent again");
      }
      return Plan(AttemptPlan::Kind::kSend, Channel::kLetter, last.delivery.attempt);
    }
    if (IsTemporaryFailure(last.delivery)) {
      channel = last_channel;
      int failures = 0;
      for (const RecordedDelivery* r : mine) {
        if (IsTemporaryFailure(r->delivery) && r->delivery.channel == last.delivery.channel) {
          ++failures;
        }
      }
      if (failures >= letters::kMaxAttemptsPerChannel) {
        return Plan(AttemptPlan::Kind::kGiveUp, last_channel, attempt,
                    std::to_string(failures) + " temporary failures on " +
                        letters::ChannelName(last_channel));
      }
      if (context.now < last.recorded_at.AddSeconds(letters::RetryDelaySeconds(failures))) {
        return Plan(AttemptPlan::Kind::kWait, last_channel, attempt, "retry backoff");
      }
    }
  }
  const letters::ContactPreferences& prefs = context.preferences;
  if (Contains(bounced, *channel) || Contains(prefs.opted_out, *channel) ||
      !Contains(context.reachable, *channel)) {
    channel = letters::ChooseChannel(prefs, context.reachable, bounced);
  }
  if (!channel) {
    return Plan(AttemptPlan::Kind::kGiveUp, requested, attempt,
                "no channel left (bounced, opted out or unreachable)");
  }
  letters::ContactDecision decision =
      letters::DecideContact(context.policy, prefs, *channel, context.now_local);
  switch (decision.kind) {
    case letters::ContactDecision::Kind::kSendNow:
      return Plan(AttemptPlan::Kind::kSend, *channel, attempt);
    case letters::ContactDecision::Kind::kDefer:
      return Plan(AttemptPlan::Kind::kWait, *channel, attempt, decision.reason);
    case letters::ContactDecision::Kind::kRefused:
      return Plan(AttemptPlan::Kind::kGiveUp, *channel, attempt, decision.reason);
  }
  return Plan(AttemptPlan::Kind::kGiveUp, *channel, attempt, "unknown contact decision");
}

namespace {

class MessageRun {
 public:
  MessageRun(CaseStore& store, Clock& clock, const domain::Jurisdiction& jurisdiction,
             MessageSender& sender, const DeliverOptions& options, DeliverReport& report)
      : store_(store),
        clock_(clock),
        jurisdiction_(jurisdiction),
        sender_(sender),
        options_(options),
        report_(report) {}

  Status Handle(const OutboxMessage& message, Channel requested) {
    QUITT_ASSIGN_OR_RETURN(CaseView view, LoadCase(store_, message.case_number));
    if (view.state.status == domain::CaseStatus::kClosed) {
      ++report_.done;  // paid or handed back since the run: nothing goes out any more
      return OkStatus();
    }
    std::vector<RecordedDelivery> deliveries = DeliveriesOf(view.events);
    ContactContext context;
    context.policy = options_.policy;
    context.preferences = ContactPreferencesOf(view.state.contact_preferences);
    // Only channels the customer can be reached on AND that have wording for this step.
    const std::string language = view.customer.language.empty() ? "de" : view.customer.language;
    for (Channel channel : ReachableChannels(view.customer)) {
      if (sender_.HasWording(language, message.template_name, channel)) {
        context.reachable.push_back(channel);
      }
    }
    context.now = clock_.Now();
    context.now_local = options_.now_local;
    // A bounce moves on to the next channel at once; three channels bound the loop.
    for (int round = 0; round < 4; ++round) {
      AttemptPlan plan = PlanAttempt(message.message_key, requested, deliveries, context);
      switch (plan.kind) {
        case AttemptPlan::Kind::kDone:
          if (round == 0) ++report_.done;
          return OkStatus();
        case AttemptPlan::Kind::kWait: ++report_.waiting; return OkStatus();
        case AttemptPlan::Kind::kInterrupted:
        case AttemptPlan::Kind::kGiveUp:
          ++report_.failed;
          report_.problems.push_back(message.message_key + ": " + plan.reason);
          return Record(message, Event(message.message_key, plan.channel, plan.attempt, "failed",
                                       plan.reason));
        case AttemptPlan::Kind::kSend: break;
      }
      const letters::LetterStep step =
          StepOfTemplate(message.template_name).value_or(letters::LetterStep::kFirstReminder);
      if (view.state.portal_salt.empty() && !options_.letter.portal_secret.empty()) {
        // The case's portal access: issued once, before its first message.
        QUITT_RETURN_IF_ERROR(Record(message, domain::PortalAccessIssued{NewPortalSalt()}));
        QUITT_ASSIGN_OR_RETURN(view, LoadCase(store_, message.case_number));
      }
      auto model = BuildCaseLetter(jurisdiction_, view, step, options_.as_of, options_.letter);
      if (model.ok()) {
        model->template_name = message.template_name;
        const std::string id = DeliveryMessageId(message.message_key, plan.channel, plan.attempt);
        if (plan.channel != Channel::kLetter && !options_.letter.tracking_url.empty()) {
          model->payment.tracking_url =
              options_.letter.tracking_url + "/" +
              TrackingToken(options_.letter.portal_secret, view.summary.case_number, id);
        }
      }
      if (!model.ok()) {
        ++report_.failed;
        report_.problems.push_back(message.message_key + ": " + model.error().ToString());
        return Record(message, Event(message.message_key, plan.channel, plan.attempt, "failed",
                                     model.error().ToString()));
      }
      const bool requeued = !deliveries.empty() &&
                            deliveries.back().delivery.message_key == message.message_key &&
                            deliveries.back().delivery.state == "queued";
      if (!requeued) {
        auto queued = Event(message.message_key, plan.channel, plan.attempt, "queued", "");
        QUITT_RETURN_IF_ERROR(Record(message, queued));
        deliveries.push_back({queued, context.now});
      }
      auto sent = sender_.Send(*model, plan.channel,
                               DeliveryMessageId(message.message_key, plan.channel, plan.attempt));
      domain::MessageDelivery outcome;
      if (sent.ok()) {
        outcome = Event(message.message_key, plan.channel, plan.attempt, "sent", sent->detail);
        outcome.template_id = sent->template_id;
        outcome.template_sha256 = sent->template_sha256;
        ++report_.sent;
        if (plan.channel == Channel::kLetter) ++report_.letters;
        if (plan.channel == Channel::kEmail) ++report_.emails;
        if (plan.channel == Channel::kSms) ++report_.sms;
        return Record(message, outcome);
      }
      const Status& error = sent.error();
      if (error.code() == StatusCode::kFailedPrecondition) {
        outcome =
            Event(message.message_key, plan.channel, plan.attempt, "bounced", error.message());
        ++report_.bounced;
        QUITT_RETURN_IF_ERROR(Record(message, outcome));
        deliveries.push_back({outcome, context.now});
        continue;
      }
      ++report_.failed;
      report_.problems.push_back(message.message_key + ": " + error.ToString());
      const bool temporary = error.code() == StatusCode::kUnavailable;
      outcome = Event(message.message_key, plan.channel, plan.attempt, "failed",
                      (temporary ? std::string(kTemporary) : std::string()) + error.message());
      return Record(message, outcome);
    }
    return OkStatus();
  }

 private:
  Status Record(const OutboxMessage& message, const domain::CaseEventPayload& event) {
    auto appended = AppendToCase(store_, clock_, message.case_number, {event}, options_.actor,
                                 options_.as_of, /*allow_closed=*/true);
    if (!appended.ok()) return appended.error().WithContext(message.message_key);
    return OkStatus();
  }

  CaseStore& store_;
  Clock& clock_;
  const domain::Jurisdiction& jurisdiction_;
  MessageSender& sender_;
  const DeliverOptions& options_;
  DeliverReport& report_;
};

}  // namespace

Result<DeliverReport> Deliver(CaseStore& store, Clock& clock,
                              const domain::Jurisdiction& jurisdiction, MessageSender& sender,
                              const DeliverOptions& options) {
  DeliverReport report;
  MessageRun run(store, clock, jurisdiction, sender, options, report);
  QUITT_ASSIGN_OR_RETURN(std::vector<domain::Client> clients, store.ListClients());
  for (const domain::Client& client : clients) {
    std::string after;
    while (true) {
      QUITT_ASSIGN_OR_RETURN(std::vector<OutboxMessage> page,
                             store.ListOutbox(client.id, std::nullopt, after, 1000));
      if (page.empty()) break;
      after = page.back().message_key;
      for (const OutboxMessage& message : page) {
        auto channel = letters::ParseChannel(message.channel);
        if (!channel) {
          ++report.other;
          continue;
        }
        if (options.as_of < message.due) continue;
        if (options.max_messages > 0 && report.seen >= options.max_messages) return report;
        ++report.seen;
        QUITT_RETURN_IF_ERROR(run.Handle(message, *channel));
      }
    }
  }
  return report;
}

}  // namespace quitt::app::delivery
