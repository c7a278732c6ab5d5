#include "support/projection_harness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "ledger/envelope.h"

namespace caseledger::testing {

std::unique_ptr<ProjectionHarness> ProjectionHarness::Open(const std::string& path,
                                                           ledger::Micros clock_start) {
  auto h = std::unique_ptr<ProjectionHarness>(new ProjectionHarness());
  h->node_ = TestLedger::Open(path, clock_start);
  if (h->node_ == nullptr) return nullptr;
  auto store = projections::ProjectionStore::Open(h->node_->store());
  if (!store) {
    ADD_FAILURE() << "ProjectionStore::Open: " << store.error().ToString();
    return nullptr;
  }
  h->projections_ = std::move(store).value();
  h->projector_ =
      std::make_unique<projections::Projector>(*h->projections_, h->node_->personal_data());
  return h;
}

ProjectionHarness::~ProjectionHarness() {
  projector_.reset();
  projections_.reset();
  node_.reset();
}

ledger::AppendResult ProjectionHarness::Append(ledger::AppendRequest request) {
  auto result = node_->log().Append(std::move(request));
  node_->clock().Advance(1'000'000);
  if (!result) {
    ADD_FAILURE() << "append failed: " << result.error().ToString();
    return {};
  }
  return std::move(result).value();
}

std::vector<ledger::RecordedEvent> ProjectionHarness::ReadLog(std::uint64_t after) {
  std::vector<ledger::RecordedEvent> events;
  auto reader = node_->log().OpenReader(0, after);
  if (!reader) {
    ADD_FAILURE() << reader.error().ToString();
    return events;
  }
  for (;;) {
    auto n = reader.value()->Read(events, 4096, std::chrono::milliseconds(0));
    if (!n) {
      ADD_FAILURE() << n.error().ToString();
      break;
    }
    if (n.value() == 0) break;
  }
  return events;
}

ledger::Result<void> ProjectionHarness::ApplyAll(std::size_t batch) {
  return ApplyAll(projections_->active(), batch);
}

ledger::Result<void> ProjectionHarness::ApplyAll(const projections::Generation& generation,
                                                 std::size_t batch) {
  BOOST_OUTCOME_TRY(auto applied, projections_->AppliedOffset(generation, 0));
  std::vector<ledger::RecordedEvent> events = ReadLog(applied);
  for (std::size_t i = 0; i < events.size(); i += batch) {
    std::size_t n = std::min(batch, events.size() - i);
    BOOST_OUTCOME_TRY(projector_->Apply(generation, 0, {events.data() + i, n}, {}));
  }
  return ledger::Ok();
}

boost::json::value ProjectionHarness::View(std::string_view record_id) {
  auto view = projections_->GetView(record_id);
  if (!view) {
    ADD_FAILURE() << "GetView(" << record_id << "): " << view.error().ToString();
    return nullptr;
  }
  if (!view.value()) return nullptr;
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(*view.value(), ec);
  if (ec) ADD_FAILURE() << "view of " << record_id << " is not JSON: " << *view.value();
  return parsed;
}

std::vector<std::pair<std::string, std::string>> ProjectionHarness::Dump(
    const projections::Generation& generation) {
  auto dump = projections_->Dump(generation);
  if (!dump) {
    ADD_FAILURE() << "Dump: " << dump.error().ToString();
    return {};
  }
  return std::move(dump).value();
}

::testing::AssertionResult SameDump(const std::vector<std::pair<std::string, std::string>>& a,
                                    const std::vector<std::pair<std::string, std::string>>& b) {
  std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i].first != b[i].first) {
      return ::testing::AssertionFailure()
             << "entry " << i << " keys differ: \"" << ledger::ToHex(a[i].first) << "\" vs \""
             << ledger::ToHex(b[i].first) << "\" (" << a[i].first << " / " << b[i].first << ")";
    }
    if (a[i].second != b[i].second) {
      return ::testing::AssertionFailure() << "values of key \"" << a[i].first << "\" differ:\n  "
                                           << a[i].second << "\n  " << b[i].second;
    }
  }
  if (a.size() != b.size()) {
    const auto& longer = a.size() > b.size() ? a : b;
    return ::testing::AssertionFailure() << "sizes differ: " << a.size() << " vs " << b.size()
                                         << "; first extra key \"" << longer[n].first << "\"";
  }
  return ::testing::AssertionSuccess() << a.size() << " entries";
}

}  // namespace caseledger::testing
