#include "consumers/projection_runner.h"

#include <fmt/format.h>

namespace caseledger::consumers {

using projections::Generation;

ProjectionRunner::ProjectionRunner(ledger::EventLog& log, projections::ProjectionStore& store,
                                   projections::Projector& projector, RunnerOptions options)
    : log_(log), store_(store), projector_(projector), options_(options) {}

ProjectionRunner::~ProjectionRunner() { Stop(); }

Result<void> ProjectionRunner::Start() {
  std::uint32_t partitions = log_.partition_count();
  Generation generation = store_.active();
  {
    std::lock_guard lock(mu_);
    applied_.assign(partitions, 0);
    for (std::uint32_t p = 0; p < partitions; ++p) {
      BOOST_OUTCOME_TRY(applied_[p], store_.AppliedOffset(generation, p));
    }
    stopping_ = false;
  }
  for (std::uint32_t p = 0; p < partitions; ++p) {
    threads_.emplace_back([this, p] { RunPartition(p); });
  }
  return ledger::Ok();
}

void ProjectionRunner::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  applied_cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  ServeWaiters();  // stopping: every waiter left is answered false
}

bool ProjectionRunner::AppliedLocked(const ledger::Position& position) const {
  return position.partition < applied_.size() && applied_[position.partition] >= position.offset;
}

void ProjectionRunner::WhenApplied(ledger::Position position,
                                   std::chrono::steady_clock::time_point deadline,
                                   std::function<void(bool)> done) {
  bool reached = false;
  bool give_up = false;
  {
    std::lock_guard lock(mu_);
    reached = AppliedLocked(position);
    give_up = !reached && (stopping_ || threads_.empty());
    if (!reached && !give_up) waiters_.push_back({position, deadline, std::move(done)});
  }
  if (reached || give_up) done(reached);
}

void ProjectionRunner::ServeWaiters() {
  std::vector<Waiter> ready;
  std::vector<bool> outcomes;
  {
    std::lock_guard lock(mu_);
    if (waiters_.empty()) return;
    auto now = std::chrono::steady_clock::now();
    for (auto it = waiters_.begin(); it != waiters_.end();) {
      bool reached = AppliedLocked(it->position);
      if (reached || stopping_ || it->deadline <= now) {
        outcomes.push_back(reached);
        ready.push_back(std::move(*it));
        it = waiters_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (std::size_t i = 0; i < ready.size(); ++i) ready[i].done(outcomes[i]);
}

bool ProjectionRunner::WaitFor(ledger::Position position, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return applied_cv_.wait_for(lock, timeout, [&] {
    return stopping_ ||
           (position.partition < applied_.size() && applied_[position.partition] >= position.offset);
  }) && !stopping_;
}

std::uint64_t ProjectionRunner::Lag() {
  std::vector<std::uint64_t> applied;
  {
    std::lock_guard lock(mu_);
    applied = applied_;
  }
  if (applied.empty()) {  // not started: what the active generation holds
    for (std::uint32_t p = 0; p < log_.partition_count(); ++p) {
      auto offset = store_.AppliedOffset(store_.active(), p);
      applied.push_back(offset ? offset.value() : 0);
    }
  }
  std::uint64_t lag = 0;
  for (std::uint32_t p = 0; p < applied.size(); ++p) {
    auto end = log_.EndOffset(p);
    if (end && end.value() > applied[p]) lag += end.value() - applied[p];
  }
  return lag;
}

std::string ProjectionRunner::LastError() const {
  std::lock_guard lock(mu_);
  return last_error_;
}

std::uint64_t ProjectionRunner::rebuilds() const {
  std::lock_guard lock(mu_);
  return rebuilds_;
}

void ProjectionRunner::RunPartition(std::uint32_t partition) {
  std::unique_ptr<ledger::LogReader> reader;
  std::uint32_t generation_number = 0;
  std::vector<ledger::RecordedEvent> events;
  auto fail = [&](const ledger::Error& error) {
    {
      std::lock_guard lock(mu_);
      last_error_ = fmt::format("partition {}: {}", partition, error.ToString());
    }
    reader.reset();
    std::unique_lock lock(mu_);
    applied_cv_.wait_for(lock, options_.retry_backoff, [&] { return stopping_; });
  };
  for (;;) {
    ServeWaiters();
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    if (std::uint64_t seen = log_epoch_.load(); log_.epoch() != seen) {
      // The log started again from scratch (a Kafka replica whose offsets were gone): what the
      // projections hold no longer lines up with it. One thread rebuilds; the others reopen
      // their readers once the new generation is active.
      reader.reset();
      if (log_epoch_.compare_exchange_strong(seen, log_.epoch())) {
        if (auto rebuilt = Rebuild(); !rebuilt) {
          log_epoch_.store(seen);
          fail(rebuilt.error());
        }
      }
      continue;
    }
    if (!reader) {
      std::lock_guard apply(apply_mu_);
      Generation generation = store_.active();
      auto offset = store_.AppliedOffset(generation, partition);
      if (!offset) {
        fail(offset.error());
        continue;
      }
      auto opened = log_.OpenReader(partition, offset.value());
      if (!opened) {
        fail(opened.error());
        continue;
      }
      reader = std::move(opened).value();
      generation_number = generation.number;
    }
    events.clear();
    auto read = reader->Read(events, options_.batch_events, options_.poll);
    if (!read) {
      fail(read.error());
      continue;
    }
    if (read.value() == 0) continue;
    std::lock_guard apply(apply_mu_);
    Generation generation = store_.active();
    if (generation.number != generation_number) {
      reader.reset();  // a rebuild switched generations: continue from the new one's offset
      continue;
    }
    if (auto ok = projector_.Apply(generation, partition, events, {}); !ok) {
      fail(ok.error());
      continue;
    }
    {
      std::lock_guard lock(mu_);
      applied_[partition] = events.back().position.offset;
      last_error_.clear();
    }
    applied_cv_.notify_all();
  }
}

Result<std::uint64_t> ProjectionRunner::CatchUp(
    const Generation& generation, std::uint32_t partition, std::uint64_t until,
    std::uint64_t& done, std::uint64_t total,
    const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
  BOOST_OUTCOME_TRY(auto offset, store_.AppliedOffset(generation, partition));
  if (offset >= until) return std::uint64_t{0};
  BOOST_OUTCOME_TRY(auto reader, log_.OpenReader(partition, offset));
  std::vector<ledger::RecordedEvent> events;
  std::uint64_t applied = 0;
  while (offset < until) {
    events.clear();
    BOOST_OUTCOME_TRY(auto n, reader->Read(events, options_.rebuild_batch_events, options_.poll));
    if (n == 0) continue;
    while (!events.empty() && events.back().position.offset > until) events.pop_back();
    if (events.empty()) break;
    BOOST_OUTCOME_TRY(projector_.Apply(generation, partition, events, {.skip_wal = true}));
    offset = events.back().position.offset;
    applied += events.size();
    done += events.size();
    if (progress) progress(done, std::max(done, total));
  }
  return applied;
}

Result<RebuildStats> ProjectionRunner::Rebuild(
    std::function<void(std::uint64_t, std::uint64_t)> progress) {
  std::lock_guard rebuild(rebuild_mu_);
  auto started = std::chrono::steady_clock::now();
  std::uint32_t partitions = log_.partition_count();
  BOOST_OUTCOME_TRY(Generation generation, store_.CreateGeneration());
  auto abandon = [&](ledger::Error error) -> ledger::Error {
    (void)store_.Abandon(generation);
    return error;
  };
  std::uint64_t done = 0;
  std::uint64_t total = 0;
  for (std::uint32_t p = 0; p < partitions; ++p) {
    auto end = log_.EndOffset(p);
    if (!end) return abandon(end.error());
    total += end.value();
  }
  // Bulk passes while the live threads keep the old generation current; stop when a pass finds
  // little left, then pause the threads for the last few events.
  constexpr std::uint64_t kFinalPassEvents = 10'000;
  for (;;) {
    std::uint64_t applied = 0;
    for (std::uint32_t p = 0; p < partitions; ++p) {
      auto end = log_.EndOffset(p);
      if (!end) return abandon(end.error());
      auto n = CatchUp(generation, p, end.value(), done, total, progress);
      if (!n) return abandon(n.error());
      applied += n.value();
    }
    if (applied < kFinalPassEvents) break;
  }
  std::lock_guard apply(apply_mu_);
  std::vector<std::uint64_t> reached(partitions, 0);
  for (std::uint32_t p = 0; p < partitions; ++p) {
    auto end = log_.EndOffset(p);
    if (!end) return abandon(end.error());
    auto n = CatchUp(generation, p, end.value(), done, total, progress);
    if (!n) return abandon(n.error());
    auto offset = store_.AppliedOffset(generation, p);
    if (!offset) return abandon(offset.error());
    reached[p] = offset.value();
  }
  if (auto ok = store_.Flush(generation); !ok) return abandon(ok.error());
  if (auto ok = store_.Activate(generation); !ok) return abandon(ok.error());
  {
    std::lock_guard lock(mu_);
    if (applied_.size() == partitions) applied_ = reached;
    ++rebuilds_;
  }
  applied_cv_.notify_all();
  ServeWaiters();
  RebuildStats stats;
  stats.events = done;
  stats.generation = generation.number;
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return stats;
}

}  // namespace caseledger::consumers
