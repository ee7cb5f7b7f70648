#pragma once
// Test helpers for the HTTP adapter: a server on 127.0.0.1 port 0 over a temporary SQLite file or
// a given database (a postgresql:// URL of a fresh schema), a blocking HTTP client, and a tiny
// receiver that records webhook deliveries. Header-only; used by the *_test.cc files of this
// folder.
#include <unistd.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "adapters/http/api.h"
#include "adapters/http/server.h"
#include "adapters/storage/open_store.h"
#include "common/check.h"

namespace quitt::adapters::http::testing {

// A clock tests move by hand; safe to read from server threads.
class TestClock : public app::Clock {
 public:
  explicit TestClock(domain::Timestamp start) : micros_(start.unix_micros()) {}
  domain::Timestamp Now() override { return domain::Timestamp::FromUnixMicros(micros_.load()); }
  void Advance(std::int64_t seconds) { micros_ += seconds * 1000000; }

 private:
  std::atomic<std::int64_t> micros_;
};

struct Reply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

inline Reply Call(int port, const std::string& method, const std::string& target,
                  const std::string& body = "",
                  const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  namespace beast = boost::beast;
  namespace bhttp = boost::beast::http;
  boost::asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                                static_cast<unsigned short>(port)));
  bhttp::request<bhttp::string_body> req(bhttp::string_to_verb(method), target, 11);
  req.set(bhttp::field::host, "127.0.0.1");
  if (!body.empty()) req.set(bhttp::field::content_type, "application/json");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = body;
  if (method == "GET" || method == "DELETE") {
    if (!body.empty()) req.prepare_payload();
  } else {
    req.prepare_payload();
  }
  bhttp::write(stream, req);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  beast::error_code ec;
  bhttp::read(stream, buffer, parser, ec);
  Reply reply;
  if (ec) {
    reply.status = -1;
    reply.body = ec.message();
    return reply;
  }
  auto& res = parser.get();
  reply.status = static_cast<int>(res.result_int());
  reply.body = res.body();
  for (const auto& field : res) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    reply.headers[name] = std::string(field.value());
  }
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  return reply;
}

// A quitt server over a fresh database: a SQLite file in a temporary folder, or `location` (an
// empty database, e.g. a fresh PostgreSQL schema) when given.
class TestServer {
 public:
  explicit TestServer(const std::string& name, const std::string& location = "",
                      ApiOptions api_options = {})
      : clock_(*domain::Timestamp::Parse("2025-03-10T09:00:00Z")),
        dir_(std::filesystem::temp_directory_path() /
             ("quitt_http_" + name + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = location.empty() ? (dir_ / "quitt.db").string() : location;
    auto opened = OpenStores(path_, clock_);
    QUITT_CHECK(opened.ok());
    admin_store_ = std::move(opened->cases);
    admin_auth_ = std::move(opened->auth);
    pool_ = std::make_unique<StorePool>(
        [this]() -> Result<std::unique_ptr<StoreSet>> {
          QUITT_ASSIGN_OR_RETURN(OpenedStores stores, OpenStores(path_, clock_));
          auto set = std::make_unique<StoreSet>();
          set->cases = std::move(stores.cases);
          set->auth = std::move(stores.auth);
          return set;
        },
        4);
    auth_ = std::make_unique<app::auth::AuthService>(clock_);
    api_ = std::make_unique<Api>(*pool_, *auth_, clock_, metrics_, std::move(api_options));
    ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.body_limit = 256 * 1024;
    options.shutdown_grace_seconds = 2;
    server_ = std::make_unique<HttpServer>(*api_, metrics_, options);
    QUITT_CHECK(server_->Start().ok());
  }
  ~TestServer() {
    server_->Stop();
    server_->Wait();
    server_.reset();
    api_.reset();
    pool_.reset();
    admin_auth_.reset();
    admin_store_.reset();
    std::filesystem::remove_all(dir_);
  }

  int port() const { return server_->port(); }
  TestClock& clock() { return clock_; }
  StorePool& pool() { return *pool_; }
  app::CaseStore& store() { return *admin_store_; }
  app::auth::AuthStore& auth_store() { return *admin_auth_; }
  app::auth::AuthService& auth() { return *auth_; }
  HttpServer& server() { return *server_; }

  domain::Client AddClient(const std::string& code) {
    domain::Client client;
    client.code = code;
    client.name = code + " GmbH";
    auto added = admin_store_->AddClient(client);
    QUITT_CHECK(added.ok());
    return *added;
  }
  std::string AddKey(const domain::Client& client) {
    auto key = auth_->CreateApiKey(*admin_auth_, client.id.value(), "test");
    QUITT_CHECK(key.ok());
    return *key;
  }
  void AddUser(const std::string& name, app::auth::Role role,
               std::optional<std::int64_t> client = std::nullopt) {
    auto user = auth_->CreateUser(*admin_auth_, name, "correct horse battery", role, client);
    QUITT_CHECK(user.ok());
  }

  // Creates an admin, logs in and returns the headers of a cookie session (cookie + CSRF token).
  std::vector<std::pair<std::string, std::string>> AdminSession(const std::string& name = "root") {
    AddUser(name, app::auth::Role::kAdmin);
    Reply login = Call(port(), "POST", "/api/v1/session",
                       R"({"username":")" + name + R"(","password":"correct horse battery"})");
    QUITT_CHECK(login.status == 200);
    const std::string set_cookie = login.headers["set-cookie"];
    return {{"Cookie", set_cookie.substr(0, set_cookie.find(';'))},
            {"X-CSRF-Token", login.json()["csrf_token"].get<std::string>()}};
  }
  Reply Get(const std::string& target, const std::string& key) {
    return Call(port(), "GET", target, "", {{"Authorization", "Bearer " + key}});
  }
  Reply Post(const std::string& target, const std::string& key, const std::string& body,
             std::vector<std::pair<std::string, std::string>> headers = {}) {
    headers.emplace_back("Authorization", "Bearer " + key);
    return Call(port(), "POST", target, body, headers);
  }

 private:
  TestClock clock_;
  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<app::CaseStore> admin_store_;
  std::unique_ptr<app::auth::AuthStore> admin_auth_;
  std::unique_ptr<StorePool> pool_;
  std::unique_ptr<app::auth::AuthService> auth_;
  Metrics metrics_;
  std::unique_ptr<Api> api_;
  std::unique_ptr<HttpServer> server_;
};

// Records the requests it receives; answers `fail_first` requests with 500, then 200.
class Receiver {
 public:
  struct Delivery {
    std::string body;
    std::string signature;
    std::string event_id;
  };
  explicit Receiver(int fail_first = 0)
      : acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}), fail_(fail_first) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { Serve(); });
  }
  ~Receiver() {
    stop_ = true;
    boost::beast::error_code ec;
    // Wake the blocking accept with a connection of our own.
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket s(ioc);
    s.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)}, ec);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  std::vector<Delivery> deliveries() {
    std::lock_guard lock(mutex_);
    return deliveries_;
  }
  int attempts() const { return attempts_; }

 private:
  void Serve() {
    namespace bhttp = boost::beast::http;
    while (!stop_) {
      boost::beast::error_code ec;
      boost::asio::ip::tcp::socket socket(ioc_);
      acceptor_.accept(socket, ec);
      if (ec || stop_) return;
      boost::beast::flat_buffer buffer;
      while (true) {
        bhttp::request<bhttp::string_body> req;
        bhttp::read(socket, buffer, req, ec);
        if (ec) break;
        ++attempts_;
        bhttp::response<bhttp::string_body> res;
        res.version(11);
        if (fail_ > 0) {
          --fail_;
          res.result(500);
        } else {
          res.result(200);
          std::lock_guard lock(mutex_);
          deliveries_.push_back({req.body(), std::string(req["Quitt-Signature"]),
                                 std::string(req["Quitt-Event-Id"])});
        }
        // One request per connection, so the destructor's wake-up connection is always accepted.
        res.keep_alive(false);
        res.prepare_payload();
        bhttp::write(socket, res, ec);
        break;
      }
    }
  }

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  int port_ = 0;
  std::atomic<int> fail_;
  std::atomic<int> attempts_{0};
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<Delivery> deliveries_;
  std::thread thread_;
};

}  // namespace quitt::adapters::http::testing
