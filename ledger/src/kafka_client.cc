#include "kafka_client.h"

#include <fmt/format.h>

#include <thread>

namespace caseledger::ledger {
namespace {

struct QueueDeleter {
  void operator()(rd_kafka_queue_t* q) const { rd_kafka_queue_destroy(q); }
};
struct EventDeleter {
  void operator()(rd_kafka_event_t* e) const { rd_kafka_event_destroy(e); }
};
struct MetadataDeleter {
  void operator()(const rd_kafka_metadata_t* m) const { rd_kafka_metadata_destroy(m); }
};

}  // namespace

Error FromKafka(rd_kafka_resp_err_t err, std::string_view what) {
  Code code = Code::kUnavailable;
  switch (err) {
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
      code = Code::kTimeout;
      break;
    case RD_KAFKA_RESP_ERR__FENCED:
    case RD_KAFKA_RESP_ERR_PRODUCER_FENCED:
    case RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH:
      code = Code::kFenced;
      break;
    case RD_KAFKA_RESP_ERR__INVALID_ARG:
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
      code = Code::kInvalidArgument;
      break;
    default:
      break;
  }
  return MakeError(code, fmt::format("kafka: {}: {}", what, rd_kafka_err2str(err)));
}

Error FromKafka(const rd_kafka_error_t* err, std::string_view what) {
  Error e = FromKafka(rd_kafka_error_code(err), what);
  e.message = fmt::format("kafka: {}: {}", what, rd_kafka_error_string(err));
  return e;
}

bool IsFencedCode(rd_kafka_resp_err_t err) {
  return err == RD_KAFKA_RESP_ERR__FENCED || err == RD_KAFKA_RESP_ERR_PRODUCER_FENCED ||
         err == RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
}

Result<KafkaProperties> ParseKafkaProperties(const std::vector<std::string>& entries) {
  KafkaProperties out;
  for (const auto& entry : entries) {
    auto eq = entry.find('=');
    if (eq == std::string::npos || eq == 0) {
      return InvalidField("kafka.property", "must be name=value (got \"" + entry + "\")");
    }
    out.emplace_back(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return out;
}

Result<KafkaHandle> NewKafkaClient(rd_kafka_type_t type, const KafkaProperties& properties,
                                   void (*configure)(rd_kafka_conf_t*, void*), void* opaque) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  for (const auto& [name, value] : properties) {
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), err, sizeof err) !=
        RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return InvalidField("kafka." + name, err);
    }
  }
  if (configure != nullptr) configure(conf, opaque);
  if (opaque != nullptr) rd_kafka_conf_set_opaque(conf, opaque);
  rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof err);  // owns conf on success
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return InvalidField("kafka", err);
  }
  return KafkaHandle(rk);
}

Result<int> TopicPartitions(rd_kafka_t* rk, const std::string& topic,
                            std::chrono::milliseconds timeout) {
  const rd_kafka_metadata_t* raw = nullptr;
  rd_kafka_resp_err_t err =
      rd_kafka_metadata(rk, 1, nullptr, &raw, static_cast<int>(timeout.count()));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return FromKafka(err, "read cluster metadata");
  std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter> metadata(raw);
  for (int i = 0; i < metadata->topic_cnt; ++i) {
    const auto& t = metadata->topics[i];
    if (topic == t.topic) {
      if (t.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) return 0;
      if (t.err != RD_KAFKA_RESP_ERR_NO_ERROR) return FromKafka(t.err, "topic " + topic);
      return t.partition_cnt;
    }
  }
  return 0;
}

Result<void> EnsureTopics(rd_kafka_t* rk, const std::vector<TopicSpec>& topics,
                          std::chrono::milliseconds timeout) {
  std::vector<rd_kafka_NewTopic_t*> specs;
  auto free_specs = [&] {
    for (auto* s : specs) rd_kafka_NewTopic_destroy(s);
  };
  char err[512];
  for (const auto& topic : topics) {
    rd_kafka_NewTopic_t* spec = rd_kafka_NewTopic_new(topic.name.c_str(), topic.partitions,
                                                      topic.replication_factor, err, sizeof err);
    if (spec == nullptr) {
      free_specs();
      return InvalidField("kafka.topic", err);
    }
    specs.push_back(spec);
    for (const auto& [name, value] : topic.configs) {
      rd_kafka_NewTopic_set_config(spec, name.c_str(), value.c_str());
    }
  }
  std::unique_ptr<rd_kafka_queue_t, QueueDeleter> queue(rd_kafka_queue_new(rk));
  rd_kafka_AdminOptions_t* options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
  rd_kafka_AdminOptions_set_operation_timeout(options, static_cast<int>(timeout.count()), err,
                                              sizeof err);
  rd_kafka_AdminOptions_set_request_timeout(options, static_cast<int>(timeout.count()), err,
                                            sizeof err);
  rd_kafka_CreateTopics(rk, specs.data(), specs.size(), options, queue.get());
  rd_kafka_AdminOptions_destroy(options);
  free_specs();
  std::unique_ptr<rd_kafka_event_t, EventDeleter> event(
      rd_kafka_queue_poll(queue.get(), static_cast<int>(timeout.count()) + 1000));
  if (!event) return MakeError(Code::kUnavailable, "kafka: create topics: no answer from the cluster");
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return FromKafka(rd_kafka_event_error(event.get()), "create topics");
  }
  const rd_kafka_CreateTopics_result_t* result = rd_kafka_event_CreateTopics_result(event.get());
  std::size_t count = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(result, &count);
  for (std::size_t i = 0; i < count; ++i) {
    rd_kafka_resp_err_t e = rd_kafka_topic_result_error(results[i]);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      return FromKafka(e, fmt::format("create topic {}", rd_kafka_topic_result_name(results[i])));
    }
  }
  // A topic made by someone else may have another shape; a new one may take a moment to show.
  for (const auto& topic : topics) {
    int partitions = 0;
    for (int attempt = 0; attempt < 50; ++attempt) {
      BOOST_OUTCOME_TRY(partitions, TopicPartitions(rk, topic.name, timeout));
      if (partitions != 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (partitions != topic.partitions) {
      return InvalidField("kafka.partitions",
                             fmt::format("topic {} has {} partitions; this node is configured for {}",
                                         topic.name, partitions, topic.partitions));
    }
  }
  return Ok();
}

Result<std::int64_t> HighWatermark(rd_kafka_t* rk, const std::string& topic,
                                   std::int32_t partition, std::chrono::milliseconds timeout) {
  std::int64_t low = 0, high = 0;
  rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(
      rk, topic.c_str(), partition, &low, &high, static_cast<int>(timeout.count()));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return FromKafka(err, fmt::format("read the end of {}[{}]", topic, partition));
  }
  return high;
}

}  // namespace caseledger::ledger
