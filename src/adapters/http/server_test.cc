// The transport with native TLS: a self-signed certificate made with the openssl CLI, the server
// on it, and libcurl fetching /healthz over HTTPS while verifying against exactly that certificate.
#include "adapters/http/server.h"

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "adapters/http/testing/test_server.h"

namespace quitt::adapters::http {
namespace {

namespace fs = std::filesystem;

// A self-signed certificate for 127.0.0.1 (subjectAltName IP, as TLS clients check it).
bool MakeCertificate(const fs::path& dir, const std::string& name) {
  const std::string command =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -addext "
      "subjectAltName=IP:127.0.0.1 -keyout '" +
      (dir / (name + ".key")).string() + "' -out '" + (dir / (name + ".crt")).string() +
      "' >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

size_t Collect(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

struct Fetched {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
};

// GET over HTTPS, the peer verified against `ca_file` only. `max_tls11`: offer TLS 1.0/1.1 only
// (with the client's own security level lowered, so a refusal is the server's).
// `tls12_ciphers`: offer only TLS 1.2 with these suites.
Fetched HttpsGet(int port, const std::string& ca_file, bool max_tls11 = false,
                 const char* tls12_ciphers = nullptr) {
  Fetched fetched;
  CURL* curl = curl_easy_init();
  const std::string url = "https://127.0.0.1:" + std::to_string(port) + "/healthz";
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file.c_str());
  curl_easy_setopt(curl, CURLOPT_CAPATH, nullptr);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &fetched.body);
  if (max_tls11) {
    curl_easy_setopt(curl, CURLOPT_SSLVERSION,
                     static_cast<long>(CURL_SSLVERSION_TLSv1_0) |
                         static_cast<long>(CURL_SSLVERSION_MAX_TLSv1_1));
    curl_easy_setopt(curl, CURLOPT_SSL_CIPHER_LIST, "DEFAULT:@SECLEVEL=0");
  }
  if (tls12_ciphers != nullptr) {
    curl_easy_setopt(curl, CURLOPT_SSLVERSION,
                     static_cast<long>(CURL_SSLVERSION_TLSv1_2) |
                         static_cast<long>(CURL_SSLVERSION_MAX_TLSv1_2));
    curl_easy_setopt(curl, CURLOPT_SSL_CIPHER_LIST, tls12_ciphers);
  }
  fetched.code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &fetched.status);
  curl_easy_cleanup(curl);
  return fetched;
}

class TlsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("quitt_tls_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    if (!MakeCertificate(dir_, "server") || !MakeCertificate(dir_, "other")) {
      GTEST_SKIP() << "the openssl command is not installed";
    }
    pool_ = std::make_unique<StorePool>(
        []() -> Result<std::unique_ptr<StoreSet>> { return Unavailable("no store needed"); }, 1);
    auth_ = std::make_unique<app::auth::AuthService>(clock_);
    api_ = std::make_unique<Api>(*pool_, *auth_, clock_, metrics_);
  }
  void TearDown() override {
    if (server_) {
      server_->Stop();
      server_->Wait();
    }
    server_.reset();
    fs::remove_all(dir_);
  }
  Status Start(const std::string& cert, const std::string& key) {
    ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.shutdown_grace_seconds = 2;
    options.tls_cert_file = cert;
    options.tls_key_file = key;
    server_ = std::make_unique<HttpServer>(*api_, metrics_, options);
    return server_->Start();
  }
  std::string File(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
  testing::TestClock clock_{*domain::Timestamp::Parse("2026-11-23T09:00:00Z")};
  Metrics metrics_;
  std::unique_ptr<StorePool> pool_;
  std::unique_ptr<app::auth::AuthService> auth_;
  std::unique_ptr<Api> api_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(TlsServerTest, HealthzOverHttpsVerifiesAgainstTheServersCertificate) {
  ASSERT_TRUE(Start(File("server.crt"), File("server.key")).ok());
  Fetched fetched = HttpsGet(server_->port(), File("server.crt"));
  ASSERT_EQ(fetched.code, CURLE_OK) << curl_easy_strerror(fetched.code);
  EXPECT_EQ(fetched.status, 200);
  EXPECT_EQ(nlohmann::json::parse(fetched.body)["status"], "ok");
  // Trusting another certificate, the client refuses the server: it really is verified.
  Fetched untrusted = HttpsGet(server_->port(), File("other.crt"));
  EXPECT_NE(untrusted.code, CURLE_OK);
  EXPECT_EQ(untrusted.status, 0);
}

TEST_F(TlsServerTest, TlsOlderThan12AndPlainHttpGetNoAnswer) {
  ASSERT_TRUE(Start(File("server.crt"), File("server.key")).ok());
  Fetched old = HttpsGet(server_->port(), File("server.crt"), /*max_tls11=*/true);
  EXPECT_NE(old.code, CURLE_OK);
  EXPECT_EQ(old.status, 0);
  testing::Reply plain = testing::Call(server_->port(), "GET", "/healthz");
  EXPECT_NE(plain.status, 200);
  // The server is still fine afterwards.
  EXPECT_EQ(HttpsGet(server_->port(), File("server.crt")).status, 200);
}

TEST_F(TlsServerTest, Tls12TakesOnlyForwardSecretAeadSuites) {
  ASSERT_TRUE(Start(File("server.crt"), File("server.key")).ok());
  EXPECT_EQ(
      HttpsGet(server_->port(), File("server.crt"), false, "ECDHE-RSA-AES128-GCM-SHA256").status,
      200);
  // RSA key exchange and CBC with SHA-1: offered alone, there is no common suite.
  Fetched cbc = HttpsGet(server_->port(), File("server.crt"), false, "AES128-SHA");
  EXPECT_NE(cbc.code, CURLE_OK);
  EXPECT_EQ(cbc.status, 0);
}

TEST_F(TlsServerTest, AWrongKeyOrAMissingHalfStopsTheStart) {
  EXPECT_EQ(Start(File("server.crt"), File("other.key")).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Start(File("server.crt"), "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Start(File("missing.crt"), File("server.key")).code(), StatusCode::kInvalidArgument);
  server_.reset();
}

TEST_F(TlsServerTest, WithoutCertificateTheServerSpeaksPlainHttp) {
  ASSERT_TRUE(Start("", "").ok());
  EXPECT_EQ(testing::Call(server_->port(), "GET", "/healthz").status, 200);
}

}  // namespace
}  // namespace quitt::adapters::http
