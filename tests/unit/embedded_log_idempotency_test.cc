// Idempotent appends (docs/design.md decision 4): a retry with the same key and content answers as
// the first attempt did and appends nothing; keys are scoped per user.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ledger/embedded_log.h"
#include "support/appends.h"
#include "support/event_builders.h"
#include "support/result_assertions.h"
#include "support/temp_dir.h"
#include "support/test_ledger.h"
#include "support/writer_gate.h"

namespace caseledger::ledger {
namespace {

using testing::AppendFuture;
using testing::Context;
using testing::Draft;
using testing::OneStream;
using testing::StreamId;

// A command as a client would retry it: same content, fresh event ids each attempt.
AppendRequest OpenCase(const std::string& user, const std::string& key, std::string title = "T",
                       std::uint64_t expected = kNoStream) {
  return OneStream(StreamId("case", 1), expected,
                   {Draft(EventType::CaseOpened, testing::MakeCaseOpened({.title = title})),
                    Draft(EventType::TaskCreated, testing::MakeTaskCreated())},
                   Context(user, key));
}

void ExpectSameEvents(const AppendResult& a, const AppendResult& b) {
  ASSERT_EQ(a.events.size(), b.events.size());
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    EXPECT_EQ(a.events[i].event_id, b.events[i].event_id) << i;
    EXPECT_EQ(a.events[i].stream_id, b.events[i].stream_id) << i;
    EXPECT_EQ(a.events[i].version, b.events[i].version) << i;
    EXPECT_EQ(a.events[i].position, b.events[i].position) << i;
  }
}

// A fresh ledger whose log is opened with `options`.
class LogTest : public ::testing::Test {
 protected:
  explicit LogTest(EmbeddedLogOptions options) : options_(options) {}

  void SetUp() override {
    node_ = testing::TestLedger::Open(dir_.Path("db"), testing::kTestEpoch, options_);
    ASSERT_NE(node_, nullptr);
  }

  EventLog& log() { return node_->log(); }
  std::uint64_t EndOffset() { return log().EndOffset(0).value(); }

  EmbeddedLogOptions options_;
  testing::TempDir dir_;
  std::unique_ptr<testing::TestLedger> node_;
};

// Depth 0: appends made while a WriterGate holds the log form one group.
class EmbeddedLogIdempotencyTest : public LogTest {
 protected:
  EmbeddedLogIdempotencyTest() : LogTest({.pipeline_depth = 0}) {}
};

TEST_F(EmbeddedLogIdempotencyTest, ARetryReturnsTheFirstResultAndAppendsNothing) {
  auto first = log().Append(OpenCase("user-alice", "key-1"));
  ASSERT_OK(first);

  auto retry = log().Append(OpenCase("user-alice", "key-1"));

  ASSERT_OK(retry);
  EXPECT_FALSE(first.value().deduplicated);
  EXPECT_TRUE(retry.value().deduplicated);
  ExpectSameEvents(retry.value(), first.value());
  EXPECT_EQ(EndOffset(), 2u);
  EXPECT_EQ(log().Head(StreamId("case", 1)).value().version, 2u);
}

TEST_F(EmbeddedLogIdempotencyTest, ARetryAfterTheStreamMovedOnStillAnswersAsTheFirstTime) {
  auto first = log().Append(OpenCase("user-alice", "key-1"));
  ASSERT_OK(first);
  ASSERT_OK(log().Append(OneStream(StreamId("case", 1), 2,
                                   {Draft(EventType::CaseClosed, testing::MakeCaseClosed())})));

  auto retry = log().Append(OpenCase("user-alice", "key-1"));  // kNoStream is stale by now

  ASSERT_OK(retry);
  EXPECT_TRUE(retry.value().deduplicated);
  ExpectSameEvents(retry.value(), first.value());
  EXPECT_EQ(EndOffset(), 3u);
}

TEST_F(EmbeddedLogIdempotencyTest, TheSameKeyForDifferentContentIsAMismatch) {
  ASSERT_OK(log().Append(OpenCase("user-alice", "key-1", "first title")));

  auto reused = log().Append(OpenCase("user-alice", "key-1", "another title", 2));

  EXPECT_ERROR_CODE(reused, Code::kIdempotencyMismatch);
  EXPECT_EQ(EndOffset(), 2u);
}

TEST_F(EmbeddedLogIdempotencyTest, AKeyReusedWithOtherSourceTimesOrSchemaIsAMismatch) {
  ASSERT_OK(log().Append(OpenCase("user-alice", "key-1")));
  AppendRequest other_source_time = OpenCase("user-alice", "key-1");
  other_source_time.streams[0].events[0].source_recorded_at = testing::kTestEpoch - 1000;
  AppendRequest other_schema = OpenCase("user-alice", "key-1");
  other_schema.streams[0].events[1].schema_version = 2;

  auto source_time = log().Append(other_source_time);
  auto schema = log().Append(other_schema);

  EXPECT_ERROR_CODE(source_time, Code::kIdempotencyMismatch);
  EXPECT_ERROR_CODE(schema, Code::kIdempotencyMismatch);
}

TEST_F(EmbeddedLogIdempotencyTest, AnExplicitCommandFingerprintDecidesWhatCountsAsTheSame) {
  AppendRequest first = OpenCase("user-alice", "key-1", "title A");
  first.command_fingerprint = "POST /cases {A}";
  ASSERT_OK(log().Append(first));
  AppendRequest same_command = OpenCase("user-alice", "key-1", "title B");  // content differs
  same_command.command_fingerprint = "POST /cases {A}";
  AppendRequest other_command = OpenCase("user-alice", "key-1", "title A");
  other_command.command_fingerprint = "POST /cases {B}";

  auto same = log().Append(same_command);
  auto other = log().Append(other_command);

  ASSERT_OK(same);
  EXPECT_TRUE(same.value().deduplicated);
  EXPECT_ERROR_CODE(other, Code::kIdempotencyMismatch);
  EXPECT_EQ(EndOffset(), 2u);
}

TEST_F(EmbeddedLogIdempotencyTest, KeysAreScopedToTheUser) {
  ASSERT_OK(log().Append(OpenCase("user-alice", "key-1")));
  AppendRequest bobs = OneStream(StreamId("case", 2), kNoStream,
                                 {Draft(EventType::CaseOpened, testing::MakeCaseOpened())},
                                 Context("user-bob", "key-1"));

  auto result = log().Append(bobs);

  ASSERT_OK(result);
  EXPECT_FALSE(result.value().deduplicated);
  EXPECT_EQ(result.value().events[0].stream_id, StreamId("case", 2));
  EXPECT_EQ(EndOffset(), 3u);
}

TEST_F(EmbeddedLogIdempotencyTest, FindIdempotentReturnsTheStoredAnswer) {
  AppendRequest request = OpenCase("user-alice", "key-1");
  request.command_fingerprint = "fp-1";
  auto first = log().Append(request);
  ASSERT_OK(first);

  auto found = log().FindIdempotent("user-alice", "key-1");
  auto other_user = log().FindIdempotent("user-bob", "key-1");
  auto other_key = log().FindIdempotent("user-alice", "key-2");

  ASSERT_OK(found);
  ASSERT_TRUE(found.value().has_value());
  EXPECT_EQ(found.value()->fingerprint, "fp-1");
  ExpectSameEvents(found.value()->result, first.value());
  ASSERT_OK(other_user);
  EXPECT_FALSE(other_user.value().has_value());
  ASSERT_OK(other_key);
  EXPECT_FALSE(other_key.value().has_value());
}

TEST_F(EmbeddedLogIdempotencyTest, ARefusedAppendDoesNotUseUpItsKey) {
  const std::string stream = StreamId("stream", 1);
  auto keyed_note = [&](std::uint64_t expected) {
    return OneStream(stream, expected, {Draft(EventType::NoteAdded, testing::MakeNoteAdded())},
                     testing::Context("user-alice", "key-1"));
  };
  ASSERT_OK(log().Append(
      OneStream(stream, kNoStream, {Draft(EventType::NoteAdded, testing::MakeNoteAdded())})));
  ASSERT_ERROR_CODE(log().Append(keyed_note(7)), Code::kVersionConflict);

  auto corrected = log().Append(keyed_note(1));

  ASSERT_OK(corrected);
  EXPECT_FALSE(corrected.value().deduplicated);
  EXPECT_EQ(corrected.value().events[0].version, 2u);
}

TEST_F(EmbeddedLogIdempotencyTest, TwoAppendsWithOneKeyInOneGroupAppendOnlyOnce) {
  testing::WriterGate gate(log());
  std::uint64_t before = EndOffset();
  auto first = AppendFuture(log(), OpenCase("user-alice", "key-1"));
  auto second = AppendFuture(log(), OpenCase("user-alice", "key-1"));

  gate.Release();
  auto a = first.get();
  auto b = second.get();

  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_FALSE(a.value().deduplicated);
  EXPECT_TRUE(b.value().deduplicated);
  EXPECT_EQ(EndOffset(), before + 2);
  EXPECT_EQ(log().Head(StreamId("case", 1)).value().version, 2u);
}

TEST_F(EmbeddedLogIdempotencyTest, ADuplicateInTheSameGroupGetsTheFirstAppendsEvents) {
  testing::WriterGate gate(log());
  auto first = AppendFuture(log(), OpenCase("user-alice", "key-1"));
  auto second = AppendFuture(log(), OpenCase("user-alice", "key-1"));

  gate.Release();
  auto a = first.get();
  auto b = second.get();

  ASSERT_OK(a);
  ASSERT_OK(b);
  ExpectSameEvents(b.value(), a.value());
  EXPECT_EQ(b.value().last_position(), a.value().last_position());
}

TEST_F(EmbeddedLogIdempotencyTest, AKeyReusedForOtherContentInOneGroupIsAMismatch) {
  testing::WriterGate gate(log());
  std::uint64_t before = EndOffset();
  auto first = AppendFuture(log(), OpenCase("user-alice", "key-1", "A"));
  auto second = AppendFuture(log(), OpenCase("user-alice", "key-1", "B", kAnyVersion));

  gate.Release();
  auto a = first.get();
  auto b = second.get();

  ASSERT_OK(a);
  EXPECT_ERROR_CODE(b, Code::kIdempotencyMismatch);
  EXPECT_EQ(EndOffset(), before + 2);
}

TEST_F(EmbeddedLogIdempotencyTest, AppendsToOneStreamInOneGroupSeeEachOthersVersions) {
  testing::WriterGate gate(log());
  auto first = AppendFuture(log(), OpenCase("user-alice", ""));
  auto second = AppendFuture(
      log(),
      OneStream(StreamId("case", 1), 2, {Draft(EventType::CaseClosed, testing::MakeCaseClosed())}));
  auto stale =
      AppendFuture(log(), OneStream(StreamId("case", 1), 2,
                                    {Draft(EventType::CaseReopened, testing::MakeCaseReopened())}));

  gate.Release();
  auto a = first.get();
  auto b = second.get();
  auto c = stale.get();

  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_EQ(b.value().events[0].version, 3u);
  ASSERT_ERROR_CODE(c, Code::kVersionConflict);
  EXPECT_EQ(c.error().current_version, 3u);
  auto read = log().ReadStream(StreamId("case", 1), 1, 10);
  ASSERT_OK(read);
  EXPECT_EQ(read.value().size(), 3u);
}

// Each append its own group, and up to two groups checked while the gate holds the committer:
// the second append of each test is checked before the first is written, so it must see the
// first through the pipeline's overlay of pending heads and idempotency records.
class EmbeddedLogPipelineTest : public LogTest {
 protected:
  EmbeddedLogPipelineTest() : LogTest({.max_group_requests = 1, .pipeline_depth = 2}) {}
};

TEST_F(EmbeddedLogPipelineTest, ARetryCheckedBeforeTheFirstIsWrittenAppendsNothing) {
  testing::WriterGate gate(log());
  std::uint64_t before = EndOffset();
  auto first = AppendFuture(log(), OpenCase("user-alice", "key-1"));
  auto retry = AppendFuture(log(), OpenCase("user-alice", "key-1"));

  gate.Release();
  auto a = first.get();
  auto b = retry.get();

  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_FALSE(a.value().deduplicated);
  EXPECT_TRUE(b.value().deduplicated);
  ExpectSameEvents(b.value(), a.value());
  EXPECT_EQ(EndOffset(), before + 2);
  EXPECT_EQ(log().Head(StreamId("case", 1)).value().version, 2u);
}

TEST_F(EmbeddedLogPipelineTest, AnAppendCheckedBeforeTheLastIsWrittenSeesItsVersion) {
  testing::WriterGate gate(log());
  auto first = AppendFuture(log(), OpenCase("user-alice", ""));
  auto next = AppendFuture(
      log(),
      OneStream(StreamId("case", 1), 2, {Draft(EventType::CaseClosed, testing::MakeCaseClosed())}));
  auto stale =
      AppendFuture(log(), OneStream(StreamId("case", 1), 2,
                                    {Draft(EventType::CaseReopened, testing::MakeCaseReopened())}));

  gate.Release();
  auto a = first.get();
  auto b = next.get();
  auto c = stale.get();

  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_EQ(b.value().events[0].version, 3u);
  EXPECT_EQ(b.value().events[0].position.offset, a.value().last_position().offset + 1);
  ASSERT_ERROR_CODE(c, Code::kVersionConflict);
  EXPECT_EQ(c.error().current_version, 3u);
  // The chain runs through the pipelined groups: each event's hash links to the one before.
  auto events = log().ReadStream(StreamId("case", 1), 1, 10);
  ASSERT_OK(events);
  ASSERT_EQ(events.value().size(), 3u);
  EXPECT_EQ(log().Head(StreamId("case", 1)).value().version, 3u);
}

TEST_F(EmbeddedLogPipelineTest, AKeyReusedForOtherContentBeforeTheFirstIsWrittenIsAMismatch) {
  testing::WriterGate gate(log());
  std::uint64_t before = EndOffset();
  auto first = AppendFuture(log(), OpenCase("user-alice", "key-1", "A"));
  auto other = AppendFuture(log(), OpenCase("user-alice", "key-1", "B", kAnyVersion));

  gate.Release();
  auto a = first.get();
  auto b = other.get();

  ASSERT_OK(a);
  EXPECT_ERROR_CODE(b, Code::kIdempotencyMismatch);
  EXPECT_EQ(EndOffset(), before + 2);
}

}  // namespace
}  // namespace caseledger::ledger
