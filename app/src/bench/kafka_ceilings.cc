#include "kafka_ceilings.h"

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace caseledger::app::bench {
namespace {

using Clock = std::chrono::steady_clock;
using ledger::Code;
using ledger::MakeError;
using ledger::Result;

constexpr int kCallTimeoutMs = 10'000;
// What an idempotency record of a one-event command weighs (fingerprint, event id, stream id,
// version, position): the second message of the KafkaLog-shaped transaction.
constexpr std::size_t kRecordBytes = 160;
constexpr std::size_t kKeyBytes = 45;  // "incident-" + a 36-character UUID

struct HandleDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
using Handle = std::unique_ptr<rd_kafka_t, HandleDeleter>;
struct QueueDeleter {
  void operator()(rd_kafka_queue_t* q) const { rd_kafka_queue_destroy(q); }
};
struct EventDeleter {
  void operator()(rd_kafka_event_t* e) const { rd_kafka_event_destroy(e); }
};
struct ErrorDeleter {
  void operator()(rd_kafka_error_t* e) const { rd_kafka_error_destroy(e); }
};
using KafkaError = std::unique_ptr<rd_kafka_error_t, ErrorDeleter>;

ledger::Error Failed(std::string_view what, rd_kafka_resp_err_t err) {
  return MakeError(Code::kUnavailable, fmt::format("bench: kafka: {}: {}", what, rd_kafka_err2str(err)));
}
ledger::Error Failed(std::string_view what, const rd_kafka_error_t* err) {
  return MakeError(Code::kUnavailable,
                   fmt::format("bench: kafka: {}: {}", what, rd_kafka_error_string(err)));
}

struct StreamState;

// The opaque of every message this file produces.
struct Delivery {
  // Transactions: set by the delivery report.
  std::atomic<bool> done{false};
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
  // Stream: the run and the slot this message belongs to.
  StreamState* stream = nullptr;
  Clock::time_point sent;
};

struct StreamState {
  rd_kafka_t* rk = nullptr;
  const std::string* topic = nullptr;
  const std::vector<std::string>* values = nullptr;
  std::string key;
  std::uint32_t partitions = 1;
  std::size_t next = 0;
  Clock::time_point window_start, window_end;
  std::size_t outstanding = 0;
  std::uint64_t operations = 0;
  LatencySamples samples;
  std::optional<ledger::Error> failed;
};

// Produces the slot's next message, or retires the slot once the window closed.
void Send(StreamState& s, Delivery& d) {
  Clock::time_point now = Clock::now();
  if (now >= s.window_end || s.failed) {
    --s.outstanding;
    return;
  }
  const std::string& value = (*s.values)[s.next % s.values->size()];
  auto partition = static_cast<std::int32_t>(s.next % s.partitions);
  ++s.next;
  d.sent = now;
  rd_kafka_resp_err_t err = rd_kafka_producev(
      s.rk, RD_KAFKA_V_TOPIC(s.topic->c_str()), RD_KAFKA_V_PARTITION(partition),
      RD_KAFKA_V_KEY(s.key.data(), s.key.size()),
      RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()), RD_KAFKA_V_OPAQUE(&d),
      RD_KAFKA_V_END);  // no copy: `values` outlives the run
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (!s.failed) s.failed = Failed("produce", err);
    --s.outstanding;
  }
}

void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* m, void*) {
  auto* d = static_cast<Delivery*>(m->_private);
  if (d == nullptr) return;
  if (d->stream == nullptr) {
    d->err = m->err;
    d->done.store(true, std::memory_order_release);
    return;
  }
  StreamState& s = *d->stream;
  Clock::time_point now = Clock::now();
  if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (!s.failed) s.failed = Failed("deliver", m->err);
  } else if (now >= s.window_start && now < s.window_end) {
    s.samples.Add(now - d->sent);
    ++s.operations;
  }
  Send(s, *d);
}

Result<Handle> NewClient(const std::string& bootstrap, const std::vector<std::string>& extra,
                         const std::vector<std::pair<std::string, std::string>>& properties) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  std::vector<std::pair<std::string, std::string>> all{
      {"bootstrap.servers", bootstrap}, {"client.id", "caseledger-bench"}, {"log_level", "3"}};
  for (const auto& entry : extra) {
    auto eq = entry.find('=');
    if (eq == std::string::npos || eq == 0) {
      rd_kafka_conf_destroy(conf);
      return ledger::InvalidField("--kafka-property", "must be NAME=VALUE");
    }
    all.emplace_back(entry.substr(0, eq), entry.substr(eq + 1));
  }
  all.insert(all.end(), properties.begin(), properties.end());
  for (const auto& [name, value] : all) {
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return ledger::InvalidField("kafka." + name, err);
    }
  }
  rd_kafka_conf_set_dr_msg_cb(conf, OnDelivery);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return ledger::InvalidField("kafka", err);
  }
  return Handle(rk);
}

// Waits for the answer of an admin call on `queue`.
Result<std::unique_ptr<rd_kafka_event_t, EventDeleter>> AdminAnswer(rd_kafka_queue_t* queue,
                                                                   std::string_view what) {
  std::unique_ptr<rd_kafka_event_t, EventDeleter> event(
      rd_kafka_queue_poll(queue, kCallTimeoutMs + 5'000));
  if (!event) {
    return MakeError(Code::kUnavailable, fmt::format("bench: kafka: {}: no answer", what));
  }
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Failed(what, rd_kafka_event_error(event.get()));
  }
  return event;
}

rd_kafka_AdminOptions_t* AdminOptions(rd_kafka_t* rk, rd_kafka_admin_op_t op) {
  char err[512];
  rd_kafka_AdminOptions_t* options = rd_kafka_AdminOptions_new(rk, op);
  rd_kafka_AdminOptions_set_request_timeout(options, kCallTimeoutMs, err, sizeof err);
  if (op == RD_KAFKA_ADMIN_OP_CREATETOPICS || op == RD_KAFKA_ADMIN_OP_DELETETOPICS) {
    rd_kafka_AdminOptions_set_operation_timeout(options, kCallTimeoutMs, err, sizeof err);
  }
  return options;
}

}  // namespace

// -------------------------------------------------------------------------------------------

struct KafkaAdmin::Impl {
  Handle rk;
};

KafkaAdmin::KafkaAdmin(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KafkaAdmin::~KafkaAdmin() = default;

Result<std::unique_ptr<KafkaAdmin>> KafkaAdmin::Open(const std::string& bootstrap,
                                                     const std::vector<std::string>& properties) {
  auto impl = std::make_unique<Impl>();
  BOOST_OUTCOME_TRY(impl->rk, NewClient(bootstrap, properties, {}));
  return std::unique_ptr<KafkaAdmin>(new KafkaAdmin(std::move(impl)));
}

Result<void> KafkaAdmin::CreateCeilingTopics(const KafkaCeilingTarget& target) {
  rd_kafka_t* rk = impl_->rk.get();
  char err[512];
  std::vector<rd_kafka_NewTopic_t*> specs;
  for (const std::string* name : {&target.topic, &target.idempotency_topic}) {
    rd_kafka_NewTopic_t* spec =
        rd_kafka_NewTopic_new(name->c_str(), static_cast<int>(target.partitions),
                              target.replication_factor, err, sizeof err);
    if (spec == nullptr) {
      for (auto* s : specs) rd_kafka_NewTopic_destroy(s);
      return ledger::InvalidField("kafka.topic", err);
    }
    rd_kafka_NewTopic_set_config(spec, "min.insync.replicas",
                                 std::to_string(target.min_insync_replicas).c_str());
    specs.push_back(spec);
  }
  std::unique_ptr<rd_kafka_queue_t, QueueDeleter> queue(rd_kafka_queue_new(rk));
  rd_kafka_AdminOptions_t* options = AdminOptions(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
  rd_kafka_CreateTopics(rk, specs.data(), specs.size(), options, queue.get());
  rd_kafka_AdminOptions_destroy(options);
  for (auto* s : specs) rd_kafka_NewTopic_destroy(s);
  BOOST_OUTCOME_TRY(auto event, AdminAnswer(queue.get(), "create the ceiling topics"));
  std::size_t count = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(
      rd_kafka_event_CreateTopics_result(event.get()), &count);
  for (std::size_t i = 0; i < count; ++i) {
    rd_kafka_resp_err_t e = rd_kafka_topic_result_error(results[i]);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      return Failed(fmt::format("create topic {}", rd_kafka_topic_result_name(results[i])), e);
    }
  }
  // A new topic may take a moment to have leaders: wait until its metadata shows them.
  auto deadline = Clock::now() + std::chrono::seconds(30);
  for (;;) {
    const rd_kafka_metadata_t* metadata = nullptr;
    bool ready = false;
    if (rd_kafka_metadata(rk, 1, nullptr, &metadata, kCallTimeoutMs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
      int found = 0;
      for (int t = 0; t < metadata->topic_cnt; ++t) {
        const auto& topic = metadata->topics[t];
        if ((topic.topic == target.topic || topic.topic == target.idempotency_topic) &&
            topic.err == RD_KAFKA_RESP_ERR_NO_ERROR &&
            topic.partition_cnt == static_cast<int>(target.partitions)) {
          bool leaders = true;
          for (int p = 0; p < topic.partition_cnt; ++p) leaders &= topic.partitions[p].leader >= 0;
          found += leaders ? 1 : 0;
        }
      }
      ready = found == 2;
      rd_kafka_metadata_destroy(metadata);
    }
    if (ready) return ledger::Ok();
    if (Clock::now() >= deadline) {
      return MakeError(Code::kUnavailable, "bench: kafka: the ceiling topics have no leaders");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

Result<void> KafkaAdmin::DeleteTopics(const std::vector<std::string>& topics) {
  if (topics.empty()) return ledger::Ok();
  rd_kafka_t* rk = impl_->rk.get();
  std::vector<rd_kafka_DeleteTopic_t*> specs;
  for (const auto& name : topics) specs.push_back(rd_kafka_DeleteTopic_new(name.c_str()));
  std::unique_ptr<rd_kafka_queue_t, QueueDeleter> queue(rd_kafka_queue_new(rk));
  rd_kafka_AdminOptions_t* options = AdminOptions(rk, RD_KAFKA_ADMIN_OP_DELETETOPICS);
  rd_kafka_DeleteTopics(rk, specs.data(), specs.size(), options, queue.get());
  rd_kafka_AdminOptions_destroy(options);
  for (auto* s : specs) rd_kafka_DeleteTopic_destroy(s);
  BOOST_OUTCOME_TRY(auto event, AdminAnswer(queue.get(), "delete the benchmark's topics"));
  std::size_t count = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_DeleteTopics_result_topics(
      rd_kafka_event_DeleteTopics_result(event.get()), &count);
  for (std::size_t i = 0; i < count; ++i) {
    rd_kafka_resp_err_t e = rd_kafka_topic_result_error(results[i]);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR && e != RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
      return Failed(fmt::format("delete topic {}", rd_kafka_topic_result_name(results[i])), e);
    }
  }
  return ledger::Ok();
}

Result<std::optional<KafkaAdmin::ConfigEntry>> KafkaAdmin::TopicConfig(const std::string& topic,
                                                                       const std::string& name) {
  rd_kafka_t* rk = impl_->rk.get();
  rd_kafka_ConfigResource_t* resource =
      rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str());
  std::unique_ptr<rd_kafka_queue_t, QueueDeleter> queue(rd_kafka_queue_new(rk));
  rd_kafka_AdminOptions_t* options = AdminOptions(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS);
  rd_kafka_DescribeConfigs(rk, &resource, 1, options, queue.get());
  rd_kafka_AdminOptions_destroy(options);
  rd_kafka_ConfigResource_destroy(resource);
  BOOST_OUTCOME_TRY(auto event, AdminAnswer(queue.get(), "describe a topic's configuration"));
  std::size_t count = 0;
  const rd_kafka_ConfigResource_t** resources = rd_kafka_DescribeConfigs_result_resources(
      rd_kafka_event_DescribeConfigs_result(event.get()), &count);
  for (std::size_t r = 0; r < count; ++r) {
    if (rd_kafka_ConfigResource_error(resources[r]) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return Failed("describe topic " + topic, rd_kafka_ConfigResource_error(resources[r]));
    }
    std::size_t n = 0;
    const rd_kafka_ConfigEntry_t** entries = rd_kafka_ConfigResource_configs(resources[r], &n);
    for (std::size_t i = 0; i < n; ++i) {
      if (name != rd_kafka_ConfigEntry_name(entries[i])) continue;
      ConfigEntry entry;
      const char* value = rd_kafka_ConfigEntry_value(entries[i]);
      entry.value = value == nullptr ? "" : value;
      entry.is_default = rd_kafka_ConfigEntry_is_default(entries[i]) != 0;
      entry.source = rd_kafka_ConfigSource_name(rd_kafka_ConfigEntry_source(entries[i]));
      return std::optional<ConfigEntry>(std::move(entry));
    }
  }
  return std::optional<ConfigEntry>();
}

// -------------------------------------------------------------------------------------------

struct RawProducer::Impl {
  KafkaCeilingTarget target;
  bool transactional = false;
  Handle rk;
};

RawProducer::RawProducer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RawProducer::~RawProducer() {
  if (impl_ && impl_->rk) rd_kafka_flush(impl_->rk.get(), kCallTimeoutMs);
}

Result<std::unique_ptr<RawProducer>> RawProducer::Open(const KafkaCeilingTarget& target,
                                                       const std::string& transactional_id) {
  auto impl = std::make_unique<Impl>();
  impl->target = target;
  impl->transactional = !transactional_id.empty();
  // The settings ledger::KafkaLog's writer uses (kafka_log.cc, Connect).
  std::vector<std::pair<std::string, std::string>> props{
      {"enable.idempotence", "true"},
      {"acks", "all"},
      {"linger.ms", "1"},
      {"batch.num.messages", "10000"},
      {"message.timeout.ms", std::to_string(kCallTimeoutMs)}};
  if (impl->transactional) {
    props.emplace_back("transactional.id", transactional_id);
    props.emplace_back("transaction.timeout.ms", "60000");
  }
  BOOST_OUTCOME_TRY(impl->rk, NewClient(target.bootstrap, target.client_properties, props));
  if (impl->transactional) {
    KafkaError e(rd_kafka_init_transactions(impl->rk.get(), kCallTimeoutMs * 3));
    if (e) return Failed("start a transactional producer", e.get());
  }
  return std::unique_ptr<RawProducer>(new RawProducer(std::move(impl)));
}

Result<LoopResult> RawProducer::Transactions(const std::vector<std::string>& values,
                                             std::size_t messages, std::size_t records,
                                             const LoopTiming& timing,
                                             std::chrono::microseconds pause) {
  if (!impl_->transactional || values.empty() || messages == 0) {
    return MakeError(Code::kInvalidArgument, "bench: transactions need a transactional producer");
  }
  rd_kafka_t* rk = impl_->rk.get();
  const KafkaCeilingTarget& t = impl_->target;
  const std::string key(kKeyBytes, 'k');
  const std::string record(kRecordBytes, 'r');
  const std::string record_key(kKeyBytes + 24, 'i');
  auto produce = [&](const std::string& topic, std::int32_t partition, const std::string& k,
                     const std::string& v, Delivery* d) -> Result<void> {
    for (;;) {
      rd_kafka_resp_err_t err = rd_kafka_producev(
          rk, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
          RD_KAFKA_V_KEY(k.data(), k.size()),
          RD_KAFKA_V_VALUE(const_cast<char*>(v.data()), v.size()), RD_KAFKA_V_OPAQUE(d),
          RD_KAFKA_V_END);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return ledger::Ok();
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) return Failed("produce", err);
      rd_kafka_poll(rk, 10);
    }
  };
  auto deliveries = std::make_unique<Delivery[]>(messages + records);
  auto delivered = [&](std::size_t from, std::size_t to) {
    for (std::size_t m = from; m < to; ++m) {
      if (!deliveries[m].done.load(std::memory_order_acquire)) return false;
    }
    return true;
  };
  LoopResult r;
  r.threads = 1;
  r.slices = 1;
  r.seconds = timing.seconds;
  auto start = Clock::now();
  auto window_start = start + std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(timing.warmup_seconds));
  auto window_end = window_start + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(timing.seconds));
  std::size_t next_value = 0, next_partition = 0;
  for (;;) {
    if (pause.count() > 0) std::this_thread::sleep_for(pause);
    Clock::time_point begin = Clock::now();
    if (begin >= window_end) break;
    for (std::size_t m = 0; m < messages + records; ++m) {
      deliveries[m].done.store(false, std::memory_order_relaxed);
      deliveries[m].err = RD_KAFKA_RESP_ERR_NO_ERROR;
    }
    if (KafkaError e{rd_kafka_begin_transaction(rk)}) return Failed("begin a transaction", e.get());
    for (std::size_t m = 0; m < messages; ++m) {
      auto partition = static_cast<std::int32_t>(next_partition++ % t.partitions);
      BOOST_OUTCOME_TRY(
          produce(t.topic, partition, key, values[next_value++ % values.size()], &deliveries[m]));
    }
    if (records > 0) {
      rd_kafka_resp_err_t flushed = rd_kafka_flush(rk, kCallTimeoutMs);
      if (flushed != RD_KAFKA_RESP_ERR_NO_ERROR) return Failed("flush", flushed);
      for (std::size_t m = 0; m < messages; ++m) {
        if (deliveries[m].err != RD_KAFKA_RESP_ERR_NO_ERROR) return Failed("deliver", deliveries[m].err);
      }
      for (std::size_t k = 0; k < records; ++k) {
        auto partition = static_cast<std::int32_t>(k % t.partitions);
        BOOST_OUTCOME_TRY(produce(t.idempotency_topic, partition, record_key, record,
                                  &deliveries[messages + k]));
      }
    }
    if (KafkaError e{rd_kafka_commit_transaction(rk, kCallTimeoutMs)}) {
      return Failed("commit a transaction", e.get());
    }
    Clock::time_point end = Clock::now();
    // The commit flushed the messages; their reports are served by a poll if it did not.
    for (auto bound = end + std::chrono::seconds(10);
         !delivered(0, messages + records) && Clock::now() < bound;) {
      rd_kafka_poll(rk, 1);
    }
    if (!delivered(0, messages + records)) {
      return MakeError(Code::kInternal, "bench: kafka: a committed message has no delivery report");
    }
    if (end >= window_start && end < window_end) {
      r.samples.Add(end - begin);
      ++r.operations;
      r.items += messages;
    }
  }
  r.Summarise();
  return r;
}

Result<LoopResult> RawProducer::Stream(const std::vector<std::string>& values,
                                       std::size_t in_flight, const LoopTiming& timing) {
  if (impl_->transactional || values.empty() || in_flight == 0) {
    return MakeError(Code::kInvalidArgument, "bench: a stream needs an idempotent producer");
  }
  rd_kafka_t* rk = impl_->rk.get();
  StreamState s;
  s.rk = rk;
  s.topic = &impl_->target.topic;
  s.values = &values;
  s.key.assign(kKeyBytes, 'k');
  s.partitions = impl_->target.partitions;
  s.samples.Reserve(1 << 18);
  std::vector<Delivery> slots(in_flight);
  auto start = Clock::now();
  s.window_start = start + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(timing.warmup_seconds));
  s.window_end = s.window_start + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(timing.seconds));
  s.outstanding = in_flight;
  for (auto& d : slots) {
    d.stream = &s;
    Send(s, d);
  }
  // Delivery reports (and the next sends) run on this thread, inside poll.
  auto give_up = s.window_end + std::chrono::seconds(60);
  while (s.outstanding > 0) {
    rd_kafka_poll(rk, 5);
    if (Clock::now() > give_up) {
      rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
      rd_kafka_flush(rk, kCallTimeoutMs);
      return MakeError(Code::kTimeout, "bench: kafka: deliveries did not finish in time");
    }
  }
  if (s.failed) return *s.failed;
  LoopResult r;
  r.threads = in_flight;
  r.slices = 1;
  r.seconds = timing.seconds;
  r.operations = s.operations;
  r.items = s.operations;
  r.samples = std::move(s.samples);
  r.Summarise();
  return r;
}

std::string LibrdkafkaVersion() { return rd_kafka_version_str(); }

}  // namespace caseledger::app::bench
