// A node's local copy of the Kafka log (kafka_log.h): one read_committed consumer over every
// partition of the events, idempotency and keys topics, applying what it reads to RocksDB with
// the consumed offsets in the same WriteBatch, so after a crash it resumes exactly there.
//
// Families:
//   kafka_events        BE32 partition, BE64 position -> envelope        (position = offset + 1)
//   kafka_streams       stream id -> head (stream_head_codec.h)
//   kafka_stream_index  stream id \0 BE64 version -> BE32 partition, BE64 position
//   kafka_event_ids     16-byte event id -> BE32 partition, BE64 position
//   kafka_idempotency   scope -> idempotency record
//   kafka_offsets       topic kind (1 byte), BE32 partition -> BE64 next offset to read
//   keys                (shared with the key store) what the keys topic holds
//
// Thread safety: all methods are thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "kafka_client.h"
#include "ledger/event_log.h"
#include "ledger/store.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
}  // namespace rocksdb

namespace caseledger::ledger {

enum class TopicKind : std::uint8_t { kEvents = 0, kIdempotency = 1, kKeys = 2 };

struct ReplicaTopics {
  std::string events;
  std::string idempotency;
  std::string keys;
  std::uint32_t partitions = 1;       // events and idempotency
  std::uint32_t key_partitions = 1;
};

class KafkaReplica {
 public:
  KafkaReplica(Store& store, ReplicaTopics topics, KafkaProperties consumer_properties);
  ~KafkaReplica();

  // Opens the families, loads stored offsets and starts the consumer thread.
  Result<void> Start();
  void Stop();

  // Waits until every partition of `kinds` read at least to `ends` (next offsets, per kind and
  // partition as returned by Ends). Errors: kTimeout.
  Result<void> WaitFor(TopicKind kind, std::uint32_t partition, std::int64_t next_offset,
                       std::chrono::milliseconds timeout);
  std::int64_t NextOffset(TopicKind kind, std::uint32_t partition) const;

  // Position (1-based) of the last event applied in `partition`, 0 if none.
  std::uint64_t LastPosition(std::uint32_t partition) const;
  // True once the last event position of `partition` is beyond `position`, waiting up to `wait`.
  bool WaitBeyond(std::uint32_t partition, std::uint64_t position, std::chrono::milliseconds wait);
  // Incremented whenever the replica was dropped and started again (offset out of range).
  std::uint64_t epoch() const { return epoch_.load(); }

  Result<StreamHead> Head(std::string_view stream_id);
  Result<std::vector<RecordedEvent>> ReadStream(std::string_view stream_id,
                                                std::uint64_t from_version, std::size_t max);
  Result<std::optional<IdempotencyRecord>> FindIdempotent(std::string_view scope);
  // Where an event id was applied, if it was.
  Result<std::optional<Position>> FindEvent(const Uuid& event_id);
  std::unique_ptr<LogReader> OpenReader(std::uint32_t partition, std::uint64_t after_offset);

  std::uint64_t duplicates_dropped() const { return duplicates_.load(); }
  std::uint64_t rejected() const { return rejected_.load(); }
  std::uint64_t resets() const { return resets_.load(); }
  std::string last_error() const;

 private:
  class Reader;
  struct Pending;

  void Run();
  Result<void> Assign(bool from_stored);
  Result<void> Apply(std::vector<rd_kafka_message_t*>& messages);
  Result<void> Reset();
  void SetError(std::string message);
  std::size_t Slot(TopicKind kind, std::uint32_t partition) const;

  Store& store_;
  rocksdb::DB* db_;
  const ReplicaTopics topics_;
  const KafkaProperties properties_;
  rocksdb::ColumnFamilyHandle* events_ = nullptr;
  rocksdb::ColumnFamilyHandle* streams_ = nullptr;
  rocksdb::ColumnFamilyHandle* index_ = nullptr;
  rocksdb::ColumnFamilyHandle* event_ids_ = nullptr;
  rocksdb::ColumnFamilyHandle* idempotency_ = nullptr;
  rocksdb::ColumnFamilyHandle* offsets_ = nullptr;
  rocksdb::ColumnFamilyHandle* keys_ = nullptr;

  KafkaHandle consumer_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::int64_t> next_;            // per slot: next offset to read (-2 = beginning)
  std::vector<std::uint64_t> last_position_;  // per events partition
  std::string last_error_;
  std::atomic<std::uint64_t> epoch_{0};
  std::atomic<std::uint64_t> duplicates_{0};
  std::atomic<std::uint64_t> rejected_{0};
  std::atomic<std::uint64_t> resets_{0};
};

}  // namespace caseledger::ledger
