// Closing and reopening the Store and its embedded log: heads, the end offset, the hash chain,
// idempotency records and the recorded_at floor all survive.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "ledger/embedded_log.h"
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
using testing::TestLedger;

AppendRequest Note(const std::string& stream, std::uint64_t expected, std::string key = "") {
  return OneStream(stream, expected, {Draft(EventType::NoteAdded, testing::MakeNoteAdded())},
                   Context("user-alice", std::move(key)));
}

TEST(EmbeddedLogReopenTest, HeadsEndOffsetAndIdempotencySurviveAReopen) {
  testing::TempDir dir;
  auto node = TestLedger::Open(dir.Path("db"), kTestEpoch + 5000);
  ASSERT_NE(node, nullptr);
  ASSERT_OK(node->log().Append(Note(StreamId("stream", 1), kNoStream)));
  ASSERT_OK(node->log().Append(Note(StreamId("stream", 2), kNoStream)));
  auto keyed = node->log().Append(Note(StreamId("stream", 1), 1, "key-1"));
  ASSERT_OK(keyed);
  StreamHead head1 = node->log().Head(StreamId("stream", 1)).value();
  StreamHead head2 = node->log().Head(StreamId("stream", 2)).value();

  node.reset();
  node = TestLedger::Open(dir.Path("db"), kTestEpoch);  // a clock behind the last recorded_at
  ASSERT_NE(node, nullptr);

  EXPECT_EQ(node->log().EndOffset(0).value(), 3u);
  StreamHead reopened1 = node->log().Head(StreamId("stream", 1)).value();
  EXPECT_EQ(reopened1.version, head1.version);
  EXPECT_EQ(reopened1.hash, head1.hash);
  EXPECT_EQ(reopened1.position, head1.position);
  EXPECT_EQ(node->log().Head(StreamId("stream", 2)).value().hash, head2.hash);
  auto found = node->log().FindIdempotent("user-alice", "key-1");
  ASSERT_OK(found);
  ASSERT_TRUE(found.value().has_value());
  auto retry = node->log().Append(Note(StreamId("stream", 1), 1, "key-1"));
  ASSERT_OK(retry);
  EXPECT_TRUE(retry.value().deduplicated);
  EXPECT_EQ(retry.value().events[0].event_id, keyed.value().events[0].event_id);
  EXPECT_EQ(node->log().EndOffset(0).value(), 3u);
}

TEST(EmbeddedLogReopenTest, AppendsAfterAReopenContinueTheOffsetsVersionsAndChain) {
  testing::TempDir dir;
  auto node = TestLedger::Open(dir.Path("db"), kTestEpoch + 5000);
  ASSERT_NE(node, nullptr);
  ASSERT_OK(node->log().Append(Note(StreamId("stream", 1), kNoStream)));
  ASSERT_OK(node->log().Append(Note(StreamId("stream", 1), 1)));
  node.reset();
  node = TestLedger::Open(dir.Path("db"), kTestEpoch);
  ASSERT_NE(node, nullptr);

  auto appended = node->log().Append(Note(StreamId("stream", 1), 2));

  ASSERT_OK(appended);
  EXPECT_EQ(appended.value().events[0].version, 3u);
  EXPECT_EQ(appended.value().events[0].position, (Position{0, 3}));
  auto read = node->log().ReadStream(StreamId("stream", 1), 1, 10);
  ASSERT_OK(read);
  ASSERT_EQ(read.value().size(), 3u);
  EnvelopeFields second = DecodeEnvelope(*read.value()[1].envelope());
  EnvelopeFields third = DecodeEnvelope(*read.value()[2].envelope());
  EXPECT_EQ(third.prev_hash, second.hash);
  EXPECT_TRUE(HashMatches(*read.value()[2].envelope()));
  EXPECT_EQ(third.recorded_at, kTestEpoch + 5000);  // never earlier than before the reopen
}

TEST(EmbeddedLogReopenTest, AReaderAfterAReopenReadsTheWholeLog) {
  testing::TempDir dir;
  auto node = TestLedger::Open(dir.Path("db"));
  ASSERT_NE(node, nullptr);
  for (int i = 0; i < 20; ++i) {
    ASSERT_OK(node->log().Append(Note(StreamId("stream", i % 3), kAnyVersion)));
  }
  node.reset();
  node = TestLedger::Open(dir.Path("db"));
  ASSERT_NE(node, nullptr);
  auto reader = node->log().OpenReader(0, 0);
  ASSERT_OK(reader);
  std::vector<RecordedEvent> events;

  auto read = reader.value()->Read(events, 100, std::chrono::milliseconds(0));

  ASSERT_OK(read);
  ASSERT_EQ(events.size(), 20u);
  for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].position.offset, i + 1);
}

TEST(EmbeddedLogReopenTest, ASecondStoreOnTheSameDirectoryIsRefused) {
  testing::TempDir dir;
  auto node = TestLedger::Open(dir.Path("db"));
  ASSERT_NE(node, nullptr);
  StoreOptions options;
  options.path = dir.Path("db");

  auto second = Store::Open(options);

  EXPECT_ERROR_CODE(second, Code::kIOError);
}

}  // namespace
}  // namespace caseledger::ledger
