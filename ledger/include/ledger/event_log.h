// The append-only source of truth, behind one interface with two backends: embedded RocksDB
// (embedded_log.h) and Apache Kafka (kafka_log.h).
//
// Thread safety: all methods are thread-safe.
// Order: total within a stream (by version) and within a partition (by offset); none across
// partitions. Every stream lives in exactly one partition.
// Durability: a successful append has been made durable before its callback runs (embedded: WAL
// synced; Kafka: transaction committed with acks=all).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "ledger/event.h"
#include "ledger/idempotency.h"
#include "ledger/result.h"

namespace caseledger::ledger {

// A cursor over one partition in offset order.
class LogReader {
 public:
  virtual ~LogReader() = default;
  // Appends to `out` up to `max` events after the cursor and advances it. If none is available,
  // waits up to `wait` for one; returns how many were added (0 on timeout).
  // Errors: kCorruption (a stored event fails verification), kUnavailable, kIOError.
  virtual Result<std::size_t> Read(std::vector<RecordedEvent>& out, std::size_t max,
                                   std::chrono::milliseconds wait) = 0;
};

class EventLog {
 public:
  using AppendCallback = std::function<void(Result<AppendResult>)>;

  virtual ~EventLog() = default;

  // Appends every stream of `request` atomically if each is at its expected version, then calls
  // `done` exactly once, on a log thread (keep it short: post the rest elsewhere).
  // A retried request with the same idempotency key and the same content returns the first
  // result with `deduplicated` set and appends nothing.
  // Errors: kVersionConflict (current_version set: reload and retry), kIdempotencyMismatch
  // (key reused for a different command), kInvalidArgument (malformed request), kFenced (another
  // writer owns the log), kWrongNode (another node writes that stream), kUnavailable (retry
  // later), kTimeout (outcome unknown: retry with the same idempotency key), kIOError.
  virtual void AppendAsync(AppendRequest request, AppendCallback done) = 0;

  // Blocking form of AppendAsync.
  Result<AppendResult> Append(AppendRequest request);

  // What an earlier append by `user_id` with idempotency key `key` answered, if any. Commands
  // call this before validating, so a retry answers as the first attempt did even when the
  // state has moved on since.
  virtual Result<std::optional<IdempotencyRecord>> FindIdempotent(std::string_view user_id,
                                                                   std::string_view key) = 0;

  // The stream's head; version 0 if it does not exist.
  virtual Result<StreamHead> Head(std::string_view stream_id) = 0;

  // Up to `max` events of one stream from `from_version` (1-based) on, in version order.
  virtual Result<std::vector<RecordedEvent>> ReadStream(std::string_view stream_id,
                                                        std::uint64_t from_version,
                                                        std::size_t max) = 0;

  virtual std::uint32_t partition_count() const = 0;

  // The partition a stream lives in.
  virtual std::uint32_t PartitionOf(std::string_view stream_id) const = 0;

  // True when this log's writer may append to `stream_id` (it owns the stream's partition).
  // Commands for other streams go to the node that does.
  virtual bool Owns(std::string_view stream_id) const {
    (void)stream_id;
    return true;
  }

  // Changes when the log's readers must start again from scratch (a Kafka replica that found its
  // stored offsets gone); readers opened before then fail, and projections are rebuilt.
  virtual std::uint64_t epoch() const { return 0; }

  // Offset of the last durable event of `partition` (0 if empty).
  virtual Result<std::uint64_t> EndOffset(std::uint32_t partition) = 0;

  // A reader of `partition` positioned after `after_offset` (0 = from the start).
  virtual Result<std::unique_ptr<LogReader>> OpenReader(std::uint32_t partition,
                                                        std::uint64_t after_offset) = 0;
};

}  // namespace caseledger::ledger
