// VerifyLog, VerifyEvents, ChainChecker and ReplayStream over a real embedded log: a clean log
// verifies, and each kind of tampering done directly through RocksDB is reported at exactly the
// first bad event with the rule it broke.
#include "ledger/verify.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <memory>
#include <string>
#include <vector>

#include "ledger/embedded_log.h"
#include "ledger/envelope.h"
#include "ledger/rocksdb_util.h"
#include "ledger/store.h"
#include "support/result_assertions.h"
#include "support/temp_dir.h"

namespace caseledger::ledger {
namespace {

constexpr Micros kStart = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z
constexpr Micros kSecond = 1'000'000;
constexpr int kStreams = 150;
constexpr int kRounds = 10;
constexpr int kEventsPerRound = 2;  // per stream
constexpr std::uint64_t kEvents = kStreams * kRounds * kEventsPerRound;

std::string StreamName(int i) { return fmt::format("case-01900000-0000-7000-8000-{:012}", i); }

Uuid TestUuid(std::uint64_t n) {
  Uuid id = *Uuid::Parse("01900000-0000-7000-8000-000000000000");
  for (int i = 0; i < 6; ++i) id.bytes[15 - i] = static_cast<std::uint8_t>(n >> (8 * i));
  return id;
}

std::string TaskPayload(const std::string& title) {
  flatbuffers::FlatBufferBuilder b;
  b.Finish(schema::CreateTaskCreatedDirect(b, "task-1", title.c_str(), 0, "user-olivia"));
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

// The offset the fixture's layout gives version `version` of stream `stream`: each round appends
// two events to every stream, streams in order.
std::uint64_t OffsetOf(int stream, std::uint64_t version) {
  const std::uint64_t round = (version - 1) / kEventsPerRound;
  return round * kStreams * kEventsPerRound + stream * kEventsPerRound + 1 +
         (version - 1) % kEventsPerRound;
}

class VerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open({dir_.Path("db")});
    ASSERT_OK(store);
    store_ = std::move(store).value();
    auto log = OpenEmbeddedLog(*store_, clock_);
    ASSERT_OK(log);
    log_ = std::move(log).value();
    for (int round = 0; round < kRounds; ++round) {
      AppendRequest request;
      request.context.actor = {"user-alice", "org-leicester", "team-asb"};
      request.context.purpose = "verify test";
      request.context.correlation_id = TestUuid(1'000'000 + round);
      for (int s = 0; s < kStreams; ++s) {
        StreamAppend append{StreamName(s), std::uint64_t(round * kEventsPerRound), {}};
        for (int e = 0; e < kEventsPerRound; ++e) {
          EventDraft draft;
          draft.event_id = TestUuid(++next_event_);
          draft.type = EventType::TaskCreated;
          draft.occurred_at = clock_.NowMicros();
          draft.payload = TaskPayload(fmt::format("task {} of stream {}", e, s));
          append.events.push_back(std::move(draft));
        }
        request.streams.push_back(std::move(append));
      }
      ASSERT_OK(log_->Append(std::move(request)));
      clock_.Advance(kSecond);
    }
  }

  rocksdb::DB* db() { return store_->db(); }
  rocksdb::ColumnFamilyHandle* family(std::string_view name) { return store_->family(name); }

  std::string Get(std::string_view family_name, const std::string& key) {
    std::string value;
    EXPECT_TRUE(db()->Get(rocksdb::ReadOptions(), family(family_name), key, &value).ok()) << key;
    return value;
  }
  void Put(std::string_view family_name, const std::string& key, const std::string& value) {
    ASSERT_TRUE(db()->Put(rocksdb::WriteOptions(), family(family_name), key, value).ok());
  }
  void Delete(std::string_view family_name, const std::string& key) {
    ASSERT_TRUE(db()->Delete(rocksdb::WriteOptions(), family(family_name), key).ok());
  }

  EnvelopeFields EventAt(std::uint64_t offset) {
    std::string bytes = Get(kLogFamily, BigEndian64(offset));
    auto envelope = VerifyEnvelope(bytes);
    EXPECT_TRUE(envelope) << "offset " << offset;
    return envelope ? DecodeEnvelope(*envelope.value()) : EnvelopeFields{};
  }

  static std::string IndexKey(const std::string& stream, std::uint64_t version) {
    std::string key = stream;
    key.push_back('\0');
    AppendBigEndian64(key, version);
    return key;
  }

  // Stored form of a stream head: BE64 version, BE32 partition, BE64 offset, 32-byte hash.
  static std::string Head(std::uint64_t version, std::uint64_t offset, const Hash& hash) {
    std::string out;
    AppendBigEndian64(out, version);
    AppendBigEndian32(out, 0);
    AppendBigEndian64(out, offset);
    out.append(reinterpret_cast<const char*>(hash.data()), hash.size());
    return out;
  }

  VerifyReport Verify() {
    auto report = VerifyLog(*store_, {}, nullptr);
    EXPECT_TRUE(report) << report.error().ToString();
    return report ? report.value() : VerifyReport{};
  }

  // Checks the report names exactly this event and rule.
  void ExpectFailure(const VerifyReport& report, std::uint64_t offset, const std::string& stream,
                     std::uint64_t version, const Uuid& event_id, const std::string& rule) {
    ASSERT_FALSE(report.ok()) << "verify passed";
    const VerifyFailure& f = *report.failure;
    EXPECT_EQ(f.position.ToString(), Position({0, offset}).ToString()) << f.ToString();
    EXPECT_EQ(f.stream_id, stream) << f.ToString();
    EXPECT_EQ(f.version, version) << f.ToString();
    EXPECT_EQ(f.event_id.ToString(), event_id.ToString()) << f.ToString();
    EXPECT_EQ(f.rule, rule) << f.ToString();
  }

  testing::TempDir dir_;
  ManualClock clock_{kStart};
  std::unique_ptr<Store> store_;
  std::unique_ptr<EventLog> log_;
  std::uint64_t next_event_ = 0;
};

TEST_F(VerifyTest, CleanLogOfThreeThousandEventsVerifies) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
  VerifyOptions options;
  options.progress_interval = 1000;

  auto report = VerifyLog(*store_, options, [&](std::uint64_t done, std::uint64_t total) {
    calls.emplace_back(done, total);
  });

  ASSERT_OK(report);
  EXPECT_TRUE(report.value().ok()) << report.value().failure->ToString();
  EXPECT_EQ(report.value().events_checked, kEvents);
  EXPECT_EQ(report.value().streams, std::uint64_t{kStreams});
  EXPECT_EQ(report.value().heads_checked, std::uint64_t{kStreams});
  EXPECT_EQ(report.value().index_entries_checked, kEvents);
  EXPECT_EQ(report.value().last_position.ToString(), "0:3000");
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.front(), std::make_pair(std::uint64_t{1000}, kEvents));
  EXPECT_EQ(calls.back(), std::make_pair(kEvents, kEvents));
}

TEST_F(VerifyTest, PayloadByteChangedInPlaceFailsTheHashOfThatEvent) {
  const std::uint64_t offset = OffsetOf(42, 9);
  EnvelopeFields f = EventAt(offset);
  std::size_t at = f.payload.find("task 0 of stream 42");
  ASSERT_NE(at, std::string::npos);
  f.payload[at] = 'T';  // same length: the FlatBuffer still verifies, the stored hash is stale
  std::string tampered = EncodeEnvelope(f);
  ASSERT_OK(VerifyEnvelope(tampered));
  ASSERT_OK(VerifyPayload(f.event_type, f.payload));
  Put(kLogFamily, BigEndian64(offset), tampered);

  VerifyReport report = Verify();

  ExpectFailure(report, offset, StreamName(42), 9, f.event_id,
                "hash does not match the event's contents (ComputeEventHash)");
  EXPECT_EQ(report.events_checked, offset - 1);
}

TEST_F(VerifyTest, DeletedEventIsReportedAsAGapAtItsOffset) {
  const std::uint64_t offset = OffsetOf(42, 9);
  Delete(kLogFamily, BigEndian64(offset));

  VerifyReport report = Verify();

  ExpectFailure(report, offset, StreamName(42), 9, Uuid{},
                fmt::format("offset {} is missing: the log goes from offset {} to {}", offset,
                            offset - 1, offset + 1));
}

TEST_F(VerifyTest, SwappedEventsOfAStreamFailAtTheFirstOfThem) {
  const std::uint64_t third = OffsetOf(7, 3);
  const std::uint64_t sixth = OffsetOf(7, 6);
  const std::string a = Get(kLogFamily, BigEndian64(third));
  const std::string b = Get(kLogFamily, BigEndian64(sixth));
  Put(kLogFamily, BigEndian64(third), b);
  Put(kLogFamily, BigEndian64(sixth), a);

  VerifyReport report = Verify();

  ExpectFailure(report, third, StreamName(7), 6, EventAt(third).event_id,
                "version 6 follows version 2 of the stream");
}

TEST_F(VerifyTest, StreamHeadWithAnOlderVersionFails) {
  const std::uint64_t last = OffsetOf(99, 20);
  EnvelopeFields previous = EventAt(OffsetOf(99, 19));
  Put(kStreamsFamily, StreamName(99), Head(19, OffsetOf(99, 19), previous.hash));

  VerifyReport report = Verify();

  ExpectFailure(report, last, StreamName(99), 20, EventAt(last).event_id,
                "the stream head says version 19 but the last event is version 20");
}

TEST_F(VerifyTest, StreamHeadWithAnotherHashFails) {
  const std::uint64_t last = OffsetOf(99, 20);
  Hash other = EventAt(OffsetOf(99, 19)).hash;
  Put(kStreamsFamily, StreamName(99), Head(20, last, other));

  VerifyReport report = Verify();

  ExpectFailure(report, last, StreamName(99), 20, EventAt(last).event_id,
                "the stream head's hash does not match the hash of version 20");
}

TEST_F(VerifyTest, InsertedEventWithAWrongPrevHashFails) {
  EnvelopeFields f = EventAt(OffsetOf(7, 20));
  f.event_id = TestUuid(999'999);
  f.stream_version = 21;
  f.prev_hash = EventAt(OffsetOf(7, 19)).hash;  // not the hash of version 20
  f.hash = ComputeEventHash(f);                 // the event's own hash is right
  const std::uint64_t offset = kEvents + 1;
  Put(kLogFamily, BigEndian64(offset), EncodeEnvelope(f));
  Put(kStreamIndexFamily, IndexKey(StreamName(7), 21), BigEndian64(offset));
  Put(kStreamsFamily, StreamName(7), Head(21, offset, f.hash));

  VerifyReport report = Verify();

  ExpectFailure(report, offset, StreamName(7), 21, f.event_id,
                "prev_hash does not match the hash of version 20");
}

TEST_F(VerifyTest, TruncatedValueFailsEnvelopeVerification) {
  const std::uint64_t offset = OffsetOf(42, 9);
  std::string bytes = Get(kLogFamily, BigEndian64(offset));
  bytes.resize(bytes.size() / 2);
  Put(kLogFamily, BigEndian64(offset), bytes);

  VerifyReport report = Verify();

  ExpectFailure(report, offset, StreamName(42), 9, Uuid{},
                "envelope: FlatBuffers verification failed");
}

TEST_F(VerifyTest, OfTwoTamperedEventsTheEarlierIsReported) {
  const std::uint64_t later = OffsetOf(3, 15);
  const std::uint64_t earlier = OffsetOf(140, 4);
  Delete(kLogFamily, BigEndian64(later));
  std::string bytes = Get(kLogFamily, BigEndian64(earlier));
  bytes.resize(20);
  Put(kLogFamily, BigEndian64(earlier), bytes);

  VerifyReport report = Verify();

  ExpectFailure(report, earlier, StreamName(140), 4, Uuid{},
                "envelope: FlatBuffers verification failed");
}

TEST_F(VerifyTest, DeletedLastEventOfTheLogFailsAtItsStreamHead) {
  Delete(kLogFamily, BigEndian64(kEvents));

  VerifyReport report = Verify();

  ExpectFailure(report, OffsetOf(149, 19), StreamName(149), 19, EventAt(OffsetOf(149, 19)).event_id,
                "the stream head says version 20 but the last event is version 19");
}

TEST_F(VerifyTest, StreamWithEventsButNoHeadFails) {
  Delete(kStreamsFamily, StreamName(12));

  VerifyReport report = Verify();

  ExpectFailure(report, OffsetOf(12, 20), StreamName(12), 20, EventAt(OffsetOf(12, 20)).event_id,
                "the stream has events but no head");
}

TEST_F(VerifyTest, HeadOfAStreamWithoutEventsFails) {
  Put(kStreamsFamily, "case-ghost", Head(1, 5, Hash{}));

  VerifyReport report = Verify();

  ExpectFailure(report, 5, "case-ghost", 1, Uuid{},
                "the stream has a head (version 1) but no events");
}

TEST_F(VerifyTest, StreamIndexEntryPointingAtAnotherEventFails) {
  Put(kStreamIndexFamily, IndexKey(StreamName(5), 8), BigEndian64(OffsetOf(6, 8)));

  VerifyReport report = Verify();

  ExpectFailure(report, OffsetOf(5, 8), StreamName(5), 8, EventAt(OffsetOf(5, 8)).event_id,
                fmt::format("the stream index maps version 8 to offset {}, which holds version "
                            "8 of {}",
                            OffsetOf(6, 8), StreamName(6)));
}

TEST_F(VerifyTest, MissingStreamIndexEntryFails) {
  Delete(kStreamIndexFamily, IndexKey(StreamName(5), 8));

  VerifyReport report = Verify();

  ExpectFailure(report, OffsetOf(5, 8), StreamName(5), 8, EventAt(OffsetOf(5, 8)).event_id,
                "the stream index is missing version 8");
}

TEST_F(VerifyTest, VerifyEventsOverALogReaderFindsTheSameFirstBadEvent) {
  const std::uint64_t offset = OffsetOf(42, 9);
  EnvelopeFields f = EventAt(offset);
  f.occurred_at += 1;
  Put(kLogFamily, BigEndian64(offset), EncodeEnvelope(f));
  auto reader = log_->OpenReader(0, 0);
  ASSERT_OK(reader);

  auto report = VerifyEvents(*reader.value(), {}, {}, kEvents, nullptr);

  ASSERT_OK(report);
  ExpectFailure(report.value(), offset, StreamName(42), 9, f.event_id,
                "hash does not match the event's contents (ComputeEventHash)");
}

TEST_F(VerifyTest, VerifyEventsOverACleanLogChecksEveryEvent) {
  auto reader = log_->OpenReader(0, 0);
  ASSERT_OK(reader);

  auto report = VerifyEvents(*reader.value(), {}, {}, kEvents, nullptr);

  ASSERT_OK(report);
  EXPECT_TRUE(report.value().ok()) << report.value().failure->ToString();
  EXPECT_EQ(report.value().events_checked, kEvents);
  EXPECT_EQ(report.value().streams, std::uint64_t{kStreams});
}

TEST_F(VerifyTest, ReplayStreamReturnsOnlyEventsRecordedByAsOf) {
  const Micros as_of = kStart + 3 * kSecond + kSecond / 2;  // after rounds 0..3

  auto events = ReplayStream(*log_, StreamName(17), as_of);

  ASSERT_OK(events);
  ASSERT_EQ(events.value().size(), 8u);
  for (std::size_t i = 0; i < events.value().size(); ++i) {
    EXPECT_EQ(events.value()[i].envelope()->stream_version(), i + 1);
    EXPECT_LE(events.value()[i].envelope()->recorded_at(), as_of);
  }
  EXPECT_EQ(events.value()[7].position.offset, OffsetOf(17, 8));
}

TEST_F(VerifyTest, ReplayStreamAsOfBeforeTheFirstEventIsEmpty) {
  auto events = ReplayStream(*log_, StreamName(17), kStart - 1);

  ASSERT_OK(events);
  EXPECT_TRUE(events.value().empty());
}

TEST_F(VerifyTest, ReplayStreamOfAnUnknownStreamIsEmpty) {
  auto events = ReplayStream(*log_, "case-unknown", std::nullopt);

  ASSERT_OK(events);
  EXPECT_TRUE(events.value().empty());
}

TEST_F(VerifyTest, ReplayStreamRefusesAnIndexEntryPointingAtAnotherStream) {
  Put(kStreamIndexFamily, IndexKey(StreamName(5), 8), BigEndian64(OffsetOf(6, 8)));

  auto events = ReplayStream(*log_, StreamName(5), std::nullopt);

  EXPECT_ERROR_CODE(events, Code::kCorruption);
}

TEST_F(VerifyTest, ReplayStreamWithoutAsOfReadsEveryEventAcrossPages) {
  const std::string stream = "case-long";
  for (int batch = 0; batch < 5; ++batch) {
    AppendRequest request;
    StreamAppend append{stream, std::uint64_t(batch * 500), {}};
    for (int e = 0; e < 500; ++e) {
      EventDraft draft;
      draft.event_id = TestUuid(++next_event_);
      draft.type = EventType::TaskCreated;
      draft.payload = TaskPayload("long");
      append.events.push_back(std::move(draft));
    }
    request.streams.push_back(std::move(append));
    ASSERT_OK(log_->Append(std::move(request)));
  }

  auto events = ReplayStream(*log_, stream, std::nullopt);

  ASSERT_OK(events);
  ASSERT_EQ(events.value().size(), 2500u);
  for (std::size_t i = 0; i < events.value().size(); ++i) {
    ASSERT_EQ(events.value()[i].envelope()->stream_version(), i + 1);
  }
  EXPECT_TRUE(Verify().ok());
}

// ChainChecker on hand-made events, without a log.
class ChainCheckerTest : public ::testing::Test {
 protected:
  RecordedEvent Event(std::uint64_t offset, std::uint64_t version, const Hash& prev) {
    EnvelopeFields f;
    f.event_id = TestUuid(offset);
    f.stream_id = "case-1";
    f.stream_version = version;
    f.event_type = EventType::TaskCreated;
    f.recorded_at = kStart;
    f.prev_hash = prev;
    f.payload = TaskPayload("t");
    f.hash = ComputeEventHash(f);
    last_hash_ = f.hash;
    return {{0, offset}, EncodeEnvelope(f)};
  }

  Hash last_hash_{};
};

TEST_F(ChainCheckerTest, StreamThatStartsAtVersionTwoFails) {
  ChainChecker checker;

  auto checked = checker.Check(Event(1, 2, Hash{}));

  EXPECT_ERROR_CODE(checked, Code::kCorruption);
  ASSERT_TRUE(checker.failure().has_value());
  EXPECT_EQ(checker.failure()->rule, "the stream starts at version 2, not 1");
  EXPECT_EQ(checker.failure()->ToString(),
            "0:1 case-1 v2 (event 01900000-0000-7000-8000-000000000001): "
            "the stream starts at version 2, not 1");
}

TEST_F(ChainCheckerTest, FirstVersionWithANonZeroPrevHashFails) {
  ChainChecker checker;
  Hash prev{};
  prev[0] = 1;

  EXPECT_ERROR_CODE(checker.Check(Event(1, 1, prev)), Code::kCorruption);

  EXPECT_EQ(checker.failure()->rule, "prev_hash of version 1 is not 32 zero bytes");
}

TEST_F(ChainCheckerTest, OffsetGapsPassWhenOffsetsNeedNotBeContiguous) {
  ChainChecker checker({/*contiguous_offsets=*/false, 0});

  ASSERT_OK(checker.Check(Event(3, 1, Hash{})));
  ASSERT_OK(checker.Check(Event(7, 2, last_hash_)));

  EXPECT_EQ(checker.events_checked(), 2u);
  ASSERT_TRUE(checker.Tip("case-1").has_value());
  EXPECT_EQ(checker.Tip("case-1")->version, 2u);
  EXPECT_EQ(checker.Tip("case-1")->hash, last_hash_);
  EXPECT_EQ(checker.Tip("case-1")->position.offset, 7u);
}

TEST_F(ChainCheckerTest, OffsetThatGoesBackFailsEvenWhenGapsAreAllowed) {
  ChainChecker checker({/*contiguous_offsets=*/false, 0});
  ASSERT_OK(checker.Check(Event(7, 1, Hash{})));

  EXPECT_ERROR_CODE(checker.Check(Event(7, 2, last_hash_)), Code::kCorruption);

  EXPECT_EQ(checker.failure()->rule, "offset 7 follows offset 7");
}

TEST_F(ChainCheckerTest, ManyStreamsKeepTheirOwnTips) {
  ChainChecker checker;
  std::uint64_t offset = 0;
  std::vector<Hash> hashes(5000);
  for (int version = 1; version <= 3; ++version) {
    for (int s = 0; s < 5000; ++s) {
      EnvelopeFields f;
      f.event_id = TestUuid(++offset);
      f.stream_id = StreamName(s);
      f.stream_version = version;
      f.event_type = EventType::TaskCreated;
      f.prev_hash = hashes[s];
      f.payload = TaskPayload("t");
      f.hash = ComputeEventHash(f);
      hashes[s] = f.hash;
      ASSERT_OK(checker.Check({{0, offset}, EncodeEnvelope(f)}));
    }
  }

  EXPECT_EQ(checker.stream_count(), 5000u);
  EXPECT_EQ(checker.Tip(StreamName(4321))->hash, hashes[4321]);
  EXPECT_FALSE(checker.Tip("case-none").has_value());
}

}  // namespace
}  // namespace caseledger::ledger
