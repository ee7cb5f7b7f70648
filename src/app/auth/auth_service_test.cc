#include "app/auth/auth_service.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "adapters/storage/sqlite/sqlite_auth_store.h"
#include "adapters/storage/sqlite/sqlite_case_store.h"

namespace quitt::app::auth {
namespace {

class AuthServiceTest : public ::testing::Test {
 protected:
  AuthServiceTest()
      : clock_(*domain::Timestamp::Parse("2025-03-10T09:00:00Z")),
        path_(std::filesystem::temp_directory_path() /
              ("quitt_auth_" +
               std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
               ".db")) {
    std::filesystem::remove(path_);
    cases_ = std::move(*adapters::sqlite::SqliteCaseStore::Open(path_.string(), clock_));
    store_ = std::make_unique<adapters::sqlite::SqliteAuthStore>(cases_->database());
    domain::Client client;
    client.code = "ACME";
    client.name = "Acme";
    acme_ = cases_->AddClient(client)->id.value();
  }
  ~AuthServiceTest() override {
    store_.reset();
    cases_.reset();
    std::filesystem::remove(path_);
  }

  FixedClock clock_;
  std::filesystem::path path_;
  std::unique_ptr<adapters::sqlite::SqliteCaseStore> cases_;
  std::unique_ptr<adapters::sqlite::SqliteAuthStore> store_;
  std::int64_t acme_ = 0;
};

TEST_F(AuthServiceTest, PasswordsAreStoredAsArgon2idAndChecked) {
  auto hash = HashPassword("correct horse battery");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword("correct horse battery", *hash));
  EXPECT_FALSE(VerifyPassword("correct horse batterY", *hash));
}

TEST_F(AuthServiceTest, UsersNeedAStrongEnoughPasswordAndTheRightClientRule) {
  AuthService auth(clock_);
  EXPECT_FALSE(auth.CreateUser(*store_, "anna", "short", Role::kAgent, std::nullopt).ok());
  EXPECT_FALSE(
      auth.CreateUser(*store_, "anna", "long enough 1", Role::kClientUser, std::nullopt).ok());
  EXPECT_FALSE(auth.CreateUser(*store_, "anna", "long enough 1", Role::kAgent, acme_).ok());
  EXPECT_FALSE(auth.CreateUser(*store_, "an na", "long enough 1", Role::kAgent, std::nullopt).ok());
  ASSERT_TRUE(auth.CreateUser(*store_, "anna", "long enough 1", Role::kAgent, std::nullopt).ok());
  auto again = auth.CreateUser(*store_, "anna", "long enough 1", Role::kAgent, std::nullopt);
  EXPECT_EQ(again.error().code(), StatusCode::kAlreadyExists);
}

TEST_F(AuthServiceTest, LoginGivesASessionThatExpires) {
  AuthService auth(clock_, AuthOptions{.session_seconds = 60});
  ASSERT_TRUE(auth.CreateUser(*store_, "carl", "long enough 1", Role::kClientUser, acme_).ok());
  auto login = auth.Login(*store_, "carl", "long enough 1", "10.0.0.1");
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(login->principal.client_id, acme_);
  auto principal = auth.AuthenticateSession(*store_, login->session_token);
  ASSERT_TRUE(principal.ok() && principal->has_value());
  EXPECT_EQ((*principal)->actor, "user:carl");
  EXPECT_EQ((*principal)->csrf_hash, TokenHash(login->csrf_token));
  clock_.Advance(61);
  EXPECT_FALSE(auth.AuthenticateSession(*store_, login->session_token)->has_value());
}

TEST_F(AuthServiceTest, FailedLoginsAreLimitedPerNameAndPerAddress) {
  AuthService auth(clock_, AuthOptions{.max_failed_logins = 3, .failed_login_window = 600});
  ASSERT_TRUE(auth.CreateUser(*store_, "dora", "long enough 1", Role::kAgent, std::nullopt).ok());
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(auth.Login(*store_, "dora", "bad", "10.0.0.2").error().code(), StatusCode::kNotFound);
  }
  EXPECT_EQ(auth.Login(*store_, "dora", "long enough 1", "10.0.0.3").error().code(),
            StatusCode::kUnavailable);
  clock_.Advance(601);
  EXPECT_TRUE(auth.Login(*store_, "dora", "long enough 1", "10.0.0.3").ok());
}

TEST_F(AuthServiceTest, ApiKeysAreStoredHashedAndBelongToOneClient) {
  AuthService auth(clock_);
  auto key = auth.CreateApiKey(*store_, acme_, "ERP");
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->rfind("qk_", 0), 0u);
  const std::string secret = key->substr(key->rfind('_') + 1);
  EXPECT_FALSE((*store_->FindApiKeyByHash(secret)).has_value());  // never stored in clear
  auto principal = auth.AuthenticateKey(*store_, *key);
  ASSERT_TRUE(principal.ok() && principal->has_value());
  EXPECT_EQ((*principal)->client_id, acme_);
  EXPECT_FALSE((*principal)->via_session);
  std::string wrong = *key;
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  EXPECT_FALSE(auth.AuthenticateKey(*store_, wrong)->has_value());
  EXPECT_FALSE(auth.CreateApiKey(*store_, 0, "staff").ok());
}

}  // namespace
}  // namespace quitt::app::auth
