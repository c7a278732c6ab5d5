// Private: the server's own metrics, with a per-io-thread cache of the labelled children so
// recording a request costs a hash lookup and two atomic adds, never a shared lock.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>

#include "app/http/metrics.h"
#include "app/http/router.h"

namespace caseledger::app::http::internal {

class HttpMetrics {
 public:
  // Label used for requests that matched no route, and for requests that could not be parsed.
  static constexpr std::string_view kUnmatchedRoute = "unmatched";
  static constexpr std::string_view kMalformedRoute = "malformed";

  // Lives in one IoThread; used only from that thread.
  struct Cache {
    std::unordered_map<std::uint64_t, Counter*> requests;
    std::unordered_map<std::uint64_t, Histogram*> durations;
  };

  HttpMetrics(MetricsRegistry& registry, const Router& router);

  // `route` is null for unmatched requests; `malformed` marks requests that failed to parse.
  void Record(Cache& cache, const RouteInfo* route, bool malformed, Method method, int status,
              double seconds);

  void ConnectionOpened() { open_connections_.Add(1); }
  void ConnectionClosed() { open_connections_.Add(-1); }

 private:
  const Router& router_;
  CounterFamily& requests_;
  HistogramFamily& durations_;
  Gauge& open_connections_;
};

}  // namespace caseledger::app::http::internal
