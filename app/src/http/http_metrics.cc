#include "http/http_metrics.h"

namespace caseledger::app::http::internal {

HttpMetrics::HttpMetrics(MetricsRegistry& registry, const Router& router)
    : router_(router),
      requests_(registry.AddCounterFamily("caseledger_http_requests_total",
                                          "HTTP requests answered, by route pattern.",
                                          {"route", "method", "status"})),
      durations_(registry.AddHistogramFamily(
          "caseledger_http_request_duration_seconds",
          "Time from the first byte of a request to the end of its response.",
          DefaultLatencyBuckets(), {"route", "method"})),
      open_connections_(registry.AddGauge("caseledger_http_open_connections",
                                          "HTTP connections currently open.")) {}

void HttpMetrics::Record(Cache& cache, const RouteInfo* route, bool malformed, Method method,
                         int status, double seconds) {
  const std::uint64_t route_id =
      route != nullptr ? route->index : router_.routes().size() + (malformed ? 1 : 0);
  std::string_view route_label = route != nullptr ? std::string_view(route->pattern)
                                 : malformed      ? kMalformedRoute
                                                  : kUnmatchedRoute;
  const std::uint64_t series = (route_id << 8) | static_cast<std::uint64_t>(method);
  const std::uint64_t request_key = (series << 16) | static_cast<std::uint64_t>(status & 0xffff);

  auto counter = cache.requests.find(request_key);
  if (counter == cache.requests.end()) {
    std::string status_label = std::to_string(status);
    Counter& child = requests_.WithLabels({route_label, MethodName(method), status_label});
    counter = cache.requests.emplace(request_key, &child).first;
  }
  counter->second->Increment();

  auto histogram = cache.durations.find(series);
  if (histogram == cache.durations.end()) {
    Histogram& child = durations_.WithLabels({route_label, MethodName(method)});
    histogram = cache.durations.emplace(series, &child).first;
  }
  histogram->second->Observe(seconds);
}

}  // namespace caseledger::app::http::internal
