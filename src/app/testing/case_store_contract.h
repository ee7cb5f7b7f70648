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

#include "app/case_service.h"
#include "app/import_claims.h"
#include "app/ports.h"
#include "domain/case_event_codec.h"

namespace quitt::app::testing {

inline domain::Timestamp ContractNow() { return *domain::Timestamp::Parse("2026-11-23T09:00:00Z"); }

// A source of rows built in the test.
class VectorSource : public ClaimSource {
 public:
  explicit VectorSource(std::vector<IntakeRow> rows) : rows_(std::move(rows)) {}
  Result<bool> Next(IntakeRow& row) override {
    if (next_ >= rows_.size()) return false;
    row = rows_[next_++];
    return true;
  }
  const std::string& name() const override { return name_; }
  std::int64_t position() const override { return static_cast<std::int64_t>(next_); }
  std::int64_t size() const override { return static_cast<std::int64_t>(rows_.size()); }

 private:
  std::vector<IntakeRow> rows_;
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
  Result<ImportReport> Import(std::vector<IntakeRow> rows, bool keep_good_rows = false) {
    VectorSource source(std::move(rows));
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
  ASSERT_TRUE((*transaction)->Commit().ok());
}

REGISTER_TYPED_TEST_SUITE_P(CaseStoreContract, ClientsAreUniqueByCode,
                            ClaimsOfOneCustomerJoinOneOpenCase,
                            ImportingTwiceAddsNothingAndReportsChangedAmounts,
                            ABadRowRejectsTheWholeFileByDefault, KeepGoodRowsImportsTheRest,
                            HistoryIsChainedAndVerifies, ADuplicateSequenceNumberIsRefused,
                            ClosedCasesRefuseNewEventsAndListsFilter, ReservedIdsNeverRepeat);

}  // namespace quitt::app::testing
