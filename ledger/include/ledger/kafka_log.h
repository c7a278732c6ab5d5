// The distributed EventLog: Apache Kafka through librdkafka (docs/design.md decision 3).
//
// Topics (prefix from KafkaLogOptions::topic_prefix, default "caseledger."):
//   <prefix>events       the log; partition = PartitionOfStream(stream id, partitions), so each
//                        stream keeps its order. Message key = stream id, value = envelope bytes.
//   <prefix>idempotency  compacted; what an idempotent command answered, written in the same
//                        transaction as its events, in the partition of its first stream.
//   <prefix>keys         compacted; personal-data keys wrapped by the master key (KafkaKeyMirror).
//
// Writing: one transactional, idempotent producer (acks=all) per node, whose transactional.id
// names the partitions it owns, so a second writer for the same partitions fences the first
// (which then refuses every append with kFenced). Appends are grouped, one transaction per group;
// an append is answered only after its transaction committed. Before accepting appends the writer
// reads its partitions to the end, so stream heads (version, hash) hold across restarts. After an
// error whose outcome is unknown the producer is recreated (which settles the open transaction),
// the writer reads to the end again and answers from what is there: events present are answered
// as committed, absent ones are sent again with the same event ids, never twice.
//
// Reading: every node keeps a replica of all partitions in its own RocksDB (families kafka_*),
// filled by one read_committed consumer that stores the offsets it consumed in the same
// WriteBatch as the events, and drops an event id it already holds. Head, ReadStream,
// FindIdempotent and OpenReader serve from the replica, so projections built on it are exactly
// once and a rebuild never touches the network. An offset the broker no longer holds (retention
// moved past it) drops the replica and starts again from the earliest offset; readers then fail
// with kCorruption "log reset" and the projection runner rebuilds.
//
// Positions: partition = the Kafka partition, offset = Kafka offset + 1 (so 0 means "none").
//
// Thread safety: all methods are thread-safe. Lifecycle: the Store must outlive the log.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ledger/clock.h"
#include "ledger/event_log.h"
#include "ledger/personal_data.h"
#include "ledger/store.h"

namespace caseledger::ledger {

struct KafkaLogOptions {
  std::string bootstrap;                 // "host:port[,host:port...]"
  std::string topic_prefix = "caseledger.";
  std::uint32_t partitions = 8;          // of the events topic (created with this many)
  // Partitions this node writes. Empty = all. Disjoint sets across nodes.
  std::vector<std::uint32_t> owned;
  // Write nothing: a read-only replica.
  bool read_only = false;
  // Replication factor and min.insync.replicas for topics this log creates.
  int replication_factor = 1;
  int min_insync_replicas = 1;
  // Create missing topics on open.
  bool create_topics = true;
  std::size_t max_group_requests = 2048;
  std::size_t max_queued_requests = 100'000;
  std::size_t max_request_bytes = 8u << 20;
  // How long an append may wait for its transaction (including recovery) before it is answered
  // kTimeout (outcome unknown) or, if never sent, kUnavailable.
  std::chrono::milliseconds append_timeout{30'000};
  // Bound on each broker call (init, commit, abort, flush) before it counts as failed.
  std::chrono::milliseconds call_timeout{10'000};
  // How long Open waits for the broker and the initial read to the end.
  std::chrono::milliseconds open_timeout{60'000};
  // Extra librdkafka properties for every client (e.g. security.protocol), "name=value".
  std::vector<std::string> client_properties;
};

// "kafka://host:port[,host:port]" -> bootstrap. nullopt if `uri` is not a kafka URI.
std::optional<std::string> ParseKafkaUri(std::string_view uri);

// The partition a stream lives in: FNV-1a 32 of the stream id, modulo `partitions`.
std::uint32_t PartitionOfStream(std::string_view stream_id, std::uint32_t partitions);

// Counters a KafkaLog keeps, for metrics and tests.
struct KafkaLogStats {
  std::uint64_t transactions = 0;         // committed
  std::uint64_t aborted = 0;              // aborted transactions
  std::uint64_t producer_restarts = 0;    // producers recreated after an unknown outcome
  std::uint64_t resent_groups = 0;        // groups sent again after a recovery found them absent
  std::uint64_t recovered_present = 0;    // appends found committed after an unknown outcome
  std::uint64_t duplicates_dropped = 0;   // events the replica skipped: id already applied
  std::uint64_t replica_resets = 0;       // offset out of range: replica started again
  std::string last_fatal;                 // the last fatal producer error, e.g. sequence desync
};

class KafkaLog : public EventLog {
 public:
  virtual KafkaLogStats stats() const = 0;
  // Blocks until the replica holds everything committed to the three topics when this was called
  // (their high watermarks then). Errors: kTimeout, kUnavailable.
  virtual Result<void> CatchUp(std::chrono::milliseconds timeout) = 0;
  // True once this writer was fenced by another with the same transactional.id.
  virtual bool fenced() const = 0;
  // Writes already-recorded events (verified envelopes, in stream order) as they are: same ids,
  // versions, times and hashes. Each must continue its stream's chain. For migrate-log.
  // Errors: kInvalidArgument (breaks a chain), kFenced, kUnavailable, kTimeout.
  virtual Result<void> Import(const std::vector<std::string>& envelopes) = 0;
  // Where a key store on this node copies its keys (the keys topic), so every node can open
  // what any node sealed. Pass it to OpenEmbeddedKeyStore.
  virtual KeyMirror& key_mirror() = 0;
};

// Connects, creates missing topics, opens the replica in `store` and, unless read_only, starts
// the writer once its partitions are read to the end.
// Errors: kUnavailable (no broker within open_timeout), kInvalidArgument (bad options, or the
// topic has a different partition count), kIOError, kCorruption.
Result<std::unique_ptr<KafkaLog>> OpenKafkaLog(Store& store, const Clock& clock,
                                               KafkaLogOptions options);

}  // namespace caseledger::ledger
