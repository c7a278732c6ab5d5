#include "ledger/kafka_log.h"

#include <fmt/format.h>

#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>

#include "append_validation.h"
#include "kafka_client.h"
#include "kafka_replica.h"
#include "ledger/envelope.h"
#include "ledger/idempotency.h"

namespace caseledger::ledger {

std::optional<std::string> ParseKafkaUri(std::string_view uri) {
  constexpr std::string_view kScheme = "kafka://";
  if (!uri.starts_with(kScheme)) return std::nullopt;
  std::string rest(uri.substr(kScheme.size()));
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.empty()) return std::nullopt;
  return rest;
}

std::uint32_t PartitionOfStream(std::string_view stream_id, std::uint32_t partitions) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : stream_id) {
    h ^= c;
    h *= 16777619u;
  }
  return partitions == 0 ? 0 : h % partitions;
}

namespace {

using Clock_ = std::chrono::steady_clock;

// Where one produced message ended up, filled by the delivery report.
struct Delivery {
  std::int32_t partition = -1;
  std::int64_t offset = -1;
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
  std::atomic<bool> done{false};  // set last, with release order
};

// Wakes callers waiting for a delivery report (the key mirror: its reports are served by a
// poller thread, not by the waiting caller).
struct DeliverySignal {
  std::mutex mu;
  std::condition_variable cv;
};

void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto* d = static_cast<Delivery*>(m->_private);
  if (d == nullptr) return;
  d->partition = m->partition;
  d->offset = m->offset;
  d->err = m->err;
  d->done.store(true, std::memory_order_release);
  if (auto* signal = static_cast<DeliverySignal*>(opaque)) {
    { std::lock_guard lock(signal->mu); }  // a waiter between its check and its wait sees it
    signal->cv.notify_all();
  }
}

void SetDeliveryCallback(rd_kafka_conf_t* conf, void*) {
  rd_kafka_conf_set_dr_msg_cb(conf, OnDelivery);
}

std::string OwnedName(const std::vector<std::uint32_t>& owned, std::uint32_t partitions) {
  if (owned.size() == partitions) return "all";
  std::string name;
  for (auto p : owned) name += (name.empty() ? "" : "-") + std::to_string(p);
  return name;
}

class KafkaLogImpl final : public KafkaLog, public KeyMirror {
 public:
  KafkaLogImpl(Store& store, const Clock& clock, KafkaLogOptions options, KafkaProperties base)
      : clock_(clock), options_(std::move(options)), base_(std::move(base)) {
    topics_.events = options_.topic_prefix + "events";
    topics_.idempotency = options_.topic_prefix + "idempotency";
    topics_.keys = options_.topic_prefix + "keys";
    topics_.partitions = options_.partitions;
    topics_.key_partitions = 1;
    if (options_.owned.empty()) {
      for (std::uint32_t p = 0; p < options_.partitions; ++p) options_.owned.push_back(p);
    }
    std::sort(options_.owned.begin(), options_.owned.end());
    owned_.assign(options_.partitions, false);
    for (auto p : options_.owned) owned_[p] = true;
    KafkaProperties consumer = base_;
    consumer.emplace_back("group.id", options_.topic_prefix + "replica");
    replica_ = std::make_unique<KafkaReplica>(store, topics_, consumer);
  }

  ~KafkaLogImpl() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    queue_cv_.notify_all();
    if (writer_.joinable()) writer_.join();
    mirror_stop_ = true;
    if (mirror_poller_.joinable()) mirror_poller_.join();
    if (mirror_) rd_kafka_flush(mirror_.get(), 5000);
    replica_->Stop();
  }

  Result<void> Init() {
    for (auto p : options_.owned) {
      if (p >= options_.partitions) {
        return InvalidField("kafka.owned", fmt::format("partition {} is not below the partition "
                                                       "count {}", p, options_.partitions));
      }
    }
    // One non-transactional, idempotent producer for admin calls and the keys topic.
    KafkaProperties props = base_;
    props.emplace_back("enable.idempotence", "true");
    props.emplace_back("acks", "all");
    props.emplace_back("linger.ms", "0");
    BOOST_OUTCOME_TRY(mirror_, NewKafkaClient(RD_KAFKA_PRODUCER, props, SetDeliveryCallback,
                                              &mirror_signal_));
    mirror_poller_ = std::thread([this] {
      while (!mirror_stop_) rd_kafka_poll(mirror_.get(), 50);
    });
    if (options_.create_topics) {
      std::string rf = std::to_string(options_.replication_factor);
      std::string isr = std::to_string(options_.min_insync_replicas);
      KafkaProperties common{{"min.insync.replicas", isr},
                             {"unclean.leader.election.enable", "false"},
                             {"max.message.bytes", std::to_string(options_.max_request_bytes + (1u << 20))}};
      KafkaProperties events = common;
      events.emplace_back("cleanup.policy", "delete");
      events.emplace_back("retention.ms", "-1");
      events.emplace_back("retention.bytes", "-1");
      KafkaProperties compacted = common;
      compacted.emplace_back("cleanup.policy", "compact");
      BOOST_OUTCOME_TRY(EnsureWithRetry({
          {topics_.events, static_cast<int>(options_.partitions), options_.replication_factor, events},
          {topics_.idempotency, static_cast<int>(options_.partitions), options_.replication_factor,
           compacted},
          {topics_.keys, 1, options_.replication_factor, compacted},
      }));
    } else {
      auto found = TopicPartitions(mirror_.get(), topics_.events, options_.open_timeout);
      if (!found) return MakeError(Code::kUnavailable, found.error().message);  // as above
      const int n = found.value();
      if (n != static_cast<int>(options_.partitions)) {
        return InvalidField("kafka.partitions",
                            fmt::format("topic {} has {} partitions; this node is configured for {}",
                                        topics_.events, n, options_.partitions));
      }
    }
    BOOST_OUTCOME_TRY(replica_->Start());
    if (options_.read_only) {
      BOOST_OUTCOME_TRY(CatchUp(options_.open_timeout));
      return Ok();
    }
    writer_ = std::thread([this] { WriterLoop(); });
    std::unique_lock lock(mu_);
    if (!ready_cv_.wait_for(lock, options_.open_timeout, [&] { return ready_ || fenced_; })) {
      return MakeError(Code::kUnavailable,
                       fmt::format("kafka: the writer could not start within {} ms: {}",
                                   options_.open_timeout.count(), connect_error_));
    }
    return Ok();
  }

  // EventLog ------------------------------------------------------------------------------

  void AppendAsync(AppendRequest request, AppendCallback done) override {
    if (auto ok = ValidateAppendRequest(request, options_.max_request_bytes); !ok) {
      done(ok.error());
      return;
    }
    if (request.command_fingerprint.empty()) request.command_fingerprint = FingerprintOf(request);
    Enqueue(Pending{std::move(request), {}, std::move(done), Clock_::now() + options_.append_timeout});
  }

  Result<std::optional<IdempotencyRecord>> FindIdempotent(std::string_view user_id,
                                                          std::string_view key) override {
    std::string scope = IdempotencyScope(user_id, key);
    {
      std::lock_guard lock(overlay_mu_);
      auto it = pending_keys_.find(scope);
      if (it != pending_keys_.end()) return std::optional<IdempotencyRecord>(it->second);
    }
    return replica_->FindIdempotent(scope);
  }

  Result<StreamHead> Head(std::string_view stream_id) override {
    {
      std::lock_guard lock(overlay_mu_);
      auto it = pending_heads_.find(std::string(stream_id));
      if (it != pending_heads_.end()) return it->second;
    }
    return replica_->Head(stream_id);
  }

  Result<std::vector<RecordedEvent>> ReadStream(std::string_view stream_id,
                                                std::uint64_t from_version,
                                                std::size_t max) override {
    // Read your own writes: wait until the replica holds what this writer committed.
    std::optional<Position> written;
    {
      std::lock_guard lock(overlay_mu_);
      auto it = pending_heads_.find(std::string(stream_id));
      if (it != pending_heads_.end()) written = it->second.position;
    }
    if (written && !replica_->WaitBeyond(written->partition, written->offset - 1,
                                         options_.call_timeout)) {
      return MakeError(Code::kUnavailable,
                       "kafka: the local replica has not yet read events this node wrote");
    }
    return replica_->ReadStream(stream_id, from_version, max);
  }

  std::uint32_t partition_count() const override { return options_.partitions; }
  std::uint32_t PartitionOf(std::string_view stream_id) const override {
    return PartitionOfStream(stream_id, options_.partitions);
  }
  bool Owns(std::string_view stream_id) const override {
    return !options_.read_only && owned_[PartitionOf(stream_id)];
  }

  Result<std::uint64_t> EndOffset(std::uint32_t partition) override {
    if (partition >= options_.partitions) return MakeError(Code::kNotFound, "kafka: no such partition");
    return replica_->LastPosition(partition);
  }

  Result<std::unique_ptr<LogReader>> OpenReader(std::uint32_t partition,
                                                std::uint64_t after_offset) override {
    if (partition >= options_.partitions) return MakeError(Code::kNotFound, "kafka: no such partition");
    return replica_->OpenReader(partition, after_offset);
  }

  std::uint64_t epoch() const override { return replica_->epoch(); }

  // KafkaLog --------------------------------------------------------------------------------

  KafkaLogStats stats() const override {
    std::lock_guard lock(stats_mu_);
    KafkaLogStats s = stats_;
    s.duplicates_dropped = replica_->duplicates_dropped();
    s.replica_resets = replica_->resets();
    return s;
  }

  bool fenced() const override {
    std::lock_guard lock(mu_);
    return fenced_;
  }

  Result<void> CatchUp(std::chrono::milliseconds timeout) override {
    auto deadline = Clock_::now() + timeout;
    for (std::uint32_t p = 0; p < options_.partitions; ++p) {
      BOOST_OUTCOME_TRY(WaitEnd(TopicKind::kEvents, topics_.events, p, deadline));
      BOOST_OUTCOME_TRY(WaitEnd(TopicKind::kIdempotency, topics_.idempotency, p, deadline));
    }
    return WaitEnd(TopicKind::kKeys, topics_.keys, 0, deadline);
  }

  Result<void> Import(const std::vector<std::string>& envelopes) override {
    std::promise<Result<AppendResult>> promise;
    auto future = promise.get_future();
    Enqueue(Pending{{}, envelopes,
                    [&promise](Result<AppendResult> r) { promise.set_value(std::move(r)); },
                    Clock_::now() + options_.append_timeout});
    BOOST_OUTCOME_TRY(future.get());
    return Ok();
  }

  // KeyMirror ------------------------------------------------------------------------------

  Result<void> Put(std::string_view key, std::string_view value) override {
    return Mirror(key, value.data() == nullptr ? "" : value, false);
  }
  Result<void> Erase(std::string_view key) override { return Mirror(key, {}, true); }

  KeyMirror& key_mirror() override { return *this; }

 private:
  struct Pending {
    AppendRequest request;
    std::vector<std::string> imported;  // Import: envelopes to write as they are
    AppendCallback done;
    Clock_::time_point deadline;
  };

  // One message of a transaction.
  struct Outgoing {
    Outgoing(std::size_t r, std::uint32_t p, std::string k, std::string v)
        : request(r), partition(p), key(std::move(k)), value(std::move(v)) {}
    std::size_t request = 0;
    std::uint32_t partition = 0;
    std::string key;
    std::string value;
    Delivery delivery;
  };

  // An append checked against the heads and turned into messages.
  struct Staged {
    std::vector<Pending> group;
    std::vector<std::optional<Result<AppendResult>>> outcomes;
    std::vector<std::size_t> duplicate_of;
    // Deques: the producer holds each message's Delivery address until its report is served.
    std::deque<Outgoing> messages;
    std::deque<Outgoing> records;  // idempotency records
    std::unordered_map<std::string, StreamHead> heads;
    std::map<std::string, std::pair<std::size_t, std::string>> keys;  // scope -> request, fingerprint
  };

  static constexpr std::size_t kNone = ~std::size_t{0};

  Result<void> EnsureWithRetry(const std::vector<TopicSpec>& topics) {
    auto deadline = Clock_::now() + options_.open_timeout;
    for (;;) {
      auto ok = EnsureTopics(mirror_.get(), topics, options_.call_timeout);
      if (ok || ok.error().code == Code::kInvalidArgument) return ok;
      // No answer within open_timeout is kUnavailable (OpenKafkaLog's contract), not the
      // kTimeout of the last call.
      if (Clock_::now() >= deadline) return MakeError(Code::kUnavailable, ok.error().message);
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }

  Result<void> WaitEnd(TopicKind kind, const std::string& topic, std::uint32_t partition,
                       Clock_::time_point deadline) {
    auto left = [&] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock_::now());
    };
    BOOST_OUTCOME_TRY(auto end, HighWatermark(mirror_.get(), topic, static_cast<std::int32_t>(partition),
                                              std::max(left(), std::chrono::milliseconds(1))));
    return replica_->WaitFor(kind, partition, end, std::max(left(), std::chrono::milliseconds(0)));
  }

  Result<void> Mirror(std::string_view key, std::string_view value, bool erase) {
    auto delivery = std::make_unique<Delivery>();
    rd_kafka_resp_err_t err = rd_kafka_producev(
        mirror_.get(), RD_KAFKA_V_TOPIC(topics_.keys.c_str()), RD_KAFKA_V_PARTITION(0),
        RD_KAFKA_V_KEY(key.data(), key.size()),
        RD_KAFKA_V_VALUE(erase ? nullptr : const_cast<char*>(value.data()), erase ? 0 : value.size()),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(delivery.get()), RD_KAFKA_V_END);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return FromKafka(err, "write a personal-data key");
    // The poller thread serves the delivery report and signals.
    auto deadline = Clock_::now() + options_.append_timeout;
    {
      std::unique_lock lock(mirror_signal_.mu);
      mirror_signal_.cv.wait_until(lock, deadline, [&] {
        return delivery->done.load(std::memory_order_acquire);
      });
    }
    if (!delivery->done.load(std::memory_order_acquire)) {
      // The report may still come: keep its slot alive as long as the producer.
      std::lock_guard lock(stats_mu_);
      abandoned_.push_back(std::move(delivery));
      return MakeError(Code::kTimeout, "kafka: writing a personal-data key timed out");
    }
    if (delivery->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return FromKafka(delivery->err, "write a personal-data key");
    }
    return Ok();
  }

  void Enqueue(Pending pending) {
    {
      std::lock_guard lock(mu_);
      Error refused;
      if (options_.read_only) {
        refused = MakeError(Code::kUnavailable, "kafka: this node is a read-only replica");
      } else if (fenced_) {
        refused = FencedError();
      } else if (stopping_) {
        refused = MakeError(Code::kUnavailable, "log: shutting down");
      } else if (queue_.size() >= options_.max_queued_requests) {
        refused = MakeError(Code::kUnavailable, "log: too many appends waiting; retry later");
      } else {
        queue_.push_back(std::move(pending));
        refused.code = Code::kInternal;
        refused.message.clear();
      }
      if (!refused.message.empty()) {
        pending.done(refused);
        return;
      }
    }
    queue_cv_.notify_one();
  }

  static Error FencedError() {
    return MakeError(Code::kFenced,
                     "kafka: another writer with this node's transactional.id took over its "
                     "partitions; this node no longer writes");
  }

  // Writer thread --------------------------------------------------------------------------

  void WriterLoop() {
    while (!stopping_.load()) {
      if (fenced()) {
        AnswerAll(FencedError());
        std::unique_lock lock(mu_);
        queue_cv_.wait_for(lock, std::chrono::milliseconds(200));
        continue;
      }
      if (!producer_) {
        if (!Connect()) {
          ExpireQueued();
          std::this_thread::sleep_for(std::chrono::milliseconds(250));
        }
        continue;
      }
      std::vector<Pending> group;
      {
        std::unique_lock lock(mu_);
        queue_cv_.wait_for(lock, std::chrono::milliseconds(100),
                           [&] { return stopping_.load() || !queue_.empty(); });
        while (!queue_.empty() && group.size() < options_.max_group_requests) {
          group.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      if (!group.empty()) Send(std::move(group));
      TrimOverlay();
    }
    AnswerAll(MakeError(Code::kUnavailable, "log: shutting down"));
  }

  void AnswerAll(const Error& error) {
    std::deque<Pending> queue;
    {
      std::lock_guard lock(mu_);
      queue.swap(queue_);
    }
    for (auto& p : queue) p.done(error);
  }

  void ExpireQueued() {
    std::vector<Pending> expired;
    {
      std::lock_guard lock(mu_);
      auto now = Clock_::now();
      for (auto it = queue_.begin(); it != queue_.end();) {
        if (it->deadline <= now) {
          expired.push_back(std::move(*it));
          it = queue_.erase(it);
        } else {
          ++it;
        }
      }
    }
    for (auto& p : expired) {
      p.done(MakeError(Code::kUnavailable,
                       "kafka: the cluster did not take the append in time; nothing was written"));
    }
  }

  // Creates the transactional producer (fencing any earlier one with the same id and settling its
  // open transaction) and reads the owned partitions to the end.
  bool Connect() {
    KafkaProperties props = base_;
    props.emplace_back("transactional.id",
                       options_.topic_prefix + "writer-" + OwnedName(options_.owned, options_.partitions));
    props.emplace_back("enable.idempotence", "true");
    props.emplace_back("acks", "all");
    props.emplace_back("linger.ms", "1");
    props.emplace_back("batch.num.messages", "10000");
    props.emplace_back("message.max.bytes", std::to_string(options_.max_request_bytes + (1u << 20)));
    props.emplace_back("transaction.timeout.ms", "60000");
    props.emplace_back("message.timeout.ms",
                       std::to_string(std::max<std::int64_t>(options_.call_timeout.count(), 1000)));
    auto producer = NewKafkaClient(RD_KAFKA_PRODUCER, props, SetDeliveryCallback);
    if (!producer) return SetConnectError(producer.error().message);
    KafkaError error(rd_kafka_init_transactions(producer.value().get(),
                                                static_cast<int>(options_.call_timeout.count())));
    if (error) return SetConnectError(FromKafka(error.get(), "start a transactional writer").message);
    producer_ = std::move(producer).value();
    auto deadline = Clock_::now() + options_.open_timeout;
    for (auto p : options_.owned) {
      auto events = WaitEnd(TopicKind::kEvents, topics_.events, p, deadline);
      auto keys = events ? WaitEnd(TopicKind::kIdempotency, topics_.idempotency, p, deadline) : events;
      if (!keys) {
        ResetProducer();
        return SetConnectError(keys.error().message);
      }
    }
    {
      std::lock_guard lock(mu_);
      ready_ = true;
      connect_error_.clear();
    }
    ready_cv_.notify_all();
    return true;
  }

  // Destroys the producer; no delivery report can come after, so retired slots go too.
  void ResetProducer() {
    producer_.reset();
    retired_.clear();
  }

  bool SetConnectError(std::string message) {
    std::lock_guard lock(mu_);
    connect_error_ = std::move(message);
    return false;
  }

  // Checks every append of the group against the heads and idempotency records (this group's,
  // those this writer committed that the replica has not read yet, then the replica's) and
  // builds its messages. Appends refused here get their outcome now.
  void Stage(Staged& s) {
    const std::size_t n = s.group.size();
    s.outcomes.assign(n, std::nullopt);
    s.duplicate_of.assign(n, kNone);
    const Micros recorded_at = std::max(clock_.NowMicros(), last_recorded_at_);
    last_recorded_at_ = recorded_at;
    auto now = Clock_::now();
    for (std::size_t i = 0; i < n; ++i) {
      Pending& pending = s.group[i];
      if (pending.deadline <= now) {
        s.outcomes[i] = MakeError(Code::kUnavailable,
                                  "kafka: the cluster did not take the append in time; nothing "
                                  "was written");
        continue;
      }
      if (!pending.imported.empty()) {
        StageImport(s, i);
        continue;
      }
      const AppendRequest& request = pending.request;
      const CommandContext& context = request.context;
      std::string scope;
      if (!context.idempotency_key.empty()) {
        scope = IdempotencyScope(context.actor.user_id, context.idempotency_key);
        if (auto earlier = s.keys.find(scope); earlier != s.keys.end()) {
          if (earlier->second.second == request.command_fingerprint) {
            s.duplicate_of[i] = earlier->second.first;
          } else {
            s.outcomes[i] = IdempotencyMismatch();
          }
          continue;
        }
        auto stored = FindIdempotent(context.actor.user_id, context.idempotency_key);
        if (!stored) {
          s.outcomes[i] = stored.error();
          continue;
        }
        if (stored.value()) {
          if (stored.value()->fingerprint != request.command_fingerprint) {
            s.outcomes[i] = IdempotencyMismatch();
          } else {
            AppendResult result = std::move(stored.value()->result);
            result.deduplicated = true;
            s.outcomes[i] = std::move(result);
          }
          continue;
        }
      }
      std::vector<StreamHead> heads;
      for (const StreamAppend& stream : request.streams) {
        std::uint32_t partition = PartitionOf(stream.stream_id);
        if (!owned_[partition]) {
          s.outcomes[i] = MakeError(
              Code::kWrongNode,
              fmt::format("{} is in partition {}, which another node writes; send the command "
                          "to the node that owns partition {}",
                          stream.stream_id, partition, partition));
          break;
        }
        auto head = StagedHead(s, stream.stream_id);
        if (!head) {
          s.outcomes[i] = head.error();
          break;
        }
        if (stream.expected_version != kAnyVersion &&
            stream.expected_version != head.value().version) {
          s.outcomes[i] = Conflict(head.value().version, stream.expected_version);
          break;
        }
        heads.push_back(std::move(head).value());
      }
      if (s.outcomes[i]) continue;
      for (std::size_t j = 0; j < request.streams.size(); ++j) {
        const StreamAppend& stream = request.streams[j];
        StreamHead head = std::move(heads[j]);
        std::uint32_t partition = PartitionOf(stream.stream_id);
        for (const EventDraft& draft : stream.events) {
          EnvelopeFields f = NextEnvelope(draft, stream.stream_id, head, context, recorded_at);
          head.version = f.stream_version;
          head.hash.assign(reinterpret_cast<const char*>(f.hash.data()), kHashSize);
          head.position = {partition, 0};  // known once delivered
          s.messages.emplace_back(i, partition, stream.stream_id, EncodeEnvelope(f));
        }
        s.heads[stream.stream_id] = std::move(head);
      }
      if (!scope.empty()) s.keys[scope] = {i, request.command_fingerprint};
    }
  }

  void StageImport(Staged& s, std::size_t i) {
    std::vector<std::pair<std::uint32_t, std::string>> messages;  // partition, stream
    std::unordered_map<std::string, StreamHead> heads;
    for (const std::string& bytes : s.group[i].imported) {
      auto verified = VerifyEnvelope(bytes);
      if (!verified) {
        s.outcomes[i] = verified.error();
        return;
      }
      const schema::Envelope* e = verified.value();
      std::string stream(e->stream_id()->string_view());
      std::uint32_t partition = PartitionOf(stream);
      if (!owned_[partition]) {
        s.outcomes[i] = MakeError(Code::kWrongNode,
                                  fmt::format("partition {} is written by another node", partition));
        return;
      }
      StreamHead head;
      if (auto it = heads.find(stream); it != heads.end()) {
        head = it->second;
      } else {
        auto staged = StagedHead(s, stream);
        if (!staged) {
          s.outcomes[i] = staged.error();
          return;
        }
        head = std::move(staged).value();
      }
      std::string_view prev(reinterpret_cast<const char*>(e->prev_hash()->data()), kHashSize);
      bool continues = e->stream_version() == head.version + 1 &&
                       (head.version == 0 ? prev == std::string(kHashSize, '\0') : prev == head.hash);
      if (!continues || !HashMatches(*e)) {
        s.outcomes[i] = InvalidField(
            "envelope", fmt::format("must continue stream {} at version {} with its hash", stream,
                                    head.version + 1));
        return;
      }
      head.version = e->stream_version();
      head.hash.assign(reinterpret_cast<const char*>(e->hash()->data()), kHashSize);
      head.position = {partition, 0};
      messages.emplace_back(partition, stream);
      heads[stream] = std::move(head);
    }
    const auto& imported = s.group[i].imported;
    for (std::size_t k = 0; k < messages.size(); ++k) {
      s.messages.emplace_back(i, messages[k].first, messages[k].second, imported[k]);
    }
    for (auto& [stream, head] : heads) s.heads[stream] = std::move(head);
  }

  Result<StreamHead> StagedHead(const Staged& s, const std::string& stream) {
    if (auto it = s.heads.find(stream); it != s.heads.end()) return it->second;
    return Head(stream);
  }

  enum class Outcome { kCommitted, kAborted, kUnknown, kFenced };

  void Send(std::vector<Pending> group) {
    auto staged = std::make_unique<Staged>();
    Staged& s = *staged;
    s.group = std::move(group);
    Stage(s);
    if (s.messages.empty()) {
      Answer(s);
      return;
    }
    std::string failure;
    Outcome outcome = Transact(s, failure);
    switch (outcome) {
      case Outcome::kCommitted:
        Committed(s);
        break;
      case Outcome::kAborted:
        // Nothing of the group was written: send it again (same event ids) while time remains.
        Requeue(s);
        break;
      case Outcome::kFenced:
        Fence(s);
        break;
      case Outcome::kUnknown:
        Recover(s, failure);
        break;
    }
    // A report for a message of an aborted or failed transaction may still be waiting to be
    // served: keep the group's Delivery slots until the producer has none outstanding or is gone.
    if (producer_ && rd_kafka_outq_len(producer_.get()) > 0) retired_.push_back(std::move(staged));
  }

  // Runs one transaction: the group's events, then (once their offsets are known) the
  // idempotency records of the appends that carry a key.
  Outcome Transact(Staged& s, std::string& failure) {
    rd_kafka_t* rk = producer_.get();
    if (!retired_.empty() && rd_kafka_outq_len(rk) == 0) retired_.clear();
    const int timeout = static_cast<int>(options_.call_timeout.count());
    if (KafkaError e{rd_kafka_begin_transaction(rk)}) return Classify(e.get(), failure, false);
    for (Outgoing& m : s.messages) {
      if (!Produce(rk, topics_.events, m.partition, m.key, m.value, &m.delivery, failure)) {
        return AbortOrUnknown(failure);
      }
    }
    if (!s.keys.empty()) {
      if (rd_kafka_flush(rk, timeout) != RD_KAFKA_RESP_ERR_NO_ERROR ||
          !AllDelivered(s, failure)) {
        return AbortOrUnknown(failure);
      }
      std::deque<Outgoing>& records = s.records;
      for (auto& [scope, entry] : s.keys) {
        AppendResult result = ResultOf(s, entry.first);
        IdempotencyRecord record{entry.second, std::move(result)};
        std::uint32_t partition = PartitionOf(s.group[entry.first].request.streams.front().stream_id);
        records.emplace_back(entry.first, partition, scope, EncodeIdempotencyRecord(record));
      }
      for (Outgoing& m : records) {
        if (!Produce(rk, topics_.idempotency, m.partition, m.key, m.value, &m.delivery, failure)) {
          return AbortOrUnknown(failure);
        }
      }
      if (rd_kafka_flush(rk, timeout) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        failure = "kafka: idempotency records not delivered in time";
        return AbortOrUnknown(failure);
      }
      for (auto& m : records) {
        if (m.delivery.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
          failure = FromKafka(m.delivery.err, "write an idempotency record").message;
          return AbortOrUnknown(failure);
        }
      }
    }
    auto deadline = Clock_::now() + options_.append_timeout;
    for (;;) {
      KafkaError e{rd_kafka_commit_transaction(rk, timeout)};
      if (!e) break;
      if (rd_kafka_error_is_retriable(e.get()) && !rd_kafka_error_is_fatal(e.get()) &&
          Clock_::now() < deadline && !stopping_.load()) {
        continue;  // e.g. a timeout: committing again is safe and settles the outcome
      }
      return Classify(e.get(), failure, true);
    }
    if (!AllDelivered(s, failure)) return Outcome::kUnknown;  // cannot happen after a commit
    return Outcome::kCommitted;
  }

  bool Produce(rd_kafka_t* rk, const std::string& topic, std::uint32_t partition,
               const std::string& key, const std::string& value, Delivery* delivery,
               std::string& failure) {
    for (;;) {
      rd_kafka_resp_err_t err = rd_kafka_producev(
          rk, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(static_cast<std::int32_t>(partition)),
          RD_KAFKA_V_KEY(key.data(), key.size()),
          RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
          RD_KAFKA_V_OPAQUE(delivery), RD_KAFKA_V_END);  // no copy: the Staged group outlives it
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return true;
      if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        rd_kafka_poll(rk, 10);
        continue;
      }
      failure = FromKafka(err, "produce").message;
      return false;
    }
  }

  bool AllDelivered(const Staged& s, std::string& failure) {
    for (const Outgoing& m : s.messages) {
      if (!m.delivery.done.load(std::memory_order_acquire)) {
        failure = "kafka: an event was not delivered in time";
        return false;
      }
      if (m.delivery.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        failure = FromKafka(m.delivery.err, "deliver an event").message;
        return false;
      }
    }
    return true;
  }

  // After a failure before commit: abort if the producer can, else the outcome is unknown.
  Outcome AbortOrUnknown(std::string& failure) {
    rd_kafka_t* rk = producer_.get();
    char reason[512];
    if (rd_kafka_resp_err_t fatal = rd_kafka_fatal_error(rk, reason, sizeof reason)) {
      failure = fmt::format("kafka: fatal producer error: {}: {}", rd_kafka_err2name(fatal), reason);
      return IsFencedCode(fatal) ? Outcome::kFenced : Outcome::kUnknown;
    }
    return Abort(failure);
  }

  Outcome Abort(std::string& failure) {
    rd_kafka_t* rk = producer_.get();
    for (int attempt = 0; attempt < 3; ++attempt) {
      KafkaError e{rd_kafka_abort_transaction(rk, static_cast<int>(options_.call_timeout.count()))};
      if (!e) {
        std::lock_guard lock(stats_mu_);
        ++stats_.aborted;
        return Outcome::kAborted;
      }
      failure += "; abort: " + FromKafka(e.get(), "abort").message;
      if (IsFencedCode(rd_kafka_error_code(e.get()))) return Outcome::kFenced;
      if (rd_kafka_error_is_fatal(e.get()) || !rd_kafka_error_is_retriable(e.get())) break;
    }
    return Outcome::kUnknown;
  }

  Outcome Classify(rd_kafka_error_t* e, std::string& failure, bool committing) {
    failure = FromKafka(e, committing ? "commit" : "begin a transaction").message;
    if (IsFencedCode(rd_kafka_error_code(e))) return Outcome::kFenced;
    if (rd_kafka_error_is_fatal(e)) {
      char reason[512];
      if (rd_kafka_resp_err_t fatal = rd_kafka_fatal_error(producer_.get(), reason, sizeof reason)) {
        failure = fmt::format("kafka: fatal producer error: {}: {}", rd_kafka_err2name(fatal), reason);
        if (IsFencedCode(fatal)) return Outcome::kFenced;
      }
      return Outcome::kUnknown;
    }
    if (rd_kafka_error_txn_requires_abort(e)) return Abort(failure);
    return Outcome::kUnknown;
  }

  AppendResult ResultOf(const Staged& s, std::size_t request) const {
    AppendResult result;
    for (const Outgoing& m : s.messages) {
      if (m.request != request) continue;
      auto* e = flatbuffers::GetRoot<schema::Envelope>(m.value.data());
      Uuid id;
      std::memcpy(id.bytes.data(), e->event_id()->bytes()->data(), id.bytes.size());
      result.events.push_back({id, m.key, e->stream_version(),
                               Position{m.partition, static_cast<std::uint64_t>(m.delivery.offset) + 1}});
    }
    return result;
  }

  void Committed(Staged& s) {
    {
      std::lock_guard lock(stats_mu_);
      ++stats_.transactions;
    }
    for (std::size_t i = 0; i < s.group.size(); ++i) {
      if (!s.outcomes[i] && s.duplicate_of[i] == kNone) s.outcomes[i] = ResultOf(s, i);
    }
    {
      std::lock_guard lock(overlay_mu_);
      for (const Outgoing& m : s.messages) {
        StreamHead& head = s.heads[m.key];
        auto* e = flatbuffers::GetRoot<schema::Envelope>(m.value.data());
        if (e->stream_version() == head.version) {
          head.position = {m.partition, static_cast<std::uint64_t>(m.delivery.offset) + 1};
        }
      }
      for (auto& [stream, head] : s.heads) pending_heads_[stream] = head;
      for (auto& [scope, entry] : s.keys) {
        pending_keys_[scope] = IdempotencyRecord{entry.second, s.outcomes[entry.first]->value()};
      }
    }
    Answer(s);
  }

  void Answer(Staged& s) {
    for (std::size_t i = 0; i < s.group.size(); ++i) {
      if (s.duplicate_of[i] != kNone) {
        s.outcomes[i] = *s.outcomes[s.duplicate_of[i]];
        if (s.outcomes[i]->has_value()) s.outcomes[i]->value().deduplicated = true;
      }
    }
    for (std::size_t i = 0; i < s.group.size(); ++i) {
      if (s.outcomes[i]) s.group[i].done(std::move(*s.outcomes[i]));
    }
  }

  // Puts back, in front of the queue and in their order, the appends whose outcome is not
  // decided, so the next group sends them again with the same event ids.
  void Requeue(Staged& s) {
    std::vector<Pending> again;
    std::vector<std::size_t> decided;
    for (std::size_t i = 0; i < s.group.size(); ++i) {
      bool undecided = s.duplicate_of[i] != kNone || !s.outcomes[i];
      if (undecided) {
        again.push_back(std::move(s.group[i]));
      } else {
        s.group[i].done(std::move(*s.outcomes[i]));
      }
    }
    std::lock_guard lock(mu_);
    for (auto it = again.rbegin(); it != again.rend(); ++it) queue_.push_front(std::move(*it));
  }

  void Fence(Staged& s) {
    {
      std::lock_guard lock(mu_);
      fenced_ = true;
    }
    ready_cv_.notify_all();
    {
      std::lock_guard lock(stats_mu_);
      stats_.last_fatal = "fenced";
    }
    ResetProducer();
    for (std::size_t i = 0; i < s.group.size(); ++i) {
      if (s.outcomes[i]) {
        s.group[i].done(std::move(*s.outcomes[i]));
      } else {
        // The transaction was not committed by this writer; whether the new one's start
        // settled it before or after our commit reached the broker is not known here.
        Error e = FencedError();
        e.message += " (this append's outcome is unknown: retry it on the new writer)";
        s.group[i].done(e);
      }
    }
    AnswerAll(FencedError());
  }

  // The outcome of the group's transaction is unknown (a fatal producer error such as a
  // sequence desynchronization, or a commit that never answered). A new producer with the same
  // transactional.id settles it: once it has started, the old transaction is either committed or
  // aborted for good. Then read to the end and answer from what is there.
  void Recover(Staged& s, const std::string& failure) {
    {
      std::lock_guard lock(stats_mu_);
      stats_.last_fatal = failure;
      ++stats_.producer_restarts;
    }
    ResetProducer();
    while (!Connect()) {
      if (stopping_.load()) break;
      if (fenced()) return Fence(s);
      ExpireQueued();
      auto now = Clock_::now();
      for (std::size_t i = 0; i < s.group.size(); ++i) {
        if (!s.outcomes[i] && s.duplicate_of[i] == kNone && s.group[i].deadline <= now) {
          Error e = MakeError(Code::kTimeout,
                              "kafka: the outcome of this append is unknown (" + failure +
                                  "); retry with the same idempotency key");
          s.outcomes[i] = e;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    if (stopping_.load() && !producer_) {
      for (std::size_t i = 0; i < s.group.size(); ++i) {
        if (!s.outcomes[i] && s.duplicate_of[i] == kNone) {
          s.outcomes[i] = MakeError(Code::kTimeout, "kafka: shutting down; outcome unknown");
        }
      }
      Answer(s);
      return;
    }
    bool resend = false;
    std::size_t present = 0;
    for (std::size_t i = 0; i < s.group.size(); ++i) {
      if (s.outcomes[i] || s.duplicate_of[i] != kNone) continue;
      auto found = FindCommitted(s, i);
      if (found) {
        s.outcomes[i] = std::move(*found);
        ++present;
      } else {
        resend = true;
      }
    }
    {
      std::lock_guard lock(stats_mu_);
      stats_.recovered_present += present;
      if (resend) ++stats_.resent_groups;
    }
    // Answer what is decided (committed, or timed out); send the rest again.
    Requeue(s);
  }

  // The result of append `i` if its events are in the replica (all of them), else nullopt.
  std::optional<Result<AppendResult>> FindCommitted(const Staged& s, std::size_t i) {
    AppendResult result;
    std::size_t found = 0, total = 0;
    for (const Outgoing& m : s.messages) {
      if (m.request != i) continue;
      ++total;
      auto* e = flatbuffers::GetRoot<schema::Envelope>(m.value.data());
      Uuid id;
      std::memcpy(id.bytes.data(), e->event_id()->bytes()->data(), id.bytes.size());
      auto where = replica_->FindEvent(id);
      if (!where) return Result<AppendResult>(where.error());
      if (!where.value()) continue;
      ++found;
      result.events.push_back({id, m.key, e->stream_version(), *where.value()});
    }
    if (found == 0) return std::nullopt;
    if (found != total) {
      return Result<AppendResult>(MakeError(
          Code::kInternal, "kafka: only part of a transaction is in the log (broker transaction "
                           "protocol fault); the replica dropped nothing, check `caseledger verify`"));
    }
    return Result<AppendResult>(std::move(result));
  }

  // Drops overlay entries the replica has caught up with.
  void TrimOverlay() {
    std::lock_guard lock(overlay_mu_);
    if (pending_heads_.empty() && pending_keys_.empty()) return;
    std::erase_if(pending_heads_, [&](const auto& entry) {
      return replica_->LastPosition(entry.second.position.partition) >= entry.second.position.offset;
    });
    std::erase_if(pending_keys_, [&](const auto& entry) {
      auto stored = replica_->FindIdempotent(entry.first);
      return stored && stored.value().has_value();
    });
  }

  static Error IdempotencyMismatch() {
    return MakeError(Code::kIdempotencyMismatch,
                     "the idempotency key was already used for a different command");
  }

  const Clock& clock_;
  KafkaLogOptions options_;
  const KafkaProperties base_;
  ReplicaTopics topics_;
  std::vector<bool> owned_;
  std::unique_ptr<KafkaReplica> replica_;

  DeliverySignal mirror_signal_;  // before mirror_: the producer's reports use it
  KafkaHandle mirror_;
  std::atomic<bool> mirror_stop_{false};
  std::thread mirror_poller_;

  mutable std::mutex mu_;
  std::condition_variable queue_cv_;
  std::condition_variable ready_cv_;
  std::deque<Pending> queue_;
  std::atomic<bool> stopping_{false};
  bool ready_ = false;
  bool fenced_ = false;
  std::string connect_error_;
  std::thread writer_;

  // Writer thread only.
  KafkaHandle producer_;
  std::vector<std::unique_ptr<Staged>> retired_;
  Micros last_recorded_at_ = 0;

  // Committed by this writer, not yet read back by the replica.
  std::mutex overlay_mu_;
  std::unordered_map<std::string, StreamHead> pending_heads_;
  std::unordered_map<std::string, IdempotencyRecord> pending_keys_;

  mutable std::mutex stats_mu_;
  KafkaLogStats stats_;
  std::vector<std::unique_ptr<Delivery>> abandoned_;  // key writes that timed out
};

}  // namespace

Result<std::unique_ptr<KafkaLog>> OpenKafkaLog(Store& store, const Clock& clock,
                                               KafkaLogOptions options) {
  if (options.bootstrap.empty()) return InvalidField("kafka.bootstrap", "must name at least one broker");
  if (options.partitions == 0 || options.partitions > 10'000) {
    return InvalidField("kafka.partitions", "must be 1 to 10000");
  }
  BOOST_OUTCOME_TRY(auto extra, ParseKafkaProperties(options.client_properties));
  KafkaProperties base{{"bootstrap.servers", options.bootstrap},
                       {"client.id", "caseledger"},
                       {"log_level", "3"}};
  for (auto& p : extra) base.push_back(std::move(p));
  auto log = std::make_unique<KafkaLogImpl>(store, clock, std::move(options), std::move(base));
  BOOST_OUTCOME_TRY(log->Init());
  return std::unique_ptr<KafkaLog>(std::move(log));
}

}  // namespace caseledger::ledger
