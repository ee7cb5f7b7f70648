#include "adapters/http/metrics.h"

#include <fmt/format.h>

namespace quitt::adapters::http {

void Metrics::Record(const std::string& method, const std::string& route, int status,
                     double seconds) {
  std::lock_guard lock(mutex_);
  // Heterogeneous look-up: the key strings are copied only the first time a series appears.
  const auto request_key =
      std::make_tuple(std::string_view(method), std::string_view(route), status);
  auto request_it = requests_.find(request_key);
  if (request_it == requests_.end())
    request_it = requests_.emplace(std::make_tuple(method, route, status), 0).first;
  ++request_it->second;
  const auto series_key = std::make_tuple(std::string_view(method), std::string_view(route));
  auto series_it = latency_.find(series_key);
  if (series_it == latency_.end())
    series_it = latency_.emplace(std::make_tuple(method, route), Series{}).first;
  Series& series = series_it->second;
  ++series.count;
  series.sum += seconds;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++series.buckets[i];
  }
}

void Metrics::SetGauge(const std::string& name, std::int64_t value) {
  std::lock_guard lock(mutex_);
  gauges_[name] = value;
}

std::string Metrics::Prometheus() {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP quitt_http_requests_total HTTP requests by method, route and status.\n";
  out += "# TYPE quitt_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [method, route, status] = key;
    out += fmt::format("quitt_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                       method, route, status, count);
  }
  out += "# HELP quitt_http_request_duration_seconds Time from request read to response ready.\n";
  out += "# TYPE quitt_http_request_duration_seconds histogram\n";
  for (const auto& [key, series] : latency_) {
    const auto& [method, route] = key;
    const std::string labels = fmt::format("method=\"{}\",route=\"{}\"", method, route);
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out += fmt::format("quitt_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", labels,
                         kBuckets[i], series.buckets[i]);
    }
    out += fmt::format("quitt_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", labels,
                       series.count);
    out +=
        fmt::format("quitt_http_request_duration_seconds_sum{{{}}} {:.6f}\n", labels, series.sum);
    out +=
        fmt::format("quitt_http_request_duration_seconds_count{{{}}} {}\n", labels, series.count);
  }
  for (const auto& [name, value] : gauges_) {
    out += fmt::format("# TYPE {} gauge\n{} {}\n", name, name, value);
  }
  return out;
}

}  // namespace quitt::adapters::http
