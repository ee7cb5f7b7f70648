#include "app/case_service.h"

#include "domain/case_event_codec.h"
#include "domain/case_number.h"

namespace quitt::app {

Result<CaseView> LoadCase(CaseStore& store, const std::string& case_number) {
  QUITT_ASSIGN_OR_RETURN(auto number, domain::CaseNumber::Parse(case_number));
  QUITT_ASSIGN_OR_RETURN(auto summary, store.FindCaseByNumber(number.ToString()));
  if (!summary) return NotFound("case " + number.ToString() + " does not exist");
  return LoadCase(store, *summary);
}

Result<CaseView> LoadCase(CaseStore& store, const CaseSummary& summary) {
  CaseView view;
  view.summary = summary;
  QUITT_ASSIGN_OR_RETURN(auto client, store.FindClient(summary.client));
  if (!client) return Internal("case " + summary.case_number + " refers to a missing client");
  view.client = *client;
  QUITT_ASSIGN_OR_RETURN(auto customer, store.FindCustomer(summary.client, summary.customer));
  if (!customer) return Internal("case " + summary.case_number + " refers to a missing customer");
  view.customer = *customer;
  QUITT_ASSIGN_OR_RETURN(view.history, store.LoadHistory(summary.client, summary.id));
  for (const auto& stored : view.history) {
    auto event = domain::Unseal(stored);
    if (!event) {
      return event.error().WithContext("case " + summary.case_number + ", event " +
                                       std::to_string(stored.event.seq));
    }
    if (event->seq != static_cast<std::int64_t>(view.events.size()) + 1) {
      return DataLoss("case " + summary.case_number + ": event " +
                      std::to_string(view.events.size() + 1) +
                      " is missing; run quitt case verify");
    }
    view.events.push_back(std::move(*event));
  }
  view.state = domain::Fold(view.events);
  return view;
}

CaseSummary SummaryFromState(const domain::CaseState& state, const domain::Customer& customer,
                             const Sha256Digest& last_hash, domain::Timestamp updated_at) {
  CaseSummary summary;
  summary.client = state.client;
  summary.id = state.id;
  summary.case_number = state.case_number;
  summary.customer = customer.id;
  summary.customer_name = customer.name;
  summary.customer_kind = customer.kind;
  summary.status = state.status;
  summary.principal = state.PrincipalTotal();
  summary.claim_count = static_cast<int>(state.claims.size());
  summary.opened_on = state.opened_on.value_or(domain::Date::FromDaysSinceEpoch(0));
  summary.oldest_due_date = state.OldestDueDate();
  summary.last_seq = state.last_seq;
  summary.last_hash = last_hash;
  summary.updated_at = updated_at;
  return summary;
}

Result<CaseSummary> AppendToCase(CaseStore& store, Clock& clock, const std::string& case_number,
                                 std::vector<domain::CaseEventPayload> payloads,
                                 const std::string& actor, domain::Date effective_date,
                                 bool allow_closed) {
  QUITT_ASSIGN_OR_RETURN(auto transaction, store.Begin());
  QUITT_ASSIGN_OR_RETURN(CaseView view, LoadCase(store, case_number));
  if (view.state.status == domain::CaseStatus::kClosed && !allow_closed) {
    return FailedPrecondition("case " + view.summary.case_number + " is closed");
  }
  Sha256Digest last_hash = view.history.empty() ? Sha256Digest{} : view.history.back().hash;
  const domain::Timestamp now = clock.Now();
  WriteBatch batch;
  domain::CaseState state = view.state;
  for (auto& payload : payloads) {
    domain::CaseEvent event{state.client, state.id, state.last_seq + 1, effective_date,
                            now,          actor,    std::move(payload)};
    state = domain::Apply(std::move(state), event);
    batch.events.push_back(domain::Seal(std::move(event), last_hash));
    last_hash = batch.events.back().hash;
  }
  CaseSummary summary = SummaryFromState(state, view.customer, last_hash, now);
  batch.case_summaries.push_back(summary);
  QUITT_RETURN_IF_ERROR(store.Write(batch));
  QUITT_RETURN_IF_ERROR(transaction->Commit());
  return summary;
}

VerifyResult VerifyCase(CaseStore& store, const CaseSummary& summary) {
  VerifyResult result;
  result.case_number = summary.case_number;
  auto history = store.LoadHistory(summary.client, summary.id);
  if (!history) {
    result.status = history.error();
    return result;
  }
  result.events = static_cast<std::int64_t>(history->size());
  result.status = domain::VerifyChain(*history);
  if (!result.status.ok()) return result;
  if (history->empty()) {
    result.status = DataLoss("the case has no events");
  } else if (history->back().event.seq != summary.last_seq ||
             history->back().hash != summary.last_hash) {
    result.status =
        DataLoss("the case list says the last event is " + std::to_string(summary.last_seq) +
                 " with hash " + ToHex(summary.last_hash).substr(0, 12) +
                 "…, the history ends at " + std::to_string(history->back().event.seq) +
                 " with hash " + ToHex(history->back().hash).substr(0, 12) +
                 "… (events were removed or added outside quitt)");
  }
  return result;
}

Result<VerifyAllReport> VerifyAll(CaseStore& store, std::optional<ClientId> client) {
  VerifyAllReport report;
  QUITT_RETURN_IF_ERROR(store.ForEachCase(client, [&](const CaseSummary& summary) {
    VerifyResult result = VerifyCase(store, summary);
    ++report.cases;
    report.events += result.events;
    if (!result.status.ok()) report.broken.push_back(std::move(result));
    return OkStatus();
  }));
  return report;
}

}  // namespace quitt::app
