// An in-process Kafka cluster for fast, seeded fault tests of the KafkaLog: librdkafka's mock
// cluster (librdkafka/rdkafka_mock.h) with the topics a KafkaLog expects, its brokers arranged so
// a test can fault one role at a time, and helpers to inject errors, delays and outages.
//
// Layout (Arrange): broker 1 (kCoordinator) is the transaction coordinator of the log's writer;
// the partition leaders of every topic are kLeader (broker 2) or, with spread_leaders, brokers
// 2 and 3 in turn; broker 2 is also the replica's group coordinator. So slowing or stopping
// broker 1 touches only InitProducerId, AddPartitionsToTxn and EndTxn, and pushing Produce errors
// onto broker 2 fails produce requests without touching the transaction protocol.
//
// What the librdkafka 2.0.2 mock does (found by experiment; tests/unit/kafka_mock_test.cc checks
// the parts the fault tests depend on):
//   - Produce (idempotent and transactional), Fetch, ListOffsets, Metadata, FindCoordinator,
//     InitProducerId, AddPartitionsToTxn and EndTxn all work, and errors or delays pushed for any
//     of them are served in order. Produce checks sequence numbers as Kafka does
//     (OUT_OF_ORDER_SEQUENCE_NUMBER for a gap, a resent batch is not written twice).
//   - CreateTopics is never answered: topics are made here and the log opens with
//     KafkaLogOptions::create_topics = false.
//   - Transactions are not isolated: a read_committed consumer sees every produced message at
//     once, whether its transaction later commits, aborts or stays open, and EndTxn writes no
//     control records. So an abort does not hide messages that reached a broker.
//   - No fencing: InitProducerId for a transactional.id in use does not fence the first producer.
//   - A call into the mock (rd_kafka_mock_*) made while no client talks to it can wait up to a
//     second for the mock's thread to wake; so a MockKafkaCluster keeps a consumer fetching an
//     idle topic (led by broker 3) for as long as it lives. Destroying a cluster takes a second.
// Fault tests on the mock therefore inject faults that librdkafka retries transparently, or that
// fail a transaction before any of its messages reached a broker (LogOptions allows one request
// in flight per broker for that reason), and leave fencing and abort isolation to the tests
// against a real broker (tests/kafka). Keep call_timeout at 2 s or more: it is also the
// writer's message.timeout.ms, and a new librdkafka 2.0.2 producer waits up to a second for
// topic metadata before its first messages go out; closer to that, the first transaction of a
// new producer times out on some partitions after others were sent, and aborts.
//
// Example:
//   auto cluster = MockKafkaCluster::Start();
//   auto options = cluster->LogOptions(4);      // fresh topic prefix, topics made, short timeouts
//   auto node = KafkaTestNode::Open(dir.Path("a"), options);
//   cluster->PushErrors(kLeader, KafkaApi::kProduce,
//                       {RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION});
//
// Thread safety: all methods are thread-safe (the mock serialises calls into its own thread).
// Lifecycle: close every client of the cluster (the KafkaLog) before destroying it.
#pragma once

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "ledger/kafka_log.h"

namespace caseledger::testing {

// Kafka protocol request types (ApiKey) the fault tests inject into.
enum class KafkaApi : std::int16_t {
  kProduce = 0,
  kFetch = 1,
  kListOffsets = 2,
  kMetadata = 3,
  kFindCoordinator = 10,
  kInitProducerId = 22,
  kAddPartitionsToTxn = 24,
  kEndTxn = 26,
};

inline constexpr std::int32_t kCoordinator = 1;  // transaction coordinator of the writer
inline constexpr std::int32_t kLeader = 2;       // leader of every partition (or of half)
inline constexpr std::int32_t kAllBrokers = -1;

class MockKafkaCluster {
 public:
  // A cluster of `brokers` (at least 3) brokers. On error fails the current test, returns nullptr.
  static std::unique_ptr<MockKafkaCluster> Start(int brokers = 3);
  ~MockKafkaCluster();

  MockKafkaCluster(const MockKafkaCluster&) = delete;
  MockKafkaCluster& operator=(const MockKafkaCluster&) = delete;

  std::string bootstrap() const;
  rd_kafka_mock_cluster_t* mock() const { return mock_; }

  // A fresh topic prefix with its topics made and brokers arranged (see the layout above), and
  // options for a log that writes every partition, with timeouts short enough for unit tests
  // (call 2 s, append 10 s, open 20 s) and one request in flight per broker.
  ledger::KafkaLogOptions LogOptions(std::uint32_t partitions, bool spread_leaders = false);

  // Makes <prefix>events and <prefix>idempotency with `partitions` partitions and <prefix>keys
  // with one, and arranges coordinators and leaders as described above.
  void Arrange(const ledger::KafkaLogOptions& options, bool spread_leaders);

  // The next requests of type `api` that `broker` receives fail with `errors`, one each, in
  // order. RD_KAFKA_RESP_ERR_NO_ERROR with a `delay` makes a slow answer instead.
  void PushErrors(std::int32_t broker, KafkaApi api, const std::vector<rd_kafka_resp_err_t>& errors,
                  std::chrono::milliseconds delay = std::chrono::milliseconds(0));
  // Errors pushed to `broker` for `api` that no request has taken yet.
  std::size_t PendingErrors(std::int32_t broker, KafkaApi api) const;

  // Disconnects `broker` (or kAllBrokers) and refuses new connections, or lets them in again.
  // Leadership does not move.
  void SetDown(std::int32_t broker);
  void SetUp(std::int32_t broker);
  // Delays every answer of `broker` (or kAllBrokers) by `rtt`.
  void SetRtt(std::int32_t broker, std::chrono::milliseconds rtt);
  // Every broker up, no delay.
  void Heal();

  // The transactional.id the KafkaLog's writer uses for `options` (it owns every partition).
  static std::string WriterTransactionalId(const ledger::KafkaLogOptions& options);

 private:
  MockKafkaCluster(rd_kafka_t* handle, rd_kafka_mock_cluster_t* mock);
  void KeepAwake();

  rd_kafka_t* handle_;
  rd_kafka_mock_cluster_t* mock_;
  rd_kafka_t* awake_ = nullptr;  // the consumer that keeps the mock's thread busy
  std::atomic<bool> stopping_{false};
  std::thread poller_;
};

}  // namespace caseledger::testing
