#pragma once
// The bridge between a case's history and the claim ledger: case events carry plain domain
// values (domain/case_event.h); the ledger (domain/ledger) has its own types one layer up. These
// functions convert both ways and build a case's statement of account.
#include <string>

#include "app/case_service.h"
#include "app/payments/payment_records.h"
#include "domain/case_event.h"
#include "domain/creditor_reference.h"
#include "domain/jurisdiction/jurisdiction.h"
#include "domain/ledger/ledger.h"

namespace quitt::app::payments {

struct StatementOptions {
  domain::Date as_of = domain::Date::FromDaysSinceEpoch(0);
  // The base-rate table ends with the last published half-year; later days use the last known
  // rate and every such line is marked provisional (LedgerInput::interest).
  bool allow_provisional_base_rate = false;
  domain::DayCount day_count = domain::DayCount::kActual365;
  bool client_can_deduct_vat = true;
};

// The ledger input of a case: its claims, the payments that were allocated to it (payments held
// for a closed case are not), its fee events, as of a date.
domain::LedgerInput LedgerInputOf(const domain::CaseState& state,
                                  domain::CustomerKind customer_kind,
                                  const StatementOptions& options);

// The § 13a RDG statement of a case as of a date.
Result<domain::Statement> BuildCaseStatement(const domain::Jurisdiction& jurisdiction,
                                             const CaseView& view, const StatementOptions& options);

// Event payload ↔ ledger types.
domain::PaymentAllocated ToAllocatedEvent(const domain::PaymentAllocation& allocation);
Result<domain::FeeEvent> FeeEventOf(const domain::FeeCharged& fee);
domain::FeeCharged ToFeeChargedEvent(const domain::FeeEvent& fee);

// Whether a statement owes nothing more (every claim's open total is zero).
bool FullyPaid(const domain::Statement& statement);

// The ISO 11649 reference of a case: RF + check digits + the case number's digits
// ("Q-00012345-6" → RF.. 000123456). Printed on letters and in the QR code, so the bank
// transfer names its case without free text.
Result<domain::CreditorReference> CaseReference(const std::string& case_number);

}  // namespace quitt::app::payments
