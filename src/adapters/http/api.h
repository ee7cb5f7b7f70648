#pragma once
// Api: the /api/v1 handlers, /healthz, /metrics and the OpenAPI document. Handle() maps one
// HttpRequest to one HttpResponse and knows nothing about sockets (the transport is server.h).
//
// Who sees what: every route that names a case, claim, client or webhook first checks that the
// principal may see that client's data; if not, the answer is 404, exactly as for an id that does
// not exist, so a client cannot even learn which ids exist elsewhere. Every write (POST, DELETE)
// is written to the audit log with the actor, the route, the target and the resulting status.
#include <functional>
#include <string>
#include <vector>

#include "adapters/http/http_types.h"
#include "adapters/http/metrics.h"
#include "adapters/http/store_pool.h"
#include "app/auth/auth_service.h"
#include "app/daily_run.h"

namespace quitt::adapters::http {

struct RouteInfo {
  std::string method;
  std::string pattern;  // "/api/v1/cases/{case_number}"
};

struct ApiOptions {
  std::size_t max_bulk_claims = 10000;
  bool secure_cookies = false;  // add "Secure" to the session cookie (behind TLS)
  // The daily run behind POST /api/v1/runs, on the store of the request: runs (or joins, when
  // another server already runs that date) the partitioned run of `as_of`. Set by `quitt serve`,
  // which knows the strategies; unset, the route answers 503.
  std::function<Result<app::RunSummary>(app::CaseStore&, domain::Date as_of,
                                        std::optional<int> partitions)>
      run_day;
};

class Api {
 public:
  Api(StorePool& stores, app::auth::AuthService& auth, app::Clock& clock, Metrics& metrics,
      ApiOptions options = {});

  HttpResponse Handle(const HttpRequest& request);
  // The route pattern a request matched ("-" when none), for metrics and the access log.
  static std::string RouteOf(const HttpRequest& request);
  static std::vector<RouteInfo> Routes();
  // The OpenAPI 3.1 document (embedded from openapi.json).
  static const std::string& OpenApiDocument();

 private:
  struct Context;
  HttpResponse Dispatch(Context& context);

  StorePool& stores_;
  app::auth::AuthService& auth_;
  app::Clock& clock_;
  Metrics& metrics_;
  ApiOptions options_;
};

}  // namespace quitt::adapters::http
