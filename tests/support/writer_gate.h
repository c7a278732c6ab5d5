// Holds an EventLog's writer thread inside an append callback until released, so appends
// submitted in the meantime queue up and reach the writer together, as one group. Lets a test
// put chosen appends in one group commit deterministically, without sleeps.
//
// Example:
//   WriterGate gate(log);                    // returns once the writer is held
//   auto a = AppendFuture(log, first);
//   auto b = AppendFuture(log, second);
//   gate.Release();                          // `first` and `second` commit in one group
//
// Relies on callbacks running on the log's single writer thread (ledger/embedded_log.h).
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
