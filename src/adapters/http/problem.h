#pragma once
// Errors as RFC 9457 problem details (application/problem+json). HttpStatusFor is the one table
// from our StatusCode to an HTTP status; handlers never pick error statuses by hand except for
// transport-level cases (401, 403, 413, 415, 429).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/http/http_types.h"
#include "common/status.h"

namespace quitt::adapters::http {

int HttpStatusFor(StatusCode code);

// A field-level error inside a problem ("errors": [{"field": "claims[2].amount", ...}]).
struct FieldError {
  std::string field;
  std::string message;
};

// {"type": "https://quitt.dev/problems/<slug>", "title", "status", "detail", "field"?, "errors"?}
HttpResponse Problem(int status, const std::string& slug, const std::string& title,
                     const std::string& detail, const std::string& field = "",
                     const std::vector<FieldError>& errors = {});
// From a Status: the status by the table, the slug from the code, the field when the message
// starts with "<field>: ".
HttpResponse ProblemFromStatus(const Status& status);

}  // namespace quitt::adapters::http
