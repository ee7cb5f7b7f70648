#pragma once
// HttpServer: the transport of `quitt serve`. Boost.Beast HTTP/1.1 over an Asio io_context run by
// a pool of threads; each connection is a session on its own strand that reads a request (with a
// body limit and a read/idle deadline), hands it to Api::Handle, writes the answer and keeps the
// connection for the next request while the client wants keep-alive.
//
// With a certificate and key in the options it speaks HTTPS (Boost.Beast ssl_stream over OpenSSL,
// TLS 1.2 and 1.3 only) instead of HTTP on the same code path.
//
// Shutdown is graceful: Stop() closes the listening socket, closes connections waiting for a
// request, lets requests in progress finish (answered with "Connection: close") and ends the
// threads when the last connection is gone or the grace period is over.
#include <atomic>
#include <memory>
#include <string>

#include "adapters/http/api.h"
#include "adapters/http/metrics.h"
#include "common/status.h"

namespace spdlog {
class logger;
}

namespace quitt::adapters::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  int port = 8080;  // 0: any free port (tests); port() tells which
  int threads = 2;
  std::uint64_t body_limit = 8 * 1024 * 1024;  // bytes; larger bodies get 413
  std::uint32_t header_limit = 16 * 1024;
  int read_timeout_seconds = 30;  // to receive a whole request once it started
  int idle_timeout_seconds = 60;  // between requests on a kept-alive connection
  int shutdown_grace_seconds = 10;
  // HTTPS when both are set: PEM certificate chain and private key; TLS 1.2 and 1.3 only.
  // Empty: plain HTTP (e.g. behind nginx, docs/deploy-nginx.md).
  std::string tls_cert_file;
  std::string tls_key_file;
  // One JSON line per request; nullptr: no access log.
  std::shared_ptr<spdlog::logger> access_log;
};

class HttpServer {
 public:
  HttpServer(Api& api, Metrics& metrics, ServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the threads. Unavailable when the address cannot be bound.
  Status Start();
  int port() const;
  // Begins the graceful shutdown; safe to call from any thread (and more than once).
  void Stop();
  // Blocks until the threads have ended.
  void Wait();
  // Start(), then Wait() until SIGINT or SIGTERM arrives (which calls Stop()).
  Status RunUntilSignal();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace quitt::adapters::http
