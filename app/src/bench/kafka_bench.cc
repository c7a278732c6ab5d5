#include "kafka_bench.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "ledger/personal_data.h"
#include "ledger/store.h"
#include "projections/projection_store.h"
#include "projections/projector.h"

namespace caseledger::app::bench {
namespace {

using Clock = std::chrono::steady_clock;
using ledger::Result;

constexpr auto kApplyDeadline = std::chrono::seconds(120);
constexpr auto kSamplePeriod = std::chrono::milliseconds(10);

// What a callback tells the driver.
struct Note {
  enum Kind : std::uint8_t { kIssue, kAcked, kApplied };
  std::size_t slot = 0;
  Kind kind = kIssue;
  Clock::time_point at;
  ledger::Position position;          // kAcked: the command's last event
  std::optional<ledger::Error> error;  // kAcked: the append failed; kApplied: not applied
};

class Inbox {
 public:
  void Push(Note note) {
    {
      std::lock_guard lock(mu_);
      notes_.push_back(std::move(note));
    }
    cv_.notify_one();
  }
  // Moves every note into `out` (cleared first), waiting up to `wait` for one.
  void Take(std::vector<Note>& out, std::chrono::milliseconds wait) {
    out.clear();
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, wait, [&] { return !notes_.empty(); });
    out.swap(notes_);
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Note> notes_;
};

struct Slot {
  std::unique_ptr<CommandMaker> maker;
  Clock::time_point started, acked;
};

void AtomicMax(std::atomic<std::uint64_t>& target, std::uint64_t value) {
  std::uint64_t seen = target.load(std::memory_order_relaxed);
  while (seen < value && !target.compare_exchange_weak(seen, value, std::memory_order_relaxed)) {
  }
}

}  // namespace

void EndToEndProfile::Absorb(const EndToEndProfile& o) {
  transactions += o.transactions;
  aborted += o.aborted;
  producer_restarts += o.producer_restarts;
  resent_groups += o.resent_groups;
  acked_commands += o.acked_commands;
  acked_events += o.acked_events;
  replica_offsets += o.replica_offsets;
  replica_lag_sum += o.replica_lag_sum;
  projection_lag_sum += o.projection_lag_sum;
  lag_samples += o.lag_samples;
  lag_max_replica = std::max(lag_max_replica, o.lag_max_replica);
  lag_max_projection = std::max(lag_max_projection, o.lag_max_projection);
  cpu.wall_seconds += o.cpu.wall_seconds;
  for (const auto& [name, seconds] : o.cpu.threads) cpu.threads[name] += seconds;
  cpu.broker_seconds += o.cpu.broker_seconds;
  cpu.machine_busy_seconds += o.cpu.machine_busy_seconds;
  cpu.machine_total_seconds += o.cpu.machine_total_seconds;
  cpu.machine_steal_seconds += o.cpu.machine_steal_seconds;
}

void EndToEndResult::Absorb(const EndToEndResult& o) {
  applied.Absorb(o.applied);
  acked.Absorb(o.acked);
  ack_to_applied.Absorb(o.ack_to_applied);
  profile.Absorb(o.profile);
}

void EndToEndResult::Summarise() {
  applied.Summarise();
  acked.Summarise();
  ack_to_applied.Summarise();
}

Result<void> CatchUpPatiently(ledger::KafkaLog& log, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    auto caught_up = log.CatchUp(std::max(left, std::chrono::milliseconds(1)));
    if (caught_up || caught_up.error().code != ledger::Code::kUnavailable ||
        Clock::now() >= deadline) {
      return caught_up;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

Result<void> WaitUntilProjected(ledger::KafkaLog& log, consumers::ProjectionRunner& runner,
                                std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  BOOST_OUTCOME_TRY(CatchUpPatiently(log, timeout));
  for (std::uint32_t p = 0; p < log.partition_count(); ++p) {
    BOOST_OUTCOME_TRY(auto end, log.EndOffset(p));
    if (end == 0) continue;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (!runner.WaitFor({p, end}, std::max(left, std::chrono::milliseconds(1)))) {
      return ledger::MakeError(
          ledger::Code::kTimeout,
          fmt::format("bench: the projections did not reach {}:{} in time (runner: {})", p, end,
                      runner.LastError()));
    }
  }
  return ledger::Ok();
}

Result<CatchUpResult> MeasureCatchUp(ledger::KafkaLogOptions options, const std::string& data_dir,
                                     const std::string& master_key_file) {
  options.read_only = true;
  options.create_topics = false;
  options.open_timeout = std::chrono::minutes(10);
  ledger::StoreOptions store_options;
  store_options.path = data_dir;
  BOOST_OUTCOME_TRY(auto store, ledger::Store::Open(store_options));
  BOOST_OUTCOME_TRY(auto master, ledger::LoadMasterKey(master_key_file, false));
  CatchUpResult result;
  auto started = Clock::now();
  // A read-only log reads every partition to the end before it returns.
  BOOST_OUTCOME_TRY(auto log, ledger::OpenKafkaLog(*store, ledger::SystemClock::Instance(), options));
  result.replica_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  auto keys = ledger::OpenEmbeddedKeyStore(*store, master, &log->key_mirror());
  ledger::PersonalData personal_data(*keys, ledger::SystemRandom::Instance());
  BOOST_OUTCOME_TRY(auto projections, projections::ProjectionStore::Open(*store));
  projections::Projector projector(*projections, personal_data);
  consumers::ProjectionRunner runner(*log, *projections, projector);
  BOOST_OUTCOME_TRY(auto rebuilt, runner.Rebuild());
  result.events = rebuilt.events;
  result.rebuild_seconds = rebuilt.seconds;
  return result;
}

Result<EndToEndResult> RunEndToEnd(ledger::KafkaLog& log, consumers::ProjectionRunner& runner,
                                   AppendWorkload& workload, std::size_t in_flight,
                                   std::size_t events, const LoopTiming& timing, int broker_pid) {
  if (workload.Commands(events).empty()) {
    return ledger::MakeError(ledger::Code::kInvalidArgument, "bench: no commands to append");
  }
  if (workload.prepared_writers() < in_flight) {
    return ledger::MakeError(ledger::Code::kInternal, "bench: the writers' streams are not made");
  }
  const std::uint32_t partitions = log.partition_count();
  std::vector<Slot> slots(in_flight);
  for (std::size_t i = 0; i < in_flight; ++i) {
    slots[i].maker = std::make_unique<CommandMaker>(workload, i, events);
  }
  std::vector<std::atomic<std::uint64_t>> acked_high(partitions);
  for (std::uint32_t p = 0; p < partitions; ++p) {
    BOOST_OUTCOME_TRY(auto end, log.EndOffset(p));
    acked_high[p].store(end);
  }

  Inbox inbox;
  EndToEndResult result;
  result.applied.samples.Reserve(1 << 18);
  result.acked.samples.Reserve(1 << 18);
  result.ack_to_applied.samples.Reserve(1 << 18);
  std::optional<ledger::Error> failed;

  auto start = Clock::now();
  const auto window_start = start + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(timing.warmup_seconds));
  const auto window_end = window_start + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(timing.seconds));
  auto in_window = [&](Clock::time_point t) { return t >= window_start && t < window_end; };

  std::thread::id driver_id;
  std::atomic<bool> driver_done{false};
  std::thread driver([&] {
    NameThisThread("bench-driver");
    driver_id = std::this_thread::get_id();
    std::size_t active = in_flight;
    auto issue = [&](std::size_t i) {
      Clock::time_point now = Clock::now();
      if (failed || now >= window_end) {
        --active;
        return;
      }
      Slot& slot = slots[i];
      ledger::AppendRequest request = slot.maker->Next();
      slot.started = Clock::now();
      log.AppendAsync(std::move(request), [&, i](Result<ledger::AppendResult> r) {
        Note note{i, Note::kAcked, Clock::now(), {}, std::nullopt};
        thread_local bool named = false;
        if (!named && std::this_thread::get_id() != driver_id) {
          NameThisThread("kafka-writer");
          named = true;
        }
        if (r) {
          note.position = r.value().last_position();
          if (note.position.partition < acked_high.size()) {
            AtomicMax(acked_high[note.position.partition], note.position.offset);
          }
        } else {
          note.error = r.error();
        }
        inbox.Push(std::move(note));
      });
    };
    for (std::size_t i = 0; i < in_flight; ++i) issue(i);
    std::vector<Note> notes;
    while (active > 0) {
      inbox.Take(notes, std::chrono::milliseconds(100));
      for (Note& note : notes) {
        Slot& slot = slots[note.slot];
        switch (note.kind) {
          case Note::kIssue:
            issue(note.slot);
            break;
          case Note::kAcked: {
            if (note.error) {
              if (!failed) failed = *note.error;
              --active;
              break;
            }
            slot.acked = note.at;
            slot.maker->Appended();
            if (in_window(note.at)) {
              result.acked.samples.Add(note.at - slot.started);
              ++result.acked.operations;
              result.acked.items += slot.maker->events();
            }
            std::size_t i = note.slot;
            runner.WhenApplied(note.position, Clock::now() + kApplyDeadline, [&, i](bool ok) {
              thread_local bool named = false;
              if (!named && std::this_thread::get_id() != driver_id) {
                NameThisThread("proj-runner");
                named = true;
              }
              Note applied{i, Note::kApplied, Clock::now(), {}, std::nullopt};
              if (!ok) {
                applied.error = ledger::MakeError(
                    ledger::Code::kTimeout,
                    "bench: the projections did not apply an acknowledged append in time (" +
                        runner.LastError() + ")");
              }
              inbox.Push(std::move(applied));
            });
            break;
          }
          case Note::kApplied:
            if (note.error) {
              if (!failed) failed = *note.error;
              --active;
              break;
            }
            if (in_window(note.at)) {
              result.applied.samples.Add(note.at - slot.started);
              result.ack_to_applied.samples.Add(note.at - slot.acked);
              ++result.applied.operations;
              ++result.ack_to_applied.operations;
              result.applied.items += slot.maker->events();
              result.ack_to_applied.items += slot.maker->events();
            }
            issue(note.slot);
            break;
        }
      }
    }
    driver_done = true;
  });

  // This thread samples: the log's counters and the CPU at the window's edges, the lags within.
  EndToEndProfile& profile = result.profile;
  std::vector<std::uint64_t> replica_start(partitions, 0);
  auto replica_ends = [&](std::vector<std::uint64_t>& out) {
    out.assign(partitions, 0);
    for (std::uint32_t p = 0; p < partitions; ++p) {
      auto end = log.EndOffset(p);
      out[p] = end ? end.value() : 0;
    }
  };
  std::this_thread::sleep_until(window_start);
  ledger::KafkaLogStats stats_start = log.stats();
  CpuSnapshot cpu_start = TakeCpuSnapshot(broker_pid);
  replica_ends(replica_start);
  std::vector<std::uint64_t> replica;
  for (auto next = Clock::now(); next < window_end && !driver_done.load(); next += kSamplePeriod) {
    std::this_thread::sleep_until(next);
    replica_ends(replica);
    std::uint64_t replica_lag = 0;
    for (std::uint32_t p = 0; p < partitions; ++p) {
      std::uint64_t high = acked_high[p].load(std::memory_order_relaxed);
      if (high > replica[p]) replica_lag += high - replica[p];
    }
    std::uint64_t projection_lag = runner.Lag();
    profile.replica_lag_sum += static_cast<double>(replica_lag);
    profile.projection_lag_sum += static_cast<double>(projection_lag);
    profile.lag_max_replica = std::max(profile.lag_max_replica, replica_lag);
    profile.lag_max_projection = std::max(profile.lag_max_projection, projection_lag);
    ++profile.lag_samples;
  }
  std::this_thread::sleep_until(window_end);
  CpuSnapshot cpu_end = TakeCpuSnapshot(broker_pid);
  ledger::KafkaLogStats stats_end = log.stats();
  replica_ends(replica);
  profile.cpu.Add(cpu_start, cpu_end);
  profile.transactions = stats_end.transactions - stats_start.transactions;
  profile.aborted = stats_end.aborted - stats_start.aborted;
  profile.producer_restarts = stats_end.producer_restarts - stats_start.producer_restarts;
  profile.resent_groups = stats_end.resent_groups - stats_start.resent_groups;
  for (std::uint32_t p = 0; p < partitions; ++p) {
    profile.replica_offsets += replica[p] - std::min(replica[p], replica_start[p]);
  }
  driver.join();
  if (failed) return *failed;
  profile.acked_commands = result.acked.operations;
  profile.acked_events = result.acked.items;
  for (LoopResult* r : {&result.applied, &result.acked, &result.ack_to_applied}) {
    r->threads = in_flight;
    r->slices = 1;
    r->seconds = timing.seconds;
  }
  result.Summarise();
  return result;
}

}  // namespace caseledger::app::bench
