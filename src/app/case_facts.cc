#include "app/case_facts.h"

#include "common/check.h"

namespace quitt::app {

namespace {

int KindIndex(domain::CustomerKind kind) { return kind == domain::CustomerKind::kBusiness ? 1 : 0; }

bool IsGermanMobile(std::string_view phone) {
  return phone.size() > 6 && phone.substr(0, 4) == "+491" &&
         (phone[4] == '5' || phone[4] == '6' || phone[4] == '7');
}

CollectionRow RowSkeleton(ClientId client, CaseId id, const domain::Customer& customer,
                          bool repeat_customer, const std::string& currency_code,
                          const StrategyBook& book, const std::string& recorded_strategy) {
  CollectionRow row;
  row.client = client;
  row.id = id;
  const workflow::Strategy* strategy =
      recorded_strategy.empty() ? book.ForNewCase(client, customer.kind) : nullptr;
  row.strategy_id =
      recorded_strategy.empty() ? (strategy ? strategy->id() : "") : recorded_strategy;
  row.strategy_version = strategy ? strategy->version() : 0;
  workflow::CaseFacts& f = row.facts;
  f.case_id = id.value();
  f.customer_kind = customer.kind;
  f.country = workflow::PackCountry(customer.address.country);
  f.repeat_customer = repeat_customer;
  f.channels = ChannelsOf(customer);
  auto currency = domain::Currency::FromCode(currency_code);
  f.balance = domain::Money::Zero(currency ? *currency : domain::Currency::Eur());
  row.next_check_on = domain::Date::FromDaysSinceEpoch(0);
  return row;
}

}  // namespace

Status StrategyBook::Add(workflow::Strategy strategy) {
  if (Find(strategy.id()) != nullptr) {
    return AlreadyExists("strategy '" + strategy.id() + "' is loaded twice (" + strategy.source() +
                         " and " + Find(strategy.id())->source() + ")");
  }
  strategies_.push_back(std::make_unique<workflow::Strategy>(std::move(strategy)));
  return OkStatus();
}

Status StrategyBook::UseFor(domain::CustomerKind kind, std::string_view id,
                            std::optional<ClientId> client) {
  if (Find(id) == nullptr) return NotFound("strategy '" + std::string(id) + "' is not loaded");
  if (client) {
    client_choice_[{client->value(), KindIndex(kind)}] = std::string(id);
  } else {
    default_for_[KindIndex(kind)] = std::string(id);
  }
  return OkStatus();
}

const workflow::Strategy* StrategyBook::Find(std::string_view id) const {
  for (const auto& s : strategies_) {
    if (s->id() == id) return s.get();
  }
  return nullptr;
}

const workflow::Strategy* StrategyBook::ForNewCase(ClientId client,
                                                   domain::CustomerKind kind) const {
  auto it = client_choice_.find({client.value(), KindIndex(kind)});
  if (it != client_choice_.end()) return Find(it->second);
  const std::string& id = default_for_[KindIndex(kind)];
  return id.empty() ? nullptr : Find(id);
}

workflow::ChannelSet ChannelsOf(const domain::Customer& customer) {
  workflow::ChannelSet channels = 0;
  const auto& a = customer.address;
  if (!a.street.empty() && !a.postcode.empty() && !a.city.empty()) {
    channels |= workflow::kChannelPost;
  }
  if (!customer.emails.empty()) channels |= workflow::kChannelEmail;
  if (!customer.phones.empty()) channels |= workflow::kChannelPhone;
  for (const auto& phone : customer.phones) {
    if (IsGermanMobile(phone)) channels |= workflow::kChannelMobile;
  }
  return channels;
}

domain::Money OpenBalance(const domain::CaseState& state) {
  domain::Money balance = state.PrincipalTotal();
  for (const auto& payment : state.payments) {
    if (payment.amount.currency() == balance.currency()) balance -= payment.amount;
  }
  return balance;
}

workflow::ArrangementFacts ArrangementOf(const domain::CaseState& state) {
  workflow::ArrangementFacts facts;
  const auto& c = state.collection;
  if (c.arrangement == domain::CollectionProgress::Arrangement::kNone ||
      c.arrangement_dues.empty()) {
    return facts;
  }
  facts.kind = c.arrangement == domain::CollectionProgress::Arrangement::kPromise
                   ? workflow::ArrangementKind::kPromise
                   : workflow::ArrangementKind::kPlan;
  std::int64_t paid = 0;
  for (std::size_t i = c.payments_before_arrangement; i < state.payments.size(); ++i) {
    paid += state.payments[i].amount.minor_units();
  }
  facts.ends_on = c.arrangement_dues.back().due;
  facts.fully_paid = true;
  std::int64_t due_so_far = 0;
  for (const auto& instalment : c.arrangement_dues) {
    due_so_far += instalment.amount.minor_units();
    if (paid < due_so_far) {
      facts.fully_paid = false;
      facts.next_unpaid_due = instalment.due;
      break;
    }
  }
  return facts;
}

bool IsFresh(const CaseSummary& summary) { return summary.last_seq == summary.claim_count + 1; }

CollectionRow BuildFreshCollectionRow(const CaseSummary& summary, const domain::Customer& customer,
                                      bool repeat_customer, const StrategyBook& book) {
  QUITT_CHECK(IsFresh(summary));
  CollectionRow row =
      RowSkeleton(summary.client, summary.id, customer, repeat_customer,
                  std::string(summary.principal.currency().code()), book, std::string());
  row.facts.balance = summary.principal;
  row.facts.handed_over = summary.opened_on;
  row.facts.overdue_since = summary.oldest_due_date.value_or(summary.opened_on);
  row.open = summary.status == domain::CaseStatus::kOpen && !row.strategy_id.empty();
  row.synced_seq = summary.last_seq;
  return row;
}

CollectionRow BuildCollectionRow(const domain::CaseState& state, const domain::Customer& customer,
                                 bool repeat_customer, const StrategyBook& book) {
  const auto& c = state.collection;
  const std::string currency =
      state.currency ? std::string(state.currency->code()) : std::string("EUR");
  CollectionRow row =
      RowSkeleton(state.client, state.id, customer, repeat_customer, currency, book, c.strategy_id);
  if (!c.strategy_id.empty()) row.strategy_version = c.strategy_version;
  workflow::CaseFacts& f = row.facts;
  f.balance = OpenBalance(state);
  f.handed_over = state.opened_on.value_or(domain::Date::FromDaysSinceEpoch(0));
  f.overdue_since = state.OldestDueDate().value_or(f.handed_over);
  f.disputed = c.disputed;
  f.hardship = c.hardship;
  f.variant = static_cast<std::int16_t>(c.variant_index);
  f.current_step = static_cast<std::int16_t>(c.step_index);
  f.current_step_on = c.step_due.value_or(domain::Date::FromDaysSinceEpoch(0));
  if (c.resume.step_index >= 0 && c.resume.due) {
    f.resume.step = static_cast<std::int16_t>(c.resume.step_index);
    f.resume.due = *c.resume.due;
  }
  f.arrangement = ArrangementOf(state);
  row.open = state.status == domain::CaseStatus::kOpen && !row.strategy_id.empty();
  row.synced_seq = state.last_seq;
  return row;
}

bool SameFacts(const workflow::CaseFacts& a, const workflow::CaseFacts& b) {
  return a.case_id == b.case_id && a.customer_kind == b.customer_kind && a.country == b.country &&
         a.balance == b.balance && a.overdue_since == b.overdue_since &&
         a.handed_over == b.handed_over && a.repeat_customer == b.repeat_customer &&
         a.channels == b.channels && a.disputed == b.disputed && a.hardship == b.hardship &&
         a.variant == b.variant && a.current_step == b.current_step &&
         a.current_step_on == b.current_step_on && a.resume.step == b.resume.step &&
         (a.resume.step < 0 || a.resume.due == b.resume.due) &&
         a.arrangement.kind == b.arrangement.kind &&
         (a.arrangement.kind == workflow::ArrangementKind::kNone ||
          (a.arrangement.fully_paid == b.arrangement.fully_paid &&
           a.arrangement.ends_on == b.arrangement.ends_on &&
           (a.arrangement.fully_paid ||
            a.arrangement.next_unpaid_due == b.arrangement.next_unpaid_due)));
}

std::string DescribeFacts(const workflow::CaseFacts& f) {
  auto b = [](bool v) { return std::string(v ? "yes" : "no"); };
  return "case " + std::to_string(f.case_id) + " kind " +
         domain::CustomerKindName(f.customer_kind) + " balance " + f.balance.ToDecimalString() +
         " overdue_since " + f.overdue_since.ToString() + " handed_over " +
         f.handed_over.ToString() + " repeat " + b(f.repeat_customer) + " channels " +
         std::to_string(f.channels) + " disputed " + b(f.disputed) + " hardship " + b(f.hardship) +
         " variant " + std::to_string(f.variant) + " step " + std::to_string(f.current_step) +
         " on " + f.current_step_on.ToString() + " resume " + std::to_string(f.resume.step) + " " +
         f.resume.due.ToString() + " arrangement " +
         std::to_string(static_cast<int>(f.arrangement.kind)) + " due " +
         f.arrangement.next_unpaid_due.ToString() + " paid " + b(f.arrangement.fully_paid) +
         " ends " + f.arrangement.ends_on.ToString();
}

}  // namespace quitt::app
