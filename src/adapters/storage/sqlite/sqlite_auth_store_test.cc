#include "adapters/storage/sqlite/sqlite_auth_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "adapters/storage/sqlite/sqlite_case_store.h"

namespace quitt::adapters::sqlite {
namespace {

TEST(SqliteAuthStoreTest, OutboxIsFilledByTheTriggerAndDeliversHeadsInOrder) {
  app::FixedClock clock(*domain::Timestamp::Parse("2025-03-10T09:00:00Z"));
  const auto path = std::filesystem::temp_directory_path() / "quitt_auth_store_outbox.db";
  std::filesystem::remove(path);
  {
    auto store = std::move(*SqliteCaseStore::Open(path.string(), clock));
    SqliteAuthStore auth(store->database());
    domain::Client client;
    client.code = "ACME";
    client.name = "Acme";
    const auto acme = store->AddClient(client)->id.value();
    app::auth::WebhookEndpoint endpoint;
    endpoint.client_id = acme;
    endpoint.url = "http://127.0.0.1:9/";
    endpoint.secret = "s";
    auto added = auth.AddWebhook(endpoint, clock.Now());
    ASSERT_TRUE(added.ok());
    // Two events of one case, straight into the table the trigger watches.
    ASSERT_TRUE(store->database()
                    .Exec("INSERT INTO case_events(client_id, case_id, seq, type, schema_version, "
                          "effective_date, recorded_at, actor, payload, previous_hash, hash) "
                          "VALUES (" +
                          std::to_string(acme) +
                          ", 7, 1, 'note_added', 1, '2025-03-10', '2025-03-10T09:00:00.000000Z', "
                          "'t', '{}', x'00', x'01'), (" +
                          std::to_string(acme) +
                          ", 7, 2, 'note_added', 1, '2025-03-10', "
                          "'2025-03-10T09:00:00.000000Z', 't', '{}', x'01', x'02')")
                    .ok());
    EXPECT_EQ(*auth.PendingDeliveries(acme), 2);
    auto due = auth.DueDeliveries(clock.Now(), 10);
    ASSERT_TRUE(due.ok());
    ASSERT_EQ(due->size(), 1u);  // only the head of the case queue
    EXPECT_EQ((*due)[0].seq, 1);
    ASSERT_TRUE(auth.MarkFailed((*due)[0], clock.Now().AddSeconds(5), "boom").ok());
    EXPECT_TRUE(auth.DueDeliveries(clock.Now(), 10)->empty());  // seq 2 waits behind seq 1
    clock.Advance(5);
    due = auth.DueDeliveries(clock.Now(), 10);
    ASSERT_EQ(due->size(), 1u);
    EXPECT_EQ((*due)[0].attempts, 1);
    ASSERT_TRUE(auth.MarkDelivered((*due)[0], clock.Now()).ok());
    due = auth.DueDeliveries(clock.Now(), 10);
    ASSERT_EQ(due->size(), 1u);
    EXPECT_EQ((*due)[0].seq, 2);
    // Deleting the endpoint drops what is still pending; another client's id is not found.
    EXPECT_EQ(auth.DeleteWebhook(acme + 1, added->endpoint_id).code(), StatusCode::kNotFound);
    ASSERT_TRUE(auth.DeleteWebhook(acme, added->endpoint_id).ok());
    EXPECT_EQ(*auth.PendingDeliveries(acme), 0);
  }
  std::filesystem::remove(path);
}

TEST(SqliteAuthStoreTest, IdempotencyKeepsTheFirstResponsePerClient) {
  app::FixedClock clock(*domain::Timestamp::Parse("2025-03-10T09:00:00Z"));
  const auto path = std::filesystem::temp_directory_path() / "quitt_auth_store_idem.db";
  std::filesystem::remove(path);
  {
    auto store = std::move(*SqliteCaseStore::Open(path.string(), clock));
    SqliteAuthStore auth(store->database());
    ASSERT_TRUE(
        auth.SaveIdempotency(1, "k", {"h1", 201, "application/json", "first"}, clock.Now()).ok());
    ASSERT_TRUE(
        auth.SaveIdempotency(1, "k", {"h2", 500, "application/json", "second"}, clock.Now()).ok());
    auto found = auth.FindIdempotency(1, "k");
    ASSERT_TRUE(found.ok() && found->has_value());
    EXPECT_EQ((*found)->body, "first");
    EXPECT_FALSE(auth.FindIdempotency(2, "k")->has_value());
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace quitt::adapters::sqlite
