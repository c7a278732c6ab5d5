// Metric types and the families that hold them. Rendering lives in metrics_render.cc.
#include "app/http/metrics.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace caseledger::app::http {

namespace {

[[noreturn]] void MisuseAbort(std::string_view what) {
  std::fprintf(stderr, "caseledger metrics misuse: %.*s\n", static_cast<int>(what.size()),
               what.data());
  std::abort();
}

}  // namespace

void Gauge::SetCallback(std::function<double()> callback) {
  std::lock_guard lock(callback_mu_);
  callback_ = std::move(callback);
}

double Gauge::Value() const {
  {
    std::lock_guard lock(callback_mu_);
    if (callback_) return callback_();
  }
  return value_.load(std::memory_order_relaxed);
}

Histogram::Histogram(std::vector<double> upper_bounds) : bounds_(std::move(upper_bounds)) {
  std::sort(bounds_.begin(), bounds_.end());
  bounds_.erase(std::unique(bounds_.begin(), bounds_.end()), bounds_.end());
  buckets_ = std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1);
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::Observe(double value) {
  auto it = std::lower_bound(bounds_.begin(), bounds_.end(), value);  // first bound >= value
  buckets_[static_cast<std::size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot snapshot;
  snapshot.cumulative.reserve(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    snapshot.cumulative.push_back(running);
  }
  snapshot.count = running;
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

std::vector<double> DefaultLatencyBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

template <class Metric>
Metric& Family<Metric>::WithLabels(std::initializer_list<std::string_view> values) {
  return WithLabels(std::vector<std::string_view>(values));
}

template <class Metric>
Metric& Family<Metric>::WithLabels(const std::vector<std::string_view>& values) {
  if (values.size() != label_names_.size()) MisuseAbort("wrong number of label values");
  std::vector<std::string> key(values.begin(), values.end());
  std::lock_guard lock(mu_);
  auto it = children_.find(key);
  if (it == children_.end()) it = children_.emplace(std::move(key), make_()).first;
  return *it->second;
}

template <class Metric>
void Family<Metric>::ForEach(
    const std::function<void(const std::vector<std::string>&, const Metric&)>& visit) const {
  std::lock_guard lock(mu_);
  for (const auto& [labels, metric] : children_) visit(labels, *metric);
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

}  // namespace caseledger::app::http
