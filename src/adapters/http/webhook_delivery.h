#pragma once
// WebhookDelivery: the background worker of `quitt serve` that sends every case event of a client
// to the client's webhook endpoints. It reads the outbox (filled by the database in the same
// transaction as the events, see migration 0004), POSTs one signed JSON document per event with
// libcurl, and on failure retries with exponential backoff (2^attempts seconds, at most one hour).
// Events of one case go out in seq order: a later event waits while an earlier one is retried.
//
// Signature: header `Quitt-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`
// (the receiver recomputes it with the secret it got when registering the endpoint).
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "adapters/http/store_pool.h"
#include "app/ports.h"

namespace quitt::adapters::http {

struct WebhookOptions {
  int poll_milliseconds = 1000;
  int timeout_seconds = 10;  // per delivery attempt
  int batch = 100;
  std::int64_t max_backoff_seconds = 3600;
};

// Hex HMAC-SHA256 of "<timestamp>.<body>" under `secret`.
std::string WebhookSignature(const std::string& secret, std::int64_t timestamp,
                             const std::string& body);

class WebhookDelivery {
 public:
  WebhookDelivery(StorePool& stores, app::Clock& clock, WebhookOptions options = {});
  ~WebhookDelivery();

  void Start();
  void Stop();
  // One round: delivers what is due now (and what became the head of its case queue by that);
  // returns how many deliveries succeeded. Used by the thread and by tests.
  Result<int> RunOnce();
  // Wakes the worker now (after a write that queued events).
  void Nudge();

 private:
  StorePool& stores_;
  app::Clock& clock_;
  WebhookOptions options_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool nudged_ = false;
  void* curl_ = nullptr;  // CURL*, reused so connections to an endpoint stay open
};

}  // namespace quitt::adapters::http
