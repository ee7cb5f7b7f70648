#include "adapters/http/json_request.h"

#include <cctype>
#include <initializer_list>

#include "adapters/intake/claim_fields.h"

namespace quitt::adapters::http {

namespace {

constexpr int kMaxDepth = 32;

// Depth of [ and { outside strings; nlohmann parses iteratively, but a depth bound keeps every
// later walk over the value cheap and obvious.
bool TooDeep(std::string_view body) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxDepth) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

Status OnlyFields(const nlohmann::json& object, std::initializer_list<const char*> allowed) {
  for (const auto& item : object.items()) {
    bool known = false;
    for (const char* name : allowed) known = known || item.key() == name;
    if (!known) return InvalidArgument(item.key() + ": is not a field of this request");
  }
  return OkStatus();
}

// The string value of `name`; nullopt when absent or null and not required.
Result<std::optional<std::string>> StringField(const nlohmann::json& object, const char* name,
                                               bool required, std::size_t max_length) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) {
    if (required) return InvalidArgument(std::string(name) + ": is required");
    return std::optional<std::string>();
  }
  if (!it->is_string()) return InvalidArgument(std::string(name) + ": must be a string");
  const std::string& value = it->get_ref<const std::string&>();
  if (required && value.empty()) return InvalidArgument(std::string(name) + ": must not be empty");
  if (value.size() > max_length) {
    return InvalidArgument(std::string(name) + ": longer than " + std::to_string(max_length) +
                           " bytes");
  }
  return std::optional<std::string>(value);
}

Result<std::string> Required(const nlohmann::json& object, const char* name,
                             std::size_t max_length) {
  QUITT_ASSIGN_OR_RETURN(auto value, StringField(object, name, true, max_length));
  return *value;
}

std::string Optional(const Result<std::optional<std::string>>& value) {
  return value.ok() && value->has_value() ? **value : std::string();
}

}  // namespace

Result<nlohmann::json> ParseJsonBody(std::string_view body, bool allow_array) {
  if (TooDeep(body)) return InvalidArgument("body: JSON nested deeper than 32 levels");
  nlohmann::json value = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
  if (value.is_discarded()) return InvalidArgument("body: is not valid JSON");
  if (!value.is_object() && !(allow_array && value.is_array())) {
    return InvalidArgument(allow_array ? "body: must be a JSON object or array"
                                       : "body: must be a JSON object");
  }
  return value;
}

void ClaimRowFromJson(const nlohmann::json& object, std::int64_t index, const std::string& prefix,
                      app::IntakeRow& row) {
  row.line = index;
  row.problems.clear();
  const std::string dot = prefix.empty() ? "" : prefix + ".";
  if (!object.is_object()) {
    row.problems.push_back({index, prefix.empty() ? "body" : prefix, "must be a JSON object"});
    return;
  }
  intake::FieldValues values{};
  std::vector<std::string> strings;
  strings.reserve(object.size());
  std::vector<std::pair<std::size_t, std::size_t>> assigned;  // field index → strings index
  for (const auto& item : object.items()) {
    auto field = intake::FieldForHeader(item.key());
    // The API takes the canonical names only: aliases are for files people export by hand.
    if (!field || item.key() != intake::FieldName(*field)) {
      row.problems.push_back({index, dot + item.key(), "is not a claim field"});
      continue;
    }
    const auto& value = item.value();
    if (value.is_null()) continue;
    if (value.is_string()) {
      strings.push_back(value.get<std::string>());
    } else if (value.is_boolean()) {
      strings.push_back(value.get<bool>() ? "true" : "false");
    } else if (value.is_number_integer() && *field != intake::Field::kAmount &&
               *field != intake::Field::kCosts) {
      strings.push_back(value.dump());
    } else {
      row.problems.push_back({index, dot + item.key(),
                              value.is_number() ? "must be a string such as \"123.45\" (a JSON "
                                                  "number can lose cents)"
                                                : "must be a string"});
      continue;
    }
    assigned.emplace_back(static_cast<std::size_t>(*field), strings.size() - 1);
  }
  if (!row.problems.empty()) return;
  // Views into `strings` are taken after it stopped growing.
  for (auto [field, at] : assigned) values[field] = strings[at];
  intake::PhoneCache phones;
  intake::RowContext context;
  context.phones = &phones;
  context.decimal = intake::DecimalStyle::kPoint;
  intake::BuildRow(values, context, row);
  for (auto& problem : row.problems) {
    problem.line = index;
    problem.field = problem.field.empty() ? prefix : dot + problem.field;
  }
}

Result<std::vector<app::IntakeRow>> ClaimRowsFromBody(const nlohmann::json& body, bool bulk,
                                                      std::size_t max_claims) {
  std::vector<app::IntakeRow> rows;
  if (!bulk) {
    rows.emplace_back();
    ClaimRowFromJson(body, 1, "", rows.back());
    return rows;
  }
  QUITT_RETURN_IF_ERROR(OnlyFields(body, {"claims"}));
  auto it = body.find("claims");
  if (it == body.end() || !it->is_array()) return InvalidArgument("claims: must be an array");
  if (it->empty()) return InvalidArgument("claims: must not be empty");
  if (it->size() > max_claims) {
    return InvalidArgument("claims: at most " + std::to_string(max_claims) + " claims per request");
  }
  rows.resize(it->size());
  for (std::size_t i = 0; i < it->size(); ++i) {
    ClaimRowFromJson((*it)[i], static_cast<std::int64_t>(i + 1),
                     "claims[" + std::to_string(i) + "]", rows[i]);
  }
  return rows;
}

Result<NoteRequest> ParseNoteRequest(const nlohmann::json& body) {
  QUITT_RETURN_IF_ERROR(OnlyFields(body, {"text"}));
  QUITT_ASSIGN_OR_RETURN(std::string text, Required(body, "text", 4000));
  return NoteRequest{std::move(text)};
}

Result<RecallRequest> ParseRecallRequest(const nlohmann::json& body) {
  QUITT_RETURN_IF_ERROR(OnlyFields(body, {"remark"}));
  auto remark = StringField(body, "remark", false, 1000);
  if (!remark) return remark.error();
  return RecallRequest{Optional(remark)};
}

Result<DirectPaymentRequest> ParseDirectPaymentRequest(const nlohmann::json& body) {
  QUITT_RETURN_IF_ERROR(OnlyFields(body, {"amount", "currency", "paid_on", "remark"}));
  auto amount_it = body.find("amount");
  if (amount_it != body.end() && amount_it->is_number()) {
    return InvalidArgument(
        "amount: must be a string such as \"123.45\" (a JSON number can lose "
        "cents)");
  }
  QUITT_ASSIGN_OR_RETURN(std::string amount_text, Required(body, "amount", 32));
  QUITT_ASSIGN_OR_RETURN(std::string currency_text, Required(body, "currency", 3));
  QUITT_ASSIGN_OR_RETURN(std::string paid_on_text, Required(body, "paid_on", 10));
  auto remark = StringField(body, "remark", false, 1000);
  if (!remark) return remark.error();
  auto currency = domain::Currency::FromCode(currency_text);
  if (!currency) return currency.error().WithContext("currency");
  auto amount = domain::Money::Parse(amount_text, *currency);
  if (!amount) return amount.error().WithContext("amount");
  if (amount->minor_units() <= 0) return InvalidArgument("amount: must be more than zero");
  auto paid_on = domain::Date::Parse(paid_on_text);
  if (!paid_on) return paid_on.error().WithContext("paid_on");
  return DirectPaymentRequest{*amount, *paid_on, Optional(remark)};
}

Result<ClientRequest> ParseClientRequest(const nlohmann::json& body) {
  QUITT_RETURN_IF_ERROR(OnlyFields(body, {"code", "name", "country"}));
  ClientRequest request;
  QUITT_ASSIGN_OR_RETURN(request.code, Required(body, "code", 32));
  for (char c : request.code) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) {
      return InvalidArgument("code: only letters, digits, '-' and '_' are allowed");
    }
  }
  QUITT_ASSIGN_OR_RETURN(request.name, Required(body, "name", 200));
  auto country = StringField(body, "country", false, 2);
  if (!country) return country.error();
  if (country->has_value()) {
    request.country = **country;
    if (request.country.size() != 2 ||
        !std::isupper(static_cast<unsigned char>(request.country[0])) ||
        !std::isupper(static_cast<unsigned char>(request.country[1]))) {
      return InvalidArgument("country: must be an ISO 3166-1 alpha-2 code such as \"DE\"");
    }
  }
  return request;
}

Result<WebhookRequest> ParseWebhookRequest(const nlohmann::json& body) {
  QUITT_RETURN_IF_ERROR(OnlyFields(body, {"url"}));
  QUITT_ASSIGN_OR_RETURN(std::string url, Required(body, "url", 2000));
  if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) {
    return InvalidArgument("url: must start with https:// or http://");
  }
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
      return InvalidArgument("url: must not contain spaces or control characters");
    }
  }
  return WebhookRequest{std::move(url)};
}

Result<LoginRequest> ParseLoginRequest(const nlohmann::json& body) {
  QUITT_RETURN_IF_ERROR(OnlyFields(body, {"username", "password"}));
  LoginRequest request;
  QUITT_ASSIGN_OR_RETURN(request.username, Required(body, "username", 64));
  QUITT_ASSIGN_OR_RETURN(request.password, Required(body, "password", 1024));
  return request;
}

Result<RunRequest> ParseRunRequest(const nlohmann::json& body) {
  QUITT_RETURN_IF_ERROR(OnlyFields(body, {"as_of", "partitions"}));
  RunRequest request;
  auto as_of = StringField(body, "as_of", false, 10);
  if (!as_of) return as_of.error();
  if (as_of->has_value()) {
    auto date = domain::Date::Parse(**as_of);
    if (!date) return date.error().WithContext("as_of");
    request.as_of = *date;
  }
  auto partitions = body.find("partitions");
  if (partitions != body.end()) {
    if (!partitions->is_number_integer() || partitions->get<std::int64_t>() < 1 ||
        partitions->get<std::int64_t>() > 64) {
      return InvalidArgument("partitions: must be a whole number from 1 to 64");
    }
    request.partitions = static_cast<int>(partitions->get<std::int64_t>());
  }
  return request;
}

}  // namespace quitt::adapters::http
