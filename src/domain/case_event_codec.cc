#include "domain/case_event_codec.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>

namespace quitt::domain {

using nlohmann::json;

const char* CaseCloseReasonName(CaseCloseReason reason) {
  switch (reason) {
    case CaseCloseReason::kPaid: return "paid";
    case CaseCloseReason::kRecalled: return "recalled";
    case CaseCloseReason::kWrittenOff: return "written_off";
    case CaseCloseReason::kHandedBack: return "handed_back";
  }
  return "paid";
}

namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

// Payloads are written by hand in canonical form (keys sorted by bytes, no whitespace, the
// escaping of nlohmann::json::dump), because this runs for every imported claim; a test checks the
// output equals nlohmann's dump of the same document.

// Which bytes JSON needs escaped: '"', '\\' and the control characters (UTF-8 passes as is).
constexpr std::array<bool, 256> kNeedsEscape = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[static_cast<std::size_t>(c)] = true;
  table['"'] = true;
  table['\\'] = true;
  return table;
}();

// Whether any of the eight bytes in `word` is below 0x20, '"' or '\\' (the "has less" and "has
// zero byte" tests of Sean Anderson's Bit Twiddling Hacks; bytes >= 0x80 never match).
constexpr bool AnyByteNeedsEscape(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  const std::uint64_t control = (word - kOnes * 0x20) & ~word & kHighs;
  const std::uint64_t quote = word ^ (kOnes * '"');
  const std::uint64_t backslash = word ^ (kOnes * '\\');
  return (control | ((quote - kOnes) & ~quote & kHighs) |
          ((backslash - kOnes) & ~backslash & kHighs)) != 0;
}

void AppendString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;  // start of the stretch that needs no escaping
  for (std::size_t i = 0; i < text.size(); ++i) {
    // Legal texts and URLs are long and need no escaping: skip them eight bytes at a time.
    while (i + 8 <= text.size()) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, sizeof word);
      if (AnyByteNeedsEscape(word)) break;
      i += 8;
    }
    if (i >= text.size()) break;
    const char c = text[i];
    if (!kNeedsEscape[static_cast<unsigned char>(c)]) continue;
    out.append(text, run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out.push_back(kHex[(c >> 4) & 0xF]);
        out.push_back(kHex[c & 0xF]);
    }
  }
  out.append(text, run, text.size() - run);
  out.push_back('"');
}

class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) { out_.push_back('{'); }
  ObjectWriter& Key(std::string_view key) {
    if (!first_) out_.push_back(',');
    first_ = false;
    AppendString(out_, key);
    out_.push_back(':');
    return *this;
  }
  ObjectWriter& String(std::string_view key, std::string_view value) {
    Key(key);
    AppendString(out_, value);
    return *this;
  }
  ObjectWriter& Int(std::string_view key, std::int64_t value) {
    Key(key);
    out_ += std::to_string(value);
    return *this;
  }
  ObjectWriter& Bool(std::string_view key, bool value) {
    Key(key);
    out_ += value ? "true" : "false";
    return *this;
  }
  ObjectWriter& OptionalDate(std::string_view key, const std::optional<Date>& date) {
    Key(key);
    if (date) {
      AppendString(out_, date->ToString());
    } else {
      out_ += "null";
    }
    return *this;
  }
  ObjectWriter& MoneyValue(std::string_view key, const Money& money) {
    Key(key);
    ObjectWriter(out_)
        .String("amount", money.ToDecimalString())
        .String("currency", money.currency().code())
        .Close();
    return *this;
  }
  void Close() { out_.push_back('}'); }
  std::string& out() { return out_; }

 private:
  std::string& out_;
  bool first_ = true;
};

void WriteClaim(std::string& out, const Claim& c) {
  ObjectWriter w(out);
  w.Int("claim_id", c.id.value())
      .MoneyValue("client_costs", c.client_costs)
      .String("client_reference", c.client_ref)
      .String("default_basis", DefaultBasisName(c.default_basis))
      .OptionalDate("default_date", c.default_date)
      .String("due_date", c.due_date.ToString())
      .Key("interest");
  ObjectWriter(out)
      .Bool("consumer_credit", c.interest.consumer_credit)
      .Int("contractual_rate_bp", c.interest.contractual_rate_bp)
      .Bool("remuneration_claim", c.interest.remuneration_claim)
      .Bool("statutory", c.interest.statutory)
      .Close();
  w.String("invoice_date", c.invoice_date.ToString())
      .OptionalDate("obligation_date", c.obligation_date)
      .MoneyValue("principal", c.principal)
      .String("reason", c.reason)
      .Close();
}

void WriteResume(std::string& out, const ResumePoint& r) {
  ObjectWriter(out)
      .OptionalDate("due", r.due)
      .String("step_id", r.step_id)
      .Int("step_index", r.step_index)
      .Close();
}

void WriteOutcome(std::string& out, Date on, const ResumePoint& resume) {
  ObjectWriter w(out);
  w.String("on", on.ToString()).Key("resume");
  WriteResume(out, resume);
  w.Close();
}

void WriteLifted(std::string& out, const std::string& remark, const ResumePoint& resume) {
  ObjectWriter w(out);
  w.String("remark", remark).Key("resume");
  WriteResume(out, resume);
  w.Close();
}

// Reading helpers: each failure names the field.
struct Reader {
  const json& object;
  const std::string& type;
  Status status;

  const json* Field(const char* name) {
    if (!status.ok()) return nullptr;
    auto it = object.find(name);
    if (it == object.end()) {
      status = DataLoss("event '" + type + "': field '" + name + "' is missing");
      return nullptr;
    }
    return &*it;
  }
  std::string String(const char* name) {
    const json* f = Field(name);
    if (f == nullptr) return {};
    if (!f->is_string()) {
      status = DataLoss("event '" + type + "': field '" + name + "' must be a string");
      return {};
    }
    return f->get<std::string>();
  }
  std::int64_t Integer(const char* name) {
    const json* f = Field(name);
    if (f == nullptr) return 0;
    if (!f->is_number_integer()) {
      status = DataLoss("event '" + type + "': field '" + name + "' must be an integer");
      return 0;
    }
    return f->get<std::int64_t>();
  }
  bool Boolean(const char* name) {
    const json* f = Field(name);
    if (f == nullptr) return false;
    if (!f->is_boolean()) {
      status = DataLoss("event '" + type + "': field '" + name + "' must be true or false");
      return false;
    }
    return f->get<bool>();
  }
  Date DateField(const char* name) {
    std::string text = String(name);
    if (!status.ok()) return Date::FromDaysSinceEpoch(0);
    auto date = Date::Parse(text);
    if (!date) {
      status = DataLoss("event '" + type + "': field '" + name + "': " + date.error().message());
      return Date::FromDaysSinceEpoch(0);
    }
    return *date;
  }
  std::optional<Date> OptionalDate(const char* name) {
    const json* f = Field(name);
    if (f == nullptr || f->is_null()) return std::nullopt;
    return DateField(name);
  }
  ResumePoint Resume(const char* name) {
    ResumePoint r;
    const json* f = Field(name);
    if (f == nullptr) return r;
    if (!f->is_object()) {
      status = DataLoss("event '" + type + "': field '" + name + "' must be an object");
      return r;
    }
    Reader inner{*f, type, OkStatus()};
    r.step_id = inner.String("step_id");
    r.step_index = static_cast<int>(inner.Integer("step_index"));
    r.due = inner.OptionalDate("due");
    if (!inner.status.ok()) status = inner.status.WithContext(name);
    return r;
  }
  Money MoneyField(const char* name) {
    const json* f = Field(name);
    Money zero = Money::Zero(Currency::Eur());
    if (f == nullptr) return zero;
    if (!f->is_object()) {
      status = DataLoss("event '" + type + "': field '" + name + "' must be an object");
      return zero;
    }
    Reader inner{*f, type, OkStatus()};
    std::string amount = inner.String("amount");
    std::string code = inner.String("currency");
    if (!inner.status.ok()) {
      status = inner.status.WithContext(name);
      return zero;
    }
    auto currency = Currency::FromCode(code);
    if (!currency) {
      status = DataLoss("event '" + type + "': " + name + ": " + currency.error().message());
      return zero;
    }
    auto money = Money::Parse(amount, *currency);
    if (!money) {
      status = DataLoss("event '" + type + "': " + name + ": " + money.error().message());
      return zero;
    }
    return *money;
  }
};

Claim ClaimFromJson(Reader& r) {
  Claim c;
  c.id = ClaimId(r.Integer("claim_id"));
  c.client_ref = r.String("client_reference");
  c.reason = r.String("reason");
  c.invoice_date = r.DateField("invoice_date");
  c.due_date = r.DateField("due_date");
  c.default_date = r.OptionalDate("default_date");
  c.obligation_date = r.OptionalDate("obligation_date");
  std::string basis = r.String("default_basis");
  if (auto parsed = ParseDefaultBasis(basis)) {
    c.default_basis = *parsed;
  } else if (r.status.ok()) {
    r.status = DataLoss("event '" + r.type + "': unknown default_basis '" + basis + "'");
  }
  c.principal = r.MoneyField("principal");
  c.client_costs = r.MoneyField("client_costs");
  if (const json* interest = r.Field("interest")) {
    Reader ir{*interest, r.type, OkStatus()};
    c.interest.statutory = ir.Boolean("statutory");
    c.interest.contractual_rate_bp = static_cast<std::int32_t>(ir.Integer("contractual_rate_bp"));
    c.interest.remuneration_claim = ir.Boolean("remuneration_claim");
    c.interest.consumer_credit = ir.Boolean("consumer_credit");
    if (!ir.status.ok() && r.status.ok()) r.status = ir.status;
  }
  return c;
}

}  // namespace

namespace {  // payment events (issue 5)

void WriteOptionalMoney(ObjectWriter& w, std::string_view key, const std::optional<Money>& money) {
  if (money) {
    w.MoneyValue(key, *money);
  } else {
    w.Key(key);
    w.out() += "null";
  }
}

void WritePaymentAllocated(std::string& out, const PaymentAllocated& e) {
  ObjectWriter w(out);
  w.MoneyValue("amount", e.amount).String("date", e.date.ToString()).Key("parts");
  out.push_back('[');
  for (std::size_t i = 0; i < e.parts.size(); ++i) {
    if (i > 0) out.push_back(',');
    const AllocatedPart& part = e.parts[i];
    ObjectWriter(out)
        .MoneyValue("amount", part.amount)
        .String("bucket", part.bucket)
        .Int("claim_id", part.claim.value())
        .String("rule", part.rule)
        .String("source", part.source)
        .Close();
  }
  out.push_back(']');
  w.String("payment_ref", e.payment_ref).MoneyValue("surplus", e.surplus).Close();
}

void WriteFeeCharged(std::string& out, const FeeCharged& e) {
  ObjectWriter w(out);
  WriteOptionalMoney(w, "charged", e.charged);
  w.Key("claims");
  out.push_back('[');
  for (std::size_t i = 0; i < e.claims.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += std::to_string(e.claims[i].value());
  }
  out.push_back(']');
  w.String("course", e.course)
      .String("date", e.date.ToString())
      .String("fee_ref", e.fee_ref)
      .String("kind", e.kind);
  WriteOptionalMoney(w, "value", e.value);
  w.Close();
}

std::optional<Money> OptionalMoneyField(Reader& r, const char* name) {
  const json* f = r.Field(name);
  if (f == nullptr || f->is_null()) return std::nullopt;
  return r.MoneyField(name);
}

PaymentAllocated PaymentAllocatedFromJson(Reader& r) {
  PaymentAllocated e;
  e.payment_ref = r.String("payment_ref");
  e.date = r.DateField("date");
  e.amount = r.MoneyField("amount");
  e.surplus = r.MoneyField("surplus");
  const json* parts = r.Field("parts");
  if (parts != nullptr && !parts->is_array()) {
    r.status = DataLoss("event '" + r.type + "': field 'parts' must be an array");
    return e;
  }
  if (parts == nullptr) return e;
  Money sum = e.surplus;
  for (std::size_t i = 0; i < parts->size() && r.status.ok(); ++i) {
    const json& item = (*parts)[i];
    if (!item.is_object()) {
      r.status =
          DataLoss("event '" + r.type + "': parts[" + std::to_string(i) + "] must be an object");
      break;
    }
    Reader pr{item, r.type, OkStatus()};
    AllocatedPart part;
    part.claim = ClaimId(pr.Integer("claim_id"));
    part.bucket = pr.String("bucket");
    part.amount = pr.MoneyField("amount");
    part.rule = pr.String("rule");
    part.source = pr.String("source");
    if (pr.status.ok() && part.bucket != "costs" && part.bucket != "interest" &&
        part.bucket != "principal") {
      pr.status = DataLoss("event '" + r.type + "': bucket '" + part.bucket +
                           "' is not costs/interest/principal");
    }
    if (pr.status.ok() && part.amount.currency() != e.amount.currency()) {
      pr.status = DataLoss("event '" + r.type + "': currency differs from the payment");
    }
    if (!pr.status.ok()) {
      r.status = pr.status.WithContext("parts[" + std::to_string(i) + "]");
      break;
    }
    sum += part.amount;
    e.parts.push_back(std::move(part));
  }
  if (r.status.ok() && sum != e.amount) {
    r.status = DataLoss("event '" + r.type + "': parts and surplus add up to " +
                        sum.ToDecimalString() + ", not the amount " + e.amount.ToDecimalString());
  }
  return e;
}

FeeCharged FeeChargedFromJson(Reader& r) {
  FeeCharged e;
  e.fee_ref = r.String("fee_ref");
  e.date = r.DateField("date");
  e.kind = r.String("kind");
  e.course = r.String("course");
  e.charged = OptionalMoneyField(r, "charged");
  e.value = OptionalMoneyField(r, "value");
  const json* claims = r.Field("claims");
  if (claims != nullptr) {
    if (!claims->is_array()) {
      r.status = DataLoss("event '" + r.type + "': field 'claims' must be an array");
      return e;
    }
    for (const json& id : *claims) {
      if (!id.is_number_integer()) {
        r.status = DataLoss("event '" + r.type + "': field 'claims' must hold claim ids");
        break;
      }
      e.claims.push_back(ClaimId(id.get<std::int64_t>()));
    }
  }
  return e;
}

}  // namespace

const char* EventTypeName(const CaseEventPayload& payload) {
  return std::visit(
      Overloaded{
          [](const CaseOpened&) { return "case_opened"; },
          [](const ClaimAdded&) { return "claim_added"; },
          [](const NoteAdded&) { return "note_added"; },
          [](const CaseClosed&) { return "case_closed"; },
          [](const StrategyVariantAssigned&) { return "strategy_variant_assigned"; },
          [](const StepTaken&) { return "step_taken"; },
          [](const PromiseMade&) { return "promise_made"; },
          [](const PromiseKept&) { return "promise_kept"; },
          [](const PromiseBroken&) { return "promise_broken"; },
          [](const PlanAgreed&) { return "plan_agreed"; },
          [](const PlanBroken&) { return "plan_broken"; },
          [](const PlanCompleted&) { return "plan_completed"; },
          [](const DisputeRaised&) { return "dispute_raised"; },
          [](const DisputeResolved&) { return "dispute_resolved"; },
          [](const HardshipFlagged&) { return "hardship_flagged"; },
          [](const HardshipCleared&) { return "hardship_cleared"; },
          [](const PaymentReceived&) { return "payment_received"; },
          [](const PaymentAllocated&) { return "payment_allocated"; },
          [](const FeeCharged&) { return "fee_charged"; },
          [](const PaymentHeld&) { return "payment_held"; },
          [](const MessageDelivery&) { return "message_delivery"; },
          [](const MandateGiven&) { return "mandate_given"; },
          [](const MandateRevoked&) { return "mandate_revoked"; },
          [](const DirectDebitCollected&) { return "direct_debit_collected"; },
          [](const DirectDebitReturned&) { return "direct_debit_returned"; },
          [](const ContactPreferencesChanged&) { return "contact_preferences_changed"; },
          [](const PortalAccessIssued&) { return "portal_access_issued"; },
      },
      payload);
}

int EventSchemaVersion(const CaseEventPayload&) { return 1; }

std::string PayloadToJson(const CaseEventPayload& payload) {
  std::string out;
  out.reserve(512);
  std::visit(
      Overloaded{
          [&](const CaseOpened& e) {
            ObjectWriter(out)
                .String("case_number", e.case_number)
                .String("currency", e.currency)
                .Int("customer_id", e.customer.value())
                .String("source", e.source)
                .Close();
          },
          [&](const ClaimAdded& e) {
            ObjectWriter w(out);
            w.Key("claim");
            WriteClaim(out, e.claim);
            w.Close();
          },
          [&](const NoteAdded& e) { ObjectWriter(out).String("text", e.text).Close(); },
          [&](const CaseClosed& e) {
            ObjectWriter(out)
                .String("reason", CaseCloseReasonName(e.reason))
                .String("remark", e.remark)
                .Close();
          },
          [&](const StrategyVariantAssigned& e) {
            ObjectWriter(out)
                .String("strategy_id", e.strategy_id)
                .Int("strategy_version", e.strategy_version)
                .String("variant", e.variant)
                .Int("variant_index", e.variant_index)
                .Close();
          },
          [&](const StepTaken& e) {
            ObjectWriter(out)
                .String("action", e.action)
                .String("due", e.due.ToString())
                .String("step_id", e.step_id)
                .Int("step_index", e.step_index)
                .String("strategy_id", e.strategy_id)
                .Int("strategy_version", e.strategy_version)
                .String("taken_on", e.taken_on.ToString())
                .String("template", e.template_name)
                .String("variant", e.variant)
                .Close();
          },
          [&](const PromiseMade& e) {
            ObjectWriter(out)
                .MoneyValue("amount", e.amount)
                .String("due", e.due.ToString())
                .Close();
          },
          [&](const PromiseKept& e) { WriteOutcome(out, e.on, e.resume); },
          [&](const PromiseBroken& e) { WriteOutcome(out, e.on, e.resume); },
          [&](const PlanAgreed& e) {
            ObjectWriter w(out);
            w.Key("instalments");
            out.push_back('[');
            for (std::size_t i = 0; i < e.instalments.size(); ++i) {
              if (i > 0) out.push_back(',');
              ObjectWriter(out)
                  .MoneyValue("amount", e.instalments[i].amount)
                  .String("due", e.instalments[i].due.ToString())
                  .Close();
            }
            out.push_back(']');
            w.String("rhythm", e.rhythm).MoneyValue("total", e.total).Close();
          },
          [&](const PlanBroken& e) { WriteOutcome(out, e.on, e.resume); },
          [&](const PlanCompleted& e) { WriteOutcome(out, e.on, e.resume); },
          [&](const DisputeRaised& e) { ObjectWriter(out).String("reason", e.reason).Close(); },
          [&](const DisputeResolved& e) { WriteLifted(out, e.remark, e.resume); },
          [&](const HardshipFlagged& e) { ObjectWriter(out).String("reason", e.reason).Close(); },
          [&](const HardshipCleared& e) { WriteLifted(out, e.remark, e.resume); },
          [&](const PaymentReceived& e) {
            ObjectWriter(out)
                .MoneyValue("amount", e.amount)
                .String("booked_on", e.booked_on.ToString())
                .Int("confidence", e.confidence)
                .String("match_reason", e.match_reason)
                .String("payer_iban", e.payer_iban)
                .String("payer_name", e.payer_name)
                .String("payment_ref", e.payment_ref)
                .String("remittance", e.remittance)
                .Close();
          },
          [&](const PaymentAllocated& e) { WritePaymentAllocated(out, e); },
          [&](const FeeCharged& e) { WriteFeeCharged(out, e); },
          [&](const PaymentHeld& e) {
            ObjectWriter(out)
                .MoneyValue("amount", e.amount)
                .String("payment_ref", e.payment_ref)
                .String("reason", e.reason)
                .Close();
          },
          [&](const MessageDelivery& e) {
            ObjectWriter(out)
                .Int("attempt", e.attempt)
                .String("channel", e.channel)
                .String("detail", e.detail)
                .String("message_key", e.message_key)
                .String("state", e.state)
                .String("template_id", e.template_id)
                .String("template_sha256", e.template_sha256)
                .Close();
          },
          [&](const MandateGiven& e) {
            ObjectWriter(out)
                .String("bic", e.bic)
                .String("holder", e.holder)
                .String("iban", e.iban)
                .String("mandate_ref", e.mandate_ref)
                .String("scheme", e.scheme)
                .String("signed_on", e.signed_on.ToString())
                .Close();
          },
          [&](const MandateRevoked& e) {
            ObjectWriter(out)
                .String("mandate_ref", e.mandate_ref)
                .String("on", e.on.ToString())
                .String("reason", e.reason)
                .Close();
          },
          [&](const DirectDebitCollected& e) {
            ObjectWriter(out)
                .MoneyValue("amount", e.amount)
                .String("collection_date", e.collection_date.ToString())
                .String("end_to_end_id", e.end_to_end_id)
                .String("instalment_due", e.instalment_due.ToString())
                .String("mandate_ref", e.mandate_ref)
                .String("message_id", e.message_id)
                .String("sequence", e.sequence)
                .Close();
          },
          [&](const DirectDebitReturned& e) {
            ObjectWriter(out)
                .MoneyValue("amount", e.amount)
                .String("end_to_end_id", e.end_to_end_id)
                .String("payment_ref", e.payment_ref)
                .String("reason_code", e.reason_code)
                .String("return_ref", e.return_ref)
                .String("returned_on", e.returned_on.ToString())
                .Close();
          },
          [&](const ContactPreferencesChanged& e) {
            ObjectWriter(out)
                .Int("earliest_minute", e.earliest_minute)
                .Int("latest_minute", e.latest_minute)
                .String("on", e.on.ToString())
                .String("opted_out", e.opted_out)
                .String("preferred", e.preferred)
                .String("source", e.source)
                .Close();
          },
          [&](const PortalAccessIssued& e) { ObjectWriter(out).String("salt", e.salt).Close(); },
      },
      payload);
  return out;
}

Result<CaseEventPayload> PayloadFromJson(const std::string& type, int schema_version,
                                         const std::string& text) {
  if (schema_version != 1) {
    return DataLoss("event '" + type + "' has unknown schema version " +
                    std::to_string(schema_version));
  }
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return DataLoss("event '" + type + "': payload is not a JSON object");
  }
  Reader r{j, type, OkStatus()};
  CaseEventPayload payload;
  if (type == "case_opened") {
    CaseOpened e;
    e.customer = CustomerId(r.Integer("customer_id"));
    e.case_number = r.String("case_number");
    e.currency = r.String("currency");
    e.source = r.String("source");
    payload = e;
  } else if (type == "claim_added") {
    const json* claim = r.Field("claim");
    ClaimAdded e;
    if (claim != nullptr) {
      Reader cr{*claim, type, OkStatus()};
      e.claim = ClaimFromJson(cr);
      if (!cr.status.ok()) r.status = cr.status;
    }
    payload = e;
  } else if (type == "note_added") {
    payload = NoteAdded{r.String("text")};
  } else if (type == "case_closed") {
    CaseClosed e;
    std::string reason = r.String("reason");
    bool known = false;
    for (auto candidate : {CaseCloseReason::kPaid, CaseCloseReason::kRecalled,
                           CaseCloseReason::kWrittenOff, CaseCloseReason::kHandedBack}) {
      if (reason == CaseCloseReasonName(candidate)) {
        e.reason = candidate;
        known = true;
      }
    }
    if (!known && r.status.ok())
      r.status = DataLoss("event 'case_closed': unknown reason '" + reason + "'");
    e.remark = r.String("remark");
    payload = e;
  } else if (type == "strategy_variant_assigned") {
    StrategyVariantAssigned e;
    e.strategy_id = r.String("strategy_id");
    e.strategy_version = static_cast<int>(r.Integer("strategy_version"));
    e.variant = r.String("variant");
    e.variant_index = static_cast<int>(r.Integer("variant_index"));
    payload = e;
  } else if (type == "step_taken") {
    StepTaken e;
    e.action = r.String("action");
    e.due = r.DateField("due");
    e.step_id = r.String("step_id");
    e.step_index = static_cast<int>(r.Integer("step_index"));
    e.strategy_id = r.String("strategy_id");
    e.strategy_version = static_cast<int>(r.Integer("strategy_version"));
    e.taken_on = r.DateField("taken_on");
    e.template_name = r.String("template");
    e.variant = r.String("variant");
    payload = e;
  } else if (type == "promise_made") {
    payload = PromiseMade{r.MoneyField("amount"), r.DateField("due")};
  } else if (type == "promise_kept") {
    payload = PromiseKept{r.DateField("on"), r.Resume("resume")};
  } else if (type == "promise_broken") {
    payload = PromiseBroken{r.DateField("on"), r.Resume("resume")};
  } else if (type == "plan_agreed") {
    PlanAgreed e;
    e.total = r.MoneyField("total");
    e.rhythm = r.String("rhythm");
    if (const json* list = r.Field("instalments")) {
      if (!list->is_array()) {
        r.status = DataLoss("event 'plan_agreed': field 'instalments' must be a list");
      } else {
        for (const json& item : *list) {
          Reader ir{item, type, OkStatus()};
          if (!item.is_object()) {
            ir.status = DataLoss("event 'plan_agreed': an instalment must be an object");
          }
          PlannedInstalment instalment{ir.DateField("due"), ir.MoneyField("amount")};
          if (!ir.status.ok()) {
            if (r.status.ok()) r.status = ir.status.WithContext("instalments");
            break;
          }
          e.instalments.push_back(instalment);
        }
      }
    }
    payload = e;
  } else if (type == "plan_broken") {
    payload = PlanBroken{r.DateField("on"), r.Resume("resume")};
  } else if (type == "plan_completed") {
    payload = PlanCompleted{r.DateField("on"), r.Resume("resume")};
  } else if (type == "dispute_raised") {
    payload = DisputeRaised{r.String("reason")};
  } else if (type == "dispute_resolved") {
    payload = DisputeResolved{r.String("remark"), r.Resume("resume")};
  } else if (type == "hardship_flagged") {
    payload = HardshipFlagged{r.String("reason")};
  } else if (type == "hardship_cleared") {
    payload = HardshipCleared{r.String("remark"), r.Resume("resume")};
  } else if (type == "payment_received") {
    PaymentReceived e;
    e.payment_ref = r.String("payment_ref");
    e.booked_on = r.DateField("booked_on");
    e.amount = r.MoneyField("amount");
    e.payer_name = r.String("payer_name");
    e.payer_iban = r.String("payer_iban");
    e.remittance = r.String("remittance");
    e.match_reason = r.String("match_reason");
    e.confidence = static_cast<int>(r.Integer("confidence"));
    payload = e;
  } else if (type == "payment_allocated") {
    payload = PaymentAllocatedFromJson(r);
  } else if (type == "fee_charged") {
    payload = FeeChargedFromJson(r);
  } else if (type == "payment_held") {
    payload = PaymentHeld{r.String("payment_ref"), r.MoneyField("amount"), r.String("reason")};
  } else if (type == "message_delivery") {
    MessageDelivery e;
    e.message_key = r.String("message_key");
    e.channel = r.String("channel");
    e.attempt = static_cast<int>(r.Integer("attempt"));
    e.state = r.String("state");
    e.detail = r.String("detail");
    e.template_id = r.String("template_id");
    e.template_sha256 = r.String("template_sha256");
    payload = e;
  } else if (type == "mandate_given") {
    MandateGiven e;
    e.mandate_ref = r.String("mandate_ref");
    e.signed_on = r.DateField("signed_on");
    e.iban = r.String("iban");
    e.bic = r.String("bic");
    e.holder = r.String("holder");
    e.scheme = r.String("scheme");
    payload = e;
  } else if (type == "mandate_revoked") {
    payload = MandateRevoked{r.String("mandate_ref"), r.DateField("on"), r.String("reason")};
  } else if (type == "direct_debit_collected") {
    DirectDebitCollected e;
    e.end_to_end_id = r.String("end_to_end_id");
    e.mandate_ref = r.String("mandate_ref");
    e.sequence = r.String("sequence");
    e.instalment_due = r.DateField("instalment_due");
    e.amount = r.MoneyField("amount");
    e.collection_date = r.DateField("collection_date");
    e.message_id = r.String("message_id");
    payload = e;
  } else if (type == "direct_debit_returned") {
    DirectDebitReturned e;
    e.end_to_end_id = r.String("end_to_end_id");
    e.payment_ref = r.String("payment_ref");
    e.return_ref = r.String("return_ref");
    e.returned_on = r.DateField("returned_on");
    e.amount = r.MoneyField("amount");
    e.reason_code = r.String("reason_code");
    payload = e;
  } else if (type == "contact_preferences_changed") {
    ContactPreferencesChanged e;
    e.opted_out = r.String("opted_out");
    e.preferred = r.String("preferred");
    e.earliest_minute = static_cast<int>(r.Integer("earliest_minute"));
    e.latest_minute = static_cast<int>(r.Integer("latest_minute"));
    e.source = r.String("source");
    e.on = r.DateField("on");
    payload = e;
  } else if (type == "portal_access_issued") {
    payload = PortalAccessIssued{r.String("salt")};
  } else {
    return DataLoss("unknown event type '" + type + "'");
  }
  if (!r.status.ok()) return r.status;
  return payload;
}

namespace {

// Everything of the canonical text before the payload.
std::string CanonicalEventHeader(const CaseEvent& event, const std::string& type,
                                 int schema_version) {
  std::string text;
  text.reserve(event.actor.size() + 128);
  text += "quitt-case-event/1\n";
  text += std::to_string(event.client.value()) + "\n";
  text += std::to_string(event.case_id.value()) + "\n";
  text += std::to_string(event.seq) + "\n";
  text += type + "\n";
  text += std::to_string(schema_version) + "\n";
  text += event.effective_date.ToString() + "\n";
  text += event.recorded_at.ToString() + "\n";
  text += event.actor + "\n";
  return text;
}

// ChainHash(previous, CanonicalEventText(...)) without building the text: the payload (most of
// the bytes) is hashed where it lies instead of being copied behind the header first.
Sha256Digest EventHash(const Sha256Digest& previous_hash, const CaseEvent& event,
                       const std::string& type, int schema_version,
                       const std::string& payload_json) {
  Sha256 hasher;
  hasher.Update(previous_hash);
  hasher.Update(CanonicalEventHeader(event, type, schema_version));
  hasher.Update(payload_json);
  return hasher.Finish();
}

}  // namespace

std::string CanonicalEventText(const CaseEvent& event, const std::string& type, int schema_version,
                               const std::string& payload_json) {
  return CanonicalEventHeader(event, type, schema_version) + payload_json;
}

Sha256Digest ChainHash(const Sha256Digest& previous_hash, const std::string& canonical_text) {
  Sha256 hasher;
  hasher.Update(previous_hash);
  hasher.Update(canonical_text);
  return hasher.Finish();
}

StoredCaseEvent Seal(CaseEvent event, const Sha256Digest& previous_hash) {
  StoredCaseEvent stored;
  SealInto(std::move(event), previous_hash, stored);
  return stored;
}

void SealInto(CaseEvent event, const Sha256Digest& previous_hash, StoredCaseEvent& into) {
  into.type = EventTypeName(event.payload);
  into.schema_version = EventSchemaVersion(event.payload);
  into.payload_json = PayloadToJson(event.payload);
  into.previous_hash = previous_hash;
  into.hash = EventHash(previous_hash, event, into.type, into.schema_version, into.payload_json);
  into.event = std::move(event);
}

Status VerifyChain(const std::vector<StoredCaseEvent>& history) {
  Sha256Digest expected_previous{};
  for (std::size_t i = 0; i < history.size(); ++i) {
    const StoredCaseEvent& stored = history[i];
    const auto expected_seq = static_cast<std::int64_t>(i) + 1;
    const std::string where = "event " + std::to_string(stored.event.seq);
    if (stored.event.seq != expected_seq) {
      return DataLoss("event " + std::to_string(expected_seq) + " is missing (found " +
                      std::to_string(stored.event.seq) + " in its place)");
    }
    if (stored.previous_hash != expected_previous) {
      return DataLoss(where + ": its previous-hash does not match the hash of event " +
                      std::to_string(expected_seq - 1));
    }
    Sha256Digest recomputed = EventHash(stored.previous_hash, stored.event, stored.type,
                                        stored.schema_version, stored.payload_json);
    if (recomputed != stored.hash) {
      return DataLoss(where + " (" + stored.type + ", recorded " +
                      stored.event.recorded_at.ToString() +
                      "): its content does not match its hash; the stored event was changed");
    }
    auto payload = PayloadFromJson(stored.type, stored.schema_version, stored.payload_json);
    if (!payload) return payload.error().WithContext(where);
    expected_previous = stored.hash;
  }
  return OkStatus();
}

Result<CaseEvent> Unseal(const StoredCaseEvent& stored) {
  QUITT_ASSIGN_OR_RETURN(CaseEventPayload payload,
                         PayloadFromJson(stored.type, stored.schema_version, stored.payload_json));
  CaseEvent event = stored.event;
  event.payload = std::move(payload);
  return event;
}

}  // namespace quitt::domain
