// Appending to and reading from the embedded event log (ledger/embedded_log.h): versions, the
// hash chain, optimistic concurrency, atomic multi-stream appends and request validation.
#include "ledger/embedded_log.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ledger/envelope.h"
#include "support/appends.h"
#include "support/event_builders.h"
#include "support/result_assertions.h"
#include "support/temp_dir.h"
#include "support/test_ledger.h"

namespace caseledger::ledger {
namespace {

using testing::Context;
using testing::Draft;
using testing::kTestEpoch;
using testing::OneStream;
using testing::StreamId;

class EmbeddedLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    node_ = testing::TestLedger::Open(dir_.Path("db"));
    ASSERT_NE(node_, nullptr);
  }

  EventLog& log() { return node_->log(); }

  // Appends `count` CaseReopened events to `stream` in one request; fails the test on error.
  AppendResult AppendEvents(const std::string& stream, std::uint64_t expected, int count) {
    std::vector<EventDraft> drafts;
    for (int i = 0; i < count; ++i) {
      drafts.push_back(Draft(EventType::CaseReopened,
                             testing::MakeCaseReopened({.reason = "r" + std::to_string(i)})));
    }
    auto result = log().Append(OneStream(stream, expected, std::move(drafts)));
    EXPECT_TRUE(result) << testing::Describe(result);
    return result ? result.value() : AppendResult{};
  }

  std::uint64_t EndOffset() {
    auto end = log().EndOffset(0);
    EXPECT_TRUE(end) << testing::Describe(end);
    return end ? end.value() : 0;
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::TestLedger> node_;
};

TEST_F(EmbeddedLogTest, AppendedEventsReadBackWithEveryEnvelopeField) {
  const std::string stream = StreamId("incident", 1);
  std::vector<EventDraft> drafts = {
      Draft(EventType::IncidentReported, testing::MakeIncidentReported(), kTestEpoch - 500),
      Draft(EventType::IncidentClassified, testing::MakeIncidentClassified(), kTestEpoch - 400)};
  drafts[1].schema_version = 3;
  drafts[1].source_recorded_at = kTestEpoch - 99'000;
  node_->clock().Set(kTestEpoch + 77);

  auto appended = log().Append(OneStream(stream, kNoStream, drafts, Context("user-alice", "k1")));
  auto read = log().ReadStream(stream, 1, 100);

  ASSERT_OK(appended);
  ASSERT_OK(read);
  ASSERT_EQ(appended.value().events.size(), 2u);
  ASSERT_EQ(read.value().size(), 2u);
  EXPECT_FALSE(appended.value().deduplicated);
  for (std::size_t i = 0; i < 2; ++i) {
    const CommittedEvent& committed = appended.value().events[i];
    const RecordedEvent& recorded = read.value()[i];
    ASSERT_OK(VerifyEnvelope(recorded.bytes));
    EnvelopeFields f = DecodeEnvelope(*recorded.envelope());
    EXPECT_EQ(committed.event_id, drafts[i].event_id);
    EXPECT_EQ(committed.stream_id, stream);
    EXPECT_EQ(committed.version, i + 1);
    EXPECT_EQ(committed.position, (Position{0, i + 1}));
    EXPECT_EQ(recorded.position, committed.position);
    EXPECT_EQ(f.event_id, drafts[i].event_id);
    EXPECT_EQ(f.stream_id, stream);
    EXPECT_EQ(f.stream_version, i + 1);
    EXPECT_EQ(f.event_type, drafts[i].type);
    EXPECT_EQ(f.schema_version, drafts[i].schema_version);
    EXPECT_EQ(f.occurred_at, drafts[i].occurred_at);
    EXPECT_EQ(f.recorded_at, kTestEpoch + 77);
    EXPECT_EQ(f.source_recorded_at, drafts[i].source_recorded_at);
    EXPECT_EQ(f.actor.user_id, "user-alice");
    EXPECT_EQ(f.actor.organisation_id, "org-test");
    EXPECT_EQ(f.actor.team_id, "team-test");
    EXPECT_EQ(f.purpose, "unit test");
    EXPECT_EQ(f.correlation_id, testing::TestUuid(0xc0));
    EXPECT_EQ(f.causation_id, testing::TestUuid(0xca));
    EXPECT_EQ(f.idempotency_key, "k1");
    EXPECT_EQ(f.payload, drafts[i].payload);
    EXPECT_TRUE(HashMatches(*recorded.envelope()));
  }
}

TEST_F(EmbeddedLogTest, VersionsAndOffsetsRunFromOneWithoutGaps) {
  const std::string a = StreamId("stream", 1);
  const std::string b = StreamId("stream", 2);

  AppendEvents(a, kNoStream, 2);
  AppendEvents(b, kNoStream, 1);
  AppendEvents(a, 2, 3);
  AppendEvents(b, 1, 1);

  auto read_a = log().ReadStream(a, 1, 100);
  auto read_b = log().ReadStream(b, 1, 100);
  ASSERT_OK(read_a);
  ASSERT_OK(read_b);
  std::vector<std::uint64_t> offsets_a, offsets_b;
  for (std::size_t i = 0; i < read_a.value().size(); ++i) {
    EXPECT_EQ(read_a.value()[i].envelope()->stream_version(), i + 1);
    offsets_a.push_back(read_a.value()[i].position.offset);
  }
  for (std::size_t i = 0; i < read_b.value().size(); ++i) {
    EXPECT_EQ(read_b.value()[i].envelope()->stream_version(), i + 1);
    offsets_b.push_back(read_b.value()[i].position.offset);
  }
  EXPECT_EQ(offsets_a, (std::vector<std::uint64_t>{1, 2, 4, 5, 6}));
  EXPECT_EQ(offsets_b, (std::vector<std::uint64_t>{3, 7}));
  EXPECT_EQ(EndOffset(), 7u);
  EXPECT_EQ(log().Head(a).value().version, 5u);
  EXPECT_EQ(log().Head(a).value().position, (Position{0, 6}));
  EXPECT_EQ(log().Head(b).value().version, 2u);
}

TEST_F(EmbeddedLogTest, EachEventsPrevHashIsTheHashOfTheOneBefore) {
  const std::string stream = StreamId("stream", 1);
  AppendEvents(stream, kNoStream, 3);
  AppendEvents(stream, 3, 2);

  auto read = log().ReadStream(stream, 1, 100);
  auto head = log().Head(stream);

  ASSERT_OK(read);
  ASSERT_OK(head);
  ASSERT_EQ(read.value().size(), 5u);
  Hash previous{};
  for (const RecordedEvent& e : read.value()) {
    EnvelopeFields f = DecodeEnvelope(*e.envelope());
    EXPECT_EQ(f.prev_hash, previous) << "version " << f.stream_version;
    EXPECT_TRUE(HashMatches(*e.envelope())) << "version " << f.stream_version;
    previous = f.hash;
  }
  EXPECT_EQ(head.value().hash, std::string(previous.begin(), previous.end()));
  EXPECT_EQ(head.value().version, 5u);
}

TEST_F(EmbeddedLogTest, AHeadOfAMissingStreamIsVersionZero) {
  auto head = log().Head(StreamId("stream", 404));

  ASSERT_OK(head);
  EXPECT_EQ(head.value().version, 0u);
  EXPECT_TRUE(head.value().hash.empty());
}

TEST_F(EmbeddedLogTest, AStaleExpectedVersionConflictsWithTheCurrentVersion) {
  const std::string stream = StreamId("stream", 1);
  AppendEvents(stream, kNoStream, 2);

  auto stale = log().Append(
      OneStream(stream, 1, {Draft(EventType::CaseReopened, testing::MakeCaseReopened())}));
  auto ahead = log().Append(
      OneStream(stream, 5, {Draft(EventType::CaseReopened, testing::MakeCaseReopened())}));

  ASSERT_ERROR_CODE(stale, Code::kVersionConflict);
  EXPECT_EQ(stale.error().current_version, 2u);
  ASSERT_ERROR_CODE(ahead, Code::kVersionConflict);
  EXPECT_EQ(ahead.error().current_version, 2u);
  EXPECT_EQ(log().Head(stream).value().version, 2u);
  EXPECT_EQ(EndOffset(), 2u);
}

TEST_F(EmbeddedLogTest, NoStreamOnAnExistingStreamConflicts) {
  const std::string stream = StreamId("stream", 1);
  AppendEvents(stream, kNoStream, 1);

  auto again = log().Append(
      OneStream(stream, kNoStream, {Draft(EventType::CaseReopened, testing::MakeCaseReopened())}));

  ASSERT_ERROR_CODE(again, Code::kVersionConflict);
  EXPECT_EQ(again.error().current_version, 1u);
  EXPECT_EQ(EndOffset(), 1u);
}

TEST_F(EmbeddedLogTest, AnyVersionAppendsWhateverTheHead) {
  const std::string stream = StreamId("stream", 1);

  AppendResult first = AppendEvents(stream, kAnyVersion, 1);
  AppendResult second = AppendEvents(stream, kAnyVersion, 2);

  ASSERT_EQ(second.events.size(), 2u);
  EXPECT_EQ(first.events[0].version, 1u);
  EXPECT_EQ(second.events[1].version, 3u);
  EXPECT_EQ(second.last_position(), (Position{0, 3}));
}

TEST_F(EmbeddedLogTest, AMultiStreamAppendCommitsEveryStreamWithContiguousOffsets) {
  AppendRequest request =
      OneStream(StreamId("incident", 1), kNoStream,
                {Draft(EventType::IncidentReported, testing::MakeIncidentReported())});
  request.streams.push_back({StreamId("person", 1),
                             kNoStream,
                             {Draft(EventType::PersonRecorded, testing::MakePersonRecorded()),
                              Draft(EventType::PersonCorrected, testing::MakePersonCorrected())}});

  auto result = log().Append(request);

  ASSERT_OK(result);
  ASSERT_EQ(result.value().events.size(), 3u);
  EXPECT_EQ(result.value().events[0].stream_id, StreamId("incident", 1));
  EXPECT_EQ(result.value().events[1].stream_id, StreamId("person", 1));
  EXPECT_EQ(result.value().events[2].version, 2u);
  EXPECT_EQ(result.value().events[2].position, (Position{0, 3}));
  EXPECT_EQ(log().Head(StreamId("person", 1)).value().version, 2u);
  EXPECT_EQ(EndOffset(), 3u);
}

TEST_F(EmbeddedLogTest, AMultiStreamAppendWithOneConflictAppendsNothing) {
  const std::string existing = StreamId("stream", 1);
  const std::string fresh = StreamId("stream", 2);
  AppendEvents(existing, kNoStream, 1);
  auto make = [&](bool conflicting_first) {
    StreamAppend bad{
        existing, kNoStream, {Draft(EventType::CaseReopened, testing::MakeCaseReopened())}};
    StreamAppend good{fresh, kNoStream, {Draft(EventType::CaseOpened, testing::MakeCaseOpened())}};
    AppendRequest request;
    request.context = Context();
    request.streams = conflicting_first ? std::vector{bad, good} : std::vector{good, bad};
    return request;
  };

  auto conflict_last = log().Append(make(false));
  auto conflict_first = log().Append(make(true));

  ASSERT_ERROR_CODE(conflict_last, Code::kVersionConflict);
  EXPECT_EQ(conflict_last.error().current_version, 1u);
  EXPECT_ERROR_CODE(conflict_first, Code::kVersionConflict);
  EXPECT_EQ(log().Head(fresh).value().version, 0u);
  EXPECT_EQ(log().Head(existing).value().version, 1u);
  EXPECT_EQ(log().ReadStream(fresh, 1, 10).value().size(), 0u);
  EXPECT_EQ(EndOffset(), 1u);
}

TEST_F(EmbeddedLogTest, RecordedAtFollowsTheClockButNeverGoesBack) {
  const std::string stream = StreamId("stream", 1);
  node_->clock().Set(kTestEpoch + 1000);
  AppendEvents(stream, kAnyVersion, 1);
  node_->clock().Set(kTestEpoch + 10);  // the clock steps back
  AppendEvents(stream, kAnyVersion, 1);
  node_->clock().Set(kTestEpoch + 5000);
  AppendEvents(stream, kAnyVersion, 1);

  auto read = log().ReadStream(stream, 1, 10);

  ASSERT_OK(read);
  ASSERT_EQ(read.value().size(), 3u);
  EXPECT_EQ(read.value()[0].envelope()->recorded_at(), kTestEpoch + 1000);
  EXPECT_EQ(read.value()[1].envelope()->recorded_at(), kTestEpoch + 1000);
  EXPECT_EQ(read.value()[2].envelope()->recorded_at(), kTestEpoch + 5000);
}

TEST_F(EmbeddedLogTest, TheEmbeddedLogHasOnePartition) {
  EXPECT_EQ(log().partition_count(), 1u);
  EXPECT_EQ(log().PartitionOf(StreamId("stream", 1)), 0u);
  EXPECT_ERROR_CODE(log().EndOffset(1), Code::kNotFound);
  EXPECT_ERROR_CODE(log().OpenReader(1, 0), Code::kNotFound);
  EXPECT_EQ(EndOffset(), 0u);
}

TEST(EmbeddedLogLimitsTest, AFullQueueRefusesAppendsAsUnavailable) {
  testing::TempDir dir;
  EmbeddedLogOptions options;
  options.max_queued_requests = 0;
  auto node = testing::TestLedger::Open(dir.Path("db"), kTestEpoch, options);
  ASSERT_NE(node, nullptr);

  auto result =
      node->log().Append(OneStream(StreamId("stream", 1), kNoStream,
                                   {Draft(EventType::CaseReopened, testing::MakeCaseReopened())}));

  EXPECT_ERROR_CODE(result, Code::kUnavailable);
  EXPECT_EQ(node->log().EndOffset(0).value(), 0u);
}

}  // namespace
}  // namespace caseledger::ledger
