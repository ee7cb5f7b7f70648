#pragma once
// From a case to what the strategy decision needs (workflow::CaseFacts), and which strategy a case
// follows.
//
// The truth is the case history: BuildCollectionRow folds it (domain::CaseState and its
// CollectionProgress) together with the customer record (kind, country, reachable channels) and
// whether the customer is a repeat customer. The daily run keeps the same values in the
// collection read model and moves them on with workflow::ApplyDecision; a test checks that the
// row the run leaves equals the row rebuilt from the history.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports.h"
#include "domain/case_state.h"
#include "workflow/decide.h"
#include "workflow/strategy.h"

namespace quitt::app {

// The strategies quitt runs and which one a new case gets. The composition root loads the files
// (strategies/de-b2c.toml for consumers, strategies/de-b2b.toml for businesses; optionally
// per-client files) and registers them here. A case keeps the strategy it was put on.
class StrategyBook {
 public:
  // Registers a loaded strategy under its id; AlreadyExists for a second strategy of that id.
  Status Add(workflow::Strategy strategy);
  // New cases of customers of `kind` (of `client` only, when given) get strategy `id`.
  Status UseFor(domain::CustomerKind kind, std::string_view id,
                std::optional<ClientId> client = std::nullopt);

  const workflow::Strategy* Find(std::string_view id) const;
  // The client's own choice for the kind, else the default; nullptr when none is set.
  const workflow::Strategy* ForNewCase(ClientId client, domain::CustomerKind kind) const;
  const std::vector<std::unique_ptr<workflow::Strategy>>& strategies() const { return strategies_; }

 private:
  std::vector<std::unique_ptr<workflow::Strategy>> strategies_;
  std::string default_for_[2];
  std::map<std::pair<std::int64_t, int>, std::string> client_choice_;
};

// The ways a customer can be reached: post with a complete address, e-mail with an address,
// phone with a number, mobile (SMS) with a German mobile number (+4915x, +4916x, +4917x: the
// mobile ranges of the Bundesnetzagentur numbering plan).
workflow::ChannelSet ChannelsOf(const domain::Customer& customer);

// Never again: the run does not look at a case before an event changes it.
inline domain::Date NeverCheck() {
  return domain::Date::FromDaysSinceEpoch(2932896);
}  // 9999-12-31

// The open balance the strategy sees: principal handed over minus payments received. (The claim
// ledger of issue 3 will add interest and costs here.)
domain::Money OpenBalance(const domain::CaseState& state);

// The promise or plan as the decision sees it: the earliest unpaid due date, paid in full or not.
workflow::ArrangementFacts ArrangementOf(const domain::CaseState& state);

// The collection row of a case from its folded history. The strategy is the one recorded on the
// case, else the book's choice for a new case; a closed case or a case no strategy fits is not
// open for the run. next_check_on is day 0: the next run looks at it.
CollectionRow BuildCollectionRow(const domain::CaseState& state, const domain::Customer& customer,
                                 bool repeat_customer, const StrategyBook& book);

// The same for a case that has only its opening and claim events (the common case after an
// import), from the read model alone.
CollectionRow BuildFreshCollectionRow(const CaseSummary& summary, const domain::Customer& customer,
                                      bool repeat_customer, const StrategyBook& book);

// Whether BuildFreshCollectionRow sees everything of this case (no events but opening and claims).
bool IsFresh(const CaseSummary& summary);

// Every field that the decision reads, compared: for tests and checks of the read model.
bool SameFacts(const workflow::CaseFacts& a, const workflow::CaseFacts& b);
std::string DescribeFacts(const workflow::CaseFacts& facts);

}  // namespace quitt::app
