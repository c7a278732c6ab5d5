#include "support/kafka_mock.h"

#include <gtest/gtest.h>

#include "support/kafka_env.h"

namespace caseledger::testing {

std::unique_ptr<MockKafkaCluster> MockKafkaCluster::Start(int brokers) {
  if (brokers < 3) {
    ADD_FAILURE() << "the mock cluster layout needs at least 3 brokers";
    return nullptr;
  }
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  // The handle only owns the cluster; it never connects anywhere.
  if (rd_kafka_conf_set(conf, "log_level", "3", err, sizeof err) != RD_KAFKA_CONF_OK) {
    ADD_FAILURE() << err;
  }
  rd_kafka_t* handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (handle == nullptr) {
    rd_kafka_conf_destroy(conf);
    ADD_FAILURE() << "cannot create the mock cluster's handle: " << err;
    return nullptr;
  }
  rd_kafka_mock_cluster_t* mock = rd_kafka_mock_cluster_new(handle, brokers);
  if (mock == nullptr) {
    rd_kafka_destroy(handle);
    ADD_FAILURE() << "cannot create a mock cluster";
    return nullptr;
  }
  std::unique_ptr<MockKafkaCluster> cluster(new MockKafkaCluster(handle, mock));
  cluster->KeepAwake();
  return cluster;
}

MockKafkaCluster::MockKafkaCluster(rd_kafka_t* handle, rd_kafka_mock_cluster_t* mock)
    : handle_(handle), mock_(mock) {}

MockKafkaCluster::~MockKafkaCluster() {
  stopping_ = true;
  if (poller_.joinable()) poller_.join();
  if (awake_ != nullptr) {
    rd_kafka_consumer_close(awake_);
    rd_kafka_destroy(awake_);
  }
  rd_kafka_mock_cluster_destroy(mock_);
  rd_kafka_destroy(handle_);
}

void MockKafkaCluster::KeepAwake() {
  constexpr const char* kTopic = "mock-keep-awake";
  EXPECT_EQ(rd_kafka_mock_topic_create(mock_, kTopic, 1, 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  EXPECT_EQ(rd_kafka_mock_partition_set_leader(mock_, kTopic, 0, 3), RD_KAFKA_RESP_ERR_NO_ERROR);
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  for (auto [name, value] : {std::pair{"bootstrap.servers", bootstrap()},
                             std::pair{"group.id", std::string("mock-keep-awake")},
                             std::pair{"fetch.wait.max.ms", std::string("10")},
                             std::pair{"log_level", std::string("0")}}) {
    if (rd_kafka_conf_set(conf, name, value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      ADD_FAILURE() << err;
    }
  }
  awake_ = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  if (awake_ == nullptr) {
    rd_kafka_conf_destroy(conf);
    ADD_FAILURE() << "cannot create the mock's keep-awake consumer: " << err;
    return;
  }
  rd_kafka_poll_set_consumer(awake_);
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, kTopic, 0)->offset = RD_KAFKA_OFFSET_END;
  EXPECT_EQ(rd_kafka_assign(awake_, list), RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_topic_partition_list_destroy(list);
  poller_ = std::thread([this] {
    while (!stopping_) {
      if (rd_kafka_message_t* m = rd_kafka_consumer_poll(awake_, 100)) rd_kafka_message_destroy(m);
    }
  });
}

std::string MockKafkaCluster::bootstrap() const { return rd_kafka_mock_cluster_bootstraps(mock_); }

std::string MockKafkaCluster::WriterTransactionalId(const ledger::KafkaLogOptions& options) {
  // As ledger/src/kafka_log.cc names it for a writer of every partition.
  return options.topic_prefix + "writer-all";
}

ledger::KafkaLogOptions MockKafkaCluster::LogOptions(std::uint32_t partitions,
                                                     bool spread_leaders) {
  ledger::KafkaLogOptions options;
  options.bootstrap = bootstrap();
  options.topic_prefix = UniqueTopicPrefix();
  options.partitions = partitions;
  options.create_topics = false;  // the mock never answers CreateTopics
  options.call_timeout = std::chrono::milliseconds(2'000);
  options.append_timeout = std::chrono::milliseconds(10'000);
  options.open_timeout = std::chrono::milliseconds(20'000);
  // Reconnect fast after an outage instead of backing off up to 10 s. One request in flight per
  // broker: with more, a retried produce request leaves the ones sent after it out of sequence
  // (the mock checks sequences as Kafka does), which aborts the transaction after part of it
  // reached a broker, and the mock, unlike Kafka, would then show the aborted part.
  options.client_properties = {"reconnect.backoff.ms=50", "reconnect.backoff.max.ms=500",
                               "retry.backoff.ms=50", "max.in.flight.requests.per.connection=1"};
  Arrange(options, spread_leaders);
  return options;
}

void MockKafkaCluster::Arrange(const ledger::KafkaLogOptions& options, bool spread_leaders) {
  struct Topic {
    std::string name;
    int partitions;
  };
  const int partitions = static_cast<int>(options.partitions);
  for (const Topic& topic : {Topic{options.topic_prefix + "events", partitions},
                             Topic{options.topic_prefix + "idempotency", partitions},
                             Topic{options.topic_prefix + "keys", 1}}) {
    EXPECT_EQ(rd_kafka_mock_topic_create(mock_, topic.name.c_str(), topic.partitions, 3),
              RD_KAFKA_RESP_ERR_NO_ERROR)
        << topic.name;
    for (int p = 0; p < topic.partitions; ++p) {
      std::int32_t leader = spread_leaders ? kLeader + p % 2 : kLeader;
      EXPECT_EQ(rd_kafka_mock_partition_set_leader(mock_, topic.name.c_str(), p, leader),
                RD_KAFKA_RESP_ERR_NO_ERROR);
    }
  }
  std::string txn = WriterTransactionalId(options);
  EXPECT_EQ(rd_kafka_mock_coordinator_set(mock_, "transaction", txn.c_str(), kCoordinator),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  std::string group = options.topic_prefix + "replica";
  EXPECT_EQ(rd_kafka_mock_coordinator_set(mock_, "group", group.c_str(), kLeader),
            RD_KAFKA_RESP_ERR_NO_ERROR);
}

void MockKafkaCluster::PushErrors(std::int32_t broker, KafkaApi api,
                                  const std::vector<rd_kafka_resp_err_t>& errors,
                                  std::chrono::milliseconds delay) {
  for (rd_kafka_resp_err_t error : errors) {
    EXPECT_EQ(
        rd_kafka_mock_broker_push_request_error_rtts(mock_, broker, static_cast<std::int16_t>(api),
                                                     1, error, static_cast<int>(delay.count())),
        RD_KAFKA_RESP_ERR_NO_ERROR)
        << "broker " << broker;
  }
}

std::size_t MockKafkaCluster::PendingErrors(std::int32_t broker, KafkaApi api) const {
  std::size_t count = 0;
  EXPECT_EQ(
      rd_kafka_mock_broker_error_stack_cnt(mock_, broker, static_cast<std::int16_t>(api), &count),
      RD_KAFKA_RESP_ERR_NO_ERROR)
      << "broker " << broker;
  return count;
}

void MockKafkaCluster::SetDown(std::int32_t broker) {
  EXPECT_EQ(rd_kafka_mock_broker_set_down(mock_, broker), RD_KAFKA_RESP_ERR_NO_ERROR);
}

void MockKafkaCluster::SetUp(std::int32_t broker) {
  EXPECT_EQ(rd_kafka_mock_broker_set_up(mock_, broker), RD_KAFKA_RESP_ERR_NO_ERROR);
}

void MockKafkaCluster::SetRtt(std::int32_t broker, std::chrono::milliseconds rtt) {
  EXPECT_EQ(rd_kafka_mock_broker_set_rtt(mock_, broker, static_cast<int>(rtt.count())),
            RD_KAFKA_RESP_ERR_NO_ERROR);
}

void MockKafkaCluster::Heal() {
  SetUp(kAllBrokers);
  SetRtt(kAllBrokers, std::chrono::milliseconds(0));
}

}  // namespace caseledger::testing
