// Keeps the active projection generation up to date with the log, and rebuilds it.
//
// Lifecycle: Start() launches one thread per log partition; each reads events after the offset
// its partition reached in the active generation and applies them in batches (the projection
// change and the new offset in one WriteBatch, so a crash resumes exactly where it stopped).
// Stop() (or the destructor) joins the threads.
//
// Rebuild() fills a new generation from the whole log side by side with the running threads,
// then pauses them, catches up the last events, switches generations atomically and resumes:
// readers see the old views until the switch and the new ones after it, never a mix.
//
// Thread safety: all methods are thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "ledger/event_log.h"
#include "projections/projection_store.h"
#include "projections/projector.h"

namespace caseledger::consumers {

using ledger::Result;

struct RunnerOptions {
  std::size_t batch_events = 1000;                      // events per WriteBatch when live
  std::size_t rebuild_batch_events = 32768;             // events per WriteBatch in a rebuild
  std::chrono::milliseconds poll{200};                  // wait for new events before re-checking
  std::chrono::milliseconds retry_backoff{500};         // after a failed batch
};

struct RebuildStats {
  std::uint64_t events = 0;
  double seconds = 0;
  std::uint32_t generation = 0;
};

class ProjectionRunner {
 public:
  ProjectionRunner(ledger::EventLog& log, projections::ProjectionStore& store,
                   projections::Projector& projector, RunnerOptions options = {});
  ~ProjectionRunner();

  Result<void> Start();
  void Stop();

  // Blocks until the active generation has applied `position` (its partition up to its offset).
  // True when reached; false on timeout or if the runner stopped.
  bool WaitFor(ledger::Position position, std::chrono::milliseconds timeout);

  // Calls `done(true)` once the active generation applied `position`, or `done(false)` when
  // `deadline` passes first (checked at least every `poll`) or the runner stops. Runs `done`
  // inline when the position is already applied, else on a runner thread: keep it short.
  void WhenApplied(ledger::Position position, std::chrono::steady_clock::time_point deadline,
                   std::function<void(bool)> done);

  // Events in the log not yet applied, summed over partitions.
  std::uint64_t Lag();
  // The last error a partition thread met, empty if healthy.
  std::string LastError() const;

  // Rebuilds every projection into a new generation and activates it. Works with or without
  // running threads. `progress` (optional) is called now and then with events done and total.
  Result<RebuildStats> Rebuild(std::function<void(std::uint64_t, std::uint64_t)> progress = {});
  std::uint64_t rebuilds() const;

 private:
  struct Waiter {
    ledger::Position position;
    std::chrono::steady_clock::time_point deadline;
    std::function<void(bool)> done;
  };

  void RunPartition(std::uint32_t partition);
  // Answers the waiters whose position was applied or whose deadline passed.
  void ServeWaiters();
  bool AppliedLocked(const ledger::Position& position) const;
  // Applies everything in `partition` after `generation`'s offset up to `until` (or the end,
  // if 0). Returns events applied.
  Result<std::uint64_t> CatchUp(const projections::Generation& generation, std::uint32_t partition,
                                std::uint64_t until, std::uint64_t& done, std::uint64_t total,
                                const std::function<void(std::uint64_t, std::uint64_t)>& progress);

  ledger::EventLog& log_;
  projections::ProjectionStore& store_;
  projections::Projector& projector_;
  const RunnerOptions options_;

  std::mutex apply_mu_;  // held while a batch is applied to the active generation
  mutable std::mutex mu_;
  std::condition_variable applied_cv_;
  std::vector<std::uint64_t> applied_;  // per partition, active generation
  std::vector<Waiter> waiters_;
  std::string last_error_;
  bool stopping_ = false;
  std::uint64_t rebuilds_ = 0;
  std::mutex rebuild_mu_;  // one rebuild at a time
  std::vector<std::thread> threads_;
  // The log epoch (EventLog::epoch) the active generation was built against.
  std::atomic<std::uint64_t> log_epoch_{0};
};

}  // namespace caseledger::consumers
