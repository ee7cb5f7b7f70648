#pragma once
// Strategy: the configured collection process of quitt, loaded from a versioned TOML text.
//
// A strategy is an ordered ladder of steps. Each step names one action (a reminder letter, an
// e-mail, a phone call list entry, a court dunning application, ...), how many days after the
// previous action it becomes due, the conditions under which it applies, and what happens when it
// yields nothing. Champion/challenger variants each carry their own ladder and a share of the new
// cases; a case is put into a variant by a stable hash of its id. Limits for promises to pay and
// payment plans (grace period, where the ladder resumes, longest plan, smallest instalment) belong
// to the strategy too. docs/strategies.md describes the file format.
//
// Loading never half-succeeds: every problem of a text (syntax, unknown keys, bad values, dangling
// step references) is collected with source, line and reason, and either all is well and a
// complete Strategy comes back, or none of it does. A loaded Strategy is immutable and may be
// shared between threads.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/date.h"
#include "domain/money.h"
#include "domain/party.h"

namespace quitt::workflow {

// What a step does. The daily run turns each into an outbox entry for the matching adapter.
enum class ActionKind : std::uint8_t {
  kLetter,               // reminder letter by post
  kEmail,                // reminder e-mail
  kSms,                  // reminder SMS
  kPhoneCall,            // put the case on the agents' call list
  kFieldVisit,           // order a field visit (Außendienst)
  kCourtDunning,         // apply for a court dunning order (Mahnbescheid)
  kInsurerNotification,  // notify the credit insurer (Nichtzahlungsmeldung)
  kHandBack,             // hand the case back to the client
  kWriteOff,             // write the claim off
};
inline constexpr int kActionKindCount = 9;
// "letter", "email", "sms", "call", "field_visit", "court_dunning", "insurer_notification",
// "hand_back", "write_off": the words of the strategy file.
const char* ActionKindName(ActionKind kind);
std::optional<ActionKind> ParseActionKind(std::string_view text);
// Hand-back and write-off end the collection; nothing follows them.
bool IsFinalAction(ActionKind kind);

// The ways a customer can be reached; a bit set so CaseFacts stays small.
enum Channel : std::uint8_t {
  kChannelPost = 1,    // a postal address that letters reach
  kChannelEmail = 2,   // an e-mail address
  kChannelMobile = 4,  // a mobile number that takes SMS
  kChannelPhone = 8,   // any phone number for calls
};
using ChannelSet = std::uint8_t;
// "post", "email", "mobile", "phone".
const char* ChannelName(Channel channel);
std::optional<Channel> ParseChannel(std::string_view text);
// The channel an action needs by default: letters and field visits a postal address, e-mail an
// address, SMS a mobile number, calls a phone number; court, insurer, hand-back and write-off none.
ChannelSet DefaultChannelsFor(ActionKind kind);

// ISO 3166-1 alpha-2 code packed into two bytes, so the hot loop compares integers.
using CountryCode = std::uint16_t;
CountryCode PackCountry(std::string_view two_letters);  // "DE"; 0 when not two letters A-Z
std::string UnpackCountry(CountryCode code);

// Which customers a step is for, by history with this client.
enum class CustomerHistory : std::uint8_t { kAny, kFirstCase, kRepeat };

// When a step applies. Every field left empty matches every case. Evaluated on the date the step
// is due (days overdue counts to that date); the balance is the open balance of the case.
struct StepConditions {
  std::optional<domain::CustomerKind> customer_kind;
  std::vector<CountryCode> countries;             // empty: any country
  std::optional<std::int64_t> min_balance_minor;  // inclusive, in the strategy's currency
  std::optional<std::int64_t> max_balance_minor;  // inclusive
  std::optional<std::int32_t> min_days_overdue;   // inclusive
  std::optional<std::int32_t> max_days_overdue;   // inclusive
  CustomerHistory history = CustomerHistory::kAny;
  ChannelSet requires_channels = 0;  // all of these must be available
};

// What follows a step when its waiting time passes without a payment, promise or dispute.
enum class NoResult : std::uint8_t {
  kNext,  // the next step of the ladder (the default)
  kGoto,  // a named step (which may be earlier: "call again in 7 days")
  kStop,  // nothing more; the case waits for a person
};

struct Step {
  std::string id;  // unique within its variant, used in events, resume_at and goto
  ActionKind action = ActionKind::kLetter;
  std::string template_name;   // letters, e-mails and SMS: the document template
  std::int32_t wait_days = 0;  // days after the previous action (after hand-over for the first)
  StepConditions when;
  NoResult on_no_result = NoResult::kNext;
  std::int32_t goto_index = -1;  // with kGoto: index of the target step in the same variant
  int line = 0;                  // where the step starts in the source text
};

struct Variant {
  std::string name;  // "champion", "challenger_sms_first", ...; recorded on the case
  std::int32_t share_percent = 100;
  std::vector<Step> steps;
  // Index of the step the ladder resumes at after a broken promise / plan (resolved per variant).
  std::int32_t promise_resume_index = 0;
  std::int32_t plan_resume_index = 0;
};

// Bounds for promises to pay and payment plans.
struct ArrangementLimits {
  std::int32_t promise_grace_days = 3;  // days after the promised date before it counts as broken
  std::string promise_resume_at;        // step id; empty: the step after the current one
  std::int32_t plan_grace_days = 5;     // days after an instalment's due date before it is missed
  std::string plan_resume_at;           // step id; empty: the step after the current one
  std::int32_t plan_max_months = 12;    // a plan's last instalment falls before first + this
  domain::Money plan_min_instalment = domain::Money::Zero(domain::Currency::Eur());
  std::int32_t plan_max_instalments = 24;
};

class Strategy {
 public:
  const std::string& id() const { return id_; }      // "de-b2c"
  std::int32_t version() const { return version_; }  // raised on every change of the file
  const std::string& name() const { return name_; }
  const std::string& source() const { return source_; }  // where it was loaded from
  domain::Currency currency() const { return currency_; }
  // The longest a case may spend in the pre-court phase (hand-over to the first court dunning,
  // hand-back or write-off), checked at load time for every path through the ladder; 0 = no limit.
  std::int32_t pre_court_max_days() const { return pre_court_max_days_; }
  const std::vector<Variant>& variants() const { return variants_; }
  const ArrangementLimits& limits() const { return limits_; }

  // Index of the variant named `name`, or -1.
  int FindVariant(std::string_view name) const;
  // Index of the step named `id` in variant `variant`, or -1.
  int FindStep(int variant, std::string_view id) const;

  // The variant a case belongs to: a stable hash of the strategy id and the case id, mapped on the
  // shares in file order. The same on every machine, build and run (no std::hash).
  int AssignVariant(std::int64_t case_id) const;

 private:
  friend class StrategyParser;
  std::string id_;
  std::int32_t version_ = 0;
  std::string name_;
  std::string source_;
  domain::Currency currency_ = domain::Currency::Eur();
  std::int32_t pre_court_max_days_ = 0;
  std::vector<Variant> variants_;
  ArrangementLimits limits_;
  std::uint64_t hash_salt_ = 0;
};

// One problem of a strategy text: "strategies/de-b2c.toml:42: step 'call': wait_days must be >= 0".
struct ConfigProblem {
  std::string source;
  int line = 0;  // 0 when the problem is about the file as a whole
  std::string reason;
  std::string ToString() const;
};

// Every problem of the text; empty when it loads. `source` names it in the messages.
std::vector<ConfigProblem> CheckStrategy(std::string_view text, std::string_view source);

// The strategy, or InvalidArgument whose message lists every problem, one per line.
Result<Strategy> LoadStrategy(std::string_view text, std::string_view source);

// 64-bit FNV-1a over `bytes`, then a final avalanche mix: the stable hash used for variants.
std::uint64_t StableHash64(std::string_view bytes, std::uint64_t seed);

}  // namespace quitt::workflow
