// The Kafka ceilings of `caseledger bench --log kafka://…`, measured on the same broker in the
// same run as the caseledger figures. Each one does the least Kafka work the caseledger
// operation cannot avoid:
//  - transaction floor: one transactional producer, closed loop: begin, produce one message,
//    commit. The most one writer committing one command per transaction can do, and the least
//    latency an acknowledged append can have. A second shape mirrors what ledger::KafkaLog sends
//    for a command with an idempotency key: the event, a flush (the event's offset goes into
//    the record), the idempotency record to a second topic, commit. The same KafkaLog-shaped
//    transaction with as many events and records as ours carried per transaction gives the
//    ceiling of one writer committing transactions of that size one after another.
//  - idempotent producer: one idempotent, non-transactional producer (acks=all, the writer's
//    linger and batch settings) keeping N messages in flight, each sent again as soon as its
//    delivery report arrives: the throughput ceiling for messages of the same sizes.
// This file and kafka_ceilings.cc are the only ones of the benchmark that speak librdkafka
// directly (ledger::KafkaLog is the caseledger side).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ledger/result.h"
#include "measure.h"

namespace caseledger::app::bench {

// Where the ceilings write: the cluster, extra client properties ("name=value") and the topics.
struct KafkaCeilingTarget {
  std::string bootstrap;
  std::vector<std::string> client_properties;
  std::string topic;              // the events-like topic
  std::string idempotency_topic;  // the second topic of the KafkaLog-shaped transaction
  std::uint32_t partitions = 8;
  int replication_factor = 1;
  int min_insync_replicas = 1;
};

// An admin client for the benchmark's own topics.
class KafkaAdmin {
 public:
  static ledger::Result<std::unique_ptr<KafkaAdmin>> Open(const std::string& bootstrap,
                                                          const std::vector<std::string>& properties);
  ~KafkaAdmin();

  // Creates `target.topic` and `target.idempotency_topic` (partitions, replication, min ISR).
  ledger::Result<void> CreateCeilingTopics(const KafkaCeilingTarget& target);
  // Deletes every topic in `topics` that exists.
  ledger::Result<void> DeleteTopics(const std::vector<std::string>& topics);
  // One configuration entry of a topic as the broker reports it (e.g. "flush.messages"),
  // with whether it is the broker's default.
  struct ConfigEntry {
    std::string value;
    bool is_default = false;
    std::string source;  // "DEFAULT_CONFIG", "STATIC_BROKER_CONFIG", "DYNAMIC_TOPIC_CONFIG", …
  };
  ledger::Result<std::optional<ConfigEntry>> TopicConfig(const std::string& topic,
                                                         const std::string& name);

 private:
  struct Impl;
  explicit KafkaAdmin(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class RawProducer {
 public:
  // A transactional producer (initialised, fencing any earlier one with this id) when
  // `transactional_id` is not empty; else an idempotent one.
  static ledger::Result<std::unique_ptr<RawProducer>> Open(const KafkaCeilingTarget& target,
                                                           const std::string& transactional_id);
  ~RawProducer();

  // Closed loop of transactions of `messages` messages each (values in turn from `values`,
  // partitions in turn). With `records` > 0 they take ledger::KafkaLog's shape: the messages, a
  // flush (KafkaLog needs their offsets), then `records` idempotency records of 160 bytes to
  // the second topic, then commit. With a `pause`, each transaction begins that long after the
  // previous one committed (not counted in its latency), so the broker has finished writing the
  // previous one's commit markers. Operations: transactions; items: messages. Transactional
  // producers only.
  ledger::Result<LoopResult> Transactions(const std::vector<std::string>& values,
                                          std::size_t messages, std::size_t records,
                                          const LoopTiming& timing,
                                          std::chrono::microseconds pause = {});

  // `in_flight` messages outstanding, each produced again on its delivery report; latency is
  // produce to delivery report. Items: messages. Idempotent (non-transactional) producers only.
  ledger::Result<LoopResult> Stream(const std::vector<std::string>& values, std::size_t in_flight,
                                    const LoopTiming& timing);

 private:
  struct Impl;
  explicit RawProducer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The librdkafka version string, for the report.
std::string LibrdkafkaVersion();

}  // namespace caseledger::app::bench
