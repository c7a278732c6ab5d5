// The projection runner (consumers/projection_runner.h): live projection, WaitFor, Lag, and
// rebuilds that come out byte for byte identical to the incrementally built state (docs/design.md
// decision 1), also while appends continue.
#include "consumers/projection_runner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "support/appends.h"
#include "support/event_builders.h"
#include "support/projection_harness.h"
#include "support/random_workload.h"
#include "support/result_assertions.h"
#include "support/temp_dir.h"

namespace caseledger::consumers {
namespace {

using namespace std::chrono_literals;
using ledger::EventType;
using ledger::Position;
using testing::Draft;
using testing::OneStream;
using testing::StreamId;

constexpr auto kPatience = 60s;  // an upper bound for waits that should end at once

RunnerOptions TestOptions() {
  RunnerOptions options;
  options.batch_events = 7;  // batches that split commands, so splitting must not matter
  options.rebuild_batch_events = 500;
  options.poll = 20ms;
  options.retry_backoff = 50ms;
  return options;
}

class ProjectionRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_ = testing::ProjectionHarness::Open(dir_.Path("db"));
    ASSERT_NE(h_, nullptr);
    runner_ = std::make_unique<ProjectionRunner>(h_->log(), h_->projections(), h_->projector(),
                                                 TestOptions());
  }

  void TearDown() override { runner_.reset(); }

  // Appends `commands` commands from `workload`; returns the last position.
  Position AppendWorkload(testing::RandomWorkload& workload, int commands) {
    Position last;
    for (int i = 0; i < commands; ++i) last = h_->Append(workload.Next()).last_position();
    return last;
  }

  // Four independent workloads (disjoint record ids) appending `commands` commands each from
  // their own threads, so appends share group commits; returns the last position.
  Position AppendConcurrently(std::vector<testing::RandomWorkload>& workloads, int commands) {
    std::vector<Position> lasts(workloads.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < workloads.size(); ++i) {
      threads.emplace_back([&, i] { lasts[i] = AppendWorkload(workloads[i], commands); });
    }
    for (auto& t : threads) t.join();
    return *std::max_element(lasts.begin(), lasts.end());
  }

  std::vector<testing::RandomWorkload> Workloads(std::uint64_t seed) {
    std::vector<testing::RandomWorkload> out;
    for (std::uint64_t i = 0; i < 4; ++i) {
      out.emplace_back(seed + i, h_->personal_data(), /*id_base=*/i * 1'000'000);
    }
    return out;
  }

  static std::uint64_t Events(const std::vector<testing::RandomWorkload>& workloads) {
    std::uint64_t n = 0;
    for (const auto& w : workloads) n += w.events();
    return n;
  }

  std::vector<std::pair<std::string, std::string>> ActiveDump() {
    return h_->Dump(h_->projections().active());
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::ProjectionHarness> h_;
  std::unique_ptr<ProjectionRunner> runner_;
};

TEST_F(ProjectionRunnerTest, AnAppendedEventIsProjectedOnceWaitForReturns) {
  ASSERT_OK(runner_->Start());

  auto appended = h_->Append(OneStream(StreamId("case", 1), ledger::kNoStream,
                                       {Draft(EventType::CaseOpened, testing::MakeCaseOpened())}));
  bool reached = runner_->WaitFor(appended.last_position(), kPatience);

  EXPECT_TRUE(reached);
  EXPECT_EQ(h_->View(StreamId("case", 1)).at("kind"), "case");
  EXPECT_EQ(runner_->Lag(), 0u);
  EXPECT_EQ(runner_->LastError(), "");
}

TEST_F(ProjectionRunnerTest, WaitForGivesUpOnAPositionNotYetInTheLog) {
  ASSERT_OK(runner_->Start());

  bool reached = runner_->WaitFor(Position{0, 5}, 30ms);
  bool other_partition = runner_->WaitFor(Position{3, 0}, 1ms);

  EXPECT_FALSE(reached);
  EXPECT_FALSE(other_partition);
}

TEST_F(ProjectionRunnerTest, WaitForIsFalseOnceTheRunnerStopped) {
  ASSERT_OK(runner_->Start());
  runner_->Stop();

  bool reached = runner_->WaitFor(Position{0, 0}, 1s);

  EXPECT_FALSE(reached);
}

TEST_F(ProjectionRunnerTest, LagCountsUnappliedEventsAndReachesZero) {
  testing::RandomWorkload workload(11, h_->personal_data());
  Position last = AppendWorkload(workload, 40);
  ASSERT_OK(runner_->Start());

  ASSERT_TRUE(runner_->WaitFor(last, kPatience));

  EXPECT_EQ(runner_->Lag(), 0u);
  EXPECT_EQ(h_->projections().AppliedOffset(h_->projections().active(), 0).value(), last.offset);
  EXPECT_EQ(last.offset, workload.events());
}

TEST_F(ProjectionRunnerTest, ARestartedRunnerContinuesWhereItStopped) {
  testing::RandomWorkload workload(12, h_->personal_data());
  ASSERT_OK(runner_->Start());
  ASSERT_TRUE(runner_->WaitFor(AppendWorkload(workload, 30), kPatience));
  runner_.reset();
  Position last = AppendWorkload(workload, 30);
  runner_ = std::make_unique<ProjectionRunner>(h_->log(), h_->projections(), h_->projector(),
                                               TestOptions());

  ASSERT_OK(runner_->Start());
  ASSERT_TRUE(runner_->WaitFor(last, kPatience));
  auto continued = ActiveDump();
  auto rebuilt = runner_->Rebuild();

  ASSERT_OK(rebuilt);
  EXPECT_TRUE(testing::SameDump(continued, ActiveDump()));
}

TEST_F(ProjectionRunnerTest, ARebuildEqualsTheIncrementalStateByteForByte) {
  std::vector<testing::RandomWorkload> workloads = Workloads(20261126);
  ASSERT_OK(runner_->Start());
  Position last = AppendConcurrently(workloads, 650);
  ASSERT_TRUE(runner_->WaitFor(last, kPatience));
  auto incremental = ActiveDump();
  std::uint32_t before = h_->projections().active().number;
  std::uint64_t progress_done = 0, progress_total = 0;

  auto stats = runner_->Rebuild([&](std::uint64_t done, std::uint64_t total) {
    EXPECT_LE(done, total);
    EXPECT_GE(done, progress_done);
    progress_done = done;
    progress_total = total;
  });

  ASSERT_OK(stats);
  EXPECT_GE(Events(workloads), 3000u);
  EXPECT_EQ(last.offset, Events(workloads));
  EXPECT_EQ(stats.value().events, Events(workloads));
  EXPECT_EQ(progress_done, Events(workloads));
  EXPECT_EQ(progress_total, Events(workloads));
  EXPECT_EQ(stats.value().generation, h_->projections().active().number);
  EXPECT_GT(h_->projections().active().number, before);
  EXPECT_EQ(runner_->rebuilds(), 1u);
  EXPECT_TRUE(testing::SameDump(incremental, ActiveDump()));
  EXPECT_EQ(runner_->Lag(), 0u);
  EXPECT_EQ(runner_->LastError(), "");
}

TEST_F(ProjectionRunnerTest, RebuildsDuringAppendsEndIdenticalToAFreshRebuild) {
  std::vector<testing::RandomWorkload> workloads = Workloads(7);
  ASSERT_OK(runner_->Start());
  ASSERT_TRUE(runner_->WaitFor(AppendConcurrently(workloads, 300), kPatience));
  std::atomic<bool> appending{true};
  Position last;
  std::thread appender([&] {
    last = AppendConcurrently(workloads, 300);
    appending = false;
  });

  int rebuilds_during_appends = 0;
  do {
    auto rebuilt = runner_->Rebuild();
    EXPECT_TRUE(rebuilt) << testing::Describe(rebuilt);
    ++rebuilds_during_appends;
  } while (appending && rebuilds_during_appends < 5);
  appender.join();
  ASSERT_TRUE(runner_->WaitFor(last, kPatience));
  auto incremental = ActiveDump();
  auto fresh = runner_->Rebuild();

  ASSERT_OK(fresh);
  EXPECT_TRUE(testing::SameDump(incremental, ActiveDump()));
  EXPECT_EQ(fresh.value().events, Events(workloads));
  EXPECT_EQ(runner_->Lag(), 0u);
  EXPECT_EQ(runner_->LastError(), "");
  for (const auto& workload : workloads) {
    for (const std::string& record : workload.records()) {
      EXPECT_NE(h_->View(record), nullptr) << record;
    }
  }
}

TEST_F(ProjectionRunnerTest, ARebuildWorksWithoutRunningThreads) {
  testing::RandomWorkload workload(3, h_->personal_data());
  AppendWorkload(workload, 100);
  ASSERT_OK(h_->ApplyAll(/*batch=*/13));
  auto incremental = ActiveDump();

  auto stats = runner_->Rebuild();

  ASSERT_OK(stats);
  EXPECT_EQ(stats.value().events, workload.events());
  EXPECT_TRUE(testing::SameDump(incremental, ActiveDump()));
}

}  // namespace
}  // namespace caseledger::consumers
