// Durable appends through ledger::EventLog, closed loop: W writer threads, each calling Append
// and waiting for its own acknowledgement (WAL synced) before building the next command.
//
// The events are real ones taken from the generated history (so sizes, payload verification and
// the stream grammar are realistic), with an actor, purpose, correlation id and idempotency key as
// the HTTP API sends them:
//  - one event per command: the history's own mix, in log order. A creation (incident reported,
//    person recorded, link added, ...) starts a new stream; a change (note, task, update, ...)
//    goes to one of the writer's own incident, person or case streams at its expected version.
//  - E events per command: a case opened with its first E - 1 changes (tasks, notes, actions,
//    risk assessments) in one new stream.
// The ceiling replays the stored envelopes of exactly those events in the same order, so both
// sides write values of the same sizes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ledger/event_log.h"
#include "ledger/ids.h"
#include "measure.h"

namespace caseledger::app::bench {

// One event of the generated history, kept to be appended again.
struct PayloadSample {
  ledger::EventType type = ledger::EventType::Unknown;
  std::string stream_kind;  // "incident", "case", ...
  bool creation = false;    // the first event of its kind of stream
  std::string payload;      // the FlatBuffer payload as stored
  std::string envelope;     // the whole stored envelope (for the ceiling's value sizes)
  ledger::Actor actor;
  std::string purpose;
};

// The first `max` events of `log`'s partition 0.
ledger::Result<std::vector<PayloadSample>> SamplePayloads(ledger::EventLog& log, std::size_t max);

// The append phase's state: the samples arranged into commands, and each writer's own streams
// (created once by Prepare, then reused by every measurement).
class AppendWorkload {
 public:
  explicit AppendWorkload(std::vector<PayloadSample> samples);
  ~AppendWorkload();

  // Creates the own streams of up to `max_writers` writers in `log`.
  ledger::Result<void> Prepare(ledger::EventLog& log, std::size_t max_writers);

  // The events of the commands with `events_per_command` events, in order: sample indices.
  const std::vector<std::vector<std::size_t>>& Commands(std::size_t events_per_command);
  // The stored envelopes of those events, flattened in the same order (the ceiling's values).
  std::vector<std::string> CeilingValues(std::size_t events_per_command);

  double mean_payload_bytes(std::size_t events_per_command);
  const std::vector<PayloadSample>& samples() const { return samples_; }

  ledger::Result<LoopResult> Run(ledger::EventLog& log, std::size_t writers,
                                 std::size_t events_per_command, const LoopTiming& timing);

  struct OwnStreams;
  // Writer `writer`'s own streams (Prepare made them).
  OwnStreams& own(std::size_t writer) { return *own_[writer]; }
  std::size_t prepared_writers() const { return own_.size(); }

 private:
  std::vector<PayloadSample> samples_;
  std::vector<std::vector<std::vector<std::size_t>>> commands_;  // by events per command
  std::vector<std::unique_ptr<OwnStreams>> own_;                 // by writer
};

// One writer's commands, the same for every log backend (the embedded closed loop here, the
// Kafka end-to-end loop in kafka_bench.h): the commands with E events in turn from a start that
// depends on the writer, a change going to the writer's own stream of its kind at its expected
// version. Not thread-safe: one writer at a time, one command in flight.
class CommandMaker {
 public:
  // `workload.Prepare` must have made at least `writer + 1` writers' streams.
  CommandMaker(AppendWorkload& workload, std::size_t writer, std::size_t events_per_command);
  ~CommandMaker();

  // The next command, with an actor, purpose, correlation id and idempotency key as the HTTP
  // API sends them.
  ledger::AppendRequest Next();
  // The events of the command Next() returned last.
  std::size_t events() const { return events_; }
  // The command Next() returned last was appended: its stream, if one of the writer's own,
  // moved on by its events.
  void Appended();

 private:
  const std::vector<PayloadSample>& samples_;
  const std::vector<std::vector<std::size_t>>& commands_;
  AppendWorkload::OwnStreams& own_;
  std::size_t next_;
  ledger::IdGenerator ids_;
  // The own stream the last command changed (its kind and index), or kind kNone for a creation.
  static constexpr std::size_t kNone = ~std::size_t{0};
  std::size_t target_kind_ = kNone;
  std::size_t target_index_ = 0;
  std::size_t events_ = 0;
};

}  // namespace caseledger::app::bench
