#pragma once
// Jurisdiction: the country-specific rules the ledger needs, behind one interface so that other
// countries (at/, ch/ ...) plug in beside de/ without touching the ledger fold.
//
// A jurisdiction answers four questions, always with the legal basis and source of each figure:
//   1. Which default-interest rate applies to a claim on which days (RateSegment).
//   2. Which collection fees, expenses and VAT a fee event produces, after the caps (FeeLine).
//   3. How a payment is split over several claims and within a claim (PaymentAllocation).
//   4. When a claim becomes time-barred, and from when to warn (LimitationInfo).
// Everything here is a value: no I/O, no clock. The ledger (domain/ledger) folds claims, payments
// and fee events through these answers into a Statement.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/claim.h"
#include "domain/date.h"
#include "domain/ids.h"
#include "domain/money.h"
#include "domain/party.h"

namespace quitt::domain {

// Where a figure comes from: the rule ("§ 288(1) BGB") and where it is written down (a URL or a
// table name with its version). Every line of a statement carries one.
struct LegalBasis {
  std::string rule;
  std::string source;
};

// How days are counted for interest (see docs/ledger.md). The default, kActual365, counts actual
// calendar days over a 365-day year (also in leap years; § 191 BGB). kActualActual divides by 366
// in leap years. kThirty360 reproduces the German dunning courts' calculator (every month 30 days,
// year 360 days, first and last day both bear interest).
enum class DayCount { kActual365, kActualActual, kThirty360 };
const char* DayCountName(DayCount convention);  // "act/365", "act/act", "30/360"
std::optional<DayCount> ParseDayCount(std::string_view text);

// One stretch of days [from, to] (both inclusive) with one interest rate per year.
struct RateSegment {
  Date from = Date::FromDaysSinceEpoch(0);
  Date to = Date::FromDaysSinceEpoch(0);
  std::int32_t rate_bp = 0;  // total rate in basis points per year (1 bp = 0.01 % p.a.)
  // For a statutory rate: the base rate and the margin that add up to rate_bp.
  std::optional<std::int32_t> base_rate_bp;
  std::int32_t margin_bp = 0;
  LegalBasis basis;        // why this rate (e.g. "§ 288(2) BGB: base rate + 9 points")
  LegalBasis rate_source;  // where the base rate of this stretch is published
  // True when the base rate of this stretch is not yet in the table and the last known rate was
  // carried forward (only with InterestOptions::allow_unpublished_base_rate).
  bool provisional = false;
};

struct InterestOptions {
  DayCount day_count = DayCount::kActual365;
  // A statement for a date after the last base rate in the table fails unless this is set; then
  // the last known rate is used and every such line is marked provisional.
  bool allow_unpublished_base_rate = false;
};

// The parts of a claim a payment can go to.
enum class Bucket { kCosts, kInterest, kPrincipal };
const char* BucketName(Bucket bucket);  // "costs", "interest", "principal"

// What is open on one claim at the moment a payment arrives.
struct OpenClaim {
  ClaimId claim;
  Money costs = Money::Zero(Currency::Eur());
  Money interest = Money::Zero(Currency::Eur());
  Money principal = Money::Zero(Currency::Eur());
  Date due_date = Date::FromDaysSinceEpoch(0);
  Date invoice_date = Date::FromDaysSinceEpoch(0);
  // Higher = better secured for the client (guarantee, retention of title). § 366(2) BGB pays the
  // less secured claim first.
  int security_rank = 0;
  // The interest rate running on the claim at the payment date; a higher rate is "more
  // burdensome" for the customer (§ 366(2) BGB).
  std::int32_t running_rate_bp = 0;
  bool consumer_credit = false;
  Money Total() const { return costs + interest + principal; }
};

// A payment to allocate: amount, date and, if the customer said which claims it is for, that
// designation (§ 366(1) BGB); an order agreed with the client applies after the designation.
struct AllocationRequest {
  std::string payment_ref;
  Date date = Date::FromDaysSinceEpoch(0);
  Money amount = Money::Zero(Currency::Eur());
  std::vector<ClaimId> customer_designation;
  std::vector<ClaimId> agreed_order;
};

// One piece of a payment: how much went to which bucket of which claim, and why.
struct AllocationPart {
  ClaimId claim;
  Bucket bucket = Bucket::kPrincipal;
  Money amount = Money::Zero(Currency::Eur());
  LegalBasis basis;  // the rule that chose this claim and this bucket
};

// The allocation of one payment. Invariant: sum(parts) + surplus == amount, exactly.
struct PaymentAllocation {
  std::string payment_ref;
  Date date = Date::FromDaysSinceEpoch(0);
  Money amount = Money::Zero(Currency::Eur());
  std::vector<AllocationPart> parts;
  // What was paid beyond everything open (to be refunded or held); never silently dropped.
  Money surplus = Money::Zero(Currency::Eur());
};

// What kind of collection work a fee event stands for.
enum class FeeKind {
  kBusinessFee,    // out-of-court collection (Germany: Nr. 2300 VV RVG)
  kSettlementFee,  // agreement on a payment plan (Germany: Nr. 1000 Nr. 2 VV RVG, § 31b RVG)
};
const char* FeeKindName(FeeKind kind);

// How the collection went; decides the rate of the business fee.
enum class CollectionCourse {
  kPaidOnFirstDemand,     // the customer paid on the first demand: a simple case
  kRegular,               // undisputed claim, normal effort
  kExtensiveOrDifficult,  // flagged by an agent: particularly extensive or difficult
  kDisputed,              // the customer disputed the claim
};
const char* CollectionCourseName(CollectionCourse course);
std::optional<CollectionCourse> ParseCollectionCourse(std::string_view text);

// A fee the agency (or lawyer) charged for work done on the case.
struct FeeEvent {
  std::string ref;
  Date date = Date::FromDaysSinceEpoch(0);  // when the work was done; picks the fee table
  FeeKind kind = FeeKind::kBusinessFee;
  CollectionCourse course = CollectionCourse::kRegular;
  // What the agency bills; when above the statutory amount, the cap (§ 13e RDG) cuts it. Absent:
  // the statutory amount is charged.
  std::optional<Money> charged;
  // The value of the matter; absent: the sum of the principals of the claims the fee is for.
  std::optional<Money> value;
  // The claims this fee is for; empty: every claim of the case.
  std::vector<ClaimId> claims;
};

// The kinds of cost lines a statement shows.
enum class CostKind {
  kClientCosts,        // costs the client incurred before hand-over
  kFlatDefaultFee,     // Germany: EUR 40, § 288(5) BGB
  kFlatDefaultCredit,  // the flat fee credited against later collection costs (negative)
  kBusinessFee,
  kSettlementFee,
  kExpenses,  // Germany: Nr. 7002 VV RVG
  kVat,       // Germany: Nr. 7008 VV RVG, only when the client cannot deduct it
};
const char* CostKindName(CostKind kind);

// One cost figure with everything needed to trace it.
struct FeeLine {
  CostKind kind = CostKind::kBusinessFee;
  std::string fee_ref;  // the FeeEvent::ref it came from (empty for claim-level lines)
  Date date = Date::FromDaysSinceEpoch(0);
  Money amount = Money::Zero(Currency::Eur());
  // For table fees: the value of the matter, the rate in tenths (9 = 0.9) and the table row.
  std::optional<Money> value;
  std::int32_t rate_tenths = 0;
  std::string table_row;  // e.g. "RVG § 13 table 2025-06-01: value up to 1,500.00 EUR → 134.50"
  LegalBasis basis;
  std::string note;  // e.g. "capped by § 13e RDG: agency billed 150.00"
};

// What the fee rules need to know about the case besides the event.
struct FeeContext {
  CustomerKind customer_kind = CustomerKind::kConsumer;
  bool client_can_deduct_vat = true;
  Money value = Money::Zero(Currency::Eur());  // value of the matter (already resolved)
  // Fees (business + settlement, after caps) already charged in the same matter, for the expense
  // flat rate and its cap.
  Money fees_so_far = Money::Zero(Currency::Eur());
  Money expenses_so_far = Money::Zero(Currency::Eur());
};

struct LimitationInput {
  Date arose = Date::FromDaysSinceEpoch(0);  // when the claim arose (usually the due date)
  // When the client knew the facts and the customer (§ 199(1) Nr. 2 BGB); default: arose.
  std::optional<Date> knowledge;
  // Final judgment / enforcement order / enforceable settlement: 30 years (§ 197 BGB).
  std::optional<Date> titled;
  // Last acknowledgement by the customer (part payment, interest payment): restart (§ 212 BGB).
  std::optional<Date> last_acknowledgement;
  // Days during which limitation was suspended (§§ 203, 204, 209 BGB).
  std::int32_t suspended_days = 0;
};

enum class LimitationState { kRunning, kWarning, kUrgent, kExpired };
const char* LimitationStateName(LimitationState state);

struct LimitationInfo {
  Date expires = Date::FromDaysSinceEpoch(0);  // last day on which the claim can be enforced
  Date warn_from = Date::FromDaysSinceEpoch(0);
  Date urgent_from = Date::FromDaysSinceEpoch(0);
  LimitationState state = LimitationState::kRunning;  // as of the date asked for
  LegalBasis basis;
};

class Jurisdiction {
 public:
  virtual ~Jurisdiction() = default;

  // ISO 3166-1 alpha-2 code ("DE").
  virtual std::string_view CountryCode() const = 0;

  // The default-interest rate of `claim` for every day of [from, to] (both inclusive), as
  // consecutive segments split wherever the rate changes. Fails when a rate is unknown.
  virtual Result<std::vector<RateSegment>> InterestRates(const Claim& claim,
                                                         CustomerKind customer_kind, Date from,
                                                         Date to,
                                                         const InterestOptions& options) const = 0;

  // The flat fee a client may claim on default without proof of cost (Germany: § 288(5) BGB), or
  // nothing. Whether it is credited against later collection costs: FlatFeeIsCredited().
  virtual std::optional<FeeLine> FlatDefaultFee(const Claim& claim,
                                                CustomerKind customer_kind) const = 0;
  virtual bool FlatFeeIsCredited() const = 0;

  // The cost lines (fee, expenses, VAT) a fee event produces, with caps applied.
  virtual Result<std::vector<FeeLine>> ChargeFee(const FeeEvent& event,
                                                 const FeeContext& context) const = 0;

  // Splits a payment over the open claims. sum(parts) + surplus == request.amount.
  virtual PaymentAllocation AllocatePayment(const AllocationRequest& request,
                                            const std::vector<OpenClaim>& open) const = 0;

  // When the claim becomes time-barred and the warning dates, as of `as_of`.
  virtual LimitationInfo Limitation(const LimitationInput& input, Date as_of) const = 0;
};

}  // namespace quitt::domain
