#include "kafka_replica.h"

#include <fmt/format.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "ledger/envelope.h"
#include "ledger/idempotency.h"
#include "ledger/kafka_log.h"
#include "ledger/rocksdb_util.h"
#include "stream_head_codec.h"

namespace caseledger::ledger {
namespace {

constexpr std::string_view kEventsFamily = "kafka_events";
constexpr std::string_view kHeadsFamily = "kafka_streams";
constexpr std::string_view kIndexFamily = "kafka_stream_index";
constexpr std::string_view kEventIdsFamily = "kafka_event_ids";
constexpr std::string_view kIdemFamily = "kafka_idempotency";
constexpr std::string_view kOffsetsFamily = "kafka_offsets";
constexpr std::int64_t kFromBeginning = -2;  // RD_KAFKA_OFFSET_BEGINNING

std::string EventKey(std::uint32_t partition, std::uint64_t position) {
  std::string key;
  AppendBigEndian32(key, partition);
  AppendBigEndian64(key, position);
  return key;
}

std::string OffsetKey(TopicKind kind, std::uint32_t partition) {
  std::string key(1, static_cast<char>(kind));
  AppendBigEndian32(key, partition);
  return key;
}

std::string IndexKey(std::string_view stream, std::uint64_t version) {
  std::string key(stream);
  key.push_back('\0');
  AppendBigEndian64(key, version);
  return key;
}

std::string_view IdBytes(const Uuid& id) {
  return {reinterpret_cast<const char*>(id.bytes.data()), id.bytes.size()};
}

}  // namespace

class KafkaReplica::Reader final : public LogReader {
 public:
  Reader(KafkaReplica& replica, std::uint32_t partition, std::uint64_t after)
      : replica_(replica), partition_(partition), cursor_(after), epoch_(replica.epoch()) {}

  Result<std::size_t> Read(std::vector<RecordedEvent>& out, std::size_t max,
                           std::chrono::milliseconds wait) override {
    if (replica_.epoch() != epoch_) {
      return MakeError(Code::kCorruption,
                       "log reset: the replica started again from the earliest offset the "
                       "cluster holds; rebuild the projections");
    }
    if (max == 0) return std::size_t{0};
    if (replica_.LastPosition(partition_) <= cursor_ &&
        !replica_.WaitBeyond(partition_, cursor_, wait)) {
      return std::size_t{0};
    }
    rocksdb::ReadOptions options;
    options.fill_cache = false;
    std::unique_ptr<rocksdb::Iterator> it(replica_.db_->NewIterator(options, replica_.events_));
    std::string prefix;
    AppendBigEndian32(prefix, partition_);
    std::size_t added = 0;
    for (it->Seek(EventKey(partition_, cursor_ + 1));
         it->Valid() && it->key().starts_with(prefix) && added < max; it->Next()) {
      std::uint64_t position = ReadBigEndian64(it->key().ToStringView(), 4);
      out.push_back({Position{partition_, position}, it->value().ToString()});
      cursor_ = position;
      ++added;
    }
    BOOST_OUTCOME_TRY(CheckRocks(it->status(), "kafka replica: read"));
    return added;
  }

 private:
  KafkaReplica& replica_;
  const std::uint32_t partition_;
  std::uint64_t cursor_;
  const std::uint64_t epoch_;
};

KafkaReplica::KafkaReplica(Store& store, ReplicaTopics topics, KafkaProperties properties)
    : store_(store), db_(store.db()), topics_(std::move(topics)), properties_(std::move(properties)) {
  next_.assign(2 * topics_.partitions + topics_.key_partitions, kFromBeginning);
  last_position_.assign(topics_.partitions, 0);
}

KafkaReplica::~KafkaReplica() { Stop(); }

std::size_t KafkaReplica::Slot(TopicKind kind, std::uint32_t partition) const {
  switch (kind) {
    case TopicKind::kEvents:
      return partition;
    case TopicKind::kIdempotency:
      return topics_.partitions + partition;
    case TopicKind::kKeys:
      break;
  }
  return 2 * topics_.partitions + partition;
}

Result<void> KafkaReplica::Start() {
  BOOST_OUTCOME_TRY(events_, store_.CreateFamily(kEventsFamily));
  BOOST_OUTCOME_TRY(streams_, store_.CreateFamily(kHeadsFamily));
  BOOST_OUTCOME_TRY(index_, store_.CreateFamily(kIndexFamily));
  BOOST_OUTCOME_TRY(event_ids_, store_.CreateFamily(kEventIdsFamily));
  BOOST_OUTCOME_TRY(idempotency_, store_.CreateFamily(kIdemFamily));
  BOOST_OUTCOME_TRY(offsets_, store_.CreateFamily(kOffsetsFamily));
  keys_ = store_.family(kKeysFamily);
  {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), offsets_));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      std::string_view key = it->key().ToStringView();
      if (key.size() != 5 || it->value().size() != 8) {
        return MakeError(Code::kCorruption, "kafka replica: malformed stored offset");
      }
      auto kind = static_cast<TopicKind>(key[0]);
      std::uint32_t partition = ReadBigEndian32(key, 1);
      std::uint32_t limit =
          kind == TopicKind::kKeys ? topics_.key_partitions : topics_.partitions;
      if (static_cast<std::uint8_t>(kind) > 2 || partition >= limit) {
        return MakeError(Code::kInvalidArgument,
                         "kafka replica: the stored offsets name a partition the topics do not "
                         "have (was this data directory used with another partition count?)");
      }
      next_[Slot(kind, partition)] =
          static_cast<std::int64_t>(ReadBigEndian64(it->value().ToStringView()));
    }
    BOOST_OUTCOME_TRY(CheckRocks(it->status(), "kafka replica: read offsets"));
  }
  for (std::uint32_t p = 0; p < topics_.partitions; ++p) {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), events_));
    it->SeekForPrev(EventKey(p, ~std::uint64_t{0}));
    BOOST_OUTCOME_TRY(CheckRocks(it->status(), "kafka replica: open"));
    if (it->Valid() && it->key().size() == 12 && ReadBigEndian32(it->key().ToStringView()) == p) {
      last_position_[p] = ReadBigEndian64(it->key().ToStringView(), 4);
    }
  }
  KafkaProperties properties = properties_;
  properties.emplace_back("enable.auto.commit", "false");
  properties.emplace_back("enable.auto.offset.store", "false");
  properties.emplace_back("isolation.level", "read_committed");
  properties.emplace_back("auto.offset.reset", "error");
  properties.emplace_back("enable.partition.eof", "true");
  properties.emplace_back("fetch.wait.max.ms", "20");
  properties.emplace_back("fetch.error.backoff.ms", "100");
  BOOST_OUTCOME_TRY(consumer_, NewKafkaClient(RD_KAFKA_CONSUMER, properties));
  rd_kafka_poll_set_consumer(consumer_.get());
  BOOST_OUTCOME_TRY(Assign(true));
  thread_ = std::thread([this] { Run(); });
  return Ok();
}

void KafkaReplica::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  cv_.notify_all();
  if (consumer_) {
    rd_kafka_consumer_close(consumer_.get());
    consumer_.reset();
  }
}

Result<void> KafkaReplica::Assign(bool from_stored) {
  rd_kafka_topic_partition_list_t* list =
      rd_kafka_topic_partition_list_new(static_cast<int>(next_.size()));
  auto add = [&](const std::string& topic, TopicKind kind, std::uint32_t count) {
    for (std::uint32_t p = 0; p < count; ++p) {
      std::int64_t offset;
      {
        std::lock_guard lock(mu_);
        offset = from_stored ? next_[Slot(kind, p)] : kFromBeginning;
      }
      rd_kafka_topic_partition_list_add(list, topic.c_str(), static_cast<std::int32_t>(p))->offset =
          offset;
    }
  };
  add(topics_.events, TopicKind::kEvents, topics_.partitions);
  add(topics_.idempotency, TopicKind::kIdempotency, topics_.partitions);
  add(topics_.keys, TopicKind::kKeys, topics_.key_partitions);
  rd_kafka_resp_err_t err = rd_kafka_assign(consumer_.get(), list);
  rd_kafka_topic_partition_list_destroy(list);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return FromKafka(err, "assign the replica's partitions");
  return Ok();
}

void KafkaReplica::SetError(std::string message) {
  std::lock_guard lock(mu_);
  last_error_ = std::move(message);
}

std::string KafkaReplica::last_error() const {
  std::lock_guard lock(mu_);
  return last_error_;
}

void KafkaReplica::Run() {
  std::vector<rd_kafka_message_t*> batch;
  struct Eof {
    std::size_t slot;
    std::int64_t offset;
  };
  std::vector<Eof> eofs;
  auto release = [&] {
    for (auto* m : batch) rd_kafka_message_destroy(m);
    batch.clear();
  };
  while (!stopping_) {
    bool reset = false;
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(5);
    int wait_ms = 100;
    while (batch.size() < 4096) {
      rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer_.get(), wait_ms);
      if (m == nullptr) break;
      wait_ms = 0;
      if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        batch.push_back(m);
      } else if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        std::string_view topic = rd_kafka_topic_name(m->rkt);
        TopicKind kind = topic == topics_.events        ? TopicKind::kEvents
                         : topic == topics_.idempotency ? TopicKind::kIdempotency
                                                        : TopicKind::kKeys;
        eofs.push_back({Slot(kind, static_cast<std::uint32_t>(m->partition)), m->offset});
        rd_kafka_message_destroy(m);
      } else if (m->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET ||
                 m->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE) {
        rd_kafka_message_destroy(m);
        reset = true;
        break;
      } else {
        SetError(FromKafka(m->err, "replica").message);
        rd_kafka_message_destroy(m);
      }
      if (std::chrono::steady_clock::now() >= until) break;
    }
    if (reset) {
      release();
      eofs.clear();
      if (auto ok = Reset(); !ok) {
        SetError(ok.error().message);
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
      }
      continue;
    }
    if (!batch.empty()) {
      if (auto ok = Apply(batch); !ok) {
        // Nothing of the batch was written: read it again from the stored offsets.
        SetError(ok.error().message);
        release();
        eofs.clear();
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        (void)Assign(true);
        continue;
      }
      release();
    }
    if (!eofs.empty()) {
      {
        std::lock_guard lock(mu_);
        for (const auto& eof : eofs) next_[eof.slot] = std::max(next_[eof.slot], eof.offset);
      }
      cv_.notify_all();
      eofs.clear();
    }
  }
  release();
}

Result<void> KafkaReplica::Apply(std::vector<rd_kafka_message_t*>& messages) {
  rocksdb::WriteBatch batch;
  std::unordered_map<std::string, StreamHead> heads;
  std::unordered_set<std::string> ids;
  std::unordered_map<std::size_t, std::int64_t> next;
  std::unordered_map<std::uint32_t, std::uint64_t> last;
  std::uint64_t duplicates = 0, rejected = 0;
  std::string reject_reason;
  for (rd_kafka_message_t* m : messages) {
    std::string_view topic = rd_kafka_topic_name(m->rkt);
    auto partition = static_cast<std::uint32_t>(m->partition);
    std::string_view key(static_cast<const char*>(m->key), m->key_len);
    std::string_view value(static_cast<const char*>(m->payload), m->len);
    TopicKind kind = topic == topics_.events        ? TopicKind::kEvents
                     : topic == topics_.idempotency ? TopicKind::kIdempotency
                                                    : TopicKind::kKeys;
    std::size_t slot = Slot(kind, partition);
    next[slot] = m->offset + 1;
    batch.Put(offsets_, OffsetKey(kind, partition), BigEndian64(static_cast<std::uint64_t>(m->offset + 1)));
    if (kind == TopicKind::kIdempotency || kind == TopicKind::kKeys) {
      auto* family = kind == TopicKind::kKeys ? keys_ : idempotency_;
      if (m->payload == nullptr) {
        batch.Delete(family, key);
      } else {
        batch.Put(family, key, value);
      }
      continue;
    }
    auto reject = [&](std::string why) {
      ++rejected;
      reject_reason = fmt::format("kafka replica: skipped {}[{}] offset {}: {}", topic,
                                  partition, m->offset, why);
    };
    auto verified = VerifyEnvelope(value);
    if (!verified) {
      reject(verified.error().message);
      continue;
    }
    const schema::Envelope* envelope = verified.value();
    Uuid id;
    std::memcpy(id.bytes.data(), envelope->event_id()->bytes()->data(), id.bytes.size());
    std::string id_key(IdBytes(id));
    // An event id already applied is a duplicate (a retried send, or a transaction protocol
    // edge case): drop it, whatever offset it arrived at.
    if (ids.contains(id_key)) {
      ++duplicates;
      continue;
    }
    std::string found;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), event_ids_, id_key, &found);
    if (s.ok()) {
      ++duplicates;
      continue;
    }
    if (!s.IsNotFound()) return FromRocks(s, "kafka replica: read event ids");
    std::string stream(envelope->stream_id()->string_view());
    if (partition >= topics_.partitions ||
        PartitionOfStream(stream, topics_.partitions) != partition) {
      reject("the stream belongs to another partition");
      continue;
    }
    StreamHead head;
    if (auto it = heads.find(stream); it != heads.end()) {
      head = it->second;
    } else {
      std::string stored;
      s = db_->Get(rocksdb::ReadOptions(), streams_, stream, &stored);
      if (s.ok()) {
        BOOST_OUTCOME_TRY(head, DecodeStreamHead(stored));
      } else if (!s.IsNotFound()) {
        return FromRocks(s, "kafka replica: read stream head");
      }
    }
    std::string_view prev(reinterpret_cast<const char*>(envelope->prev_hash()->data()),
                          kHashSize);
    bool continues = envelope->stream_version() == head.version + 1 &&
                     (head.version == 0 ? prev == std::string(kHashSize, '\0') : prev == head.hash);
    if (!continues || !HashMatches(*envelope)) {
      reject(fmt::format("does not continue stream version {}", head.version));
      continue;
    }
    std::uint64_t position = static_cast<std::uint64_t>(m->offset) + 1;
    std::string where;
    AppendBigEndian32(where, partition);
    AppendBigEndian64(where, position);
    batch.Put(events_, EventKey(partition, position), value);
    batch.Put(index_, IndexKey(stream, envelope->stream_version()), where);
    batch.Put(event_ids_, id_key, where);
    head.version = envelope->stream_version();
    head.hash.assign(reinterpret_cast<const char*>(envelope->hash()->data()), kHashSize);
    head.position = {partition, position};
    batch.Put(streams_, stream, EncodeStreamHead(head));
    heads[stream] = std::move(head);
    ids.insert(std::move(id_key));
    last[partition] = position;
  }
  BOOST_OUTCOME_TRY(CheckRocks(db_->Write(rocksdb::WriteOptions(), &batch), "kafka replica: write"));
  {
    std::lock_guard lock(mu_);
    for (auto [slot, offset] : next) next_[slot] = std::max(next_[slot], offset);
    for (auto [partition, position] : last) last_position_[partition] = position;
    if (rejected > 0) last_error_ = reject_reason;
  }
  duplicates_ += duplicates;
  rejected_ += rejected;
  cv_.notify_all();
  return Ok();
}

Result<void> KafkaReplica::Reset() {
  rd_kafka_assign(consumer_.get(), nullptr);
  rocksdb::WriteBatch batch;
  const std::string end(256, '\xff');
  for (auto* family : {events_, streams_, index_, event_ids_, idempotency_, offsets_}) {
    batch.DeleteRange(family, "", end);
  }
  rocksdb::WriteOptions options;
  options.sync = true;
  BOOST_OUTCOME_TRY(CheckRocks(db_->Write(options, &batch), "kafka replica: reset"));
  {
    std::lock_guard lock(mu_);
    std::fill(next_.begin(), next_.end(), kFromBeginning);
    std::fill(last_position_.begin(), last_position_.end(), 0);
    last_error_ =
        "kafka replica: a stored offset is no longer in the log (retention moved past it); the "
        "replica started again from the earliest offset and the projections are rebuilt";
  }
  ++resets_;
  ++epoch_;
  cv_.notify_all();
  return Assign(false);
}

Result<void> KafkaReplica::WaitFor(TopicKind kind, std::uint32_t partition,
                                   std::int64_t next_offset, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  std::size_t slot = Slot(kind, partition);
  if (cv_.wait_for(lock, timeout, [&] { return next_[slot] >= next_offset || stopping_.load(); }) &&
      next_[slot] >= next_offset) {
    return Ok();
  }
  return MakeError(Code::kTimeout,
                   fmt::format("kafka replica: partition {} has not reached offset {} (at {})",
                               partition, next_offset, next_[slot]));
}

std::int64_t KafkaReplica::NextOffset(TopicKind kind, std::uint32_t partition) const {
  std::lock_guard lock(mu_);
  return next_[Slot(kind, partition)];
}

std::uint64_t KafkaReplica::LastPosition(std::uint32_t partition) const {
  std::lock_guard lock(mu_);
  return partition < last_position_.size() ? last_position_[partition] : 0;
}

bool KafkaReplica::WaitBeyond(std::uint32_t partition, std::uint64_t position,
                              std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, wait,
                      [&] { return last_position_[partition] > position || stopping_.load(); }) &&
         last_position_[partition] > position;
}

Result<StreamHead> KafkaReplica::Head(std::string_view stream_id) {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), streams_, stream_id, &value);
  if (s.IsNotFound()) return StreamHead{};
  BOOST_OUTCOME_TRY(CheckRocks(s, "kafka replica: read stream head"));
  return DecodeStreamHead(value);
}

Result<std::vector<RecordedEvent>> KafkaReplica::ReadStream(std::string_view stream_id,
                                                            std::uint64_t from_version,
                                                            std::size_t max) {
  std::string prefix(stream_id);
  prefix.push_back('\0');
  std::uint64_t expected = std::max<std::uint64_t>(from_version, 1);
  std::vector<std::string> keys;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), index_));
  for (it->Seek(IndexKey(stream_id, expected)); it->Valid() && keys.size() < max; it->Next()) {
    if (!it->key().starts_with(prefix)) break;
    if (it->value().size() != 12) return MakeError(Code::kCorruption, "kafka replica: malformed index");
    keys.push_back(it->value().ToString());
  }
  BOOST_OUTCOME_TRY(CheckRocks(it->status(), "kafka replica: read stream index"));
  std::vector<RecordedEvent> events;
  events.reserve(keys.size());
  for (const auto& key : keys) {
    RecordedEvent event;
    event.position = {ReadBigEndian32(key), ReadBigEndian64(key, 4)};
    BOOST_OUTCOME_TRY(CheckRocks(db_->Get(rocksdb::ReadOptions(), events_, key, &event.bytes),
                                 "kafka replica: read event"));
    BOOST_OUTCOME_TRY(auto* envelope, VerifyEnvelope(event.bytes));
    if (envelope->stream_id()->string_view() != stream_id ||
        envelope->stream_version() != expected) {
      return MakeError(Code::kCorruption,
                       "kafka replica: stream index entry does not match its event");
    }
    ++expected;
    events.push_back(std::move(event));
  }
  return events;
}

Result<std::optional<IdempotencyRecord>> KafkaReplica::FindIdempotent(std::string_view scope) {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), idempotency_, scope, &value);
  if (s.IsNotFound()) return std::optional<IdempotencyRecord>();
  BOOST_OUTCOME_TRY(CheckRocks(s, "kafka replica: read idempotency record"));
  BOOST_OUTCOME_TRY(auto record, DecodeIdempotencyRecord(value));
  return std::optional<IdempotencyRecord>(std::move(record));
}

Result<std::optional<Position>> KafkaReplica::FindEvent(const Uuid& event_id) {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), event_ids_, IdBytes(event_id), &value);
  if (s.IsNotFound()) return std::optional<Position>();
  BOOST_OUTCOME_TRY(CheckRocks(s, "kafka replica: read event ids"));
  if (value.size() != 12) return MakeError(Code::kCorruption, "kafka replica: malformed event id entry");
  return std::optional<Position>(Position{ReadBigEndian32(value), ReadBigEndian64(value, 4)});
}

std::unique_ptr<LogReader> KafkaReplica::OpenReader(std::uint32_t partition,
                                                    std::uint64_t after_offset) {
  return std::make_unique<Reader>(*this, partition, after_offset);
}

}  // namespace caseledger::ledger
