#pragma once
// The contract every CaseStore implementation passes (SQLite today, PostgreSQL next), written once
// as a GoogleTest typed test suite. An implementation's test file provides a factory:
//
//   struct SqliteFactory {
//     static std::unique_ptr<app::CaseStore> Make(app::Clock& clock);  // a fresh, empty store
//   };
//   INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, CaseStoreContract, ::testing::Types<SqliteFactory>);
//
// Header-only and included only by test programs (it needs gtest).
#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "app/case_service.h"
#include "app/import_claims.h"
#include "app/ports.h"
#include "domain/case_event_codec.h"

namespace quitt::app::testing {

inline domain::Timestamp ContractNow() { return *domain::Timestamp::Parse("2026-11-23T09:00:00Z"); }

// A source of rows built in the test.
class VectorSource : public ClaimSource {
 public:
  // `size`: what the source says its size in bytes is (the import chooses how it looks up
  // existing claims by it); by default the number of rows.
  explicit VectorSource(std::vector<IntakeRow> rows, std::int64_t size = -1)
      : rows_(std::move(rows)), size_(size < 0 ? static_cast<std::int64_t>(rows_.size()) : size) {}
  Result<bool> Next(IntakeRow& row) override {
    if (next_ >= rows_.size()) return false;
    row = rows_[next_++];
    return true;
  }
  const std::string& name() const override { return name_; }
  std::int64_t position() const override { return static_cast<std::int64_t>(next_); }
  std::int64_t size() const override { return size_; }

 private:
  std::vector<IntakeRow> rows_;
  std::int64_t size_;
  std::size_t next_ = 0;
  std::string name_ = "contract.csv";
};

inline IntakeRow ContractRow(std::int64_t line, const std::string& claim_ref,
                             const std::string& customer_ref, std::int64_t cents,
                             const std::string& currency = "EUR") {
  IntakeRow row;
  row.line = line;
  row.customer.customer_ref = customer_ref;
  row.customer.name = "Kundin " + customer_ref;
  row.customer.address = {"Hauptstraße 1", "10115", "Berlin", "DE"};
  row.customer.emails = {"k@example.de"};
  row.customer.iban = *domain::Iban::Parse("DE89370400440532013000");
  auto cur = *domain::Currency::FromCode(currency);
  row.claim.client_ref = claim_ref;
  row.claim.reason = "Rechnung " + claim_ref;
  row.claim.invoice_date = *domain::Date::Parse("2026-01-10");
  row.claim.due_date = *domain::Date::Parse("2026-01-24");
  row.claim.default_date = *domain::Date::Parse("2026-01-25");
  row.claim.principal = domain::Money::FromMinorUnits(cents, cur);
  row.claim.client_costs = domain::Money::Zero(cur);
  return row;
}

template <typename Factory>
class CaseStoreContract : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = Factory::Make(clock_);
    ASSERT_NE(store_, nullptr);
    auto client = store_->AddClient({{}, "ACME", "Acme Versand GmbH", "DE"});
    ASSERT_TRUE(client.ok()) << client.error().ToString();
    client_ = *client;
  }
  Result<ImportReport> Import(std::vector<IntakeRow> rows, bool keep_good_rows = false,
                              std::int64_t source_bytes = -1) {
    VectorSource source(std::move(rows), source_bytes);
    ImportOptions options;
    options.client_code = "ACME";
    options.actor = "import:contract.csv";
    options.keep_good_rows = keep_good_rows;
    options.business_date = *domain::Date::Parse("2026-11-23");
    options.batch_rows = 2;
    return ImportClaims(*store_, clock_, source, options);
  }
  std::vector<CaseSummary> AllCases() {
    CaseFilter filter;
    filter.limit = 1000;
    return *store_->ListCases(filter);
  }

  FixedClock clock_{ContractNow()};
  std::unique_ptr<CaseStore> store_;
  domain::Client client_;
};

TYPED_TEST_SUITE_P(CaseStoreContract);

TYPED_TEST_P(CaseStoreContract, ClientsAreUniqueByCode) {
  auto again = this->store_->AddClient({{}, "ACME", "Other", "DE"});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), StatusCode::kAlreadyExists);
  auto found = *this->store_->FindClientByCode("ACME");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "Acme Versand GmbH");
  EXPECT_FALSE(this->store_->FindClientByCode("NOPE")->has_value());
  EXPECT_EQ(this->store_->ListClients()->size(), 1u);
}

TYPED_TEST_P(CaseStoreContract, ClaimsOfOneCustomerJoinOneOpenCase) {
  auto report =
      this->Import({ContractRow(2, "R1", "K1", 10000), ContractRow(3, "R2", "K1", 2550),
                    ContractRow(4, "R3", "K2", 99), ContractRow(5, "R4", "K1", 100, "CHF")});
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  EXPECT_EQ(report->imported, 4);
  EXPECT_EQ(report->cases_opened, 3);  // K1 in EUR, K2, K1 in CHF
  EXPECT_EQ(report->customers_created, 2);
  auto cases = this->AllCases();
  ASSERT_EQ(cases.size(), 3u);
  EXPECT_EQ(cases[0].claim_count, 2);
  EXPECT_EQ(cases[0].principal.ToDecimalString(), "125.50");
  EXPECT_EQ(cases[0].last_seq, 3);  // opened + two claims
  // Case numbers stay dense across imports: unused reserved ids are given back.
  EXPECT_EQ(cases[1].id.value(), cases[0].id.value() + 1);
  auto view = LoadCase(*this->store_, cases[0].case_number);
  ASSERT_TRUE(view.ok()) << view.error().ToString();
  EXPECT_EQ(view->customer.customer_ref, "K1");
  ASSERT_TRUE(view->customer.iban.has_value());
  EXPECT_EQ(view->customer.emails, std::vector<std::string>{"k@example.de"});
  EXPECT_EQ(view->state.claims.size(), 2u);
  EXPECT_EQ(view->events[1].actor, "import:contract.csv");
  EXPECT_EQ(view->events[1].recorded_at, ContractNow());
}

TYPED_TEST_P(CaseStoreContract, ImportingTwiceAddsNothingAndReportsChangedAmounts) {
  ASSERT_TRUE(this->Import({ContractRow(2, "R1", "K1", 10000)}).ok());
  auto again = this->Import({ContractRow(2, "R1", "K1", 10000), ContractRow(3, "R1", "K1", 12000)});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->imported, 0);
  EXPECT_EQ(again->unchanged, 1);
  ASSERT_EQ(again->conflicts.size(), 1u);
  EXPECT_EQ(again->conflicts[0].line, 3);
  EXPECT_NE(again->conflicts[0].message.find("100.00"), std::string::npos);
  EXPECT_EQ(this->AllCases().size(), 1u);
  EXPECT_EQ(this->AllCases()[0].last_seq, 2);
}

// An import into a client that has claims either loads all of the client's references or looks
// the file's references up block by block (by the sizes of client and file). Both decide alike,
// also for references PostgreSQL must quote in an array literal.
TYPED_TEST_P(CaseStoreContract, AnImportDecidesAlikeWhetherItLoadsOrLooksUpTheClientsClaims) {
  const std::vector<IntakeRow> first = {ContractRow(2, "R1", "K1", 10000),
                                        ContractRow(3, "R2", "K1", 20000),
                                        ContractRow(4, "R\"3,{x}\\", "K\"2\\", 30000)};
  const std::vector<IntakeRow> second = {
      ContractRow(2, "R1", "K1", 10000),              // already there
      ContractRow(3, "R2", "K1", 25000),              // another amount: a conflict
      ContractRow(4, "R4", "K1", 40000),              // joins K1's open case
      ContractRow(5, "R\"3,{x}\\", "K\"2\\", 30000),  // already there, quoted reference
      ContractRow(6, "R5", "K\"2\\", 50000),          // joins the quoted customer's case
      ContractRow(7, "R6", "K3", 60000)};             // a new customer
  struct Outcome {
    ImportReport report;
    std::vector<CaseSummary> cases;
  };
  auto run = [&](CaseStore& store, std::int64_t source_bytes) -> Outcome {
    ImportOptions options;
    options.client_code = "ACME";
    options.business_date = *domain::Date::Parse("2026-11-23");
    VectorSource a(first);
    EXPECT_TRUE(ImportClaims(store, this->clock_, a, options).ok());
    VectorSource b(second, source_bytes);
    auto report = ImportClaims(store, this->clock_, b, options);
    EXPECT_TRUE(report.ok()) << report.error().ToString();
    CaseFilter filter;
    filter.limit = 100;
    return {report.ok() ? *report : ImportReport{}, *store.ListCases(filter)};
  };
  Outcome looked_up = run(*this->store_, 6);  // 3 known claims, a "file" of 6 bytes
  auto other = TypeParam::Make(this->clock_);
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(other->AddClient({{}, "ACME", "Acme Versand GmbH", "DE"}).ok());
  Outcome loaded = run(*other, 1'000'000'000);  // a file far bigger than the client

  for (const Outcome* outcome : {&looked_up, &loaded}) {
    EXPECT_EQ(outcome->report.imported, 3);
    EXPECT_EQ(outcome->report.unchanged, 2);
    ASSERT_EQ(outcome->report.conflicts.size(), 1u);
    EXPECT_EQ(outcome->report.conflicts[0].client_ref, "R2");
    EXPECT_EQ(outcome->report.cases_opened, 1);
    EXPECT_EQ(outcome->report.customers_created, 1);
    ASSERT_EQ(outcome->cases.size(), 3u);
  }
  for (std::size_t i = 0; i < loaded.cases.size(); ++i) {
    EXPECT_EQ(looked_up.cases[i].case_number, loaded.cases[i].case_number);
    EXPECT_EQ(looked_up.cases[i].claim_count, loaded.cases[i].claim_count);
    EXPECT_EQ(looked_up.cases[i].principal, loaded.cases[i].principal);
    EXPECT_EQ(looked_up.cases[i].last_hash, loaded.cases[i].last_hash);
  }
  EXPECT_EQ(looked_up.cases[0].claim_count, 3);  // R1, R2, R4
  EXPECT_EQ(looked_up.cases[1].claim_count, 2);  // the quoted reference and R5

  auto index =
      this->store_->LoadImportIndexFor(this->client_.id, {"R\"3,{x}\\", "R9"}, {"K\"2\\", "K9"});
  ASSERT_TRUE(index.ok()) << index.error().ToString();
  EXPECT_EQ(index->claims_by_ref.size(), 1u);
  EXPECT_TRUE(index->claims_by_ref.contains("R\"3,{x}\\"));
  ASSERT_EQ(index->customers_by_ref.size(), 1u);
  ASSERT_EQ(index->open_cases.size(), 1u);
  EXPECT_EQ(index->open_cases[0].claim_count, 2);
  EXPECT_EQ(*this->store_->CountClaims(this->client_.id, 100), 6);
  EXPECT_EQ(*this->store_->CountClaims(this->client_.id, 4), 4);
}

TYPED_TEST_P(CaseStoreContract, ABadRowRejectsTheWholeFileByDefault) {
  IntakeRow bad = ContractRow(3, "R2", "K2", 500);
  bad.claim.due_date = *domain::Date::Parse("2025-01-01");  // before the invoice date
  auto report =
      this->Import({ContractRow(2, "R1", "K1", 100), bad, ContractRow(4, "R3", "K3", 100)});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->rejected);
  ASSERT_EQ(report->problems.size(), 1u);
  EXPECT_EQ(report->problems[0].line, 3);
  EXPECT_EQ(report->problems[0].field, "due_date");
  EXPECT_TRUE(this->AllCases().empty());

  // The rejected file kept none of the ids reserved ahead. PostgreSQL's sequences are not
  // rolled back, so the import gives them back itself; there the one id its good row used stays
  // used (SQLite rolls it back as well).
  ASSERT_TRUE(this->Import({ContractRow(2, "R9", "K9", 100)}).ok());
  ASSERT_EQ(this->AllCases().size(), 1u);
  EXPECT_LE(this->AllCases()[0].id.value(), 2);
}

// With keep_good_rows every batch is its own transaction; the ids reserved ahead go back before
// each commit, so case numbers stay dense across batches and imports.
TYPED_TEST_P(CaseStoreContract, CaseNumbersStayDenseAcrossBatchesAndImports) {
  ASSERT_TRUE(this->Import({ContractRow(2, "R1", "K1", 100), ContractRow(3, "R2", "K2", 100),
                            ContractRow(4, "R3", "K3", 100), ContractRow(5, "R4", "K4", 100),
                            ContractRow(6, "R5", "K5", 100)},
                           /*keep_good_rows=*/true)
                  .ok());
  ASSERT_TRUE(this->Import({ContractRow(2, "R6", "K6", 100)}).ok());
  auto cases = this->AllCases();
  ASSERT_EQ(cases.size(), 6u);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(cases[i].id.value(), static_cast<std::int64_t>(i) + 1);
  }
}

TYPED_TEST_P(CaseStoreContract, KeepGoodRowsImportsTheRest) {
  IntakeRow bad = ContractRow(3, "R2", "K2", -5);
  auto report = this->Import({ContractRow(2, "R1", "K1", 100), bad, ContractRow(4, "R3", "K3", 100),
                              ContractRow(5, "R4", "K4", 100), ContractRow(6, "R5", "K5", 100)},
                             /*keep_good_rows=*/true);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->rejected);
  EXPECT_EQ(report->imported, 4);
  EXPECT_EQ(report->problems.size(), 1u);
  EXPECT_EQ(report->problems[0].field, "amount");
  EXPECT_EQ(this->AllCases().size(), 4u);
}

TYPED_TEST_P(CaseStoreContract, HistoryIsChainedAndVerifies) {
  ASSERT_TRUE(
      this->Import({ContractRow(2, "R1", "K1", 100), ContractRow(3, "R2", "K1", 200)}).ok());
  auto cases = this->AllCases();
  ASSERT_EQ(cases.size(), 1u);
  auto note = AppendToCase(*this->store_, this->clock_, cases[0].case_number,
                           {domain::NoteAdded{"Rückruf vereinbart"}}, "user:anna",
                           *domain::Date::Parse("2026-11-24"));
  ASSERT_TRUE(note.ok()) << note.error().ToString();
  EXPECT_EQ(note->last_seq, 4);
  auto history = *this->store_->LoadHistory(cases[0].client, cases[0].id);
  ASSERT_EQ(history.size(), 4u);
  EXPECT_TRUE(domain::VerifyChain(history).ok());
  EXPECT_EQ(history[3].previous_hash, history[2].hash);
  auto summary = *this->store_->FindCase(cases[0].client, cases[0].id);
  ASSERT_TRUE(summary.has_value());
  auto result = VerifyCase(*this->store_, *summary);
  EXPECT_TRUE(result.status.ok()) << result.status.ToString();
  auto all = VerifyAll(*this->store_, std::nullopt);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->cases, 1);
  EXPECT_EQ(all->events, 4);
  EXPECT_TRUE(all->broken.empty());
}

TYPED_TEST_P(CaseStoreContract, ADuplicateSequenceNumberIsRefused) {
  ASSERT_TRUE(this->Import({ContractRow(2, "R1", "K1", 100)}).ok());
  auto summary = this->AllCases()[0];
  auto history = *this->store_->LoadHistory(summary.client, summary.id);
  WriteBatch batch;
  domain::CaseEvent event{summary.client,
                          summary.id,
                          2,
                          *domain::Date::Parse("2026-11-23"),
                          ContractNow(),
                          "user:mallory",
                          domain::NoteAdded{"rewrite"}};
  batch.events.push_back(domain::Seal(event, history[0].hash));
  auto transaction = this->store_->Begin();
  ASSERT_TRUE(transaction.ok());
  Status status = this->store_->Write(batch);
  EXPECT_EQ(status.code(), StatusCode::kAborted) << status.ToString();
}

TYPED_TEST_P(CaseStoreContract, ClosedCasesRefuseNewEventsAndListsFilter) {
  ASSERT_TRUE(
      this->Import({ContractRow(2, "R1", "K1", 100), ContractRow(3, "R2", "K2", 50000)}).ok());
  auto cases = this->AllCases();
  ASSERT_TRUE(AppendToCase(*this->store_, this->clock_, cases[0].case_number,
                           {domain::CaseClosed{domain::CaseCloseReason::kRecalled, ""}},
                           "user:anna", *domain::Date::Parse("2026-11-24"))
                  .ok());
  auto refused =
      AppendToCase(*this->store_, this->clock_, cases[0].case_number, {domain::NoteAdded{"late"}},
                   "user:anna", *domain::Date::Parse("2026-11-24"));
  EXPECT_EQ(refused.error().code(), StatusCode::kFailedPrecondition);
  CaseFilter open;
  open.status = domain::CaseStatus::kOpen;
  EXPECT_EQ(this->store_->ListCases(open)->size(), 1u);
  CaseFilter big;
  big.min_principal_minor = 10000;
  EXPECT_EQ(this->store_->ListCases(big)->size(), 1u);
  CaseFilter paged;
  paged.limit = 1;
  auto first = *this->store_->ListCases(paged);
  ASSERT_EQ(first.size(), 1u);
  paged.after = first[0].id;
  auto second = *this->store_->ListCases(paged);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_NE(first[0].id, second[0].id);
  // A new claim of the customer with the closed case opens a new case.
  ASSERT_TRUE(this->Import({ContractRow(2, "R9", "K1", 100)}).ok());
  EXPECT_EQ(this->AllCases().size(), 3u);
}

TYPED_TEST_P(CaseStoreContract, ReservedIdsNeverRepeat) {
  auto transaction = this->store_->Begin();
  ASSERT_TRUE(transaction.ok());
  auto a = *this->store_->ReserveIds(IdKind::kCase, 10);
  auto b = *this->store_->ReserveIds(IdKind::kCase, 5);
  EXPECT_EQ(b, a + 10);
  // Giving back the unused tail of the last block makes the next reservation continue there.
  ASSERT_TRUE(this->store_->ReleaseIds(IdKind::kCase, b + 2, b + 5).ok());
  EXPECT_EQ(*this->store_->ReserveIds(IdKind::kCase, 1), b + 2);
  // A stale release (someone reserved after it) changes nothing.
  ASSERT_TRUE(this->store_->ReleaseIds(IdKind::kCase, a, a + 10).ok());
  EXPECT_EQ(*this->store_->ReserveIds(IdKind::kCase, 1), b + 3);
  ASSERT_TRUE((*transaction)->Commit().ok());
}

// --- The daily run (issue 4): collection rows, due cases, partitions, outbox. ---

inline CollectionRow ContractRow(const CaseSummary& c, int next_check_days) {
  CollectionRow row;
  row.client = c.client;
  row.id = c.id;
  row.strategy_id = "de-b2c";
  row.strategy_version = 1;
  row.facts.case_id = c.id.value();
  row.facts.balance = c.principal;
  row.facts.handed_over = c.opened_on;
  row.facts.overdue_since = *c.oldest_due_date;
  row.facts.channels = 5;
  row.facts.variant = 1;
  row.facts.current_step = 3;
  row.facts.current_step_on = *domain::Date::Parse("2026-11-20");
  row.facts.resume = {4, *domain::Date::Parse("2026-11-30")};
  row.facts.arrangement.kind = workflow::ArrangementKind::kPlan;
  row.facts.arrangement.next_unpaid_due = *domain::Date::Parse("2026-12-01");
  row.facts.arrangement.ends_on = *domain::Date::Parse("2027-02-01");
  row.synced_seq = c.last_seq;
  row.next_check_on = domain::Date::FromDaysSinceEpoch(next_check_days);
  return row;
}

TYPED_TEST_P(CaseStoreContract, CollectionRowsAndDueCases) {
  std::vector<IntakeRow> rows;
  for (int i = 0; i < 6; ++i) {
    rows.push_back(ContractRow(2 + i, "R" + std::to_string(i), "K" + std::to_string(i), 1000 + i));
  }
  ASSERT_TRUE(this->Import(rows).ok());
  auto cases = this->AllCases();
  ASSERT_EQ(cases.size(), 6u);
  // Fresh cases have no row yet: all are candidates.
  {
    auto transaction = this->store_->Begin();
    auto candidates = this->store_->ListCollectionCandidates(ClientId(0), CaseId(0), 100);
    ASSERT_TRUE(candidates.ok()) << candidates.error().ToString();
    ASSERT_EQ(candidates->size(), 6u);
    EXPECT_EQ((*candidates)[0].customer.emails, std::vector<std::string>{"k@example.de"});
    EXPECT_FALSE((*candidates)[0].repeat_customer);
    EXPECT_FALSE((*candidates)[0].has_row);
    WriteBatch batch;
    const int today = domain::Date::Parse("2026-11-23")->days_since_epoch();
    for (const auto& c : cases) {
      batch.collection_rows.push_back(ContractRow(c, c.id.value() % 2 ? today : today + 1));
    }
    batch.collection_rows[5].open = false;
    ASSERT_TRUE(this->store_->Write(batch).ok());
    ASSERT_TRUE((*transaction)->Commit().ok());
  }
  auto transaction = this->store_->Begin();
  EXPECT_TRUE(this->store_->ListCollectionCandidates(ClientId(0), CaseId(0), 100)->empty());
  auto found = *this->store_->FindCollectionRow(cases[0].client, cases[0].id);
  ASSERT_TRUE(found.has_value());
  const CollectionRow expected = ContractRow(cases[0], found->next_check_on.days_since_epoch());
  EXPECT_EQ(found->strategy_id, "de-b2c");
  EXPECT_EQ(found->facts.balance, cases[0].principal);
  EXPECT_EQ(found->facts.resume.due, expected.facts.resume.due);
  EXPECT_EQ(found->facts.arrangement.kind, workflow::ArrangementKind::kPlan);
  EXPECT_EQ(found->facts.arrangement.ends_on, expected.facts.arrangement.ends_on);
  EXPECT_EQ(found->facts.current_step, 3);
  // Due on 2026-11-23: open rows with next_check_on on or before it, by partition.
  const auto day = *domain::Date::Parse("2026-11-23");
  std::int64_t due_total = 0;
  for (int p = 0; p < 2; ++p) {
    auto due = *this->store_->LoadDueCases(this->client_.id, day, 2, p, CaseId(0), 100);
    for (const auto& d : due) {
      EXPECT_EQ(RunPartitionOf(d.row.id, 2), p);
      EXPECT_TRUE(d.row.open);
      EXPECT_LE(d.row.next_check_on, day);
      EXPECT_FALSE(d.case_number.empty());
      EXPECT_EQ(d.last_seq, 2);
    }
    due_total += static_cast<std::int64_t>(due.size());
  }
  std::int64_t expected_due = 0;
  for (const auto& c : cases) expected_due += (c.id.value() % 2 && c.id != cases[5].id) ? 1 : 0;
  EXPECT_EQ(due_total, expected_due);
  // A cursor and a limit page through them.
  auto first = *this->store_->LoadDueCases(this->client_.id, day.AddDays(1), 1, 0, CaseId(0), 2);
  ASSERT_EQ(first.size(), 2u);
  auto next =
      *this->store_->LoadDueCases(this->client_.id, day.AddDays(1), 1, 0, first[1].row.id, 10);
  EXPECT_EQ(next.size(), 3u);  // six rows, one closed
}

TYPED_TEST_P(CaseStoreContract, RunPartitionsAreClaimedOnceAndLeasesExpire) {
  ASSERT_TRUE(this->Import({ContractRow(2, "R1", "K1", 100)}).ok());
  auto cases = this->AllCases();
  {
    auto transaction = this->store_->Begin();
    WriteBatch batch;
    batch.collection_rows.push_back(ContractRow(cases[0], 0));
    ASSERT_TRUE(this->store_->Write(batch).ok());
    ASSERT_TRUE((*transaction)->Commit().ok());
  }
  const auto day = *domain::Date::Parse("2026-11-23");
  EXPECT_EQ(*this->store_->PlanRun(day, 3), 3);
  EXPECT_EQ(*this->store_->PlanRun(day, 5), 3);  // an existing plan keeps its count
  const auto now = ContractNow();
  const auto lease = now.AddSeconds(60);
  std::set<int> claimed;
  for (int i = 0; i < 3; ++i) {
    auto p = *this->store_->ClaimRunPartition(day, "w1", now, lease, false);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->status, "running");
    EXPECT_EQ(p->partitions, 3);
    claimed.insert(p->partition);
  }
  EXPECT_EQ(claimed.size(), 3u);
  EXPECT_FALSE(this->store_->ClaimRunPartition(day, "w2", now, lease, false)->has_value());
  // After the lease a dead worker's partition goes to another; take_over does not wait.
  auto late = *this->store_->ClaimRunPartition(day, "w2", now.AddSeconds(61), lease, false);
  ASSERT_TRUE(late.has_value());
  EXPECT_EQ(late->worker, "w2");
  EXPECT_TRUE(this->store_->ClaimRunPartition(day, "w3", now, lease, true)->has_value());
  // Finishing: saved inside a transaction with cursor and counts.
  {
    auto transaction = this->store_->Begin();
    late->status = "done";
    late->after_case = CaseId(77);
    late->cases_seen = 5;
    late->actions = 2;
    ASSERT_TRUE(this->store_->SaveRunPartition(*late).ok());
    ASSERT_TRUE((*transaction)->Commit().ok());
  }
  auto all = *this->store_->ListRunPartitions(day);
  ASSERT_EQ(all.size(), 3u);
  int done = 0;
  for (const auto& p : all) {
    if (p.status != "done") continue;
    ++done;
    EXPECT_EQ(p.after_case, CaseId(77));
    EXPECT_EQ(p.cases_seen, 5);
  }
  EXPECT_EQ(done, 1);
  EXPECT_TRUE(this->store_->ListRunPartitions(day.AddDays(1))->empty());
}

TYPED_TEST_P(CaseStoreContract, OutboxKeepsTheFirstMessageOfAKey) {
  ASSERT_TRUE(this->Import({ContractRow(2, "R1", "K1", 100)}).ok());
  auto c = this->AllCases()[0];
  OutboxMessage m;
  m.client = c.client;
  m.case_id = c.id;
  m.case_number = c.case_number;
  m.message_key = c.case_number + "/de-b2c/first/2026-11-23";
  m.channel = "letter";
  m.template_name = "de/b2c/first";
  m.due = *domain::Date::Parse("2026-11-23");
  m.run_date = m.due;
  m.event_seq = 3;
  m.created_at = ContractNow();
  for (int i = 0; i < 2; ++i) {
    auto transaction = this->store_->Begin();
    WriteBatch batch;
    batch.outbox.push_back(m);
    m.template_name = "changed";
    ASSERT_TRUE(this->store_->Write(batch).ok());
    ASSERT_TRUE((*transaction)->Commit().ok());
  }
  auto outbox = *this->store_->ListOutbox(std::nullopt, std::nullopt, "", 10);
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].template_name, "de/b2c/first");
  EXPECT_EQ(outbox[0].status, "pending");
  EXPECT_EQ(outbox[0].event_seq, 3);
  EXPECT_TRUE(this->store_->ListOutbox(c.client, CaseId(c.id.value() + 1), "", 10)->empty());
  EXPECT_TRUE(this->store_->ListOutbox(c.client, c.id, outbox[0].message_key, 10)->empty());
}

// --- Payments (issue 5): bank entries, journal, splits, remittances, holds, terms. ---

inline BankEntry ContractBankEntry(const std::string& key, std::int64_t cents) {
  BankEntry e;
  e.entry_key = key;
  e.account_iban = "DE89370400440532013000";
  e.statement_id = "S1";
  e.format = "camt.053.001.08";
  e.source = "contract.xml";
  e.booking_date = *domain::Date::Parse("2026-05-04");
  e.amount = domain::Money::FromMinorUnits(cents, domain::Currency::Eur());
  e.counterparty_name = "Anna Schmidt";
  e.remittance = "RF41 0000 0001 3";
  e.imported_at = ContractNow();
  return e;
}

TYPED_TEST_P(CaseStoreContract, BankEntriesAreStoredOnceByTheirKey) {
  auto transaction = this->store_->Begin();
  BankEntry first = ContractBankEntry("acct|asr:1", 4000);
  ASSERT_TRUE(*this->store_->InsertBankEntry(first));
  EXPECT_GT(first.entry_id, 0);
  BankEntry again = ContractBankEntry("acct|asr:1", 9999);
  EXPECT_FALSE(*this->store_->InsertBankEntry(again));
  BankEntry second = ContractBankEntry("acct|asr:2", 100);
  ASSERT_TRUE(*this->store_->InsertBankEntry(second));
  first.state = BankEntryState::kPosted;
  first.client = this->client_.id;
  first.case_number = "Q-00000001-3";
  first.confidence = 100;
  ASSERT_TRUE(this->store_->UpdateBankEntry(first).ok());
  ASSERT_TRUE((*transaction)->Commit().ok());
  auto found = *this->store_->FindBankEntry(first.entry_id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->amount.ToDecimalString(), "40.00");
  EXPECT_EQ(found->state, BankEntryState::kPosted);
  EXPECT_EQ(found->case_number, "Q-00000001-3");
  EXPECT_EQ(found->remittance, "RF41 0000 0001 3");
  auto review = *this->store_->ListBankEntries(BankEntryState::kReview, 0, 10);
  ASSERT_EQ(review.size(), 1u);
  EXPECT_EQ(review[0].entry_id, second.entry_id);
  EXPECT_EQ(this->store_->ListBankEntries(std::nullopt, 0, 10)->size(), 2u);
  EXPECT_EQ(this->store_->ListBankEntries(std::nullopt, first.entry_id, 10)->size(), 1u);
}

TYPED_TEST_P(CaseStoreContract, TheJournalTakesOnlyBalancedEntriesOnce) {
  auto transaction = this->store_->Begin();
  JournalEntry entry;
  entry.client = this->client_.id;
  entry.date = *domain::Date::Parse("2026-05-04");
  entry.kind = "receipt";
  entry.reference = "acct|asr:1";
  entry.lines = {{kAccountTrustBank, this->client_.id, 4000, 0},
                 {kAccountClientPayable, this->client_.id, 0, 3600},
                 {kAccountAgencyFees, this->client_.id, 0, 400}};
  ASSERT_TRUE(this->store_->AddJournalEntry(entry).ok());
  JournalEntry twice = entry;
  EXPECT_EQ(this->store_->AddJournalEntry(twice).code(), StatusCode::kAlreadyExists);
  JournalEntry unbalanced = entry;
  unbalanced.reference = "acct|asr:2";
  unbalanced.lines[1].credit_minor = 3500;
  EXPECT_EQ(this->store_->AddJournalEntry(unbalanced).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE((*transaction)->Commit().ok());
  auto totals = *this->store_->SumJournal();
  EXPECT_EQ(totals.entries, 1);
  EXPECT_EQ(totals.lines, 3);
  EXPECT_TRUE(totals.unbalanced_journal_ids.empty());
  std::int64_t debit = 0, credit = 0;
  for (const auto& account : totals.accounts) {
    debit += account.debit_minor;
    credit += account.credit_minor;
    if (account.account == kAccountClientPayable) {
      EXPECT_EQ(account.credit_minor, 3600);
    }
  }
  EXPECT_EQ(debit, 4000);
  EXPECT_EQ(credit, 4000);
}

TYPED_TEST_P(CaseStoreContract, ASplitIsRemittedOnlyOnce) {
  auto eur = [](std::int64_t cents) {
    return domain::Money::FromMinorUnits(cents, domain::Currency::Eur());
  };
  auto transaction = this->store_->Begin();
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 2; ++i) {
    PaymentSplit split;
    split.client = this->client_.id;
    split.case_id = CaseId(1);
    split.case_number = "Q-00000001-3";
    split.payment_ref = "ref-" + std::to_string(i);
    split.date = *domain::Date::Parse(i == 0 ? "2026-05-04" : "2026-06-10");
    split.amount = eur(4000);
    split.principal = eur(3829);
    split.interest = eur(171);
    split.costs = eur(0);
    split.commission = eur(400);
    split.agency_costs = eur(0);
    split.to_client = eur(3600);
    ASSERT_TRUE(this->store_->AddPaymentSplit(split).ok());
    ids.push_back(split.split_id);
  }
  PaymentSplit bad;
  bad.client = this->client_.id;
  bad.payment_ref = "ref-bad";
  bad.amount = eur(100);
  bad.to_client = eur(1);  // does not add up
  bad.commission = bad.agency_costs = bad.principal = bad.interest = bad.costs = eur(0);
  EXPECT_FALSE(this->store_->AddPaymentSplit(bad).ok());
  ASSERT_TRUE((*transaction)->Commit().ok());
  auto may =
      *this->store_->ListUnremittedSplits(this->client_.id, *domain::Date::Parse("2026-05-31"));
  ASSERT_EQ(may.size(), 1u);
  EXPECT_EQ(may[0].to_client.ToDecimalString(), "36.00");
  Remittance r;
  r.client = this->client_.id;
  r.as_of = *domain::Date::Parse("2026-05-31");
  r.total = eur(3600);
  r.commission = eur(400);
  r.agency_costs = eur(0);
  r.items = 1;
  r.message_id = "M1";
  r.created_at = ContractNow();
  {
    auto remit = this->store_->Begin();
    ASSERT_TRUE(this->store_->AddRemittance(r, {may[0].split_id}).ok());
    ASSERT_TRUE((*remit)->Commit().ok());
  }
  {
    auto remit = this->store_->Begin();  // rolled back when it goes out of scope
    Remittance again = r;
    EXPECT_EQ(this->store_->AddRemittance(again, {may[0].split_id}).code(), StatusCode::kAborted);
  }
  EXPECT_TRUE(
      this->store_->ListUnremittedSplits(this->client_.id, *domain::Date::Parse("2026-05-31"))
          ->empty());
  EXPECT_EQ(this->store_->ListUnremittedSplits(this->client_.id, *domain::Date::Parse("2026-06-30"))
                ->size(),
            1u);
  auto remittances = *this->store_->ListRemittances(this->client_.id);
  ASSERT_EQ(remittances.size(), 1u);
  EXPECT_EQ(remittances[0].total.ToDecimalString(), "36.00");
  EXPECT_EQ(remittances[0].message_id, "M1");
}

TYPED_TEST_P(CaseStoreContract, TermsHoldsAndTheMatchIndex) {
  ClientTerms terms;
  terms.client = this->client_.id;
  terms.commission_bp = 1250;
  terms.rhythm = RemittanceRhythm::kWeekly;
  terms.payout_iban = "DE02120300000000202051";
  terms.payout_name = "Acme Versand GmbH";
  ASSERT_TRUE(this->store_->PutClientTerms(terms).ok());
  terms.commission_bp = 1500;
  ASSERT_TRUE(this->store_->PutClientTerms(terms).ok());
  auto found = *this->store_->FindClientTerms(this->client_.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->commission_bp, 1500);
  EXPECT_EQ(found->rhythm, RemittanceRhythm::kWeekly);
  EXPECT_EQ(found->payout_iban, "DE02120300000000202051");
  EXPECT_FALSE(this->store_->FindClientTerms(ClientId(999))->has_value());

  ASSERT_TRUE(
      this->Import({ContractRow(2, "R1", "K1", 10000), ContractRow(3, "R2", "K2", 500)}).ok());
  auto cases = this->AllCases();
  auto index = *this->store_->LoadMatchIndex();
  ASSERT_EQ(index.size(), 2u);
  EXPECT_EQ(index[0].case_number, cases[0].case_number);
  EXPECT_EQ(index[0].customer_iban, "DE89370400440532013000");
  EXPECT_EQ(index[0].open_balance.ToDecimalString(), "100.00");
  {
    auto transaction = this->store_->Begin();
    ASSERT_TRUE(this->store_
                    ->PutCaseBalance(cases[0].client, cases[0].id,
                                     domain::Money::FromMinorUnits(6171, domain::Currency::Eur()),
                                     *domain::Date::Parse("2026-05-04"))
                    .ok());
    RefundHold hold;
    hold.client = cases[0].client;
    hold.case_id = cases[0].id;
    hold.case_number = cases[0].case_number;
    hold.payment_ref = "ref-1";
    hold.date = *domain::Date::Parse("2026-05-04");
    hold.amount = domain::Money::FromMinorUnits(915, domain::Currency::Eur());
    hold.reason = "overpayment";
    hold.payer_iban = "DE44500105175407324931";
    ASSERT_TRUE(this->store_->AddRefundHold(hold).ok());
    RefundHold twice = hold;
    EXPECT_EQ(this->store_->AddRefundHold(twice).code(), StatusCode::kAlreadyExists);
    ASSERT_TRUE((*transaction)->Commit().ok());
  }
  EXPECT_EQ((*this->store_->LoadMatchIndex())[0].open_balance.ToDecimalString(), "61.71");
  auto holds = *this->store_->ListOpenRefundHolds();
  ASSERT_EQ(holds.size(), 1u);
  EXPECT_EQ(holds[0].amount.ToDecimalString(), "9.15");
  auto transaction = this->store_->Begin();
  ASSERT_TRUE(this->store_->MarkRefunded(holds, "M1").ok());
  EXPECT_EQ(this->store_->MarkRefunded(holds, "M2").code(), StatusCode::kAborted);
}

REGISTER_TYPED_TEST_SUITE_P(CaseStoreContract, ClientsAreUniqueByCode,
                            ClaimsOfOneCustomerJoinOneOpenCase,
                            ImportingTwiceAddsNothingAndReportsChangedAmounts,
                            AnImportDecidesAlikeWhetherItLoadsOrLooksUpTheClientsClaims,
                            ABadRowRejectsTheWholeFileByDefault,
                            CaseNumbersStayDenseAcrossBatchesAndImports, KeepGoodRowsImportsTheRest,
                            HistoryIsChainedAndVerifies, ADuplicateSequenceNumberIsRefused,
                            ClosedCasesRefuseNewEventsAndListsFilter, ReservedIdsNeverRepeat,
                            CollectionRowsAndDueCases, RunPartitionsAreClaimedOnceAndLeasesExpire,
                            OutboxKeepsTheFirstMessageOfAKey, BankEntriesAreStoredOnceByTheirKey,
                            TheJournalTakesOnlyBalancedEntriesOnce, ASplitIsRemittedOnlyOnce,
                            TermsHoldsAndTheMatchIndex);

}  // namespace quitt::app::testing
