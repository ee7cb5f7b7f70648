#include "adapters/storage/sqlite/sqlite_auth_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "adapters/storage/sqlite/sqlite_case_store.h"
#include "domain/case_event_codec.h"

namespace quitt::adapters::sqlite {
namespace {

TEST(SqliteAuthStoreTest, OutboxIsFilledWithTheEventsAndDeliversHeadsInOrder) {
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
    client.code = "OTHER";
    const auto other = store->AddClient(client)->id.value();
    app::auth::WebhookEndpoint endpoint;
    endpoint.client_id = acme;
    endpoint.url = "http://127.0.0.1:9/";
    endpoint.secret = "s";
    auto added = auth.AddWebhook(endpoint, clock.Now());
    ASSERT_TRUE(added.ok());
    // Two events of one case of ACME and one of a client without endpoints, written the way
    // every writer writes them (the store's Write fills the webhook outbox, migration 0009).
    app::WriteBatch batch;
    auto append = [&](std::int64_t client_id, std::int64_t seq, const Sha256Digest& previous) {
      domain::CaseEvent event{app::ClientId(client_id),
                              app::CaseId(7),
                              seq,
                              *domain::Date::Parse("2025-03-10"),
                              clock.Now(),
                              "t",
                              domain::NoteAdded{"note " + std::to_string(seq)}};
      batch.events.push_back(domain::Seal(std::move(event), previous));
      return batch.events.back().hash;
    };
    append(acme, 2, append(acme, 1, Sha256Digest{}));
    append(other, 1, Sha256Digest{});
    auto transaction = store->Begin();
    ASSERT_TRUE(transaction.ok());
    ASSERT_TRUE(store->Write(batch).ok());
    ASSERT_TRUE((*transaction)->Commit().ok());
    EXPECT_EQ(*auth.PendingDeliveries(other), 0);
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
