// Reading the embedded log: LogReader cursors in offset order, waiting for appends, and
// ReadStream windows (ledger/event_log.h).
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>
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

using namespace std::chrono_literals;
using testing::Draft;
using testing::OneStream;
using testing::StreamId;

class EmbeddedReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    node_ = testing::TestLedger::Open(dir_.Path("db"));
    ASSERT_NE(node_, nullptr);
  }

  EventLog& log() { return node_->log(); }

  // Appends one event per entry of `streams`, in order; returns their event ids.
  std::vector<Uuid> AppendOneEach(const std::vector<std::string>& streams) {
    std::vector<Uuid> ids;
    for (const auto& stream : streams) {
      EventDraft draft = Draft(EventType::NoteAdded, testing::MakeNoteAdded());
      ids.push_back(draft.event_id);
      auto result = log().Append(OneStream(stream, kAnyVersion, {draft}));
      EXPECT_TRUE(result) << testing::Describe(result);
    }
    return ids;
  }

  std::unique_ptr<LogReader> Reader(std::uint64_t after) {
    auto reader = log().OpenReader(0, after);
    EXPECT_TRUE(reader) << testing::Describe(reader);
    return reader ? std::move(reader).value() : nullptr;
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::TestLedger> node_;
};

TEST_F(EmbeddedReaderTest, AReaderReturnsEveryEventInOffsetOrder) {
  std::vector<Uuid> ids =
      AppendOneEach({StreamId("case", 1), StreamId("case", 2), StreamId("case", 1),
                     StreamId("person", 3), StreamId("case", 2)});
  auto reader = Reader(0);
  ASSERT_NE(reader, nullptr);
  std::vector<RecordedEvent> events;

  auto read = reader->Read(events, 100, 0ms);

  ASSERT_OK(read);
  ASSERT_EQ(read.value(), 5u);
  ASSERT_EQ(events.size(), 5u);
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].position, (Position{0, i + 1}));
    ASSERT_OK(VerifyEnvelope(events[i].bytes));
    EXPECT_EQ(DecodeEnvelope(*events[i].envelope()).event_id, ids[i]);
  }
}

TEST_F(EmbeddedReaderTest, ReadRespectsMaxAndAppendsToTheOutputAcrossCalls) {
  AppendOneEach(std::vector<std::string>(7, StreamId("case", 1)));
  auto reader = Reader(0);
  ASSERT_NE(reader, nullptr);
  std::vector<RecordedEvent> events;

  auto first = reader->Read(events, 3, 0ms);
  auto second = reader->Read(events, 3, 0ms);
  auto third = reader->Read(events, 3, 0ms);
  auto none = reader->Read(events, 3, 0ms);

  EXPECT_EQ(first.value(), 3u);
  EXPECT_EQ(second.value(), 3u);
  EXPECT_EQ(third.value(), 1u);
  EXPECT_EQ(none.value(), 0u);
  ASSERT_EQ(events.size(), 7u);
  for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].position.offset, i + 1);
}

TEST_F(EmbeddedReaderTest, AReaderStartsAfterTheGivenOffset) {
  AppendOneEach(std::vector<std::string>(6, StreamId("case", 1)));
  auto reader = Reader(4);
  ASSERT_NE(reader, nullptr);
  std::vector<RecordedEvent> events;

  auto read = reader->Read(events, 100, 0ms);

  ASSERT_OK(read);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].position.offset, 5u);
  EXPECT_EQ(events[0].envelope()->stream_version(), 5u);
  EXPECT_EQ(events[1].position.offset, 6u);
}

TEST_F(EmbeddedReaderTest, ReadTimesOutWithZeroWhenNothingIsNew) {
  AppendOneEach({StreamId("case", 1)});
  auto reader = Reader(1);
  ASSERT_NE(reader, nullptr);
  std::vector<RecordedEvent> events;

  auto immediate = reader->Read(events, 10, 0ms);
  auto waited = reader->Read(events, 10, 20ms);
  auto zero_max = Reader(0)->Read(events, 0, 1000ms);

  EXPECT_EQ(immediate.value(), 0u);
  EXPECT_EQ(waited.value(), 0u);
  EXPECT_EQ(zero_max.value(), 0u);
  EXPECT_TRUE(events.empty());
}

TEST_F(EmbeddedReaderTest, AWaitingReaderWakesForANewAppend) {
  auto reader = Reader(0);
  ASSERT_NE(reader, nullptr);
  std::vector<RecordedEvent> events;
  std::promise<void> started;
  auto read = std::async(std::launch::async, [&] {
    started.set_value();
    return reader->Read(events, 10, 60s);
  });
  started.get_future().wait();
  std::this_thread::sleep_for(10ms);  // most likely waiting by now; correct either way

  std::vector<Uuid> ids = AppendOneEach({StreamId("case", 1)});
  auto result = read.get();

  ASSERT_OK(result);
  ASSERT_EQ(result.value(), 1u);
  EXPECT_EQ(DecodeEnvelope(*events[0].envelope()).event_id, ids[0]);
}

TEST_F(EmbeddedReaderTest, ReadStreamReturnsAWindowOfVersions) {
  const std::string stream = StreamId("case", 1);
  AppendOneEach(std::vector<std::string>(10, stream));

  auto middle = log().ReadStream(stream, 4, 3);
  auto from_zero = log().ReadStream(stream, 0, 2);
  auto tail = log().ReadStream(stream, 9, 100);
  auto past_end = log().ReadStream(stream, 11, 100);
  auto none = log().ReadStream(stream, 1, 0);

  ASSERT_OK(middle);
  ASSERT_EQ(middle.value().size(), 3u);
  EXPECT_EQ(middle.value()[0].envelope()->stream_version(), 4u);
  EXPECT_EQ(middle.value()[2].envelope()->stream_version(), 6u);
  EXPECT_EQ(middle.value()[2].position.offset, 6u);
  ASSERT_EQ(from_zero.value().size(), 2u);
  EXPECT_EQ(from_zero.value()[0].envelope()->stream_version(), 1u);
  EXPECT_EQ(tail.value().size(), 2u);
  EXPECT_TRUE(past_end.value().empty());
  EXPECT_TRUE(none.value().empty());
}

TEST_F(EmbeddedReaderTest, ReadStreamNeverMixesInAStreamWhoseIdExtendsIt) {
  AppendOneEach({"case-1", "case-10", "case-1", "case-1.x", "case-10"});

  auto short_id = log().ReadStream("case-1", 1, 100);
  auto long_id = log().ReadStream("case-10", 1, 100);
  auto missing = log().ReadStream("case-", 1, 100);

  ASSERT_OK(short_id);
  ASSERT_EQ(short_id.value().size(), 2u);
  for (const auto& e : short_id.value()) EXPECT_EQ(e.envelope()->stream_id()->str(), "case-1");
  ASSERT_EQ(long_id.value().size(), 2u);
  for (const auto& e : long_id.value()) EXPECT_EQ(e.envelope()->stream_id()->str(), "case-10");
  EXPECT_TRUE(missing.value().empty());
}

}  // namespace
}  // namespace caseledger::ledger
