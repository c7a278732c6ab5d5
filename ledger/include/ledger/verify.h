// Verifying the hash chain (docs/design.md decision 6, docs/hash-chain.md) and replaying a
// stream as it was known at a time.
//
// VerifyLog walks the embedded log in position order and checks every event: the envelope and
// payload are valid FlatBuffers, offsets run 1, 2, 3... with no gap, each stream's versions run
// 1, 2, 3..., each prev_hash is the hash of the stream's previous event (32 zero bytes at version
// 1), and each stored hash is what ComputeEventHash gives. Then it checks the derived state the
// writer keeps beside the log: every stream head (streams family) names its stream's last event,
// and the stream index (stream_index family) maps each (stream, version) to that event's offset.
// It stops at the first bad event and says which and why. VerifyKafkaLog applies the same
// per-event rules to a Kafka log as the brokers hold it.
//
// Example:
//   Result<VerifyReport> report = VerifyLog(store, {}, [](std::uint64_t done,
//                                                         std::uint64_t total) { ... });
//   if (!report) ...;                         // could not read the log (kIOError)
//   if (!report.value().ok()) std::cerr << report.value().failure->ToString();
//
// Memory: per stream one 80-byte slot (version, hash, last position, a digest of its positions),
// whatever the number of events: 10 million streams take about 1.3 GiB (1.9 GiB at the peak of a
// resize, when the streams family's key estimate was too low to size the table up front).
// Thread safety: the functions may run concurrently with appends; they check the log as of a
// RocksDB snapshot taken at the start. A ChainChecker is not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/clock.h"
#include "ledger/envelope.h"
#include "ledger/event.h"
#include "ledger/event_log.h"
#include "ledger/result.h"
#include "ledger/store.h"

namespace caseledger::ledger {

// The first event that failed, and the rule it broke.
struct VerifyFailure {
  Position position;          // of the bad event (for a gap: the missing offset)
  std::string stream_id;      // empty when not known (the envelope cannot be read)
  std::uint64_t version = 0;  // 0 when not known
  Uuid event_id;              // nil when not known
  std::string rule;           // e.g. "prev_hash does not match the hash of version 3"

  // "0:42 incident-0190... v4 (event 0190...): prev_hash does not match the hash of version 3"
  std::string ToString() const;
};

struct VerifyReport {
  std::uint64_t events_checked = 0;         // events that passed every per-event check
  std::uint64_t streams = 0;                // distinct streams among them
  std::uint64_t heads_checked = 0;          // stream heads compared (VerifyLog)
  std::uint64_t index_entries_checked = 0;  // stream index entries compared (VerifyLog)
  Position last_position;                   // of the last event checked
  std::optional<VerifyFailure> failure;     // the first bad event; none when the log verifies

  bool ok() const { return !failure.has_value(); }
};

struct VerifyOptions {
  // Read-ahead for the sequential scan of the log family.
  std::size_t readahead_bytes = 8u << 20;
  // Calls the progress callback every this many events (and once at the end).
  std::uint64_t progress_interval = 1u << 16;
  // Compare the streams family's heads with the log (VerifyLog only).
  bool check_heads = true;
  // Which embedded log VerifyLog reads: "" the event log, kAccessLogPrefix the access log.
  std::string family_prefix{};
  // Compare the stream_index family with the log (VerifyLog only).
  bool check_stream_index = true;
  // Streams to size the per-stream table for up front; 0 = estimate from the streams family.
  std::uint64_t expected_streams = 0;
};

using VerifyProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

// What a ChainChecker remembers of one stream.
struct StreamTip {
  std::uint64_t version = 0;           // of the last event seen
  Hash hash{};                         // of the last event seen
  Position position;                   // of the last event seen
  std::uint64_t positions_digest = 0;  // PositionsDigestTerm summed over every event seen
};

// The per-event rules, shared by every backend's verifier. Feed it the events of each partition
// in offset order (partitions may interleave; a stream lives in one partition). It keeps one
// StreamTip per stream (keyed by a 128-bit SipHash of the stream id).
class ChainChecker {
 public:
  struct Options {
    // Embedded log: offsets must run 1, 2, 3... Kafka: offsets only increase (transaction
    // markers take offsets of their own).
    bool contiguous_offsets = true;
    std::uint64_t expected_streams = 0;
  };

  ChainChecker();
  explicit ChainChecker(Options options);
  ~ChainChecker();
  ChainChecker(const ChainChecker&) = delete;
  ChainChecker& operator=(const ChainChecker&) = delete;

  // Checks the next event. Errors: kCorruption naming the event and rule; failure() then holds
  // the same as a VerifyFailure, and the checker must not be fed further events.
  Result<void> Check(const RecordedEvent& event);
  Result<void> Check(Position position, std::string_view bytes);

  // Records a failure found outside Check (a gap at the end, a bad head) and returns it as an
  // error, so every rule is reported the same way.
  Error Fail(VerifyFailure failure);

  const std::optional<VerifyFailure>& failure() const;
  std::uint64_t events_checked() const;
  std::uint64_t stream_count() const;
  Position last_position() const;  // of the last event checked

  // The tip of a stream; nullopt when no event of it was seen.
  std::optional<StreamTip> Tip(std::string_view stream_id) const;
  // Every stream's tip, in no particular order.
  void ForEachTip(const std::function<void(const StreamTip&)>& visit) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The term an event at `position` with `version` adds to its stream's positions_digest: a
// set-hash that lets the stream index be compared with the log in one sequential pass.
std::uint64_t PositionsDigestTerm(std::uint64_t version, const Position& position);

// Verifies the embedded log of `store` (see the top of this file). `progress` may be empty.
// Errors: kIOError (RocksDB failed), kCorruption (RocksDB's own block checksums failed, so no
// event can be named), kInternal (the store has no log family). A log that fails verification is
// not an error: the report says where.
Result<VerifyReport> VerifyLog(Store& store, const VerifyOptions& options, VerifyProgress progress);

// Verifies the events `reader` yields until it has none within `wait`, with the per-event rules
// only (no heads, no index): for any backend. `total` is what progress reports as the total (0
// if unknown). A reader's kCorruption is reported as a failure after the last good event.
Result<VerifyReport> VerifyEvents(LogReader& reader, const ChainChecker::Options& rules,
                                  const VerifyOptions& options, std::uint64_t total,
                                  const VerifyProgress& progress,
                                  std::chrono::milliseconds wait = std::chrono::milliseconds(0));

struct KafkaLogOptions;  // ledger/kafka_log.h

// Verifies the Kafka log itself: every partition of <prefix>events as the brokers hold it (not a
// node's replica, which drops duplicates), read read_committed from its first offset to the high
// watermark taken when the call starts. Each event gets the per-event rules (offsets need only
// increase, since transaction markers take offsets of their own; positions are partition,
// offset + 1), and three rules of the Kafka layout: a message sits in its stream's partition
// (PartitionOfStream) with the stream id as key; no event is stored twice (a copy that follows
// its stream's head is named a duplicate; an older copy breaks the version order); and no
// partition lost its first offsets. A log that fails is not an error: the report says where.
// Events written after the call started are not checked. Uses `kafka.bootstrap`,
// `topic_prefix`, `partitions`, `client_properties` and `open_timeout` (for metadata; a partition
// may go without progress for that long, but at least 75 s, longer than a writer's transaction
// timeout); `options.progress_interval` and `expected_streams` as VerifyLog.
// Errors: kInvalidArgument (bad options, or the topic has another partition count: field
// kafka.partitions), kNotFound (no events topic: field kafka.topic_prefix), kUnavailable (no
// broker answered), kTimeout (a partition did not reach its high watermark: a transaction left
// open, or a broker gone).
Result<VerifyReport> VerifyKafkaLog(const KafkaLogOptions& kafka, const VerifyOptions& options,
                                    const VerifyProgress& progress);

// The events of `stream_id` recorded at or before `as_of` (all when nullopt), in version order,
// read from `log` in pages. Since a stream's events are recorded in version order, the replay
// stops at the first event recorded after `as_of`. Unknown stream: empty.
// Errors: kCorruption (versions out of order, a gap, or an event of another stream), and those of
// EventLog::ReadStream.
Result<std::vector<RecordedEvent>> ReplayStream(EventLog& log, std::string_view stream_id,
                                                std::optional<Micros> as_of);

}  // namespace caseledger::ledger
