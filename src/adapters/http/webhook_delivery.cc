#include "adapters/http/webhook_delivery.h"

#include <curl/curl.h>
#include <sodium.h>

#include <chrono>
#include <nlohmann/json.hpp>

namespace quitt::adapters::http {

namespace {

std::size_t Discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

Result<std::string> EventDocument(app::CaseStore& store, const app::auth::OutboxItem& item) {
  const app::ClientId client(item.client_id);
  const app::CaseId case_id(item.case_id);
  QUITT_ASSIGN_OR_RETURN(auto summary, store.FindCase(client, case_id));
  if (!summary) return NotFound("case " + std::to_string(item.case_id) + " is gone");
  QUITT_ASSIGN_OR_RETURN(auto owner, store.FindClient(client));
  QUITT_ASSIGN_OR_RETURN(auto history, store.LoadHistory(client, case_id));
  for (const auto& stored : history) {
    if (stored.event.seq != item.seq) continue;
    const auto& e = stored.event;
    nlohmann::json doc{{"id", std::to_string(item.client_id) + "-" + std::to_string(item.case_id) +
                                  "-" + std::to_string(item.seq)},
                       {"client", owner ? owner->code : std::string()},
                       {"case_number", summary->case_number},
                       {"seq", e.seq},
                       {"type", stored.type},
                       {"schema_version", stored.schema_version},
                       {"effective_date", e.effective_date.ToString()},
                       {"recorded_at", e.recorded_at.ToString()},
                       {"actor", e.actor},
                       {"payload", nlohmann::json::parse(stored.payload_json, nullptr, false)},
                       {"hash", ToHex(stored.hash)}};
    return doc.dump();
  }
  return NotFound("event " + std::to_string(item.seq) + " of case " + std::to_string(item.case_id) +
                  " is missing");
}

}  // namespace

std::string WebhookSignature(const std::string& secret, std::int64_t timestamp,
                             const std::string& body) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  const std::string prefix = std::to_string(timestamp) + ".";
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(prefix.data()),
                                prefix.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  char hex[sizeof mac * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return hex;
}

WebhookDelivery::WebhookDelivery(StorePool& stores, app::Clock& clock, WebhookOptions options)
    : stores_(stores), clock_(clock), options_(options) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  curl_ = curl_easy_init();
}

WebhookDelivery::~WebhookDelivery() {
  Stop();
  if (curl_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

void WebhookDelivery::Start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stop_) {
      lock.unlock();
      // A failed round (database busy) is retried at the next poll; the outbox keeps the work.
      (void)RunOnce();
      lock.lock();
      cv_.wait_for(lock, std::chrono::milliseconds(options_.poll_milliseconds),
                   [&] { return stop_ || nudged_; });
      nudged_ = false;
    }
  });
}

void WebhookDelivery::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void WebhookDelivery::Nudge() {
  {
    std::lock_guard lock(mutex_);
    nudged_ = true;
  }
  cv_.notify_all();
}

Result<int> WebhookDelivery::RunOnce() {
  if (curl_ == nullptr) return Unavailable("libcurl could not be initialised");
  CURL* curl = static_cast<CURL*>(curl_);
  QUITT_ASSIGN_OR_RETURN(auto lease, stores_.Acquire());
  int delivered = 0;
  // Rounds until nothing more is due: delivering the head of a case queue makes the next event
  // of that case due at once.
  for (int round = 0; round < 100; ++round) {
    const domain::Timestamp now = clock_.Now();
    QUITT_ASSIGN_OR_RETURN(auto items, lease->auth->DueDeliveries(now, options_.batch));
    if (items.empty()) break;
    int delivered_this_round = 0;
    for (const auto& item : items) {
      QUITT_ASSIGN_OR_RETURN(auto endpoint,
                             lease->auth->FindWebhook(item.client_id, item.endpoint_id));
      std::string error;
      if (!endpoint || !endpoint->active) {
        // Deleted endpoint: nothing to deliver to; mark done so the case queue moves on.
        QUITT_RETURN_IF_ERROR(lease->auth->MarkDelivered(item, now));
        continue;
      }
      auto body = EventDocument(*lease->cases, item);
      if (!body) {
        error = body.error().message();
      } else {
        const std::int64_t t = now.unix_micros() / 1000000;
        const std::string signature = "Quitt-Signature: t=" + std::to_string(t) +
                                      ",v1=" + WebhookSignature(endpoint->secret, t, *body);
        const std::string event_id = "Quitt-Event-Id: " + std::to_string(item.client_id) + "-" +
                                     std::to_string(item.case_id) + "-" + std::to_string(item.seq);
        curl_slist* headers = nullptr;
        headers = curl_slist_append(headers, "Content-Type: application/json");
        headers = curl_slist_append(headers, signature.c_str());
        headers = curl_slist_append(headers, event_id.c_str());
        curl_easy_reset(curl);
        curl_easy_setopt(curl, CURLOPT_URL, endpoint->url.c_str());
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(options_.timeout_seconds));
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Discard);
        CURLcode code = curl_easy_perform(curl);
        long http_status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &http_status);
        curl_slist_free_all(headers);
        if (code != CURLE_OK) {
          error = curl_easy_strerror(code);
        } else if (http_status < 200 || http_status >= 300) {
          error = "endpoint answered " + std::to_string(http_status);
        }
      }
      if (error.empty()) {
        QUITT_RETURN_IF_ERROR(lease->auth->MarkDelivered(item, clock_.Now()));
        ++delivered;
        ++delivered_this_round;
      } else {
        const int shift = std::min(item.attempts, 20);
        const std::int64_t backoff =
            std::min<std::int64_t>(std::int64_t{1} << shift, options_.max_backoff_seconds);
        QUITT_RETURN_IF_ERROR(lease->auth->MarkFailed(item, now.AddSeconds(backoff), error));
      }
    }
    if (delivered_this_round == 0) break;
  }
  return delivered;
}

}  // namespace quitt::adapters::http
