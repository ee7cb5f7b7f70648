// The AuthStore contract on PostgreSQL (the same suite SQLite passes), plus what only matters when
// several server processes share one database: a webhook delivery is leased to one of them.
#include "adapters/storage/postgres/postgres_auth_store.h"

#include <gtest/gtest.h>

#include "adapters/storage/postgres/pg_test_schema.h"
#include "adapters/storage/postgres/postgres_case_store.h"
#include "app/auth/testing/auth_store_contract.h"

namespace quitt::adapters::postgres {
namespace {

struct PostgresAuthFactory {
  static app::auth::testing::AuthStores Make(app::Clock& clock) {
    app::auth::testing::AuthStores stores;
    if (TestCluster() == nullptr) return stores;
    auto store = PostgresCaseStore::Open(FreshSchema(), clock);
    EXPECT_TRUE(store.ok()) << store.error().ToString();
    if (!store.ok()) return stores;
    stores.auth = std::make_unique<PostgresAuthStore>((*store)->connection());
    stores.cases = std::move(*store);
    return stores;
  }
};

}  // namespace
}  // namespace quitt::adapters::postgres

namespace quitt::app::auth::testing {
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, AuthStoreContract,
                               ::testing::Types<quitt::adapters::postgres::PostgresAuthFactory>);
}  // namespace quitt::app::auth::testing

namespace quitt::adapters::postgres {
namespace {

TEST(PostgresAuthStore, TwoServersNeverGetTheSameDeliveryUntilTheLeaseEnds) {
  if (TestCluster() == nullptr) GTEST_SKIP() << "no PostgreSQL";
  app::FixedClock clock(app::auth::testing::AuthContractNow());
  const std::string conninfo = FreshSchema();
  auto first = PostgresCaseStore::Open(conninfo, clock);
  auto second = PostgresCaseStore::Open(conninfo, clock);
  ASSERT_TRUE(first.ok() && second.ok());
  PostgresAuthStore a((*first)->connection(), /*lease_seconds=*/30);
  PostgresAuthStore b((*second)->connection(), /*lease_seconds=*/30);
  auto client = (*first)->AddClient({{}, "ACME", "Acme", "DE"});
  ASSERT_TRUE(client.ok());
  app::auth::WebhookEndpoint endpoint{client->id.value(), 0, "http://127.0.0.1:9/", "s", true};
  ASSERT_TRUE(a.AddWebhook(endpoint, clock.Now()).ok());
  // Three cases, one event each, straight into the table the trigger watches.
  for (int case_id = 1; case_id <= 3; ++case_id) {
    ASSERT_TRUE((*first)
                    ->connection()
                    .Exec("INSERT INTO case_events(client_id, case_id, seq, type, schema_version, "
                          "effective_date, recorded_at, actor, payload, previous_hash, hash) "
                          "VALUES (" +
                          std::to_string(client->id.value()) + ", " + std::to_string(case_id) +
                          ", 1, 'note_added', 1, '2026-11-23', '2026-11-23T08:00:00Z', 't', "
                          "'{}', decode(repeat('00', 32), 'hex'), decode(repeat('01', 32), 'hex'))")
                    .ok());
  }
  auto got_a = a.DueDeliveries(clock.Now(), 2);
  ASSERT_TRUE(got_a.ok()) << got_a.error().ToString();
  auto got_b = b.DueDeliveries(clock.Now(), 10);
  ASSERT_TRUE(got_b.ok()) << got_b.error().ToString();
  EXPECT_EQ(got_a->size(), 2u);
  ASSERT_EQ(got_b->size(), 1u);  // the one `a` did not take
  for (const auto& item : *got_a) EXPECT_NE(item.case_id, (*got_b)[0].case_id);
  EXPECT_TRUE(a.DueDeliveries(clock.Now(), 10)->empty());
  // `a` dies without marking its two: they come back once the lease is over.
  ASSERT_TRUE(b.MarkDelivered((*got_b)[0], clock.Now()).ok());
  clock.Advance(30);
  auto retried = b.DueDeliveries(clock.Now(), 10);
  ASSERT_TRUE(retried.ok());
  EXPECT_EQ(retried->size(), 2u);
  EXPECT_EQ(*b.PendingDeliveries(std::nullopt), 2);
}

}  // namespace
}  // namespace quitt::adapters::postgres
