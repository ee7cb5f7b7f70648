#pragma once
// For the test programs of this folder: one throw-away cluster per test program (started before
// the first test, stopped after the last, also when tests fail; the script's watchdog covers
// crashes) and a fresh schema per store. Register the environment once per program:
//   [[maybe_unused]] ::testing::Environment* const kEnvironment =
//       ::testing::AddGlobalTestEnvironment(new ClusterEnvironment);
// Header-only, test programs only (needs gtest and QUITT_PG_CLUSTER_SCRIPT).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>

#include "adapters/storage/postgres/pg_connection.h"
#include "adapters/storage/postgres/pg_test_cluster.h"

namespace quitt::adapters::postgres {

// The running cluster, nullptr when PostgreSQL is not installed (the tests skip).
inline ThrowAwayCluster*& TestCluster() {
  static ThrowAwayCluster* cluster = nullptr;
  return cluster;
}

class ClusterEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    auto cluster = ThrowAwayCluster::Start(QUITT_PG_CLUSTER_SCRIPT, /*fast=*/true);
    if (!cluster.ok() && cluster.error().code() == StatusCode::kNotFound) {
      GTEST_SKIP() << "PostgreSQL tests skipped, " << cluster.error().message()
                   << "(install the Debian package postgresql-15 to run them)";
    }
    ASSERT_TRUE(cluster.ok()) << cluster.error().ToString();
    cluster_ = std::move(*cluster);
    TestCluster() = cluster_.get();
  }
  void TearDown() override {
    TestCluster() = nullptr;
    cluster_.reset();
  }

 private:
  std::unique_ptr<ThrowAwayCluster> cluster_;
};

// Creates a fresh, empty schema on the test cluster and returns its name.
inline std::string FreshSchemaName() {
  static std::atomic<int> counter{0};
  std::string schema = "store_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  auto admin = Connection::Open(TestCluster()->url());
  EXPECT_TRUE(admin.ok()) << admin.error().ToString();
  if (!admin.ok()) return "";
  Status created = (*admin)->Exec("CREATE SCHEMA " + schema);
  EXPECT_TRUE(created.ok()) << created.ToString();
  return schema;
}

// A fresh schema; returns the libpq keyword conninfo that uses it.
inline std::string FreshSchema() { return TestCluster()->ConnInfoForSchema(FreshSchemaName()); }

// A fresh schema as a postgresql:// URL (what `--db` and OpenStore take).
inline std::string FreshSchemaUrl() {
  const std::string schema = FreshSchemaName();
  return TestCluster()->url() + "?options=-csearch_path%3D" + schema;
}

}  // namespace quitt::adapters::postgres
