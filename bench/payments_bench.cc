// Matching and posting speed (issue 5): 1,000,000 bank entries against 250,000 open cases.
//
// Part 1, in memory (the work of `quitt bank import` without the database): for every entry the
// matcher (app::payments::MatchIndex over all cases), the posting plan (the ledger fold with
// interest up to the payment day and the § 366/367 allocation, the client/agency split, the
// balanced journal entry) and the sealing of the case events onto the hash chain; the folded case
// state is kept, so later payments of a case fold its earlier ones. Target: >= 100,000 entries/s.
//
// Part 2, end to end on SQLite (smaller, printed for comparison): claims imported, a statement's
// entries imported with ImportBankStatements in one transaction: bank entries, events, read
// model, journal, splits and balances written.
//
// Usage: payments_bench [entries] [cases] [sqlite_entries]. The in-memory part runs once on one
// thread and once on two (cases partitioned by id; the machine has two cores).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "adapters/storage/sqlite/sqlite_case_store.h"
#include "app/import_claims.h"
#include "app/payments/bank_import.h"
#include "app/payments/case_ledger.h"
#include "app/payments/matcher.h"
#include "app/payments/posting.h"
#include "domain/case_event_codec.h"
#include "domain/case_number.h"
#include "domain/jurisdiction/de/germany.h"
#include "domain/payment/matching.h"

namespace {

using namespace quitt;
using domain::Date;
using domain::Money;

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Money Eur(std::int64_t cents) { return Money::FromMinorUnits(cents, domain::Currency::Eur()); }

domain::Claim MakeClaim(std::int64_t case_id, std::int64_t cents) {
  domain::Claim claim;
  claim.id = domain::ClaimId(case_id);
  claim.client = domain::ClientId(1);
  claim.case_id = domain::CaseId(case_id);
  claim.client_ref = "R-" + std::to_string(case_id);
  claim.reason = "Rechnung " + std::to_string(case_id);
  claim.invoice_date = *Date::Parse("2026-01-05");
  claim.due_date = *Date::Parse("2026-01-19");
  claim.default_date = *Date::Parse("2026-01-20");
  claim.principal = Eur(cents);
  claim.client_costs = Eur(0);
  return claim;
}

struct BenchCase {
  domain::CaseState state;
  Sha256Digest last_hash{};
};

// Entry i pays case (i % cases) + 1; a quarter each by structured RF reference, case number in
// the text, customer IBAN, and RF reference in the text.
domain::payment::BankTransaction MakeTransaction(std::int64_t i, std::int64_t cases,
                                                 const std::vector<std::string>& numbers,
                                                 const std::vector<std::string>& ibans) {
  const std::int64_t case_index = i % cases;
  const std::int64_t round = i / cases;
  domain::payment::BankTransaction t;
  t.key = "DE89370400440532013000|asr:B" + std::to_string(i);
  t.booking_date = Date::Parse("2026-02-02")->AddDays(static_cast<std::int32_t>(round * 7));
  t.amount = Eur(1000 + (i % 5) * 100);  // 10.00 .. 14.00: part payments
  t.counterparty_name = "Kunde " + std::to_string(case_index + 1);
  const std::string& number = numbers[case_index];
  auto reference = app::payments::CaseReference(number);
  switch (i % 4) {
    case 0: t.creditor_reference = reference->electronic(); break;
    case 1: t.unstructured = {"Zahlung " + number}; break;
    case 2: t.counterparty_iban = ibans[case_index]; break;
    default: t.unstructured = {"Ref " + reference->Printed()};
  }
  return t;
}

std::string CustomerIban(std::int64_t i) {
  char bban[32];
  std::snprintf(bban, sizeof bban, "37040044%010lld", static_cast<long long>(i));
  const int check = 98 - domain::Mod97(std::string(bban) + "DE00");
  char out[40];
  std::snprintf(out, sizeof out, "DE%02d%s", check, bban);
  return out;
}

void InMemory(std::int64_t entries, std::int64_t cases, int threads) {
  const domain::de::Germany germany;
  std::vector<BenchCase> book(static_cast<std::size_t>(cases));
  std::vector<app::MatchIndexRow> rows;
  std::vector<std::string> numbers, ibans;
  rows.reserve(book.size());
  auto setup_start = std::chrono::steady_clock::now();
  for (std::int64_t c = 0; c < cases; ++c) {
    const std::int64_t id = c + 1;
    const std::string number = domain::CaseNumber::FromSequence(id)->ToString();
    numbers.push_back(number);
    ibans.push_back(CustomerIban(id));
    BenchCase& bc = book[static_cast<std::size_t>(c)];
    bc.state.client = domain::ClientId(1);
    bc.state.id = domain::CaseId(id);
    bc.state.case_number = number;
    bc.state.currency = domain::Currency::Eur();
    bc.state.claims.push_back(MakeClaim(id, 50'000 + (id % 100) * 100));
    bc.state.last_seq = 2;
    app::MatchIndexRow row;
    row.client = domain::ClientId(1);
    row.case_id = domain::CaseId(id);
    row.case_number = number;
    row.customer_name = "Kunde " + std::to_string(id);
    row.customer_iban = ibans.back();
    row.open_balance = bc.state.claims[0].principal;
    rows.push_back(std::move(row));
  }
  app::payments::MatchIndex index(std::move(rows));
  std::vector<domain::payment::BankTransaction> transactions;
  transactions.reserve(static_cast<std::size_t>(entries));
  for (std::int64_t i = 0; i < entries; ++i) {
    transactions.push_back(MakeTransaction(i, cases, numbers, ibans));
  }
  std::printf("in memory: %lld cases, %lld entries generated in %.1f s\n",
              static_cast<long long>(cases), static_cast<long long>(entries), Seconds(setup_start));

  app::ClientTerms terms;
  terms.client = domain::ClientId(1);
  terms.commission_bp = 1000;
  app::payments::PostingOptions options;
  const domain::Timestamp now = *domain::Timestamp::Parse("2026-11-23T09:00:00Z");
  struct Tally {
    std::int64_t matched = 0, posted = 0, review = 0, events = 0, journal_lines = 0;
    double match_seconds = 0, plan_seconds = 0;
  };
  // One worker per partition of the cases (case id modulo `parts`): a case's payments stay in
  // order on one thread, and every lookup of an entry lands on its own partition's cases.
  auto work = [&](int part, int parts, Tally& tally) {
    for (std::size_t i = static_cast<std::size_t>(part); i < transactions.size();
         i += static_cast<std::size_t>(parts)) {
      const auto& t = transactions[i];
      auto match_start = std::chrono::steady_clock::now();
      auto match = domain::payment::MatchTransaction(t, index);
      tally.match_seconds += Seconds(match_start);
      if (match.decision != domain::payment::MatchDecision::kMatched) {
        ++tally.review;
        continue;
      }
      ++tally.matched;
      BenchCase& bc = book[static_cast<std::size_t>(*match.case_id - 1)];
      app::payments::IncomingPayment payment;
      payment.payment_ref = t.key;
      payment.booked_on = *t.booking_date;
      payment.amount = t.amount;
      payment.match_reason = domain::payment::MatchReasonName(match.reason);
      payment.confidence = match.confidence;
      auto plan_start = std::chrono::steady_clock::now();
      auto plan = app::payments::PlanPosting(germany, bc.state, domain::CustomerKind::kConsumer,
                                             terms, payment, options);
      tally.plan_seconds += Seconds(plan_start);
      if (!plan.ok()) {
        std::fprintf(stderr, "posting failed: %s\n", plan.error().ToString().c_str());
        std::exit(1);
      }
      for (const auto& payload : plan->events) {
        domain::CaseEvent event{
            bc.state.client, bc.state.id, bc.state.last_seq + 1, payment.booked_on, now,
            "system:bench",  payload};
        bc.state = domain::Apply(std::move(bc.state), event);
        auto sealed = domain::Seal(std::move(event), bc.last_hash);
        bc.last_hash = sealed.hash;
        ++tally.events;
      }
      tally.journal_lines += static_cast<std::int64_t>(plan->journal.lines.size());
      index.Update(bc.state.id.value(), plan->open_after, plan->closes_case);
      ++tally.posted;
    }
  };
  // Entries are ordered so that entry i pays case i % cases: partition by entry index modulo
  // `parts` keeps each case on one worker as long as `parts` divides `cases`.
  std::vector<Tally> tallies(static_cast<std::size_t>(threads));
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int part = 0; part < threads; ++part) {
    workers.emplace_back(work, part, threads, std::ref(tallies[static_cast<std::size_t>(part)]));
  }
  for (auto& worker : workers) worker.join();
  const double total = Seconds(start);
  Tally sum;
  for (const Tally& t : tallies) {
    sum.matched += t.matched;
    sum.posted += t.posted;
    sum.review += t.review;
    sum.events += t.events;
    sum.journal_lines += t.journal_lines;
    sum.match_seconds += t.match_seconds;
    sum.plan_seconds += t.plan_seconds;
  }
  std::printf(
      "in memory, %d thread(s): %lld entries matched and posted in %.2f s = %.0f entries/s "
      "(per thread: matching alone %.0f entries/s, posting plans alone %.0f entries/s); %lld "
      "matched, %lld posted, %lld to review, %lld events sealed, %lld journal lines; up to %lld "
      "payments per case\n",
      threads, static_cast<long long>(entries), total, static_cast<double>(entries) / total,
      static_cast<double>(entries) / sum.match_seconds,
      static_cast<double>(entries) / sum.plan_seconds, static_cast<long long>(sum.matched),
      static_cast<long long>(sum.posted), static_cast<long long>(sum.review),
      static_cast<long long>(sum.events), static_cast<long long>(sum.journal_lines),
      static_cast<long long>((entries + cases - 1) / cases));
}

class GeneratedClaims : public app::ClaimSource {
 public:
  explicit GeneratedClaims(std::int64_t count) : count_(count) {}
  Result<bool> Next(app::IntakeRow& row) override {
    if (next_ >= count_) return false;
    ++next_;
    row = app::IntakeRow{};
    row.line = next_ + 1;
    row.customer.customer_ref = "K" + std::to_string(next_);
    row.customer.name = "Kunde " + std::to_string(next_);
    row.customer.address = {"Hauptstraße 1", "10115", "Berlin", "DE"};
    row.customer.iban = *domain::Iban::Parse(CustomerIban(next_));
    row.claim.client_ref = "R" + std::to_string(next_);
    row.claim.reason = "Rechnung";
    row.claim.invoice_date = *Date::Parse("2026-01-05");
    row.claim.due_date = *Date::Parse("2026-01-19");
    row.claim.default_date = *Date::Parse("2026-01-20");
    row.claim.principal = Eur(50'000);
    row.claim.client_costs = Eur(0);
    return true;
  }
  const std::string& name() const override { return name_; }
  std::int64_t position() const override { return next_; }
  std::int64_t size() const override { return count_; }

 private:
  std::int64_t count_;
  std::int64_t next_ = 0;
  std::string name_ = "bench";
};

void OnSqlite(std::int64_t entries) {
  const auto path = std::filesystem::temp_directory_path() / "quitt-payments-bench.db";
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
  app::FixedClock clock(*domain::Timestamp::Parse("2026-11-23T09:00:00Z"));
  auto store = adapters::sqlite::SqliteCaseStore::Open(path.string(), clock);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.error().ToString().c_str());
    std::exit(1);
  }
  (void)(*store)->AddClient({{}, "BENCH", "Bench GmbH", "DE"});
  const std::int64_t cases = entries;
  GeneratedClaims source(cases);
  app::ImportOptions import;
  import.client_code = "BENCH";
  import.actor = "import:bench";
  import.business_date = *Date::Parse("2026-01-30");
  auto imported = app::ImportClaims(**store, clock, source, import);
  if (!imported.ok()) {
    std::fprintf(stderr, "%s\n", imported.error().ToString().c_str());
    std::exit(1);
  }
  std::vector<std::string> numbers, ibans;
  auto listed = (*store)->LoadMatchIndex();
  for (const auto& row : *listed) {
    numbers.push_back(row.case_number);
    ibans.push_back(row.customer_iban);
  }
  domain::payment::BankStatement statement;
  statement.format = "camt.053.001.08";
  statement.account_iban = "DE89370400440532013000";
  for (std::int64_t i = 0; i < entries; ++i) {
    statement.transactions.push_back(
        MakeTransaction(i, static_cast<std::int64_t>(numbers.size()), numbers, ibans));
  }
  const domain::de::Germany germany;
  app::payments::BankImportOptions options;
  options.source = "bench.xml";
  auto start = std::chrono::steady_clock::now();
  auto report = app::payments::ImportBankStatements(**store, clock, germany, {statement}, options);
  const double seconds = Seconds(start);
  if (!report.ok()) {
    std::fprintf(stderr, "%s\n", report.error().ToString().c_str());
    std::exit(1);
  }
  std::printf(
      "sqlite: %lld entries against %lld cases imported, matched and posted in %.2f s = %.0f "
      "entries/s (%lld posted, %lld to review)\n",
      static_cast<long long>(entries), static_cast<long long>(cases), seconds,
      static_cast<double>(entries) / seconds, static_cast<long long>(report->posted),
      static_cast<long long>(report->review));
  start = std::chrono::steady_clock::now();
  report = app::payments::ImportBankStatements(**store, clock, germany, {statement}, options);
  std::printf("sqlite: the same statement again: %lld already known, %lld posted, in %.2f s\n",
              static_cast<long long>(report->already_known), static_cast<long long>(report->posted),
              Seconds(start));
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
}

}  // namespace

int main(int argc, char** argv) {
  const std::int64_t entries = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
  const std::int64_t cases = argc > 2 ? std::atoll(argv[2]) : 250'000;
  const std::int64_t sqlite_entries = argc > 3 ? std::atoll(argv[3]) : 20'000;
  InMemory(entries, cases, 1);
  InMemory(entries, cases, 2);
  if (sqlite_entries > 0) OnSqlite(sqlite_entries);
  return 0;
}
