#pragma once
// Request bodies of the API: from untrusted bytes to checked values. Nothing here touches the
// store, so the libFuzzer target (json_request_fuzz.cc) drives exactly these functions.
//
// Every failure names the field ("claims[3].amount: must be a string such as \"123.45\""). Money
// arrives as a decimal string plus a currency code, never as a JSON number.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/import_claims.h"
#include "common/status.h"
#include "domain/date.h"
#include "domain/money.h"

namespace quitt::adapters::http {

// The body as a JSON object (or, with `allow_array`, an array). InvalidArgument for bad JSON,
// another top-level type, or nesting deeper than 32 levels.
Result<nlohmann::json> ParseJsonBody(std::string_view body, bool allow_array = false);

// Claims in the field names of the claim files (adapters/intake/claim_fields.h). `prefix` names
// the element in messages ("claims[2]"). Problems land in row.problems with the field prefixed;
// unknown fields are problems too, so a typo never drops data silently.
void ClaimRowFromJson(const nlohmann::json& object, std::int64_t index, const std::string& prefix,
                      app::IntakeRow& row);
// A single claim (object) or a bulk request ({"claims": [...]}, at most `max_claims`).
Result<std::vector<app::IntakeRow>> ClaimRowsFromBody(const nlohmann::json& body, bool bulk,
                                                      std::size_t max_claims = 10000);

struct NoteRequest {
  std::string text;
};
Result<NoteRequest> ParseNoteRequest(const nlohmann::json& body);

struct RecallRequest {
  std::string remark;
};
Result<RecallRequest> ParseRecallRequest(const nlohmann::json& body);

// A payment the customer made to the client directly (Direktzahlung).
struct DirectPaymentRequest {
  domain::Money amount = domain::Money::Zero(domain::Currency::Eur());
  domain::Date paid_on = domain::Date::FromDaysSinceEpoch(0);
  std::string remark;
};
Result<DirectPaymentRequest> ParseDirectPaymentRequest(const nlohmann::json& body);

struct ClientRequest {
  std::string code;
  std::string name;
  std::string country = "DE";
};
Result<ClientRequest> ParseClientRequest(const nlohmann::json& body);

struct WebhookRequest {
  std::string url;
};
Result<WebhookRequest> ParseWebhookRequest(const nlohmann::json& body);

struct LoginRequest {
  std::string username;
  std::string password;
};
Result<LoginRequest> ParseLoginRequest(const nlohmann::json& body);

// POST /api/v1/runs: the business date of the daily run (absent: today) and, for a date not yet
// planned, the number of partitions per client (1 to 64; absent: the server's default).
struct RunRequest {
  std::optional<domain::Date> as_of;
  std::optional<int> partitions;
};
Result<RunRequest> ParseRunRequest(const nlohmann::json& body);

}  // namespace quitt::adapters::http
