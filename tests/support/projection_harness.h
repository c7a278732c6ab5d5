// A ledger node with its projections, for tests of projections/ and consumers/: a TestLedger, the
// ProjectionStore over the same Store, and a Projector, plus helpers to append events and apply
// them to a generation.
//
// Example:
//   auto h = ProjectionHarness::Open(dir.Path("db"));
//   h->Append(OneStream(incident, kNoStream, {Draft(EventType::IncidentReported, payload)}));
//   ASSERT_OK(h->ApplyAll());
//   boost::json::value view = h->View(incident);
//
// Thread safety: none.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "projections/projection_store.h"
#include "projections/projector.h"
#include "support/test_ledger.h"

namespace caseledger::testing {

class ProjectionHarness {
 public:
  // Fails the current test and returns nullptr on error.
  static std::unique_ptr<ProjectionHarness> Open(const std::string& path,
                                                 ledger::Micros clock_start = kTestEpoch);
  ~ProjectionHarness();

  TestLedger& node() { return *node_; }
  ledger::EventLog& log() { return node_->log(); }
  ledger::PersonalData& personal_data() { return node_->personal_data(); }
  projections::ProjectionStore& projections() { return *projections_; }
  projections::Projector& projector() { return *projector_; }

  // Appends `request` and advances the clock by one second; fails the test on error.
  ledger::AppendResult Append(ledger::AppendRequest request);

  // Every event of the log after `after`, in order.
  std::vector<ledger::RecordedEvent> ReadLog(std::uint64_t after = 0);

  // Applies every event `generation` (default: the active one) has not applied, `batch` events
  // per Projector::Apply call.
  ledger::Result<void> ApplyAll(std::size_t batch = 1000);
  ledger::Result<void> ApplyAll(const projections::Generation& generation, std::size_t batch);

  // The active generation's view of `record_id` as JSON; null when it has none. Fails the test if
  // the stored view is not JSON.
  boost::json::value View(std::string_view record_id);

  // Every key and value of `generation`; fails the test on error.
  std::vector<std::pair<std::string, std::string>> Dump(const projections::Generation& generation);

 private:
  std::unique_ptr<TestLedger> node_;
  std::unique_ptr<projections::ProjectionStore> projections_;
  std::unique_ptr<projections::Projector> projector_;
};

// Success when `a` and `b` hold the same keys and values; otherwise names the first difference.
::testing::AssertionResult SameDump(const std::vector<std::pair<std::string, std::string>>& a,
                                    const std::vector<std::pair<std::string, std::string>>& b);

}  // namespace caseledger::testing
