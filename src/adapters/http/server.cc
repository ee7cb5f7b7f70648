#include "adapters/http/server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "adapters/http/problem.h"

namespace quitt::adapters::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

namespace {

// What the server needs of a session of either kind (plain or TLS) at shutdown.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void CloseIfIdle() = 0;
};

// What sessions share with the server.
struct Shared {
  Shared(Api& a, Metrics& m, const ServerOptions& o) : api(a), metrics(m), options(o) {}
  Api& api;
  Metrics& metrics;
  const ServerOptions& options;
  net::ssl::context* tls = nullptr;  // set when serving HTTPS
  std::atomic<bool> stopping{false};
  std::mutex mutex;
  std::vector<std::weak_ptr<SessionBase>> sessions;
  std::atomic<int> live{0};
};

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

std::string HeaderText(const bhttp::request<bhttp::string_body>& req, bhttp::field field) {
  auto it = req.find(field);
  return it == req.end() ? std::string() : std::string(it->value());
}

// One connection. `Stream` is beast::tcp_stream (HTTP) or TlsStream (HTTPS: the TLS handshake
// comes first, and closing sends close_notify); everything between is the same code.
template <typename Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  Session(tcp::socket&& socket, Shared& shared)
      : stream_(MakeStream(std::move(socket), shared)), shared_(shared) {
    ++shared_.live;
    beast::error_code ec;
    auto endpoint = Lowest().socket().remote_endpoint(ec);
    if (!ec) remote_ = endpoint.address().to_string();
  }
  ~Session() override { --shared_.live; }

  void Run() {
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (kTls) {
        self->Lowest().expires_after(
            std::chrono::seconds(self->shared_.options.read_timeout_seconds));
        self->stream_.async_handshake(net::ssl::stream_base::server, [self](beast::error_code ec) {
          // A client that does not speak TLS 1.2+ gets no answer.
          if (ec) return self->CloseSocket();
          self->DoRead();
        });
      } else {
        self->DoRead();
      }
    });
  }

  // Called on shutdown: a session waiting for the next request is closed now; one in the middle
  // of a request finishes it first (keep-alive is off once stopping is set).
  void CloseIfIdle() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (self->idle_) {
        beast::error_code ec;
        self->Lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
        self->Lowest().close();
      }
    });
  }

 private:
  static Stream MakeStream(tcp::socket&& socket, Shared& shared) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *shared.tls);
    } else {
      return Stream(std::move(socket));
    }
  }
  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  void DoRead() {
    if (shared_.stopping) return Close();
    parser_.emplace();
    parser_->body_limit(shared_.options.body_limit);
    parser_->header_limit(shared_.options.header_limit);
    idle_ = first_read_done_;
    Lowest().expires_after(std::chrono::seconds(first_read_done_
                                                    ? shared_.options.idle_timeout_seconds
                                                    : shared_.options.read_timeout_seconds));
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    idle_ = false;
    first_read_done_ = true;
    if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted ||
        ec == beast::error::timeout || ec == net::ssl::error::stream_truncated) {
      return Close();
    }
    if (ec == bhttp::error::body_limit) {
      return Reply(
          Problem(413, "too-large", "Request body too large",
                  "the body limit is " + std::to_string(shared_.options.body_limit) + " bytes"),
          "-", false);
    }
    if (ec == bhttp::error::header_limit) {
      return Reply(
          Problem(431, "headers-too-large", "Request headers too large",
                  "the header limit is " + std::to_string(shared_.options.header_limit) + " bytes"),
          "-", false);
    }
    if (ec) {
      // A connection reset or garbage that is not HTTP: answer 400 once when bytes arrived.
      if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() ||
          ec == bhttp::error::bad_target || ec == bhttp::error::bad_method) {
        return Reply(Problem(400, "bad-request", "Malformed HTTP request", ec.message()), "-",
                     false);
      }
      return Close();
    }
    const auto start = std::chrono::steady_clock::now();
    auto& req = parser_->get();
    HttpRequest request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    request.remote = remote_;
    request.authorization = HeaderText(req, bhttp::field::authorization);
    request.cookie = HeaderText(req, bhttp::field::cookie);
    request.content_type = HeaderText(req, bhttp::field::content_type);
    auto csrf = req.find("X-CSRF-Token");
    if (csrf != req.end()) request.csrf_token = std::string(csrf->value());
    auto idempotency = req.find("Idempotency-Key");
    if (idempotency != req.end()) request.idempotency_key = std::string(idempotency->value());
    request.body = std::move(req.body());
    const bool keep_alive = req.keep_alive();
    const unsigned version = req.version();
    HttpResponse response = shared_.api.Handle(request);
    const std::string route = Api::RouteOf(request);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    shared_.metrics.Record(request.method, route, response.status, seconds);
    if (shared_.options.access_log) {
      nlohmann::json line{{"remote", remote_},         {"method", request.method},
                          {"target", request.target},  {"route", route},
                          {"status", response.status}, {"bytes", response.body.size()},
                          {"ms", seconds * 1000}};
      std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      shared_.options.access_log->info(std::string_view(text).substr(1));
    }
    version_ = version;
    Reply(std::move(response), route, keep_alive);
  }

  void Reply(HttpResponse response, const std::string&, bool keep_alive) {
    res_ = {};
    res_.version(version_ == 10 ? 10 : 11);
    res_.result(static_cast<unsigned>(response.status));
    res_.set(bhttp::field::server, "quitt");
    if (response.status != 204) res_.set(bhttp::field::content_type, response.content_type);
    res_.set(bhttp::field::cache_control, "no-store");
    res_.set("X-Content-Type-Options", "nosniff");
    for (auto& [name, value] : response.headers) res_.insert(name, value);
    res_.body() = std::move(response.body);
    res_.keep_alive(keep_alive && !shared_.stopping);
    res_.prepare_payload();
    Lowest().expires_after(std::chrono::seconds(shared_.options.read_timeout_seconds));
    bhttp::async_write(stream_, res_,
                       [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                         if (ec || !self->res_.keep_alive()) return self->Close();
                         self->DoRead();
                       });
  }

  void Close() {
    if constexpr (kTls) {
      // close_notify first, bounded by the read timeout; the socket closes either way.
      Lowest().expires_after(std::chrono::seconds(shared_.options.read_timeout_seconds));
      stream_.async_shutdown(
          [self = this->shared_from_this()](beast::error_code) { self->CloseSocket(); });
    } else {
      CloseSocket();
    }
  }

  void CloseSocket() {
    beast::error_code ec;
    Lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
    Lowest().close();
  }

  Stream stream_;
  Shared& shared_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> res_;
  std::string remote_;
  unsigned version_ = 11;
  bool idle_ = false;
  bool first_read_done_ = false;
};

}  // namespace

class HttpServer::Impl {
 public:
  Impl(Api& api, Metrics& metrics, ServerOptions options)
      : options_(std::move(options)),
        ioc_(options_.threads),
        acceptor_(net::make_strand(ioc_)),
        shared_(api, metrics, options_) {}

  Status Start() {
    QUITT_RETURN_IF_ERROR(SetUpTls());
    beast::error_code ec;
    auto address = net::ip::make_address(options_.address, ec);
    if (ec) return InvalidArgument("listen: '" + options_.address + "' is not an IP address");
    tcp::endpoint endpoint(address, static_cast<unsigned short>(options_.port));
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      return Unavailable("cannot listen on " + options_.address + ":" +
                         std::to_string(options_.port) + ": " + ec.message());
    }
    port_ = acceptor_.local_endpoint().port();
    DoAccept();
    for (int i = 0; i < std::max(1, options_.threads); ++i) {
      threads_.emplace_back([this] { ioc_.run(); });
    }
    return OkStatus();
  }

  void DoAccept() {
    acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket s) {
      if (ec) {
        if (!acceptor_.is_open() || shared_.stopping) return;
      } else {
        s.set_option(tcp::no_delay(true), ec);
        if (shared_.tls != nullptr) {
          Launch(std::make_shared<Session<TlsStream>>(std::move(s), shared_));
        } else {
          Launch(std::make_shared<Session<beast::tcp_stream>>(std::move(s), shared_));
        }
      }
      if (!shared_.stopping) DoAccept();
    });
  }

  template <typename S>
  void Launch(const std::shared_ptr<S>& session) {
    {
      std::lock_guard lock(shared_.mutex);
      // Forget sessions that ended, so the registry stays as small as the live set.
      if (shared_.sessions.size() > 64 && shared_.sessions.size() % 64 == 0) {
        std::erase_if(shared_.sessions, [](const auto& weak) { return weak.expired(); });
      }
      shared_.sessions.push_back(session);
    }
    session->Run();
  }

  // TLS 1.2 and 1.3 only; the certificate chain and key are PEM files.
  Status SetUpTls() {
    if (options_.tls_cert_file.empty() && options_.tls_key_file.empty()) return OkStatus();
    if (options_.tls_cert_file.empty() || options_.tls_key_file.empty()) {
      return InvalidArgument("TLS needs both a certificate file and a key file");
    }
    tls_ = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
    tls_->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                      net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                      net::ssl::context::no_tlsv1_1 | net::ssl::context::single_dh_use);
    // TLS 1.2 only with forward-secret AEAD suites (Mozilla's "intermediate" profile); the TLS 1.3
    // suites are all AEAD. No compression (CRIME), no renegotiation.
    if (SSL_CTX_set_cipher_list(tls_->native_handle(),
                                "ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:DHE+CHACHA20") != 1) {
      return Internal("TLS: OpenSSL knows none of the cipher suites quitt allows");
    }
    SSL_CTX_set_options(tls_->native_handle(), SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    beast::error_code ec;
    tls_->use_certificate_chain_file(options_.tls_cert_file, ec);
    if (ec) {
      return InvalidArgument("TLS certificate '" + options_.tls_cert_file + "': " + ec.message());
    }
    tls_->use_private_key_file(options_.tls_key_file, net::ssl::context::pem, ec);
    if (ec) return InvalidArgument("TLS key '" + options_.tls_key_file + "': " + ec.message());
    if (SSL_CTX_check_private_key(tls_->native_handle()) != 1) {
      return InvalidArgument("TLS key '" + options_.tls_key_file +
                             "' does not belong to the certificate");
    }
    shared_.tls = tls_.get();
    return OkStatus();
  }

  void Stop() {
    if (shared_.stopping.exchange(true)) return;
    net::post(acceptor_.get_executor(), [this] {
      beast::error_code ec;
      acceptor_.close(ec);
    });
    {
      std::lock_guard lock(shared_.mutex);
      for (auto& weak : shared_.sessions) {
        if (auto session = weak.lock()) session->CloseIfIdle();
      }
    }
    deadline_ =
        std::chrono::steady_clock::now() + std::chrono::seconds(options_.shutdown_grace_seconds);
    timer_ = std::make_unique<net::steady_timer>(ioc_);
    WaitForDrain();
  }

  void WaitForDrain() {
    timer_->expires_after(std::chrono::milliseconds(20));
    timer_->async_wait([this](beast::error_code) {
      if (shared_.live == 0 || std::chrono::steady_clock::now() >= deadline_) {
        ioc_.stop();
        return;
      }
      WaitForDrain();
    });
  }

  void Wait() {
    for (auto& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
    threads_.clear();
  }

  Status RunUntilSignal() {
    QUITT_RETURN_IF_ERROR(Start());
    net::signal_set signals(ioc_, SIGINT, SIGTERM);
    signals.async_wait([this](beast::error_code ec, int) {
      if (!ec) Stop();
    });
    Wait();
    return OkStatus();
  }

  ServerOptions options_;
  std::unique_ptr<net::ssl::context> tls_;
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  Shared shared_;
  std::vector<std::thread> threads_;
  std::unique_ptr<net::steady_timer> timer_;
  std::chrono::steady_clock::time_point deadline_;
  int port_ = 0;
};

HttpServer::HttpServer(Api& api, Metrics& metrics, ServerOptions options)
    : impl_(std::make_unique<Impl>(api, metrics, std::move(options))) {}

HttpServer::~HttpServer() {
  Stop();
  Wait();
}

Status HttpServer::Start() { return impl_->Start(); }
int HttpServer::port() const { return impl_->port_; }
void HttpServer::Stop() {
  if (!impl_->threads_.empty()) impl_->Stop();
}
void HttpServer::Wait() { impl_->Wait(); }
Status HttpServer::RunUntilSignal() { return impl_->RunUntilSignal(); }

}  // namespace quitt::adapters::http
