// Holds an EventLog's committer thread inside an append callback until released. With
// EmbeddedLogOptions::pipeline_depth 0, appends submitted in the meantime queue up and reach the
// writer together, as one group; with depth N, the writer checks the next N groups meanwhile
// (with max_group_requests 1: the next N appends, each its own group) and the rest queue up.
// Lets a test put chosen appends in one group, or in groups checked before earlier ones are
// written, deterministically and without sleeps.
//
// Example:
//   WriterGate gate(log);                    // returns once the writer is held
//   auto a = AppendFuture(log, first);
//   auto b = AppendFuture(log, second);
//   gate.Release();                          // `first` and `second` commit in one group
//
// Relies on callbacks running on the log's single committer thread (ledger/embedded_log.h).
// Thread safety: none; use from one test thread.
#pragma once

#include <future>
#include <string>

#include "ledger/event_log.h"

namespace caseledger::testing {

class WriterGate {
 public:
  // Appends one event to `gate_stream` and blocks its callback. Fails the test if the append does.
  explicit WriterGate(ledger::EventLog& log, std::string gate_stream = "gate-stream");
  ~WriterGate();  // releases if still held

  WriterGate(const WriterGate&) = delete;
  WriterGate& operator=(const WriterGate&) = delete;

  void Release();

 private:
  std::promise<void> release_;
  bool released_ = false;
};

}  // namespace caseledger::testing
