#include "app/ports.h"

namespace quitt::app {

// The daily-run methods are not pure, so a store under construction (PostgreSQL) still compiles;
// until it implements them the run refuses to start on it with a clear message.
namespace {
Status NotOnThisStore(const char* what) {
  return FailedPrecondition(std::string("this store does not support the daily run yet (") + what +
                            ")");
}
}  // namespace

Result<std::vector<CollectionCandidate>> CaseStore::ListCollectionCandidates(ClientId, CaseId,
                                                                             int) {
  return NotOnThisStore("ListCollectionCandidates");
}
Result<std::optional<CollectionRow>> CaseStore::FindCollectionRow(ClientId, CaseId) {
  return NotOnThisStore("FindCollectionRow");
}
Result<bool> CaseStore::IsRepeatCustomer(ClientId, CustomerId, CaseId) {
  return NotOnThisStore("IsRepeatCustomer");
}
Result<std::vector<DueCase>> CaseStore::LoadDueCases(ClientId, domain::Date, int, int, CaseId,
                                                     int) {
  return NotOnThisStore("LoadDueCases");
}
Result<int> CaseStore::PlanRun(domain::Date, int) { return NotOnThisStore("PlanRun"); }
Result<std::optional<RunPartition>> CaseStore::ClaimRunPartition(domain::Date, const std::string&,
                                                                 domain::Timestamp,
                                                                 domain::Timestamp, bool) {
  return NotOnThisStore("ClaimRunPartition");
}
Status CaseStore::SaveRunPartition(const RunPartition&) {
  return NotOnThisStore("SaveRunPartition");
}
Result<std::vector<RunPartition>> CaseStore::ListRunPartitions(domain::Date) {
  return NotOnThisStore("ListRunPartitions");
}
Result<std::vector<OutboxMessage>> CaseStore::ListOutbox(std::optional<ClientId>,
                                                         std::optional<CaseId>, const std::string&,
                                                         int) {
  return NotOnThisStore("ListOutbox");
}

}  // namespace quitt::app
