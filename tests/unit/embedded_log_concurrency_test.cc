// Many threads appending to overlapping streams at once: the log stays gapless and every
// acknowledged event is stored exactly once, where its acknowledgement said.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <random>
#include <set>
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

using testing::Draft;
using testing::StreamId;

constexpr int kThreads = 16;
constexpr int kAppendsPerThread = 500;
constexpr int kStreams = 24;

// Acknowledged events, by event id, collected from every thread.
class Acks {
 public:
  void Add(const AppendResult& result) {
    std::lock_guard lock(mu_);
    for (const auto& e : result.events) {
      bool fresh = by_id_.emplace(e.event_id, e).second;
      EXPECT_TRUE(fresh) << "event acknowledged twice: " << e.event_id.ToString();
    }
  }
  const std::map<Uuid, CommittedEvent>& by_id() const { return by_id_; }

 private:
  std::mutex mu_;
  std::map<Uuid, CommittedEvent> by_id_;
};

// A request touching one or two random streams with one or two events each.
AppendRequest RandomRequest(std::mt19937_64& random, bool exact, EventLog& log) {
  AppendRequest request;
  request.context = testing::Context("user-" + std::to_string(random() % 4));
  int first = static_cast<int>(random() % kStreams);
  std::vector<int> streams = {first};
  if (random() % 4 == 0) streams.push_back((first + 1 + random() % (kStreams - 1)) % kStreams);
  for (int s : streams) {
    StreamAppend append;
    append.stream_id = StreamId("stream", s);
    append.expected_version = kAnyVersion;
    if (exact) {
      auto head = log.Head(append.stream_id);
      EXPECT_TRUE(head) << testing::Describe(head);
      append.expected_version = head ? head.value().version : 0;
    }
    int events = 1 + static_cast<int>(random() % 2);
    for (int i = 0; i < events; ++i) {
      append.events.push_back(Draft(EventType::NoteAdded, testing::MakeNoteAdded()));
    }
    request.streams.push_back(std::move(append));
  }
  return request;
}

// Runs kThreads x kAppendsPerThread appends; with `exact`, each names the version it read and
// retries on conflict. Returns the acknowledged events.
void RunWorkload(EventLog& log, bool exact, Acks& acks, int& conflicts) {
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 random(1000 + t);
      int local_conflicts = 0;
      for (int i = 0; i < kAppendsPerThread; ++i) {
        for (;;) {
          auto result = log.Append(RandomRequest(random, exact, log));
          if (result) {
            acks.Add(result.value());
            break;
          }
          ASSERT_TRUE(exact && result.error().code == Code::kVersionConflict)
              << testing::Describe(result);
          ++local_conflicts;
        }
      }
      std::lock_guard lock(mu);
      conflicts += local_conflicts;
    });
  }
  for (auto& t : threads) t.join();
}

// The log holds exactly the acknowledged events: offsets 1..N, every stream 1..n with an intact
// hash chain, each event where its acknowledgement said.
void CheckLog(EventLog& log, const Acks& acks) {
  const auto& by_id = acks.by_id();
  auto end = log.EndOffset(0);
  ASSERT_OK(end);
  EXPECT_EQ(end.value(), by_id.size());

  auto reader = log.OpenReader(0, 0);
  ASSERT_OK(reader);
  std::vector<RecordedEvent> events;
  while (reader.value()->Read(events, 4096, std::chrono::milliseconds(0)).value() > 0) {
  }
  ASSERT_EQ(events.size(), by_id.size());
  std::set<Uuid> seen;
  std::map<std::string, std::uint64_t> versions;
  for (std::size_t i = 0; i < events.size(); ++i) {
    ASSERT_EQ(events[i].position.offset, i + 1);
    EnvelopeFields f = DecodeEnvelope(*events[i].envelope());
    EXPECT_TRUE(seen.insert(f.event_id).second) << "stored twice: " << f.event_id.ToString();
    auto ack = by_id.find(f.event_id);
    ASSERT_NE(ack, by_id.end()) << "stored but never acknowledged: " << f.event_id.ToString();
    EXPECT_EQ(ack->second.position, events[i].position);
    EXPECT_EQ(ack->second.stream_id, f.stream_id);
    EXPECT_EQ(ack->second.version, f.stream_version);
    EXPECT_EQ(f.stream_version, ++versions[f.stream_id]) << f.stream_id << " has a gap";
  }

  for (const auto& [stream, last] : versions) {
    auto stored = log.ReadStream(stream, 1, 1'000'000);
    ASSERT_OK(stored);
    ASSERT_EQ(stored.value().size(), last);
    Hash previous{};
    for (const auto& e : stored.value()) {
      EnvelopeFields f = DecodeEnvelope(*e.envelope());
      EXPECT_EQ(f.prev_hash, previous) << stream << " v" << f.stream_version;
      EXPECT_TRUE(HashMatches(*e.envelope()));
      previous = f.hash;
    }
    EXPECT_EQ(log.Head(stream).value().version, last);
  }
}

TEST(EmbeddedLogConcurrencyTest, ConcurrentAnyVersionAppendsLeaveAGaplessLog) {
  testing::TempDir dir;
  auto node = testing::TestLedger::Open(dir.Path("db"));
  ASSERT_NE(node, nullptr);
  Acks acks;
  int conflicts = 0;

  RunWorkload(node->log(), /*exact=*/false, acks, conflicts);

  EXPECT_EQ(conflicts, 0);
  CheckLog(node->log(), acks);
}

TEST(EmbeddedLogConcurrencyTest, ConcurrentExactVersionAppendsWithRetriesLeaveAGaplessLog) {
  testing::TempDir dir;
  auto node = testing::TestLedger::Open(dir.Path("db"));
  ASSERT_NE(node, nullptr);
  Acks acks;
  int conflicts = 0;

  RunWorkload(node->log(), /*exact=*/true, acks, conflicts);

  CheckLog(node->log(), acks);
  RecordProperty("conflicts", conflicts);
}

// Head() answers from a cache the commits fill: read while appends commit, a stream's head never
// goes back to an older version, and after the last acknowledgement it is the last version, as a
// reopened log (reading RocksDB alone) also says.
TEST(EmbeddedLogConcurrencyTest, HeadsReadDuringAppendsNeverGoBackwards) {
  testing::TempDir dir;
  constexpr int kEvents = 2000;
  const std::string stream = StreamId("stream", 1);
  {
    auto node = testing::TestLedger::Open(dir.Path("db"));
    ASSERT_NE(node, nullptr);
    std::atomic<bool> done{false};
    std::vector<std::thread> readers;
    for (int r = 0; r < 3; ++r) {
      readers.emplace_back([&] {
        std::uint64_t seen = 0;
        while (!done.load()) {
          auto head = node->log().Head(stream);
          ASSERT_OK(head);
          ASSERT_GE(head.value().version, seen) << "a head went back";
          seen = head.value().version;
        }
      });
    }
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
      writers.emplace_back([&] {
        for (int i = 0; i < kEvents / 4; ++i) {
          AppendRequest request;
          request.context = testing::Context("user-1");
          StreamAppend append;
          append.stream_id = stream;
          append.expected_version = kAnyVersion;
          append.events.push_back(Draft(EventType::NoteAdded, testing::MakeNoteAdded()));
          request.streams.push_back(std::move(append));
          ASSERT_OK(node->log().Append(std::move(request)));
        }
      });
    }
    for (auto& t : writers) t.join();
    done = true;
    for (auto& t : readers) t.join();
    EXPECT_EQ(node->log().Head(stream).value().version, static_cast<std::uint64_t>(kEvents));
  }
  auto reopened = testing::TestLedger::Open(dir.Path("db"));
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->log().Head(stream).value().version, static_cast<std::uint64_t>(kEvents));
}

}  // namespace
}  // namespace caseledger::ledger
