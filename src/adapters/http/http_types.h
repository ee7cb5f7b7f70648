#pragma once
// The request and response the API handlers see: plain values, no sockets, no Beast types, so
// handlers are tested and fuzzed without a network (the transport lives in server.cc).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace quitt::adapters::http {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: path and query
  std::string remote;  // peer address, for the login rate limit and the access log
  std::string authorization;
  std::string cookie;
  std::string csrf_token;       // X-CSRF-Token
  std::string idempotency_key;  // Idempotency-Key
  std::string content_type;
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Set-Cookie ...)
};

}  // namespace quitt::adapters::http
