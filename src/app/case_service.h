#pragma once
// Reading and changing single cases: show, history, verify, append events (notes now; payments,
// promises and actions later use the same AppendToCase).
#include <string>
#include <vector>

#include "app/ports.h"

namespace quitt::app {

struct CaseView {
  CaseSummary summary;
  domain::Client client;
  domain::Customer customer;
  domain::CaseState state;
  std::vector<domain::StoredCaseEvent> history;
  std::vector<domain::CaseEvent> events;  // `history` unsealed
};

// The case with this number (any accepted spelling of a case number); NotFound otherwise.
// A history that cannot be read (corrupt payload) is a DataLoss error: run verify.
Result<CaseView> LoadCase(CaseStore& store, const std::string& case_number);
// The same for a case whose summary the caller has just read (saves the second lookup).
Result<CaseView> LoadCase(CaseStore& store, const CaseSummary& summary);

// Rebuilds the read-model row of a case from its folded state.
CaseSummary SummaryFromState(const domain::CaseState& state, const domain::Customer& customer,
                             const Sha256Digest& last_hash, domain::Timestamp updated_at);

// Appends events to one case in one transaction, with the read model, continuing the hash chain.
// Fails with kFailedPrecondition when the case is closed (unless `allow_closed`), kAborted when a
// concurrent writer appended first.
Result<CaseSummary> AppendToCase(CaseStore& store, Clock& clock, const std::string& case_number,
                                 std::vector<domain::CaseEventPayload> payloads,
                                 const std::string& actor, domain::Date effective_date,
                                 bool allow_closed = false);

struct VerifyResult {
  std::string case_number;
  std::int64_t events = 0;
  Status status;  // OK or DataLoss with the first broken link
};

// Re-checks the hash chain of one case and that the read model points at its last event.
VerifyResult VerifyCase(CaseStore& store, const CaseSummary& summary);

struct VerifyAllReport {
  std::int64_t cases = 0;
  std::int64_t events = 0;
  std::vector<VerifyResult> broken;
};
Result<VerifyAllReport> VerifyAll(CaseStore& store, std::optional<ClientId> client);

}  // namespace quitt::app
