// End-to-end appends on the Kafka log: from a command being accepted to the node's projections
// having applied it.
//
// N commands in flight, closed loop: each slot hands its command to ledger::KafkaLog::AppendAsync
// (the same commands as the embedded append phase: append_bench.h's CommandMaker), waits for the
// acknowledgement (the transaction committed, acks=all), then for the node's
// consumers::ProjectionRunner to have applied the acknowledged position (WhenApplied), and only
// then sends its next command. Two latencies per command, both from the AppendAsync call:
// acknowledged, and applied (end to end). Throughput counts the events of the commands applied
// inside the measured window.
//
// One driver thread prepares the commands and takes the callbacks' notes (callbacks only stamp
// the time and post), so the log's writer thread and the runner's threads do no benchmark work.
//
// Alongside, every 10 ms: how far the replica trails what the writer acknowledged and how far the
// projections trail the replica (offsets, summed over partitions), the log's transaction counts
// (KafkaLog::stats) and the CPU each thread, the broker and the machine used (cpu_usage.h).
#pragma once

#include <cstdint>
#include <string>

#include "append_bench.h"
#include "consumers/projection_runner.h"
#include "cpu_usage.h"
#include "ledger/kafka_log.h"
#include "measure.h"

namespace caseledger::app::bench {

struct EndToEndProfile {
  std::uint64_t transactions = 0;       // committed inside the windows (KafkaLog::stats)
  std::uint64_t aborted = 0;
  std::uint64_t producer_restarts = 0;
  std::uint64_t resent_groups = 0;
  std::uint64_t acked_commands = 0;     // acknowledged inside the windows
  std::uint64_t acked_events = 0;
  std::uint64_t replica_offsets = 0;    // offsets the replica advanced by (events and markers)
  double replica_lag_sum = 0;           // acknowledged but not yet in the replica, offsets
  double projection_lag_sum = 0;        // in the replica but not yet applied, offsets
  std::uint64_t lag_samples = 0;
  std::uint64_t lag_max_replica = 0, lag_max_projection = 0;
  CpuUsage cpu;

  void Absorb(const EndToEndProfile& other);
};

struct EndToEndResult {
  LoopResult applied;        // accepted -> applied by the projections; items: events
  LoopResult acked;          // accepted -> acknowledged; items: events
  LoopResult ack_to_applied; // acknowledged -> applied, per command
  EndToEndProfile profile;

  void Absorb(const EndToEndResult& other);
  void Summarise();
};

// `workload.Prepare(log, >= in_flight)` must have run and its streams be applied already.
// Errors: the first append or projection failure (the others drain first).
ledger::Result<EndToEndResult> RunEndToEnd(ledger::KafkaLog& log,
                                           consumers::ProjectionRunner& runner,
                                           AppendWorkload& workload, std::size_t in_flight,
                                           std::size_t events_per_command,
                                           const LoopTiming& timing, int broker_pid);

// How fast a second node takes in everything the runs wrote: a read-only KafkaLog on the same
// topics in a fresh store reads them to the end (the replica's apply rate with a backlog), then
// a ProjectionRunner rebuilds every projection from that replica (the projection's apply rate in
// bulk). Wired as app/src/node.cc wires a node, with the history's master key.
struct CatchUpResult {
  std::uint64_t events = 0;
  double replica_seconds = 0;
  double rebuild_seconds = 0;
};
ledger::Result<CatchUpResult> MeasureCatchUp(ledger::KafkaLogOptions options,
                                             const std::string& data_dir,
                                             const std::string& master_key_file);

// KafkaLog::CatchUp, tried again while the cluster answers kUnavailable (a topic created moments
// ago may not have its partition leaders yet) until `timeout`.
ledger::Result<void> CatchUpPatiently(ledger::KafkaLog& log, std::chrono::milliseconds timeout);

// Blocks until the runner applied everything the log's replica holds (after a CatchUp).
ledger::Result<void> WaitUntilProjected(ledger::KafkaLog& log, consumers::ProjectionRunner& runner,
                                        std::chrono::milliseconds timeout);

}  // namespace caseledger::app::bench
