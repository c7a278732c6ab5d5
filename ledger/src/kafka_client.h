// Small RAII and error helpers over librdkafka's C API, shared by the Kafka log's writer, its
// replica and the tools that talk to a cluster (migrate-log, tests).
#pragma once

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ledger/result.h"

namespace caseledger::ledger {

struct KafkaHandleDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
using KafkaHandle = std::unique_ptr<rd_kafka_t, KafkaHandleDeleter>;

struct KafkaErrorDeleter {
  void operator()(rd_kafka_error_t* e) const { rd_kafka_error_destroy(e); }
};
using KafkaError = std::unique_ptr<rd_kafka_error_t, KafkaErrorDeleter>;

using KafkaProperties = std::vector<std::pair<std::string, std::string>>;

// Parses "name=value" entries. Errors: kInvalidArgument naming the entry.
Result<KafkaProperties> ParseKafkaProperties(const std::vector<std::string>& entries);

// Creates a client. `configure` (optional) sets callbacks on the conf before rd_kafka_new.
// Errors: kInvalidArgument naming the property librdkafka refused.
Result<KafkaHandle> NewKafkaClient(rd_kafka_type_t type, const KafkaProperties& properties,
                                   void (*configure)(rd_kafka_conf_t*, void*) = nullptr,
                                   void* opaque = nullptr);

struct TopicSpec {
  std::string name;
  int partitions = 1;
  int replication_factor = 1;
  KafkaProperties configs;
};

// Creates the topics that do not exist and checks every one has the expected partition count.
// Errors: kUnavailable (no broker answered), kInvalidArgument (a topic exists with another
// partition count).
Result<void> EnsureTopics(rd_kafka_t* rk, const std::vector<TopicSpec>& topics,
                          std::chrono::milliseconds timeout);

// Partition count of `topic`, 0 when it does not exist. Errors: kUnavailable.
Result<int> TopicPartitions(rd_kafka_t* rk, const std::string& topic,
                            std::chrono::milliseconds timeout);

// The next offset to be written to `partition` (its high watermark). Errors: kUnavailable.
Result<std::int64_t> HighWatermark(rd_kafka_t* rk, const std::string& topic,
                                   std::int32_t partition, std::chrono::milliseconds timeout);

// An Error from a librdkafka error code, with `what` as context. Error text never includes
// message contents.
Error FromKafka(rd_kafka_resp_err_t err, std::string_view what);
Error FromKafka(const rd_kafka_error_t* err, std::string_view what);

// True for the codes that mean another producer with the same transactional.id took over.
bool IsFencedCode(rd_kafka_resp_err_t err);

}  // namespace caseledger::ledger
