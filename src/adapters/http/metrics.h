#pragma once
// Request counters and latency histograms by route and status, written in the Prometheus text
// format for GET /metrics. Thread-safe (one mutex; a request touches it once).
#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace quitt::adapters::http {

class Metrics {
 public:
  // `route` is the route pattern ("/api/v1/cases/{case_number}"), never the raw path, so the
  // number of series stays bounded.
  void Record(const std::string& method, const std::string& route, int status, double seconds);
  void SetGauge(const std::string& name, std::int64_t value);
  std::string Prometheus();

 private:
  static constexpr std::array<double, 10> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                      0.025,  0.05,  0.1,    0.5,   2.5};
  struct Series {
    std::int64_t count = 0;
    double sum = 0;
    std::array<std::int64_t, kBuckets.size()> buckets{};
  };
  std::mutex mutex_;
  // std::less<> lets Record look a series up without building string keys per request.
  std::map<std::tuple<std::string, std::string, int>, std::int64_t, std::less<>> requests_;
  std::map<std::tuple<std::string, std::string>, Series, std::less<>> latency_;
  std::map<std::string, std::int64_t> gauges_;
};

}  // namespace quitt::adapters::http
