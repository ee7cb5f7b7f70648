#include "adapters/http/problem.h"

#include <cctype>

namespace quitt::adapters::http {

namespace {

struct StatusRow {
  StatusCode code;
  int http;
  const char* slug;
  const char* title;
};

// The one mapping table (codebase-models.md § 8.13). kInvalidArgument is 422: the request was
// well-formed JSON but a field is wrong; malformed bodies are answered 400 before this.
constexpr StatusRow kTable[] = {
    {StatusCode::kOk, 200, "ok", "OK"},
    {StatusCode::kInvalidArgument, 422, "invalid-field", "A field of the request is invalid"},
    {StatusCode::kNotFound, 404, "not-found", "Not found"},
    {StatusCode::kAlreadyExists, 409, "already-exists", "Already exists"},
    {StatusCode::kFailedPrecondition, 409, "wrong-state", "Not possible in the current state"},
    {StatusCode::kAborted, 409, "concurrent-change", "A concurrent change won; retry"},
    {StatusCode::kUnavailable, 503, "unavailable", "Temporarily unavailable"},
    {StatusCode::kDataLoss, 500, "data-loss", "Stored data is damaged"},
    {StatusCode::kInternal, 500, "internal", "Internal error"},
};

const StatusRow& RowFor(StatusCode code) {
  for (const auto& row : kTable) {
    if (row.code == code) return row;
  }
  return kTable[std::size(kTable) - 1];
}

// "due_date: is before ..." → "due_date"; only plain identifiers count as a field name.
std::string FieldOf(const std::string& message) {
  const std::size_t colon = message.find(": ");
  if (colon == std::string::npos || colon == 0 || colon > 64) return "";
  for (std::size_t i = 0; i < colon; ++i) {
    const char c = message[i];
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '[' ||
          c == ']' || c == '-')) {
      return "";
    }
  }
  return message.substr(0, colon);
}

}  // namespace

int HttpStatusFor(StatusCode code) { return RowFor(code).http; }

HttpResponse Problem(int status, const std::string& slug, const std::string& title,
                     const std::string& detail, const std::string& field,
                     const std::vector<FieldError>& errors) {
  nlohmann::json body{{"type", "https://quitt.dev/problems/" + slug},
                      {"title", title},
                      {"status", status},
                      {"detail", detail}};
  if (!field.empty()) body["field"] = field;
  if (!errors.empty()) {
    body["errors"] = nlohmann::json::array();
    for (const auto& error : errors) {
      body["errors"].push_back({{"field", error.field}, {"message", error.message}});
    }
  }
  HttpResponse response;
  response.status = status;
  response.content_type = "application/problem+json";
  // Replace invalid UTF-8 from the request echoed in a message instead of throwing.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

HttpResponse ProblemFromStatus(const Status& status) {
  const StatusRow& row = RowFor(status.code());
  // Internal details stay in the log, not in the answer.
  const bool internal = row.http >= 500 && status.code() != StatusCode::kUnavailable;
  return Problem(row.http, row.slug, row.title, internal ? "see the server log" : status.message(),
                 internal ? "" : FieldOf(status.message()));
}

}  // namespace quitt::adapters::http
