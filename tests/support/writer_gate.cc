#include "support/writer_gate.h"

#include <gtest/gtest.h>

#include <memory>

#include "support/appends.h"
#include "support/event_builders.h"

namespace caseledger::testing {

WriterGate::WriterGate(ledger::EventLog& log, std::string gate_stream) {
  auto entered = std::make_shared<std::promise<void>>();
  std::shared_future<void> release = release_.get_future().share();
  auto request =
      OneStream(std::move(gate_stream), ledger::kAnyVersion,
                {Draft(ledger::EventType::CaseReopened, MakeCaseReopened())}, Context("user-gate"));
  log.AppendAsync(std::move(request), [entered, release](ledger::Result<ledger::AppendResult> r) {
    if (!r) ADD_FAILURE() << "gate append failed: " << r.error().ToString();
    entered->set_value();
    release.wait();
  });
  entered->get_future().wait();
}

WriterGate::~WriterGate() { Release(); }

void WriterGate::Release() {
  if (released_) return;
  released_ = true;
  release_.set_value();
}

}  // namespace caseledger::testing
