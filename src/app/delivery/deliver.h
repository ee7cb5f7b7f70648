#pragma once
// Deliver: takes the daily run's outbox messages for letters, e-mails and SMS to the customer,
// builds each case's letter model and hands it to a MessageSender (the channel adapters), and
// records every attempt as `message_delivery` case events.
//
// Exactly once, decided by the outbox message key and the recorded events:
// * before an attempt a `queued` event is committed, after it the outcome (`sent`, `bounced`,
//   `failed`); a message with an outcome `sent` (or `delivered`, `opened`) is never tried again;
// * a `queued` without an outcome means the run died during the attempt. A letter is only a file
//   of this run, so it is made again; an e-mail or SMS may have left, so it is NOT sent again
//   (at most once) and the interruption is recorded as `failed`;
// * a bounce (permanent refusal) moves the next attempt to another channel (ChooseChannel with
//   every channel that bounced for the case excluded), in the same run;
// * a temporary failure is retried by a later run after RetryDelaySeconds, up to
//   kMaxAttemptsPerChannel attempts;
// * quiet hours and opt-outs (DecideContact) defer or refuse before anything is recorded.
#include <cstdint>
#include <string>
#include <vector>

#include "app/delivery/case_letter.h"
#include "app/letters/contact_rules.h"
#include "app/letters/delivery.h"
#include "app/ports.h"
#include "domain/case_event.h"

namespace quitt::app::delivery {

struct SendResult {
  std::string detail;  // "written out/Q-....pdf", "250 OK", provider id
  std::string template_id;
  std::string template_sha256;
};

// Port to the channel adapters: renders the model's template for `channel` and sends it.
// `message_id` is stable per message and attempt (Message-ID, SMS reference, PDF file name).
// Errors: Unavailable = temporary (retry later), FailedPrecondition = permanent refusal (bounce:
// switch channel), anything else = this message cannot be sent (failed).
class MessageSender {
 public:
  virtual ~MessageSender() = default;
  virtual Result<SendResult> Send(const letters::LetterModel& model, letters::Channel channel,
                                  const std::string& message_id) = 0;
  // Whether there is wording for the template in the language on the channel: a channel without
  // it is never chosen (no fallback to other wording).
  virtual bool HasWording(const std::string& /*language*/, const std::string& /*template_name*/,
                          letters::Channel /*channel*/) const {
    return true;
  }
};

// The id of one attempt: the outbox key with '/' → '.', channel and attempt
// ("Q-00000011-7.de-b2c.first_notice_friendly.2026-03-02.email.1"). Message-ID, SMS reference,
// PDF file name; delivery reports and bounces name it.
std::string DeliveryMessageId(const std::string& message_key, letters::Channel channel,
                              int attempt);

// One recorded delivery event with when it was recorded.
struct RecordedDelivery {
  domain::MessageDelivery delivery;
  domain::Timestamp recorded_at = domain::Timestamp::FromUnixMicros(0);
};
std::vector<RecordedDelivery> DeliveriesOf(const std::vector<domain::CaseEvent>& events);

// What to do next with one message (pure).
struct AttemptPlan {
  enum class Kind {
    kDone,         // an outcome is recorded already (or the message was given up)
    kSend,         // attempt `attempt` on `channel`
    kInterrupted,  // a previous attempt on an e-mail/SMS died without outcome: record failed
    kWait,         // quiet hours or retry backoff; try in a later run
    kGiveUp,       // no channel left / refused / too many attempts: record failed with `reason`
  };
  Kind kind = Kind::kDone;
  letters::Channel channel = letters::Channel::kLetter;
  int attempt = 1;
  std::string reason;
};

struct ContactContext {
  letters::ContactPolicy policy;
  letters::ContactPreferences preferences;
  std::vector<letters::Channel> reachable;
  domain::Timestamp now = domain::Timestamp::FromUnixMicros(0);
  letters::LocalDateTime now_local;
};

AttemptPlan PlanAttempt(const std::string& message_key, letters::Channel requested,
                        const std::vector<RecordedDelivery>& case_deliveries,
                        const ContactContext& context);

// The channels a customer can be reached on: letter with a full postal address, e-mail with an
// address, SMS with an E.164 mobile number (+4915/16/17 in Germany; elsewhere any +number).
std::vector<letters::Channel> ReachableChannels(const domain::Customer& customer);

struct DeliverOptions {
  domain::Date as_of = domain::Date::FromDaysSinceEpoch(0);  // letter date; outbox due <= as_of
  letters::LocalDateTime now_local;  // the customer's local time (quiet hours)
  letters::ContactPolicy policy;
  LetterSettings letter;
  std::string actor = "system:deliver";
  int max_messages = 0;  // 0 = all
};

struct DeliverReport {
  std::int64_t seen = 0;     // outbox messages for letter, e-mail or SMS due by as_of
  std::int64_t done = 0;     // already delivered earlier (nothing sent)
  std::int64_t sent = 0;     // attempts that went out in this run
  std::int64_t letters = 0;  // of them letters
  std::int64_t emails = 0;
  std::int64_t sms = 0;
  std::int64_t bounced = 0;
  std::int64_t failed = 0;            // failed attempts and messages given up
  std::int64_t waiting = 0;           // deferred by quiet hours or backoff
  std::int64_t other = 0;             // outbox messages of other channels (call, court, ...)
  std::vector<std::string> problems;  // "<key>: <reason>" of failures
};

Result<DeliverReport> Deliver(CaseStore& store, Clock& clock,
                              const domain::Jurisdiction& jurisdiction, MessageSender& sender,
                              const DeliverOptions& options);

}  // namespace quitt::app::delivery
