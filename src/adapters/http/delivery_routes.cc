#include "adapters/http/delivery_routes.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "adapters/http/problem.h"
#include "app/delivery/customer_contact.h"
#include "app/delivery/portal_access.h"

namespace quitt::adapters::http {
namespace {

using nlohmann::json;

// The smallest transparent GIF (43 bytes).
constexpr unsigned char kPixel[] = {
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00,
    0x00, 0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b};

HttpResponse Json(int status, const json& body) {
  HttpResponse response;
  response.status = status;
  response.body = body.dump();
  return response;
}

Result<std::vector<std::string>> Words(const json& body, const char* field) {
  std::vector<std::string> out;
  if (!body.contains(field)) return out;
  const json& value = body.at(field);
  if (!value.is_array()) return InvalidArgument(std::string(field) + ": must be a list");
  for (const json& item : value) {
    if (!item.is_string()) return InvalidArgument(std::string(field) + ": must hold strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace

HttpResponse HandleTracking(app::CaseStore& store, app::Clock& clock,
                            const DeliveryRouteOptions& options, std::string_view token) {
  const bool pixel = token.size() > 4 && token.substr(token.size() - 4) == ".gif";
  if (pixel) token.remove_suffix(4);
  // Unconfigured, a redirect would carry an empty Location; the route then gives one neutral
  // answer for every token, known or not, link or pixel, and records nothing.
  if (options.portal_secret.empty() || options.portal_url.empty()) {
    HttpResponse none = Problem(404, "not-found", "Not found", "tracking is not configured");
    none.headers.emplace_back("Cache-Control", "no-store");
    return none;
  }
  // The outcome is deliberately ignored: the response must not tell known tokens apart.
  (void)app::delivery::RecordMessageOpened(store, clock, options.portal_secret, std::string(token));
  HttpResponse response;
  response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  if (pixel) {
    response.content_type = "image/gif";
    response.body.assign(reinterpret_cast<const char*>(kPixel), sizeof kPixel);
    return response;
  }
  response.status = 302;
  response.content_type = "text/plain; charset=utf-8";
  response.headers.emplace_back("Location", options.portal_url);
  response.body = "See " + options.portal_url + "\n";
  return response;
}

HttpResponse HandleSmsDeliveryReports(app::CaseStore& store, app::Clock& clock,
                                      const DeliveryRouteOptions& options,
                                      const HttpRequest& request) {
  const std::string expected = "Bearer " + options.sms_callback_secret;
  if (options.sms_callback_secret.empty() ||
      !app::delivery::SameSecret(request.authorization, expected)) {
    return Problem(401, "unauthenticated", "Not authenticated",
                   "send the shared secret as Authorization: Bearer <secret>");
  }
  json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object() || !body.contains("reports") ||
      !body.at("reports").is_array()) {
    return Problem(400, "bad-json", "Malformed request body",
                   "expected {\"reports\": [{\"reference\", \"status\", \"detail\"}]}", "reports");
  }
  int recorded = 0, already = 0, unknown = 0;
  // Reports are checked and recorded one by one: an error names the element, and the reports
  // before it stay recorded (a provider's retry of the whole batch finds them already recorded).
  const json& reports = body.at("reports");
  for (size_t n = 0; n < reports.size(); ++n) {
    const json& report = reports[n];
    const std::string element = fmt::format("reports[{}]", n);
    if (!report.is_object()) {
      return Problem(400, "bad-json", "Malformed request body",
                     element + ": must be an object with reference and status", element);
    }
    for (const char* field : {"reference", "status"}) {
      if (!report.contains(field) || !report.at(field).is_string()) {
        return Problem(400, "bad-json", "Malformed request body",
                       element + "." + field + ": must be a string", element + "." + field);
      }
    }
    const std::string status = report.at("status").get<std::string>();
    if (status != "delivered" && status != "failed") {
      return Problem(400, "bad-json", "Malformed request body",
                     element + ".status: must be delivered or failed", element + ".status");
    }
    const std::string detail = report.contains("detail") && report.at("detail").is_string()
                                   ? report.at("detail").get<std::string>()
                                   : std::string();
    auto result = app::delivery::RecordMessageDelivered(
        store, clock, report.at("reference").get<std::string>(), status == "delivered",
        "SMS delivery report: " + (detail.empty() ? status : detail));
    if (!result.ok()) {
      if (result.error().code() != StatusCode::kNotFound) return ProblemFromStatus(result.error());
      ++unknown;
      continue;
    }
    ++(*result == app::delivery::Recorded::kRecorded ? recorded : already);
  }
  return Json(200, {{"recorded", recorded}, {"already_recorded", already}, {"unknown", unknown}});
}

HttpResponse HandleContactPreferences(app::CaseStore& store, app::Clock& clock,
                                      const std::string& case_number, const std::string& body,
                                      const std::string& actor, domain::Date today) {
  json j = json::parse(body.empty() ? std::string("{}") : body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Problem(400, "bad-json", "Malformed request body", "expected a JSON object");
  }
  app::delivery::ContactPreferencesInput input;
  for (auto [field, target] : {std::pair{"opt_out", &input.opt_out},
                               {"opt_in", &input.opt_in},
                               {"prefer", &input.prefer}}) {
    auto words = Words(j, field);
    if (!words) return ProblemFromStatus(words.error());
    *target = *words;
  }
  for (auto [field, target] :
       {std::pair{"not_before", &input.earliest_minute}, {"not_after", &input.latest_minute}}) {
    if (!j.contains(field)) continue;
    if (j.at(field).is_null()) {
      *target = -1;
      continue;
    }
    if (!j.at(field).is_string()) {
      return ProblemFromStatus(InvalidArgument(std::string(field) + ": must be \"HH:MM\""));
    }
    auto minute = app::delivery::ParseMinuteOfDay(j.at(field).get<std::string>());
    if (!minute) return ProblemFromStatus(minute.error().WithContext(field));
    *target = *minute;
  }
  if (j.contains("source") && j.at("source").is_string()) {
    input.source = j.at("source").get<std::string>();
  }
  input.on = today;
  auto changed = app::delivery::SetContactPreferences(store, clock, case_number, input, actor);
  if (!changed) return ProblemFromStatus(changed.error());
  const auto split = [](const std::string& text) {
    json list = json::array();
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find(',', start);
      if (end == std::string::npos) end = text.size();
      list.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    return list;
  };
  const auto minute = [](int m) {
    return m < 0 ? json(nullptr) : json(fmt::format("{:02}:{:02}", m / 60, m % 60));
  };
  return Json(200, {{"case_number", case_number},
                    {"opted_out", split(changed->opted_out)},
                    {"preferred", split(changed->preferred)},
                    {"not_before", minute(changed->earliest_minute)},
                    {"not_after", minute(changed->latest_minute)},
                    {"source", changed->source},
                    {"on", changed->on.ToString()}});
}

}  // namespace quitt::adapters::http
