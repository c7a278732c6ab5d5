// The client side of a fault test: a record of every append a test sent and what the log answered
// (AppendHistory), checked at the end against what the log holds, FoundationDB-style; and a
// seeded workload that keeps a model of each stream's version from the answers (StreamWorkload).
// Written for the Kafka fault tests (tests/unit/kafka_mock_test.cc on librdkafka's mock cluster,
// tests/kafka on a real broker), but any EventLog can be checked.
//
// What CheckHistory holds the log to, where "the log" is every event OpenReader returns:
//   - every command was answered;
//   - every event id is in the log at most once, and every event verifies (HashMatches);
//   - every stream's events run versions 1..n in offset order in the stream's own partition,
//     each prev_hash equal to the hash before it (zeros for version 1), and Head() agrees;
//   - a command's events are in the log all or none (appends are atomic), in the streams it
//     named, and a stream appended at an expected version starts at that version + 1;
//   - answered success: each event the answer names is in the log at the answered stream,
//     version and position (for a fresh append, the command's own events in order);
//   - answered "nothing written" (kVersionConflict, kUnavailable, kInvalidArgument,
//     kIdempotencyMismatch, kWrongNode): none of its events is in the log, unless another command
//     with the same event ids (a retry) was answered success or an unknown outcome;
//   - answered any other error (kTimeout, kFenced, ...: the outcome is unknown): no further
//     promise than atomicity and at most once.
//
// Example:
//   AppendHistory history;
//   StreamWorkload workload(seed, {.first_stream = 1000, .streams = 40});
//   for (int i = 0; i < 200; ++i) history.Submit(log, workload.Next());
//   ASSERT_TRUE(history.WaitForAnswers(std::chrono::seconds(60)));
//   ASSERT_OK(log.CatchUp(std::chrono::seconds(30)));   // Kafka: read what was committed
//   auto violations = history.CheckHistory(log);
//   EXPECT_TRUE(violations.empty()) << FormatViolations(violations);
//
// Thread safety: AppendHistory is thread-safe (answers arrive on log threads); StreamWorkload
// is not. Lifecycle: an AppendHistory must outlive every append it submitted, since the answer is
// written into it: wait for the answers, or close the log, before destroying it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "ledger/event.h"
#include "ledger/event_log.h"
#include "ledger/result.h"

namespace caseledger::testing {

// What an answer promises about whether a command's events were written.
enum class AnswerMeans {
  kWritten,         // success (including a deduplicated retry)
  kNothingWritten,  // kVersionConflict, kUnavailable, kInvalidArgument, kIdempotencyMismatch,
                    // kWrongNode
  kUnknown,         // any other error: kTimeout, kFenced, kInternal, ...
};
AnswerMeans MeaningOf(const ledger::Result<ledger::AppendResult>& answer);

class AppendHistory {
 public:
  using Answer = ledger::Result<ledger::AppendResult>;

  // Records `request`, sends it with AppendAsync and records the answer when it comes.
  // Returns the command's index in the history.
  std::size_t Submit(ledger::EventLog& log, ledger::AppendRequest request);

  // For a test that sends commands itself: Record before sending, SetAnswer once answered.
  std::size_t Record(ledger::AppendRequest request);
  void SetAnswer(std::size_t command, Answer answer);

  // Waits until every recorded command is answered; false if some are not within `timeout`.
  bool WaitForAnswers(std::chrono::milliseconds timeout) const;

  std::size_t size() const;
  ledger::AppendRequest RequestOf(std::size_t command) const;
  std::optional<Answer> AnswerOf(std::size_t command) const;
  // Commands answered success; answered with `code`.
  std::size_t CountOk() const;
  std::size_t Count(ledger::Code code) const;
  // E.g. "200 commands: 180 ok, 12 version_conflict, 8 timeout".
  std::string Summary() const;

  // Reads every partition of `log` from the start and returns every way the log and the answers
  // disagree (see the top of this file); empty when they agree. Call once every command is
  // answered and, for a KafkaLog, after CatchUp, so the log's replica holds what was committed.
  std::vector<std::string> CheckHistory(ledger::EventLog& log) const;

 private:
  struct Command {
    ledger::AppendRequest request;
    std::optional<Answer> answer;
  };

  mutable std::mutex mu_;
  mutable std::condition_variable answered_;
  std::vector<Command> commands_;
  std::size_t unanswered_ = 0;
};

// The first `max` violations, one a line, and how many more there were.
std::string FormatViolations(const std::vector<std::string>& violations, std::size_t max = 25);

// A seeded client of `streams` incident streams. Each command appends 1-3 events to one stream
// (sometimes to two streams at once), at the version the model expects, or at kAnyVersion (for a
// quarter of the commands, and whenever the model does not know the stream's version after an
// unknown outcome or a conflict); some carry an idempotency key. Learn() folds an answer back in.
struct StreamWorkloadOptions {
  std::uint64_t first_stream = 1;  // stream ids StreamId("incident", first_stream + i)
  std::size_t streams = 40;
  int two_stream_percent = 10;   // commands that append to two streams atomically
  int keyed_percent = 40;        // commands with an idempotency key
  int any_version_percent = 25;  // commands at kAnyVersion although the version is known
};

class StreamWorkload {
 public:
  StreamWorkload(std::uint64_t seed, StreamWorkloadOptions options);

  // The next command: for a stream the generator picks, or for stream `stream` (an index below
  // options.streams).
  ledger::AppendRequest Next();
  ledger::AppendRequest NextFor(std::size_t stream);

  // Updates the model from an answer to a command this workload made.
  void Learn(const ledger::AppendRequest& request, const AppendHistory::Answer& answer);

  std::string StreamName(std::size_t stream) const;
  std::size_t stream_count() const { return options_.streams; }
  std::mt19937_64& random() { return random_; }

 private:
  struct Model {
    std::uint64_t version = 0;
    bool known = true;
  };

  ledger::StreamAppend AppendTo(std::size_t stream);
  int Percent() { return static_cast<int>(random_() % 100); }

  const StreamWorkloadOptions options_;
  std::mt19937_64 random_;
  std::vector<Model> models_;
  std::map<std::string, std::size_t> index_;
  std::uint64_t next_key_ = 1;
};

}  // namespace caseledger::testing
