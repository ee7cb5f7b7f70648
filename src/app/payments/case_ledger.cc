#include "app/payments/case_ledger.h"

#include "domain/case_number.h"
#include "domain/ledger/ledger_codec.h"

namespace quitt::app::payments {

domain::LedgerInput LedgerInputOf(const domain::CaseState& state,
                                  domain::CustomerKind customer_kind,
                                  const StatementOptions& options) {
  domain::LedgerInput input;
  input.customer_kind = customer_kind;
  input.as_of = options.as_of;
  input.interest.day_count = options.day_count;
  input.interest.allow_unpublished_base_rate = options.allow_provisional_base_rate;
  input.client_can_deduct_vat = options.client_can_deduct_vat;
  for (const domain::Claim& claim : state.claims) {
    domain::LedgerClaim ledger_claim;
    ledger_claim.claim = claim;
    input.claims.push_back(std::move(ledger_claim));
  }
  // Only payments with a recorded allocation count against the claims: a payment for a closed
  // case is held whole and never reaches the ledger.
  auto allocated = [&](const std::string& ref) {
    for (const auto& allocation : state.allocations) {
      if (allocation.payment_ref == ref) return true;
    }
    return false;
  };
  input.claims.reserve(state.claims.size());
  input.payments.reserve(state.payments.size() + 1);
  for (const domain::PaymentReceived& payment : state.payments) {
    if (!allocated(payment.payment_ref)) continue;
    input.payments.push_back({payment.payment_ref, payment.booked_on, payment.amount, {}});
  }
  for (const domain::FeeCharged& fee : state.fees) {
    auto event = FeeEventOf(fee);
    // A stored fee event was valid when it was recorded (the codec and the CLI check it).
    if (event.ok()) input.fees.push_back(*event);
  }
  return input;
}

Result<domain::Statement> BuildCaseStatement(const domain::Jurisdiction& jurisdiction,
                                             const CaseView& view,
                                             const StatementOptions& options) {
  if (view.state.claims.empty()) {
    return FailedPrecondition("case " + view.summary.case_number + " has no claims");
  }
  auto statement =
      domain::BuildStatement(jurisdiction, LedgerInputOf(view.state, view.customer.kind, options));
  if (!statement) return statement.error().WithContext("case " + view.summary.case_number);
  return statement;
}

domain::PaymentAllocated ToAllocatedEvent(const domain::PaymentAllocation& allocation) {
  domain::PaymentAllocated event;
  event.payment_ref = allocation.payment_ref;
  event.date = allocation.date;
  event.amount = allocation.amount;
  event.surplus = allocation.surplus;
  for (const domain::AllocationPart& part : allocation.parts) {
    event.parts.push_back({part.claim, domain::BucketName(part.bucket), part.amount,
                           part.basis.rule, part.basis.source});
  }
  return event;
}

Result<domain::FeeEvent> FeeEventOf(const domain::FeeCharged& fee) {
  domain::FeeEvent event;
  event.ref = fee.fee_ref;
  event.date = fee.date;
  auto kind = domain::ParseFeeKind(fee.kind);
  if (!kind) return InvalidArgument("fee " + fee.fee_ref + ": unknown kind '" + fee.kind + "'");
  event.kind = *kind;
  auto course = domain::ParseCollectionCourse(fee.course);
  if (!course) {
    return InvalidArgument("fee " + fee.fee_ref + ": unknown course '" + fee.course + "'");
  }
  event.course = *course;
  event.charged = fee.charged;
  event.value = fee.value;
  event.claims = fee.claims;
  return event;
}

domain::FeeCharged ToFeeChargedEvent(const domain::FeeEvent& fee) {
  domain::FeeCharged event;
  event.fee_ref = fee.ref;
  event.date = fee.date;
  event.kind = domain::FeeKindName(fee.kind);
  event.course = domain::CollectionCourseName(fee.course);
  event.charged = fee.charged;
  event.value = fee.value;
  event.claims = fee.claims;
  return event;
}

bool FullyPaid(const domain::Statement& statement) {
  for (const auto& claim : statement.claims) {
    if (!claim.open_total.is_zero()) return false;
  }
  return true;
}

Result<domain::CreditorReference> CaseReference(const std::string& case_number) {
  QUITT_ASSIGN_OR_RETURN(auto number, domain::CaseNumber::Parse(case_number));
  std::string digits;
  for (char c : number.ToString()) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  return domain::CreditorReference::Create(digits);
}

}  // namespace quitt::app::payments
