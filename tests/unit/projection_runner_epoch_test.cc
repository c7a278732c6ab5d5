// The projection runner rebuilds when its log says readers must start again (EventLog::epoch: a
// Kafka replica that found its stored offsets gone), instead of going on from offsets that no
// longer line up with the log.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "consumers/projection_runner.h"
#include "support/appends.h"
#include "support/event_builders.h"
#include "support/projection_harness.h"
#include "support/result_assertions.h"
#include "support/temp_dir.h"

namespace caseledger::consumers {
namespace {

using namespace std::chrono_literals;

// Forwards to a real log, with an epoch the test moves.
class EpochLog final : public ledger::EventLog {
 public:
  explicit EpochLog(ledger::EventLog& inner) : inner_(inner) {}
  void Bump() { ++epoch_; }

  void AppendAsync(ledger::AppendRequest r, AppendCallback done) override {
    inner_.AppendAsync(std::move(r), std::move(done));
  }
  ledger::Result<std::optional<ledger::IdempotencyRecord>> FindIdempotent(
      std::string_view user, std::string_view key) override {
    return inner_.FindIdempotent(user, key);
  }
  ledger::Result<ledger::StreamHead> Head(std::string_view s) override { return inner_.Head(s); }
  ledger::Result<std::vector<ledger::RecordedEvent>> ReadStream(std::string_view s,
                                                                std::uint64_t from,
                                                                std::size_t max) override {
    return inner_.ReadStream(s, from, max);
  }
  std::uint32_t partition_count() const override { return inner_.partition_count(); }
  std::uint32_t PartitionOf(std::string_view s) const override { return inner_.PartitionOf(s); }
  std::uint64_t epoch() const override { return epoch_.load(); }
  ledger::Result<std::uint64_t> EndOffset(std::uint32_t p) override { return inner_.EndOffset(p); }
  ledger::Result<std::unique_ptr<ledger::LogReader>> OpenReader(std::uint32_t p,
                                                                std::uint64_t after) override {
    return inner_.OpenReader(p, after);
  }

 private:
  ledger::EventLog& inner_;
  std::atomic<std::uint64_t> epoch_{0};
};

TEST(ProjectionRunnerEpochTest, ANewLogEpochRebuildsTheProjections) {
  testing::TempDir dir;
  auto h = testing::ProjectionHarness::Open(dir.Path("db"));
  ASSERT_NE(h, nullptr);
  EpochLog log(h->log());
  RunnerOptions options;
  options.poll = 20ms;
  options.retry_backoff = 20ms;
  ProjectionRunner runner(log, h->projections(), h->projector(), options);
  ASSERT_OK(runner.Start());
  auto appended = h->Append(testing::OneStream(testing::StreamId("incident", 1), ledger::kNoStream,
                                               {testing::Draft(ledger::EventType::IncidentReported,
                                                               testing::MakeIncidentReported())}));
  ASSERT_TRUE(runner.WaitFor(appended.last_position(), 60s));
  const auto before = h->projections().active().number;
  EXPECT_EQ(runner.rebuilds(), 0u);

  log.Bump();
  for (int i = 0; i < 3000 && runner.rebuilds() == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(runner.rebuilds(), 1u);
  EXPECT_NE(h->projections().active().number, before) << "a new generation is active";
  EXPECT_FALSE(h->View(testing::StreamId("incident", 1)).is_null());

  // Once rebuilt against the new epoch, it stays: no rebuild per poll.
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(runner.rebuilds(), 1u);
  runner.Stop();
}

}  // namespace
}  // namespace caseledger::consumers
