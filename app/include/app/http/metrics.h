// A small Prometheus registry: counters, gauges and fixed-bucket histograms, optionally split by
// a fixed, small set of labels, rendered in the text exposition format 0.0.4.
//
// Example:
//   MetricsRegistry registry;
//   CounterFamily& appends = registry.AddCounterFamily(
//       "caseledger_appends_total", "Events appended to the log.", {"backend"});
//   Counter& embedded = appends.WithLabels({"embedded"});  // look up once, keep the reference
//   embedded.Increment();
//   Histogram& latency = registry.AddHistogram("caseledger_append_duration_seconds",
//                                              "Append latency.", DefaultLatencyBuckets());
//   latency.Observe(0.0031);
//   registry.AddGauge("caseledger_projection_lag_events", "Events not yet projected.")
//       .SetCallback([&runner] { return double(runner.Lag()); });
//   std::string text = registry.Render();
//
// Registering a name again with the same type, help, labels (and buckets) returns the existing
// family; a conflicting registration or an invalid name is a programming error and aborts.
//
// Thread safety: everything is thread-safe. Increment/Set/Observe are lock-free; registration,
// WithLabels on a new label set, and Render take the family's or registry's mutex. References
// stay valid for the registry's life. Gauge callbacks run inside Render and must not call back
// into the registry.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace caseledger::app::http {

class Counter {
 public:
  void Increment(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  void Add(double delta) { value_.fetch_add(delta, std::memory_order_relaxed); }
  // From now on Value() is `callback()`; read at Render time.
  void SetCallback(std::function<double()> callback);
  double Value() const;

 private:
  std::atomic<double> value_{0};
  mutable std::mutex callback_mu_;
  std::function<double()> callback_;
};

// Observations in seconds (or any unit) into fixed upper bounds, plus +Inf, sum and count.
class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void Observe(double value);

  struct Snapshot {
    std::vector<std::uint64_t> cumulative;  // one per bound, then +Inf
    double sum = 0;
    std::uint64_t count = 0;
  };
  Snapshot Read() const;
  const std::vector<double>& upper_bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds_.size() + 1
  std::atomic<double> sum_{0};
};

// 0.5 ms to 10 s.
std::vector<double> DefaultLatencyBuckets();

// A metric name with its label names, and one child per distinct label-value tuple.
template <class Metric>
class Family {
 public:
  Family(std::vector<std::string> label_names, std::function<std::unique_ptr<Metric>()> make)
      : label_names_(std::move(label_names)), make_(std::move(make)) {}

  // The child for these label values (one per label name, in order). Aborts on a wrong count.
  Metric& WithLabels(std::initializer_list<std::string_view> values);
  Metric& WithLabels(const std::vector<std::string_view>& values);

  const std::vector<std::string>& label_names() const { return label_names_; }
  // Calls `visit(label_values, metric)` for every child, in label order.
  void ForEach(
      const std::function<void(const std::vector<std::string>&, const Metric&)>& visit) const;

 private:
  std::vector<std::string> label_names_;
  std::function<std::unique_ptr<Metric>()> make_;
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>, std::less<>> children_;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

class MetricsRegistry {
 public:
  MetricsRegistry();
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  CounterFamily& AddCounterFamily(std::string_view name, std::string_view help,
                                  std::vector<std::string> label_names);
  GaugeFamily& AddGaugeFamily(std::string_view name, std::string_view help,
                              std::vector<std::string> label_names);
  HistogramFamily& AddHistogramFamily(std::string_view name, std::string_view help,
                                      std::vector<double> upper_bounds,
                                      std::vector<std::string> label_names);

  // Unlabelled shorthands.
  Counter& AddCounter(std::string_view name, std::string_view help);
  Gauge& AddGauge(std::string_view name, std::string_view help);
  Histogram& AddHistogram(std::string_view name, std::string_view help,
                          std::vector<double> upper_bounds);

  // Text exposition format 0.0.4, families in name order, each with # HELP and # TYPE.
  std::string Render() const;

  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  struct Entry;
  Entry& Register(std::string_view name, std::string_view help, int type,
                  std::vector<std::string> label_names, std::vector<double> upper_bounds);

  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Entry>, std::less<>> entries_;
};

}  // namespace caseledger::app::http
