#pragma once
// HTTP handlers of issue 6 (reaching the customer), kept out of api.cc so they can be wired with a
// route-table line and a dispatch line each:
//
//   GET   /t/{token}        tracking link (SMS, e-mail button): records `opened`, redirects
//   GET   /t/{token}.gif    tracking pixel (HTML e-mail): records `opened`, 1x1 GIF
//         Public. The answer never depends on the token (unknown, forged and known tokens get the
//         same response), so tokens cannot be probed.
//   POST  /api/v1/sms/delivery-reports   the SMS provider's callback; authenticated with the
//         shared secret in "Authorization: Bearer <secret>" ($QUITT_SMS_CALLBACK_SECRET);
//         body {"reports":[{"reference": "<our message id>", "status": "delivered"|"failed",
//         "detail": "..."}]} → {"recorded": n, "already_recorded": n, "unknown": n}
//   PATCH /api/v1/cases/{case_number}/contact-preferences   (staff; client users: own cases)
//         body {"opt_out": ["sms"],
//         "opt_in": [], "prefer": ["email"], "not_before": "09:00", "not_after": "18:00",
//         "source": "phone call"} → the preferences now recorded
#include <string>
#include <string_view>

#include "adapters/http/http_types.h"
#include "app/ports.h"

namespace quitt::adapters::http {

struct DeliveryRouteOptions {
  std::string portal_secret;        // $QUITT_PORTAL_SECRET (tracking tokens)
  std::string portal_url;           // where tracking links redirect ($QUITT_PORTAL_URL)
  std::string sms_callback_secret;  // $QUITT_SMS_CALLBACK_SECRET; empty = route refuses all
};

// `token` is the path segment after /t/, with ".gif" for the pixel.
HttpResponse HandleTracking(app::CaseStore& store, app::Clock& clock,
                            const DeliveryRouteOptions& options, std::string_view token);

HttpResponse HandleSmsDeliveryReports(app::CaseStore& store, app::Clock& clock,
                                      const DeliveryRouteOptions& options,
                                      const HttpRequest& request);

HttpResponse HandleContactPreferences(app::CaseStore& store, app::Clock& clock,
                                      const std::string& case_number, const std::string& body,
                                      const std::string& actor, domain::Date today);

}  // namespace quitt::adapters::http
