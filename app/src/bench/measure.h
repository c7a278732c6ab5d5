// Measurement tools shared by every benchmark phase: exact latency percentiles from sorted samples,
// and a closed-loop driver that runs N threads, each issuing its next operation only after the
// previous one answered, and counts what finished inside a timed window.
//
// Thread safety: LatencySamples is not thread-safe (one per thread, merged at the end);
// RunClosedLoop is called from one thread and runs its own.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "ledger/result.h"

namespace caseledger::app::bench {

struct LatencySummary {
  std::uint64_t count = 0;
  double mean_ns = 0, p50_ns = 0, p90_ns = 0, p99_ns = 0, p999_ns = 0, max_ns = 0;
};

class LatencySamples {
 public:
  void Reserve(std::size_t n) { ns_.reserve(n); }
  void Add(std::chrono::nanoseconds latency) {
    ns_.push_back(static_cast<std::uint64_t>(latency.count()));
  }
  void Merge(const LatencySamples& other) {
    ns_.insert(ns_.end(), other.ns_.begin(), other.ns_.end());
  }
  std::size_t size() const { return ns_.size(); }
  // Sorts the samples; percentiles are nearest-rank over every sample (no bucketing).
  LatencySummary Summarise();

 private:
  std::vector<std::uint64_t> ns_;
};

// {"p50": .., "p99": .., "p999": .., "max": .., "mean": ..} in `unit` ("ms" or "us").
boost::json::object LatencyJson(const LatencySummary& s, std::string_view unit);

// One thread's operations. Prepare() builds the next operation (not timed); Execute() runs it
// (timed) and returns how many items (events, reads) it completed.
class Worker {
 public:
  virtual ~Worker() = default;
  virtual void Prepare() {}
  virtual ledger::Result<std::uint64_t> Execute() = 0;
};

struct LoopTiming {
  double warmup_seconds = 0.5;  // operations finishing before this are not counted
  double seconds = 3;           // the measured window after the warm-up
};

struct LoopResult {
  std::size_t threads = 0;
  std::size_t slices = 0;        // measured windows combined into this result
  double seconds = 0;            // the measured windows, summed
  std::uint64_t operations = 0;  // operations that finished inside the windows
  std::uint64_t items = 0;       // what they completed (events, reads)
  LatencySamples samples;        // the latency of each of those operations
  LatencySummary latency;        // of `samples`, once Summarise() ran
  double operations_per_second() const { return seconds > 0 ? operations / seconds : 0; }
  double items_per_second() const { return seconds > 0 ? items / seconds : 0; }
  // Adds another window of the same measurement (see RunInterleaved).
  void Absorb(const LoopResult& other);
  void Summarise() { latency = samples.Summarise(); }
};

// Runs `threads` workers made by `make` (called on the worker's own thread) until the window
// closes. Errors: the first error any worker returned (the others stop).
ledger::Result<LoopResult> RunClosedLoop(
    std::size_t threads, const LoopTiming& timing,
    const std::function<std::unique_ptr<Worker>(std::size_t thread)>& make);

// Runs `ours` and `ceiling` alternately, `rounds` times each (the ceiling first in each round),
// each window `timing.seconds / rounds` long, and combines the windows of each. Interleaving keeps
// a machine whose speed drifts (a shared disk, other processes) from favouring either side.
using Measurement = std::function<ledger::Result<LoopResult>(const LoopTiming&)>;
ledger::Result<std::pair<LoopResult, LoopResult>> RunInterleaved(const Measurement& ours,
                                                                 const Measurement& ceiling,
                                                                 std::size_t rounds,
                                                                 const LoopTiming& timing);

// ours / ceiling, 0 when the ceiling is 0.
double Ratio(double ours, double ceiling);

}  // namespace caseledger::app::bench
