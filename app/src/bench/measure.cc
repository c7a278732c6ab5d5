#include "measure.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <optional>
#include <thread>

namespace caseledger::app::bench {

LatencySummary LatencySamples::Summarise() {
  LatencySummary s;
  s.count = ns_.size();
  if (ns_.empty()) return s;
  std::sort(ns_.begin(), ns_.end());
  auto rank = [&](double q) {
    auto i = static_cast<std::size_t>(std::ceil(q * static_cast<double>(ns_.size())));
    return static_cast<double>(ns_[std::clamp<std::size_t>(i, 1, ns_.size()) - 1]);
  };
  long double total = 0;
  for (auto v : ns_) total += v;
  s.mean_ns = static_cast<double>(total / ns_.size());
  s.p50_ns = rank(0.50);
  s.p90_ns = rank(0.90);
  s.p99_ns = rank(0.99);
  s.p999_ns = rank(0.999);
  s.max_ns = static_cast<double>(ns_.back());
  return s;
}

boost::json::object LatencyJson(const LatencySummary& s, std::string_view unit) {
  double scale = unit == "ms" ? 1e-6 : 1e-3;
  auto round = [&](double ns) { return std::round(ns * scale * 1000.0) / 1000.0; };
  return {{"unit", unit},
          {"p50", round(s.p50_ns)},
          {"p90", round(s.p90_ns)},
          {"p99", round(s.p99_ns)},
          {"p999", round(s.p999_ns)},
          {"max", round(s.max_ns)},
          {"mean", round(s.mean_ns)},
          {"samples", s.count}};
}

ledger::Result<LoopResult> RunClosedLoop(
    std::size_t threads, const LoopTiming& timing,
    const std::function<std::unique_ptr<Worker>(std::size_t thread)>& make) {
  using Clock = std::chrono::steady_clock;
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> ready{0};
  std::atomic<bool> go{false};
  std::mutex mu;
  std::optional<ledger::Error> failed;
  std::vector<LatencySamples> samples(threads);
  std::vector<std::uint64_t> operations(threads, 0), items(threads, 0);
  Clock::time_point window_start, window_end;

  auto body = [&](std::size_t t) {
    std::unique_ptr<Worker> worker = make(t);
    samples[t].Reserve(1 << 16);
    ++ready;
    while (!go.load()) std::this_thread::yield();
    while (!stop.load(std::memory_order_relaxed)) {
      worker->Prepare();
      Clock::time_point begin = Clock::now();
      if (begin >= window_end) break;
      auto done = worker->Execute();
      Clock::time_point end = Clock::now();
      if (!done) {
        std::lock_guard lock(mu);
        if (!failed) failed = done.error();
        stop = true;
        break;
      }
      if (end >= window_start && end < window_end) {
        samples[t].Add(end - begin);
        ++operations[t];
        items[t] += done.value();
      }
    }
  };

  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < threads; ++t) pool.emplace_back(body, t);
  while (ready.load() < threads) std::this_thread::yield();
  auto start = Clock::now();
  window_start = start + std::chrono::duration_cast<Clock::duration>(
                             std::chrono::duration<double>(timing.warmup_seconds));
  window_end = window_start + std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(timing.seconds));
  go = true;
  for (auto& th : pool) th.join();
  if (failed) return *failed;

  LoopResult r;
  r.threads = threads;
  r.slices = 1;
  r.seconds = timing.seconds;
  for (std::size_t t = 0; t < threads; ++t) {
    r.operations += operations[t];
    r.items += items[t];
    r.samples.Merge(samples[t]);
  }
  r.Summarise();
  return r;
}

void LoopResult::Absorb(const LoopResult& other) {
  threads = other.threads;
  slices += other.slices;
  seconds += other.seconds;
  operations += other.operations;
  items += other.items;
  samples.Merge(other.samples);
}

ledger::Result<std::pair<LoopResult, LoopResult>> RunInterleaved(const Measurement& ours,
                                                                 const Measurement& ceiling,
                                                                 std::size_t rounds,
                                                                 const LoopTiming& timing) {
  rounds = std::max<std::size_t>(1, rounds);
  LoopTiming slice = timing;
  slice.seconds = timing.seconds / static_cast<double>(rounds);
  std::pair<LoopResult, LoopResult> out;
  for (std::size_t r = 0; r < rounds; ++r) {
    BOOST_OUTCOME_TRY(auto c, ceiling(slice));
    out.second.Absorb(c);
    BOOST_OUTCOME_TRY(auto o, ours(slice));
    out.first.Absorb(o);
  }
  out.first.Summarise();
  out.second.Summarise();
  return out;
}

double Ratio(double ours, double ceiling) { return ceiling > 0 ? ours / ceiling : 0; }

}  // namespace caseledger::app::bench
