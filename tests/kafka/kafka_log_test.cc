// KafkaLog against the suite's real broker: appends, heads across restarts, idempotency,
// fencing, disjoint writers, keys shared between nodes, and the replica's duplicate filter.
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include "ledger/envelope.h"
#include "ledger/kafka_log.h"
#include "support/appends.h"
#include "support/event_builders.h"
#include "support/kafka_env.h"
#include "support/result_assertions.h"
#include "support/temp_dir.h"

namespace caseledger::testing {
namespace {

using ledger::Code;
using ledger::EventType;

constexpr auto kWait = std::chrono::milliseconds(30'000);

ledger::AppendRequest Report(const std::string& stream, std::uint64_t expected,
                             std::string key = "") {
  return OneStream(stream, expected, {Draft(EventType::IncidentReported, MakeIncidentReported())},
                   Context("user-alice", std::move(key)));
}

TEST(KafkaLogTest, AppendsAreAnsweredWithTheirPositionAndReadBackInStreamOrder) {
  TempDir dir;
  auto options = TestKafkaOptions();
  auto node = KafkaTestNode::Open(dir.Path("a"), options);
  ASSERT_NE(node, nullptr);
  const std::string stream = StreamId("incident", 1);
  ASSERT_OK_AND_ASSIGN(auto first, node->log().Append(Report(stream, ledger::kNoStream)));
  ASSERT_OK_AND_ASSIGN(
      auto second,
      node->log().Append(OneStream(stream, 1, {Draft(EventType::IncidentUpdated, MakeIncidentUpdated()),
                                               Draft(EventType::IncidentUpdated, MakeIncidentUpdated())})));
  ASSERT_EQ(first.events.size(), 1u);
  ASSERT_EQ(second.events.size(), 2u);
  EXPECT_EQ(first.events[0].position.partition, node->log().PartitionOf(stream));
  EXPECT_LT(first.events[0].position, second.events[0].position);
  EXPECT_EQ(second.events[1].version, 3u);

  ASSERT_OK_AND_ASSIGN(auto events, node->log().ReadStream(stream, 1, 10));
  ASSERT_EQ(events.size(), 3u);
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].envelope()->stream_version(), i + 1);
    EXPECT_TRUE(ledger::HashMatches(*events[i].envelope()));
  }
  EXPECT_EQ(events[2].position, second.events[1].position);
  ASSERT_OK_AND_ASSIGN(auto head, node->log().Head(stream));
  EXPECT_EQ(head.version, 3u);
  EXPECT_EQ(head.hash, std::string(reinterpret_cast<const char*>(events[2].envelope()->hash()->data()), 32));
}

TEST(KafkaLogTest, ANewNodeReadsThePartitionsToTheEndBeforeItWrites) {
  TempDir dir;
  auto options = TestKafkaOptions();
  const std::string stream = StreamId("incident", 2);
  ledger::AppendResult first;
  {
    auto node = KafkaTestNode::Open(dir.Path("a"), options);
    ASSERT_NE(node, nullptr);
    ASSERT_OK_AND_ASSIGN(first, node->log().Append(Report(stream, ledger::kNoStream, "key-1")));
  }
  // A fresh data directory: nothing local, everything from the cluster.
  auto node = KafkaTestNode::Open(dir.Path("b"), options);
  ASSERT_NE(node, nullptr);
  ASSERT_OK_AND_ASSIGN(auto head, node->log().Head(stream));
  EXPECT_EQ(head.version, 1u);
  EXPECT_EQ(head.position, first.events[0].position);
  EXPECT_ERROR_CODE(node->log().Append(Report(stream, ledger::kNoStream)), Code::kVersionConflict);

  // The retry of the first command answers as the first attempt did and writes nothing.
  ASSERT_OK_AND_ASSIGN(auto retry, node->log().Append(Report(stream, ledger::kNoStream, "key-1")));
  EXPECT_TRUE(retry.deduplicated);
  EXPECT_EQ(retry.events[0].position, first.events[0].position);
  EXPECT_EQ(retry.events[0].event_id, first.events[0].event_id);

  // The chain continues from the hash the new node read back.
  ASSERT_OK_AND_ASSIGN(auto next, node->log().Append(OneStream(
      stream, 1, {Draft(EventType::IncidentUpdated, MakeIncidentUpdated())})));
  ASSERT_OK_AND_ASSIGN(auto events, node->log().ReadStream(stream, 1, 10));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(events[1].envelope()->prev_hash()->data()), 32),
            head.hash);
  EXPECT_EQ(next.events[0].version, 2u);
}

TEST(KafkaLogTest, ASecondWriterForTheSamePartitionsFencesTheFirst) {
  TempDir dir;
  auto options = TestKafkaOptions();
  auto first = KafkaTestNode::Open(dir.Path("a"), options);
  ASSERT_NE(first, nullptr);
  ASSERT_OK(first->log().Append(Report(StreamId("incident", 3), ledger::kNoStream)));

  auto second = KafkaTestNode::Open(dir.Path("b"), options);
  ASSERT_NE(second, nullptr);
  auto refused = first->log().Append(Report(StreamId("incident", 4), ledger::kNoStream));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Code::kFenced) << refused.error().ToString();
  EXPECT_TRUE(first->log().fenced());
  EXPECT_ERROR_CODE(first->log().Append(Report(StreamId("incident", 5), ledger::kNoStream)),
                    Code::kFenced);

  ASSERT_OK(second->log().Append(Report(StreamId("incident", 4), ledger::kNoStream)));
  ASSERT_OK(second->log().CatchUp(kWait));
  ASSERT_OK_AND_ASSIGN(auto fenced_write, second->log().Head(StreamId("incident", 4)));
  EXPECT_EQ(fenced_write.version, 1u) << "the fenced writer's append must not be in the log";
}

TEST(KafkaLogTest, NodesWithDisjointPartitionsEachWriteTheirOwnAndReadEverything) {
  TempDir dir;
  auto options = TestKafkaOptions(4);
  auto a_options = options;
  a_options.owned = {0, 1};
  auto b_options = options;
  b_options.owned = {2, 3};
  auto a = KafkaTestNode::Open(dir.Path("a"), a_options);
  ASSERT_NE(a, nullptr);
  auto b = KafkaTestNode::Open(dir.Path("b"), b_options);
  ASSERT_NE(b, nullptr);

  int written = 0;
  for (std::uint64_t n = 10; n < 30; ++n) {
    std::string stream = StreamId("incident", n);
    auto& writer = a->log().Owns(stream) ? *a : *b;
    auto& other = a->log().Owns(stream) ? *b : *a;
    EXPECT_FALSE(other.log().Owns(stream));
    EXPECT_ERROR_CODE(other.log().Append(Report(stream, ledger::kNoStream)), Code::kWrongNode);
    ASSERT_OK(writer.log().Append(Report(stream, ledger::kNoStream)));
    ++written;
  }
  ASSERT_OK(a->log().CatchUp(kWait));
  ASSERT_OK(b->log().CatchUp(kWait));
  for (std::uint64_t n = 10; n < 30; ++n) {
    std::string stream = StreamId("incident", n);
    ASSERT_OK_AND_ASSIGN(auto from_a, a->log().Head(stream));
    ASSERT_OK_AND_ASSIGN(auto from_b, b->log().Head(stream));
    EXPECT_EQ(from_a.version, 1u) << stream;
    EXPECT_EQ(from_a.hash, from_b.hash) << stream;
  }
  EXPECT_EQ(written, 20);
}

TEST(KafkaLogTest, PersonalDataSealedOnOneNodeOpensOnAnother) {
  TempDir dir;
  auto options = TestKafkaOptions();
  auto a = KafkaTestNode::Open(dir.Path("a"), options);
  ASSERT_NE(a, nullptr);
  ASSERT_OK_AND_ASSIGN(auto sealed, a->personal_data().Seal("person-x", "Jane Doe"));
  auto reader_options = options;
  reader_options.read_only = true;
  auto b = KafkaTestNode::Open(dir.Path("b"), reader_options);
  ASSERT_NE(b, nullptr);
  ASSERT_OK(b->log().CatchUp(kWait));
  ASSERT_OK_AND_ASSIGN(auto text, b->personal_data().Open(sealed));
  EXPECT_EQ(text, "Jane Doe");
  EXPECT_ERROR_CODE(b->log().Append(Report(StreamId("incident", 40), ledger::kNoStream)),
                    Code::kUnavailable);

  // Destroying the subject's key on the writing node destroys it on every node.
  ASSERT_OK(a->keys().Destroy("person-x"));
  auto c = KafkaTestNode::Open(dir.Path("c"), reader_options);
  ASSERT_NE(c, nullptr);
  ASSERT_OK(c->log().CatchUp(kWait));
  EXPECT_ERROR_CODE(c->personal_data().Open(sealed), Code::kNotFound);
}

TEST(KafkaLogTest, TheReplicaDropsAnEventIdItAlreadyHolds) {
  TempDir dir;
  auto options = TestKafkaOptions();
  auto node = KafkaTestNode::Open(dir.Path("a"), options);
  ASSERT_NE(node, nullptr);
  const std::string stream = StreamId("incident", 50);
  ASSERT_OK(node->log().Append(Report(stream, ledger::kNoStream)));
  ASSERT_OK_AND_ASSIGN(auto events, node->log().ReadStream(stream, 1, 10));
  ASSERT_EQ(events.size(), 1u);

  // The same event written again outside any writer, as a protocol fault would.
  char err[256];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  ASSERT_EQ(rd_kafka_conf_set(conf, "bootstrap.servers", options.bootstrap.c_str(), err, sizeof err),
            RD_KAFKA_CONF_OK);
  rd_kafka_t* producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  ASSERT_NE(producer, nullptr) << err;
  std::string topic = options.topic_prefix + "events";
  ASSERT_EQ(rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(topic.c_str()),
                              RD_KAFKA_V_PARTITION(static_cast<int>(node->log().PartitionOf(stream))),
                              RD_KAFKA_V_KEY(stream.data(), stream.size()),
                              RD_KAFKA_V_VALUE(events[0].bytes.data(), events[0].bytes.size()),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(rd_kafka_flush(producer, 10'000), RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_destroy(producer);

  ASSERT_OK(node->log().CatchUp(kWait));
  EXPECT_EQ(node->log().stats().duplicates_dropped, 1u);
  ASSERT_OK_AND_ASSIGN(auto after, node->log().ReadStream(stream, 1, 10));
  EXPECT_EQ(after.size(), 1u);
  ASSERT_OK(node->log().Append(OneStream(stream, 1, {Draft(EventType::IncidentUpdated, MakeIncidentUpdated())})));
}

}  // namespace
}  // namespace caseledger::testing

namespace caseledger::testing {
namespace {

// Deletes every record of `topic`[`partition`] before `offset`, as retention would.
void DeleteRecordsBefore(const std::string& bootstrap, const std::string& topic, int partition,
                         std::int64_t offset) {
  char err[256];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  ASSERT_EQ(rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), err, sizeof err),
            RD_KAFKA_CONF_OK);
  rd_kafka_t* admin = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  ASSERT_NE(admin, nullptr) << err;
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, topic.c_str(), partition)->offset = offset;
  rd_kafka_DeleteRecords_t* request = rd_kafka_DeleteRecords_new(list);
  rd_kafka_topic_partition_list_destroy(list);
  rd_kafka_queue_t* queue = rd_kafka_queue_new(admin);
  rd_kafka_DeleteRecords(admin, &request, 1, nullptr, queue);
  rd_kafka_DeleteRecords_destroy(request);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 30'000);
  ASSERT_NE(event, nullptr);
  EXPECT_EQ(rd_kafka_event_error(event), RD_KAFKA_RESP_ERR_NO_ERROR)
      << rd_kafka_event_error_string(event);
  const rd_kafka_DeleteRecords_result_t* result = rd_kafka_event_DeleteRecords_result(event);
  const rd_kafka_topic_partition_list_t* offsets = rd_kafka_DeleteRecords_result_offsets(result);
  ASSERT_EQ(offsets->cnt, 1);
  EXPECT_EQ(offsets->elems[0].err, RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_event_destroy(event);
  rd_kafka_queue_destroy(queue);
  rd_kafka_destroy(admin);
}

TEST(KafkaReplicaTest, AStoredOffsetTheLogNoLongerHoldsStartsTheReplicaAgainInsteadOfSkipping) {
  TempDir dir;
  auto options = TestKafkaOptions(1);
  std::uint64_t n = 100;
  {
    auto node = KafkaTestNode::Open(dir.Path("a"), options);
    ASSERT_NE(node, nullptr);
    for (int i = 0; i < 5; ++i) {
      ASSERT_OK(node->log().Append(Report(StreamId("incident", n++), ledger::kNoStream)));
    }
  }
  {
    // Another node writes on while the first is down, then retention removes the start.
    auto node = KafkaTestNode::Open(dir.Path("b"), options);
    ASSERT_NE(node, nullptr);
    for (int i = 0; i < 5; ++i) {
      ASSERT_OK(node->log().Append(Report(StreamId("incident", n++), ledger::kNoStream)));
    }
  }
  // Offsets 0-4 hold the first five events, 5 a commit marker... delete everything before the
  // last three events, well past where node a stopped reading.
  auto high = [&] {
    auto node = KafkaTestNode::Open(dir.Path("probe"), [&] {
      auto o = options;
      o.read_only = true;
      return o;
    }());
    EXPECT_NE(node, nullptr);
    return node ? node->log().EndOffset(0).value() : 0;
  }();
  ASSERT_GT(high, 8u);
  DeleteRecordsBefore(options.bootstrap, options.topic_prefix + "events", 0,
                      static_cast<std::int64_t>(high) - 3);

  auto node = KafkaTestNode::Open(dir.Path("a"), options);
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(node->log().stats().replica_resets, 1u);
  EXPECT_EQ(node->log().epoch(), 1u) << "readers opened before the reset must start again";
  ASSERT_OK_AND_ASSIGN(auto old, node->log().Head(StreamId("incident", 100)));
  EXPECT_EQ(old.version, 0u) << "events the cluster no longer holds are gone from the replica";
  ASSERT_OK_AND_ASSIGN(auto kept, node->log().Head(StreamId("incident", 109)));
  EXPECT_EQ(kept.version, 1u);
}

}  // namespace
}  // namespace caseledger::testing
