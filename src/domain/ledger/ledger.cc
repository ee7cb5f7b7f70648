#include "domain/ledger/ledger.h"

#include <algorithm>

#include "common/check.h"
#include "domain/ledger/day_count.h"

namespace quitt::domain {
namespace {

// Where one claim stands during the fold.
struct ClaimState {
  const LedgerClaim* source = nullptr;
  std::vector<RateSegment> segments;
  std::size_t segment = 0;
  std::optional<Date> line_start;  // first day of the running interest line
  Money principal_open = Money::Zero(Currency::Eur());
  Money costs_charged = Money::Zero(Currency::Eur());
  Money flat_fee_uncredited = Money::Zero(Currency::Eur());
  Money interest_closed = Money::Zero(Currency::Eur());
  Money paid_costs = Money::Zero(Currency::Eur());
  Money paid_interest = Money::Zero(Currency::Eur());
  Money paid_principal = Money::Zero(Currency::Eur());
  std::optional<Date> last_payment;
  ClaimStatement out;
};

// Under act/act a line must not cross a year end, so segments are cut at every 1 January.
std::vector<RateSegment> SplitAtYearEnds(const std::vector<RateSegment>& in) {
  std::vector<RateSegment> out;
  for (RateSegment s : in) {
    while (s.from.year() != s.to.year()) {
      RateSegment head = s;
      head.to = s.from.EndOfYear();
      out.push_back(head);
      s.from = head.to.AddDays(1);
    }
    out.push_back(s);
  }
  return out;
}

class Fold {
 public:
  Fold(const Jurisdiction& j, const LedgerInput& in, Currency currency)
      : j_(j), in_(in), currency_(currency) {}

  Money Zero() const { return Money::Zero(currency_); }

  Status Init() {
    for (const LedgerClaim& lc : in_.claims) {
      ClaimState st;
      st.source = &lc;
      const Claim& c = lc.claim;
      st.principal_open = c.principal;
      st.costs_charged = Zero();
      st.flat_fee_uncredited = Zero();
      st.interest_closed = Zero();
      st.paid_costs = st.paid_interest = st.paid_principal = Zero();
      ClaimStatement& o = st.out;
      o.claim = c.id;
      o.client_ref = c.client_ref;
      o.reason = c.reason;
      o.invoice_date = c.invoice_date;
      o.due_date = c.due_date;
      o.default_date = c.default_date;
      o.default_basis = c.default_basis;
      o.principal = c.principal;
      if (!c.default_date) {
        o.interest_note = "no default date stated: no default interest";
      } else if (*c.default_date > in_.as_of) {
        o.interest_note = "not in default on " + in_.as_of.ToGermanString();
      } else {
        auto segments =
            j_.InterestRates(c, in_.customer_kind, *c.default_date, in_.as_of, in_.interest);
        if (!segments.ok()) return segments.error().WithContext("claim " + c.client_ref);
        st.segments = in_.interest.day_count == DayCount::kActualActual ? SplitAtYearEnds(*segments)
                                                                        : *segments;
        if (!st.segments.empty()) st.line_start = st.segments.front().from;
      }
      if (c.client_costs.is_positive()) {
        FeeLine line;
        line.kind = CostKind::kClientCosts;
        line.date = c.default_date.value_or(c.due_date);
        line.amount = c.client_costs;
        line.basis = {
            "§§ 280(1), (2), 286 BGB: the client's own costs of the default (stated by "
            "the client)",
            "https://www.gesetze-im-internet.de/bgb/__286.html"};
        AddClaimCost(st, line);
      }
      if (auto flat = j_.FlatDefaultFee(c, in_.customer_kind);
          flat && *c.default_date <= in_.as_of) {
        AddClaimCost(st, *flat);
        if (j_.FlatFeeIsCredited()) st.flat_fee_uncredited = flat->amount;
      }
      states_.push_back(std::move(st));
    }
    return OkStatus();
  }

  Status ApplyFee(const FeeEvent& event) {
    std::vector<std::size_t> targets;
    if (event.claims.empty()) {
      for (std::size_t i = 0; i < states_.size(); ++i) targets.push_back(i);
    } else {
      for (const ClaimId& id : event.claims) {
        std::optional<std::size_t> found;
        for (std::size_t i = 0; i < states_.size(); ++i) {
          if (states_[i].out.claim == id) found = i;
        }
        if (!found) return InvalidArgument("fee '" + event.ref + "': unknown claim id");
        targets.push_back(*found);
      }
    }
    Money open = Zero();
    std::vector<std::int64_t> weights;
    for (std::size_t i : targets) {
      open += states_[i].principal_open;
      weights.push_back(states_[i].principal_open.minor_units());
    }
    FeeContext ctx;
    ctx.customer_kind = in_.customer_kind;
    ctx.client_can_deduct_vat = in_.client_can_deduct_vat;
    ctx.value = event.value.value_or(open);
    ctx.fees_so_far = fees_so_far_;
    ctx.expenses_so_far = expenses_so_far_;
    if (!ctx.value.is_positive()) {
      return InvalidArgument("fee '" + event.ref + "' on " + event.date.ToString() +
                             ": nothing open to charge a fee on");
    }
    auto lines = j_.ChargeFee(event, ctx);
    if (!lines.ok()) return lines.error().WithContext("fee '" + event.ref + "'");
    Money total = Zero();
    for (const FeeLine& line : *lines) {
      if (line.kind == CostKind::kBusinessFee || line.kind == CostKind::kSettlementFee) {
        fees_so_far_ += line.amount;
      } else if (line.kind == CostKind::kExpenses) {
        expenses_so_far_ += line.amount;
      }
      total += line.amount;
      collection_costs_.push_back(line);
    }
    if (std::all_of(weights.begin(), weights.end(), [](std::int64_t w) { return w == 0; })) {
      weights.assign(weights.size(), 1);
    }
    std::vector<Money> shares = total.Allocate(weights);
    for (std::size_t k = 0; k < targets.size(); ++k) {
      ClaimState& st = states_[targets[k]];
      st.costs_charged += shares[k];
      st.out.collection_cost_share += shares[k];
      Money credit = Min(st.flat_fee_uncredited, shares[k]);
      if (credit.is_positive()) {
        st.flat_fee_uncredited -= credit;
        FeeLine line;
        line.kind = CostKind::kFlatDefaultCredit;
        line.fee_ref = event.ref;
        line.date = event.date;
        line.amount = -credit;
        line.basis = {
            "§ 288(5) S.3 BGB: the flat fee is credited against the costs of legal "
            "pursuit",
            "https://www.gesetze-im-internet.de/bgb/__288.html"};
        AddClaimCost(st, line);
      }
    }
    return OkStatus();
  }

  void ApplyPayment(const LedgerPayment& payment) {
    std::vector<OpenClaim> open;
    for (ClaimState& st : states_) {
      Money accrued = AccruedThrough(st, payment.date);
      OpenClaim oc;
      oc.claim = st.out.claim;
      oc.costs = st.costs_charged - st.paid_costs;
      oc.interest = accrued - st.paid_interest;
      oc.principal = st.principal_open;
      oc.due_date = st.source->claim.due_date;
      oc.invoice_date = st.source->claim.invoice_date;
      oc.security_rank = st.source->security_rank;
      oc.running_rate_bp = RunningRateOn(st, payment.date);
      oc.consumer_credit = st.source->claim.interest.consumer_credit;
      open.push_back(oc);
    }
    AllocationRequest request;
    request.payment_ref = payment.ref;
    request.date = payment.date;
    request.amount = payment.amount;
    request.customer_designation = payment.customer_designation;
    request.agreed_order = in_.agreed_order;
    PaymentAllocation allocation = j_.AllocatePayment(request, open);
    for (const AllocationPart& part : allocation.parts) {
      for (ClaimState& st : states_) {
        if (!(st.out.claim == part.claim)) continue;
        st.last_payment = payment.date;
        switch (part.bucket) {
          case Bucket::kCosts: st.paid_costs += part.amount; break;
          case Bucket::kInterest: st.paid_interest += part.amount; break;
          case Bucket::kPrincipal:
            if (st.line_start && *st.line_start <= payment.date) {
              CloseLine(st, payment.date);
            }
            st.principal_open -= part.amount;
            st.paid_principal += part.amount;
            break;
        }
      }
    }
    payments_.push_back(std::move(allocation));
  }

  Statement Finish() {
    Statement s;
    s.country = std::string(j_.CountryCode());
    s.as_of = in_.as_of;
    s.currency = currency_;
    s.customer_kind = in_.customer_kind;
    s.day_count = in_.interest.day_count;
    s.total_principal = s.total_interest = s.total_costs = s.total_paid = s.total_surplus =
        s.total_due = Zero();
    bool provisional = false;
    for (ClaimState& st : states_) {
      while (st.line_start) CloseLine(st, st.segments[st.segment].to);
      ClaimStatement& o = st.out;
      o.interest = st.interest_closed;
      o.costs = o.collection_cost_share;
      for (const FeeLine& line : o.claim_costs) o.costs += line.amount;
      QUITT_CHECK(o.costs == st.costs_charged);
      o.paid_costs = st.paid_costs;
      o.paid_interest = st.paid_interest;
      o.paid_principal = st.paid_principal;
      o.open_costs = o.costs - o.paid_costs;
      o.open_interest = o.interest - o.paid_interest;
      o.open_principal = st.principal_open;
      o.open_total = o.open_costs + o.open_interest + o.open_principal;
      for (const InterestLine& line : o.interest_lines) provisional |= line.provisional;
      LimitationInput lim;
      lim.arose = st.source->claim.due_date;
      lim.knowledge = st.source->knowledge;
      lim.titled = st.source->titled;
      lim.last_acknowledgement = st.last_payment;
      lim.suspended_days = st.source->limitation_suspended_days;
      o.limitation = j_.Limitation(lim, in_.as_of);
      s.total_principal += o.principal;
      s.total_interest += o.interest;
      s.total_costs += o.costs;
      s.total_due += o.open_total;
      s.claims.push_back(o);
    }
    for (const PaymentAllocation& p : payments_) {
      s.total_paid += p.amount;
      s.total_surplus += p.surplus;
    }
    s.collection_costs = collection_costs_;
    s.payments = payments_;
    QUITT_CHECK(s.total_principal + s.total_interest + s.total_costs - s.total_paid +
                    s.total_surplus ==
                s.total_due);
    if (provisional) {
      s.notes.push_back(
          "Lines marked provisional use the last published base rate because the rate for that "
          "half-year is not yet in the table.");
    }
    for (const std::string& n : skipped_) s.notes.push_back(n);
    return s;
  }

  void Skip(std::string note) { skipped_.push_back(std::move(note)); }

 private:
  void AddClaimCost(ClaimState& st, const FeeLine& line) {
    st.costs_charged += line.amount;
    st.out.claim_costs.push_back(line);
  }

  // The claim's interest rate on `day`, for the "more burdensome" order of § 366(2) BGB. When the
  // statement's last segment ends on the payment's day (the as-of date), an earlier payment of
  // that day has closed it already; it still ran on that day, so a second payment of the same day
  // sees the same rate as it would in a statement of any later date.
  std::int32_t RunningRateOn(const ClaimState& st, Date day) const {
    if (st.line_start && st.segment < st.segments.size()) return st.segments[st.segment].rate_bp;
    if (!st.segments.empty() && st.segment == st.segments.size() && day <= st.segments.back().to) {
      return st.segments.back().rate_bp;
    }
    return 0;
  }

  // Ends the running line on `to` (inclusive) and starts the next one the day after.
  void CloseLine(ClaimState& st, Date to) {
    QUITT_CHECK(st.line_start && *st.line_start <= to);
    const RateSegment& seg = st.segments[st.segment];
    QUITT_CHECK(to <= seg.to);
    if (st.principal_open.is_positive()) {
      InterestLine line;
      line.from = *st.line_start;
      line.to = to;
      DayFraction f = CountDays(line.from, to, in_.interest.day_count);
      line.days = f.days;
      line.year_days = f.year_days;
      line.rate_bp = seg.rate_bp;
      line.base_rate_bp = seg.base_rate_bp;
      line.margin_bp = seg.margin_bp;
      line.principal = st.principal_open;
      line.interest = LineInterest(st.principal_open, seg.rate_bp, f);
      line.basis = seg.basis;
      line.rate_source = seg.rate_source;
      line.provisional = seg.provisional;
      st.interest_closed += line.interest;
      st.out.interest_lines.push_back(line);
    }
    if (to == seg.to) {
      ++st.segment;
      if (st.segment < st.segments.size()) {
        st.line_start = st.segments[st.segment].from;
      } else {
        st.line_start.reset();
      }
    } else {
      st.line_start = to.AddDays(1);
    }
  }

  // Closes every line that ends before `day`, then returns the interest up to and including `day`.
  Money AccruedThrough(ClaimState& st, Date day) {
    while (st.line_start && st.segments[st.segment].to < day) {
      CloseLine(st, st.segments[st.segment].to);
    }
    Money accrued = st.interest_closed;
    if (st.line_start && *st.line_start <= day && st.principal_open.is_positive()) {
      const RateSegment& seg = st.segments[st.segment];
      accrued += LineInterest(st.principal_open, seg.rate_bp,
                              CountDays(*st.line_start, day, in_.interest.day_count));
    }
    return accrued;
  }

  const Jurisdiction& j_;
  const LedgerInput& in_;
  Currency currency_;
  std::vector<ClaimState> states_;
  std::vector<FeeLine> collection_costs_;
  std::vector<PaymentAllocation> payments_;
  Money fees_so_far_ = Money::Zero(Currency::Eur());
  Money expenses_so_far_ = Money::Zero(Currency::Eur());
  std::vector<std::string> skipped_;
};

}  // namespace

Result<Statement> BuildStatement(const Jurisdiction& jurisdiction, const LedgerInput& input) {
  if (input.claims.empty()) return InvalidArgument("statement: the case has no claims");
  const Currency currency = input.claims.front().claim.principal.currency();
  for (const LedgerClaim& lc : input.claims) {
    const Claim& c = lc.claim;
    if (!(c.principal.currency() == currency) || !(c.client_costs.currency() == currency)) {
      return InvalidArgument("claim " + c.client_ref + ": currency " +
                             std::string(c.principal.currency().code()) + " differs from " +
                             std::string(currency.code()));
    }
    if (c.principal.is_negative() || c.client_costs.is_negative()) {
      return InvalidArgument("claim " + c.client_ref + ": negative amount");
    }
  }
  for (const LedgerPayment& p : input.payments) {
    if (!(p.amount.currency() == currency)) {
      return InvalidArgument("payment '" + p.ref + "': currency " +
                             std::string(p.amount.currency().code()) + " differs from " +
                             std::string(currency.code()));
    }
    if (!p.amount.is_positive()) {
      return InvalidArgument("payment '" + p.ref + "': amount must be positive, got " +
                             p.amount.ToDecimalString());
    }
  }
  Fold fold(jurisdiction, input, currency);
  QUITT_RETURN_IF_ERROR(fold.Init());

  // (date, 0 = fee / 1 = payment, input index): fees before payments on one day, stable.
  std::vector<std::tuple<Date, int, std::size_t>> order;
  for (std::size_t i = 0; i < input.fees.size(); ++i) order.emplace_back(input.fees[i].date, 0, i);
  for (std::size_t i = 0; i < input.payments.size(); ++i) {
    order.emplace_back(input.payments[i].date, 1, i);
  }
  std::stable_sort(order.begin(), order.end());
  for (const auto& [date, kind, index] : order) {
    if (date > input.as_of) {
      fold.Skip(std::string(kind == 0 ? "fee '" + input.fees[index].ref
                                      : "payment '" + input.payments[index].ref) +
                "' of " + date.ToGermanString() + " is after the statement date and not included");
      continue;
    }
    if (kind == 0) {
      QUITT_RETURN_IF_ERROR(fold.ApplyFee(input.fees[index]));
    } else {
      fold.ApplyPayment(input.payments[index]);
    }
  }
  return fold.Finish();
}

}  // namespace quitt::domain
