#pragma once
// The contract every AuthStore implementation passes (SQLite and PostgreSQL), written once as a
// GoogleTest typed test suite. An implementation's test file provides a factory:
//
//   struct SqliteAuthFactory {
//     // A fresh, empty database: its CaseStore and the AuthStore on the same connection.
//     static app::auth::testing::AuthStores Make(app::Clock& clock);
//   };
//   INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, AuthStoreContract, ::testing::Types<SqliteAuthFactory>);
//
// Header-only and included only by test programs (it needs gtest).
#include <gtest/gtest.h>

#include <memory>

#include "app/auth/auth_store.h"
#include "app/case_service.h"
#include "app/import_claims.h"
#include "app/ports.h"

namespace quitt::app::auth::testing {

struct AuthStores {
  std::unique_ptr<CaseStore> cases;
  std::unique_ptr<AuthStore> auth;  // borrows the connection of `cases`; declared last, so
                                    // destroyed first
};

inline domain::Timestamp AuthContractNow() {
  return *domain::Timestamp::Parse("2026-11-23T09:00:00Z");
}

// One claim as an import row (one case per call with a new reference).
class OneClaimSource : public ClaimSource {
 public:
  explicit OneClaimSource(const std::string& ref) {
    row_.line = 2;
    row_.customer.customer_ref = "K-" + ref;
    row_.customer.name = "Kundin " + ref;
    row_.customer.address = {"Hauptstraße 1", "10115", "Berlin", "DE"};
    row_.claim.client_ref = ref;
    row_.claim.reason = "Rechnung " + ref;
    row_.claim.invoice_date = *domain::Date::Parse("2026-01-10");
    row_.claim.due_date = *domain::Date::Parse("2026-01-24");
    row_.claim.default_date = *domain::Date::Parse("2026-01-25");
    row_.claim.principal = domain::Money::FromMinorUnits(12050, domain::Currency::Eur());
    row_.claim.client_costs = domain::Money::Zero(domain::Currency::Eur());
  }
  Result<bool> Next(IntakeRow& row) override {
    if (done_) return false;
    row = row_;
    done_ = true;
    return true;
  }
  const std::string& name() const override { return name_; }
  std::int64_t position() const override { return done_ ? 1 : 0; }
  std::int64_t size() const override { return 1; }

 private:
  IntakeRow row_;
  bool done_ = false;
  std::string name_ = "contract.csv";
};

template <typename Factory>
class AuthStoreContract : public ::testing::Test {
 protected:
  void SetUp() override {
    stores_ = Factory::Make(clock_);
    ASSERT_NE(stores_.cases, nullptr);
    ASSERT_NE(stores_.auth, nullptr);
    acme_ = AddClient("ACME");
    beta_ = AddClient("BETA");
  }
  std::int64_t AddClient(const std::string& code) {
    auto client = stores_.cases->AddClient({{}, code, code + " GmbH", "DE"});
    EXPECT_TRUE(client.ok()) << client.error().ToString();
    return client.ok() ? client->id.value() : -1;
  }
  // Opens a case of ACME with one claim; returns its case number.
  std::string OpenCase(const std::string& ref) {
    OneClaimSource source(ref);
    ImportOptions options;
    options.client_code = "ACME";
    options.actor = "import:contract";
    options.business_date = *domain::Date::Parse("2026-11-23");
    auto report = ImportClaims(*stores_.cases, clock_, source, options);
    EXPECT_TRUE(report.ok()) << report.error().ToString();
    auto index = stores_.cases->LoadImportIndex(ClientId(acme_));
    EXPECT_TRUE(index.ok());
    auto summary = stores_.cases->FindCase(ClientId(acme_), index->claims_by_ref.at(ref).case_id);
    EXPECT_TRUE(summary.ok() && summary->has_value());
    return (*summary)->case_number;
  }
  Status AddNote(const std::string& number, const std::string& text) {
    auto appended = AppendToCase(*stores_.cases, clock_, number, {domain::NoteAdded{text}},
                                 "user:contract", clock_.Now().UtcDate());
    return appended.ok() ? OkStatus() : appended.error();
  }
  AuthStore& auth() { return *stores_.auth; }

  FixedClock clock_{AuthContractNow()};
  AuthStores stores_;
  std::int64_t acme_ = 0;
  std::int64_t beta_ = 0;
};

TYPED_TEST_SUITE_P(AuthStoreContract);

TYPED_TEST_P(AuthStoreContract, UsersAreUniqueByNameAndFoundOnlyUnderTheirClient) {
  User anna{kAgencyClient, 0, "anna", Role::kSupervisor, "$argon2id$hash-a", false};
  auto added = this->auth().AddUser(anna, this->clock_.Now());
  ASSERT_TRUE(added.ok()) << added.error().ToString();
  EXPECT_GT(added->user_id, 0);
  User client_user{this->acme_, 0, "erp", Role::kClientUser, "$argon2id$hash-b", true};
  auto second = this->auth().AddUser(client_user, this->clock_.Now());
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->user_id, added->user_id);

  anna.role = Role::kAdmin;
  EXPECT_EQ(this->auth().AddUser(anna, this->clock_.Now()).error().code(),
            StatusCode::kAlreadyExists);

  auto found = this->auth().FindUserByName("erp");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->client_id, this->acme_);
  EXPECT_EQ((*found)->role, Role::kClientUser);
  EXPECT_EQ((*found)->password_hash, "$argon2id$hash-b");
  EXPECT_TRUE((*found)->disabled);
  EXPECT_FALSE(this->auth().FindUserByName("nobody")->has_value());

  auto by_id = this->auth().FindUser(kAgencyClient, added->user_id);
  ASSERT_TRUE(by_id.ok() && by_id->has_value());
  EXPECT_EQ((*by_id)->username, "anna");
  EXPECT_EQ((*by_id)->role, Role::kSupervisor);
  // The client id is part of the key: the same user id under another client is nobody.
  EXPECT_FALSE(this->auth().FindUser(this->acme_, added->user_id)->has_value());
}

TYPED_TEST_P(AuthStoreContract, ApiKeysAreFoundByTheirHashOnly) {
  ApiKeyRecord key{this->acme_, 0, std::string(64, 'a'), "qk_1_aaaa", "ERP export", false};
  auto added = this->auth().AddApiKey(key, this->clock_.Now());
  ASSERT_TRUE(added.ok()) << added.error().ToString();
  ApiKeyRecord other{this->beta_, 0, std::string(64, 'b'), "qk_2_bbbb", "", true};
  ASSERT_TRUE(this->auth().AddApiKey(other, this->clock_.Now()).ok());

  auto found = this->auth().FindApiKeyByHash(std::string(64, 'a'));
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->client_id, this->acme_);
  EXPECT_EQ((*found)->key_id, added->key_id);
  EXPECT_EQ((*found)->prefix, "qk_1_aaaa");
  EXPECT_EQ((*found)->label, "ERP export");
  EXPECT_FALSE((*found)->revoked);
  EXPECT_TRUE((*this->auth().FindApiKeyByHash(std::string(64, 'b')))->revoked);
  EXPECT_FALSE(this->auth().FindApiKeyByHash(std::string(64, 'c'))->has_value());
  EXPECT_FALSE(this->auth().FindApiKeyByHash("' OR '1'='1")->has_value());
}

TYPED_TEST_P(AuthStoreContract, SessionsKeepTheirExpiryToTheMicrosecondAndCanBeDeleted) {
  SessionRecord session;
  session.client_id = this->acme_;
  session.token_hash = std::string(64, 'd');
  session.user_id = 7;
  session.csrf_hash = std::string(64, 'e');
  session.expires_at = domain::Timestamp::FromUnixMicros(this->clock_.Now().unix_micros() +
                                                         3600 * 1000000LL + 123456);
  ASSERT_TRUE(this->auth().AddSession(session, this->clock_.Now()).ok());
  auto found = this->auth().FindSession(session.token_hash);
  ASSERT_TRUE(found.ok() && found->has_value()) << found.error().ToString();
  EXPECT_EQ((*found)->client_id, this->acme_);
  EXPECT_EQ((*found)->user_id, 7);
  EXPECT_EQ((*found)->csrf_hash, session.csrf_hash);
  EXPECT_EQ((*found)->expires_at, session.expires_at);
  ASSERT_TRUE(this->auth().DeleteSession(session.token_hash).ok());
  EXPECT_FALSE(this->auth().FindSession(session.token_hash)->has_value());
  EXPECT_TRUE(this->auth().DeleteSession(session.token_hash).ok());  // twice is fine
}

TYPED_TEST_P(AuthStoreContract, AuditListsTheNewestEntriesOldestFirstPerClient) {
  for (int i = 0; i < 5; ++i) {
    AuditEntry entry{this->acme_,
                     this->clock_.Now().AddSeconds(i),
                     "key:1@ACME",
                     "POST /api/v1/claims",
                     "INV-" + std::to_string(i),
                     201,
                     ""};
    ASSERT_TRUE(this->auth().AppendAudit(entry).ok());
  }
  AuditEntry other{this->beta_, this->clock_.Now(),        "key:2@BETA", "POST /api/v1/claims", "X",
                   422,         "amount: must be a string"};
  ASSERT_TRUE(this->auth().AppendAudit(other).ok());

  auto newest = this->auth().ListAudit(this->acme_, 3);
  ASSERT_TRUE(newest.ok()) << newest.error().ToString();
  ASSERT_EQ(newest->size(), 3u);
  EXPECT_EQ((*newest)[0].target, "INV-2");
  EXPECT_EQ((*newest)[2].target, "INV-4");
  EXPECT_EQ((*newest)[2].at, this->clock_.Now().AddSeconds(4));
  EXPECT_EQ((*newest)[2].actor, "key:1@ACME");
  EXPECT_EQ((*newest)[2].status, 201);
  auto beta = this->auth().ListAudit(this->beta_, 10);
  ASSERT_EQ(beta->size(), 1u);
  EXPECT_EQ((*beta)[0].detail, "amount: must be a string");
  EXPECT_TRUE(this->auth().ListAudit(kAgencyClient, 10)->empty());
}

TYPED_TEST_P(AuthStoreContract, IdempotencyKeepsTheFirstResponsePerClient) {
  IdempotencyRecord first{"hash-1", 201, "application/json", R"({"imported":1})"};
  IdempotencyRecord second{"hash-2", 409, "application/problem+json", "{}"};
  ASSERT_TRUE(this->auth().SaveIdempotency(this->acme_, "k-1", first, this->clock_.Now()).ok());
  ASSERT_TRUE(this->auth().SaveIdempotency(this->acme_, "k-1", second, this->clock_.Now()).ok());
  auto stored = this->auth().FindIdempotency(this->acme_, "k-1");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->request_hash, "hash-1");
  EXPECT_EQ((*stored)->status, 201);
  EXPECT_EQ((*stored)->content_type, "application/json");
  EXPECT_EQ((*stored)->body, R"({"imported":1})");
  // The same key of another client is another record.
  EXPECT_FALSE(this->auth().FindIdempotency(this->beta_, "k-1")->has_value());
  ASSERT_TRUE(this->auth().SaveIdempotency(this->beta_, "k-1", second, this->clock_.Now()).ok());
  EXPECT_EQ((*this->auth().FindIdempotency(this->beta_, "k-1"))->status, 409);
}

TYPED_TEST_P(AuthStoreContract, WebhooksBelongToOneClient) {
  WebhookEndpoint endpoint{this->acme_, 0, "https://erp.example/hook", "secret-1", true};
  auto added = this->auth().AddWebhook(endpoint, this->clock_.Now());
  ASSERT_TRUE(added.ok()) << added.error().ToString();
  WebhookEndpoint other{this->beta_, 0, "https://beta.example/hook", "secret-2", true};
  auto beta = this->auth().AddWebhook(other, this->clock_.Now());
  ASSERT_TRUE(beta.ok());
  EXPECT_NE(added->endpoint_id, beta->endpoint_id);

  auto list = this->auth().ListWebhooks(this->acme_);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].url, "https://erp.example/hook");
  EXPECT_EQ((*list)[0].secret, "secret-1");
  EXPECT_TRUE((*list)[0].active);
  EXPECT_FALSE(this->auth().FindWebhook(this->beta_, added->endpoint_id)->has_value());
  EXPECT_EQ(this->auth().DeleteWebhook(this->beta_, added->endpoint_id).code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(this->auth().DeleteWebhook(this->acme_, added->endpoint_id).ok());
  EXPECT_TRUE(this->auth().ListWebhooks(this->acme_)->empty());
  auto found = this->auth().FindWebhook(this->acme_, added->endpoint_id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_FALSE((*found)->active);
  // Deleting twice: it is gone.
  EXPECT_EQ(this->auth().DeleteWebhook(this->acme_, added->endpoint_id).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(this->auth().ListWebhooks(this->beta_)->size(), 1u);
}

TYPED_TEST_P(AuthStoreContract, EveryEventOfAClientFillsTheOutboxAndHeadsGoOutInSeqOrder) {
  const std::string before = this->OpenCase("INV-0");  // before any endpoint: not queued
  WebhookEndpoint endpoint{this->acme_, 0, "http://127.0.0.1:9/hook", "s", true};
  auto added = this->auth().AddWebhook(endpoint, this->clock_.Now());
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(*this->auth().PendingDeliveries(std::nullopt), 0);

  const std::string number = this->OpenCase("INV-1");
  auto pending = this->auth().PendingDeliveries(this->acme_);
  ASSERT_TRUE(pending.ok()) << pending.error().ToString();
  const std::int64_t opened = *pending;
  ASSERT_GE(opened, 1);  // the events that opened the case
  ASSERT_TRUE(this->AddNote(number, "first").ok());
  ASSERT_TRUE(this->AddNote(number, "second").ok());
  EXPECT_EQ(*this->auth().PendingDeliveries(this->acme_), opened + 2);
  EXPECT_EQ(*this->auth().PendingDeliveries(this->beta_), 0);

  // Only the head of the case queue is due; a failure holds back the rest of the case.
  auto due = this->auth().DueDeliveries(this->clock_.Now(), 10);
  ASSERT_TRUE(due.ok()) << due.error().ToString();
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].client_id, this->acme_);
  EXPECT_EQ((*due)[0].endpoint_id, added->endpoint_id);
  EXPECT_EQ((*due)[0].seq, 1);
  EXPECT_EQ((*due)[0].attempts, 0);
  EXPECT_LE((*due)[0].next_attempt_at, this->clock_.Now());
  ASSERT_TRUE(
      this->auth().MarkFailed((*due)[0], this->clock_.Now().AddSeconds(5), "HTTP 500").ok());
  EXPECT_TRUE(this->auth().DueDeliveries(this->clock_.Now(), 10)->empty());
  this->clock_.Advance(5);
  due = this->auth().DueDeliveries(this->clock_.Now(), 10);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].seq, 1);
  EXPECT_EQ((*due)[0].attempts, 1);

  // Delivering every head in turn walks the case in seq order.
  std::vector<std::int64_t> order;
  for (int round = 0; round < 20 && !due->empty(); ++round) {
    ASSERT_EQ(due->size(), 1u);
    order.push_back((*due)[0].seq);
    ASSERT_TRUE(this->auth().MarkDelivered((*due)[0], this->clock_.Now()).ok());
    due = this->auth().DueDeliveries(this->clock_.Now(), 10);
    ASSERT_TRUE(due.ok());
  }
  ASSERT_EQ(static_cast<std::int64_t>(order.size()), opened + 2);
  for (std::size_t i = 0; i < order.size(); ++i) {
    EXPECT_EQ(order[i], static_cast<std::int64_t>(i + 1));
  }
  EXPECT_EQ(*this->auth().PendingDeliveries(std::nullopt), 0);

  // Deleting the endpoint drops what is still pending for it.
  ASSERT_TRUE(this->AddNote(number, "third").ok());
  ASSERT_TRUE(this->AddNote(before, "on the older case").ok());
  EXPECT_EQ(*this->auth().PendingDeliveries(this->acme_), 2);
  ASSERT_TRUE(this->auth().DeleteWebhook(this->acme_, added->endpoint_id).ok());
  EXPECT_EQ(*this->auth().PendingDeliveries(this->acme_), 0);
  ASSERT_TRUE(this->AddNote(number, "after the delete").ok());
  EXPECT_EQ(*this->auth().PendingDeliveries(this->acme_), 0);
}

REGISTER_TYPED_TEST_SUITE_P(AuthStoreContract, UsersAreUniqueByNameAndFoundOnlyUnderTheirClient,
                            ApiKeysAreFoundByTheirHashOnly,
                            SessionsKeepTheirExpiryToTheMicrosecondAndCanBeDeleted,
                            AuditListsTheNewestEntriesOldestFirstPerClient,
                            IdempotencyKeepsTheFirstResponsePerClient, WebhooksBelongToOneClient,
                            EveryEventOfAClientFillsTheOutboxAndHeadsGoOutInSeqOrder);

}  // namespace quitt::app::auth::testing
