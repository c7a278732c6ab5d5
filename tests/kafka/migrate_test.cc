// `caseledger migrate-log` and `caseledger verify --log kafka://` against the suite's real broker:
// an embedded ledger with a realistic mix of events copied into Kafka keeps every event's bytes,
// verifies on both sides, projects alike, opens its personal data there, resumes, refuses a
// diverged log; VerifyKafkaLog finds an event stored twice.
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <cstring>
#include <fstream>
#include <map>

#include "app/migrate_log.h"
#include "app/node.h"
#include "ledger/embedded_log.h"
#include "ledger/envelope.h"
#include "ledger/kafka_log.h"
#include "ledger/verify.h"
#include "support/appends.h"
#include "support/event_builders.h"
#include "support/kafka_env.h"
#include "support/projection_harness.h"
#include "support/random_workload.h"
#include "support/result_assertions.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "support/test_ledger.h"

namespace caseledger::testing {
namespace {

using ledger::Code;
using ledger::EventType;
using Dump = std::vector<std::pair<std::string, std::string>>;

constexpr auto kWait = std::chrono::milliseconds(60'000);

// An embedded ledger built for a migration, and what a test checks on the other side.
struct EmbeddedLedger {
  std::string dir;
  std::uint64_t events = 0;
  ledger::SealedValue kept;      // sealed for a subject whose keys stay
  ledger::SealedValue disposed;  // sealed for a subject whose keys were destroyed
};

// `commands` commands of RandomWorkload(seed) (every event type, some two-stream commands,
// personal fields sealed), plus one value sealed for a subject that stays and one for a subject
// disposed of. The test master key is written to <dir>/master.key, where nodes look by default.
EmbeddedLedger BuildEmbeddedLedger(const std::string& dir, int commands, std::uint64_t seed = 7) {
  EmbeddedLedger built;
  built.dir = dir;
  auto node = TestLedger::Open(dir);
  if (node == nullptr) return built;
  RandomWorkload workload(seed, node->personal_data());
  for (int i = 0; i < commands; ++i) {
    auto appended = node->log().Append(workload.Next());
    node->clock().Advance(1'000'000);
    if (!appended) {
      ADD_FAILURE() << "append " << i << ": " << appended.error().ToString();
      return built;
    }
  }
  built.events = workload.events();
  built.kept = SealOrFail(node->personal_data(), StreamId("person", 900'001), "Jane Doe");
  built.disposed = SealOrFail(node->personal_data(), StreamId("person", 900'002), "John Roe");
  EXPECT_OK(node->keys().Destroy(StreamId("person", 900'002)));
  // A subject of the workload disposed of too, so its projected views show it on both sides.
  for (const auto& record : workload.records()) {
    if (record.starts_with("person-")) {
      EXPECT_OK(node->keys().Destroy(record));
      break;
    }
  }
  node.reset();
  ledger::SecretKey key = TestMasterKey();
  std::ofstream(dir + "/master.key")
      << ledger::ToHex({reinterpret_cast<const char*>(key.data()), key.size()}) << "\n";
  return built;
}

app::MigrateLogOptions MigrateOptions(const EmbeddedLedger& from, const std::string& replica_dir,
                                      const ledger::KafkaLogOptions& kafka) {
  app::MigrateLogOptions options;
  options.from_dir = from.dir;
  options.replica_dir = replica_dir;
  options.kafka = kafka;
  options.batch_events = 500;  // several transactions even for a small ledger
  return options;
}

// Every event of the embedded log at `dir`, in offset order.
std::vector<ledger::RecordedEvent> EmbeddedEvents(const std::string& dir) {
  std::vector<ledger::RecordedEvent> events;
  ledger::StoreOptions store_options;
  store_options.path = dir;
  store_options.create_if_missing = false;
  auto store = ledger::Store::Open(store_options);
  if (!store) {
    ADD_FAILURE() << store.error().ToString();
    return events;
  }
  ledger::ManualClock clock(kTestEpoch);
  auto log = ledger::OpenEmbeddedLog(*store.value(), clock);
  if (!log) {
    ADD_FAILURE() << log.error().ToString();
    return events;
  }
  auto reader = log.value()->OpenReader(0, 0);
  if (!reader) {
    ADD_FAILURE() << reader.error().ToString();
    return events;
  }
  for (;;) {
    auto n = reader.value()->Read(events, 4096, std::chrono::milliseconds(0));
    if (!n || n.value() == 0) {
      if (!n) ADD_FAILURE() << n.error().ToString();
      break;
    }
  }
  return events;
}

ledger::Result<ledger::VerifyReport> VerifyEmbedded(const std::string& dir) {
  ledger::StoreOptions store_options;
  store_options.path = dir;
  store_options.create_if_missing = false;
  BOOST_OUTCOME_TRY(auto store, ledger::Store::Open(store_options));
  return ledger::VerifyLog(*store, {}, {});
}

// Rebuilds the node's projections and returns them, without the per-partition offsets they
// reached (positions differ between the backends; everything else must not).
Dump RebuiltProjections(app::Node& node) {
  auto rebuilt = node.runner().Rebuild();
  if (!rebuilt) {
    ADD_FAILURE() << "rebuild: " << rebuilt.error().ToString();
    return {};
  }
  auto dump = node.projections().Dump(node.projections().active());
  if (!dump) {
    ADD_FAILURE() << "dump: " << dump.error().ToString();
    return {};
  }
  Dump out = std::move(dump).value();
  std::erase_if(out, [](const auto& entry) { return entry.first.starts_with("p "); });
  return out;
}

std::unique_ptr<app::Node> OpenNode(const app::NodeConfig& config) {
  auto node = app::Node::Open(config);
  if (!node) {
    ADD_FAILURE() << "Node::Open(" << config.data_dir << "): " << node.error().ToString();
    return nullptr;
  }
  return std::move(node).value();
}

// Writes `bytes` to the events topic outside any writer, as a protocol fault would.
void ProduceRaw(const ledger::KafkaLogOptions& options, std::uint32_t partition,
                const std::string& key, const std::string& bytes) {
  char err[256];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  ASSERT_EQ(
      rd_kafka_conf_set(conf, "bootstrap.servers", options.bootstrap.c_str(), err, sizeof err),
      RD_KAFKA_CONF_OK);
  rd_kafka_t* producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  ASSERT_NE(producer, nullptr) << err;
  std::string topic = options.topic_prefix + "events";
  ASSERT_EQ(rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(topic.c_str()),
                              RD_KAFKA_V_PARTITION(static_cast<int>(partition)),
                              RD_KAFKA_V_KEY(key.data(), key.size()),
                              RD_KAFKA_V_VALUE(const_cast<char*>(bytes.data()), bytes.size()),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(rd_kafka_flush(producer, 10'000), RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_destroy(producer);
}

std::string StreamOf(const ledger::RecordedEvent& event) {
  return std::string(event.envelope()->stream_id()->string_view());
}

TEST(MigrateLogTest, CopiesEveryKeyAndEventSoBothSidesVerifyAndProjectAlike) {
  TempDir dir;
  EmbeddedLedger from = BuildEmbeddedLedger(dir.Path("embedded"), 1500);
  ASSERT_GT(from.events, 1500u);
  auto kafka = TestKafkaOptions(4);

  ASSERT_OK_AND_ASSIGN(auto stats,
                       app::MigrateLog(MigrateOptions(from, dir.Path("replica"), kafka)));

  EXPECT_EQ(stats.events, from.events);
  EXPECT_EQ(stats.events_copied, from.events);
  EXPECT_EQ(stats.events_present, 0u);
  EXPECT_GT(stats.keys, 0u);
  EXPECT_EQ(stats.keys_copied, stats.keys);
  EXPECT_EQ(stats.heads_checked, stats.streams);
  EXPECT_TRUE(stats.master_key_copied);
  ASSERT_OK_AND_ASSIGN(auto embedded_report, VerifyEmbedded(from.dir));
  EXPECT_TRUE(embedded_report.ok()) << embedded_report.failure->ToString();
  EXPECT_EQ(embedded_report.events_checked, from.events);
  ASSERT_OK_AND_ASSIGN(auto kafka_report, ledger::VerifyKafkaLog(kafka, {}, {}));
  EXPECT_TRUE(kafka_report.ok()) << kafka_report.failure->ToString();
  EXPECT_EQ(kafka_report.events_checked, from.events);
  EXPECT_EQ(kafka_report.streams, stats.streams);

  // Every event is in Kafka as it was stored: same id, version, hash, bytes.
  auto reader_options = kafka;
  reader_options.read_only = true;
  {
    auto reader = KafkaTestNode::Open(dir.Path("reader"), reader_options);
    ASSERT_NE(reader, nullptr);
    ASSERT_OK(reader->log().CatchUp(kWait));
    std::map<std::string, std::uint64_t> versions;
    for (const auto& event : EmbeddedEvents(from.dir)) {
      std::string stream = StreamOf(event);
      std::uint64_t version = event.envelope()->stream_version();
      ASSERT_OK_AND_ASSIGN(auto there, reader->log().ReadStream(stream, version, 1));
      ASSERT_EQ(there.size(), 1u) << stream << " v" << version;
      EXPECT_EQ(there[0].bytes, event.bytes) << stream << " v" << version;
      EXPECT_EQ(there[0].position.partition, reader->log().PartitionOf(stream));
      versions[stream] = version;
    }
    for (const auto& [stream, version] : versions) {
      ASSERT_OK_AND_ASSIGN(auto head, reader->log().Head(stream));
      EXPECT_EQ(head.version, version) << stream;
    }
  }

  // Projections built from either side are identical, personal data opened on both.
  app::NodeConfig embedded_config;
  embedded_config.data_dir = from.dir;
  Dump embedded_dump;
  {
    auto node = OpenNode(embedded_config);
    ASSERT_NE(node, nullptr);
    embedded_dump = RebuiltProjections(*node);
  }
  app::NodeConfig kafka_config;
  kafka_config.data_dir = dir.Path("kafka-node");
  kafka_config.master_key_file = from.dir + "/master.key";
  kafka_config.kafka = reader_options;
  auto node = OpenNode(kafka_config);
  ASSERT_NE(node, nullptr);
  ASSERT_OK(node->kafka()->CatchUp(kWait));
  Dump kafka_dump = RebuiltProjections(*node);
  EXPECT_GT(embedded_dump.size(), 100u);
  EXPECT_TRUE(SameDump(embedded_dump, kafka_dump));

  // Sealed before the migration: opens on Kafka; disposed of before it: stays disposed.
  ASSERT_OK_AND_ASSIGN(auto text, node->personal_data().Open(from.kept));
  EXPECT_EQ(text, "Jane Doe");
  EXPECT_ERROR_CODE(node->personal_data().Open(from.disposed), Code::kNotFound);
}

TEST(MigrateLogTest, RunningAgainCopiesNothingAndSucceeds) {
  TempDir dir;
  EmbeddedLedger from = BuildEmbeddedLedger(dir.Path("embedded"), 300);
  auto kafka = TestKafkaOptions(4);
  ASSERT_OK(app::MigrateLog(MigrateOptions(from, dir.Path("replica"), kafka)));

  // Again, with the same replica, then with a fresh one that reads everything from the cluster.
  ASSERT_OK_AND_ASSIGN(auto again,
                       app::MigrateLog(MigrateOptions(from, dir.Path("replica"), kafka)));
  ASSERT_OK_AND_ASSIGN(auto fresh,
                       app::MigrateLog(MigrateOptions(from, dir.Path("replica-2"), kafka)));

  for (const auto& stats : {again, fresh}) {
    EXPECT_EQ(stats.events, from.events);
    EXPECT_EQ(stats.events_copied, 0u);
    EXPECT_EQ(stats.events_present, from.events);
    EXPECT_EQ(stats.keys_copied, 0u);
    EXPECT_EQ(stats.heads_checked, stats.streams);
  }
  ASSERT_OK_AND_ASSIGN(auto report, ledger::VerifyKafkaLog(kafka, {}, {}));
  EXPECT_TRUE(report.ok()) << report.failure->ToString();
  EXPECT_EQ(report.events_checked, from.events);
}

TEST(MigrateLogTest, AnInterruptedMigrationResumesWhereKafkaStops) {
  TempDir dir;
  EmbeddedLedger from = BuildEmbeddedLedger(dir.Path("embedded"), 600);
  auto kafka = TestKafkaOptions(4);
  auto events = EmbeddedEvents(from.dir);
  const std::size_t interrupted_at = events.size() / 2;  // mid-way through some streams
  {
    // What an interrupted run left: the first half of the events, and no keys.
    auto writer = KafkaTestNode::Open(dir.Path("writer"), kafka);
    ASSERT_NE(writer, nullptr);
    std::vector<std::string> first_half;
    for (std::size_t i = 0; i < interrupted_at; ++i) first_half.push_back(events[i].bytes);
    ASSERT_OK(writer->log().Import(first_half));
  }

  ASSERT_OK_AND_ASSIGN(auto stats,
                       app::MigrateLog(MigrateOptions(from, dir.Path("replica"), kafka)));

  EXPECT_EQ(stats.events_present, interrupted_at);
  EXPECT_EQ(stats.events_copied, events.size() - interrupted_at);
  EXPECT_EQ(stats.keys_copied, stats.keys);
  ASSERT_OK_AND_ASSIGN(auto report, ledger::VerifyKafkaLog(kafka, {}, {}));
  EXPECT_TRUE(report.ok()) << report.failure->ToString();
  EXPECT_EQ(report.events_checked, events.size());
}

TEST(MigrateLogTest, RefusesWhenAStreamInKafkaHoldsAnotherEvent) {
  TempDir dir;
  EmbeddedLedger from = BuildEmbeddedLedger(dir.Path("embedded"), 200);
  auto kafka = TestKafkaOptions(4);
  auto events = EmbeddedEvents(from.dir);
  const std::string stream = StreamOf(events.front());
  {
    // Someone wrote to Kafka before the migration: the same stream, another first event.
    auto writer = KafkaTestNode::Open(dir.Path("writer"), kafka);
    ASSERT_NE(writer, nullptr);
    ASSERT_OK(writer->log().Append(OneStream(
        stream, ledger::kNoStream, {Draft(EventType::IncidentReported, MakeIncidentReported())})));
  }

  auto refused = app::MigrateLog(MigrateOptions(from, dir.Path("replica"), kafka));

  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Code::kVersionConflict) << refused.error().ToString();
  EXPECT_EQ(refused.error().field, "--to");
  EXPECT_NE(refused.error().message.find(stream), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("another hash"), std::string::npos);
}

TEST(MigrateLogTest, RefusesWhenKafkaHoldsMoreOfAStreamThanTheEmbeddedLog) {
  TempDir dir;
  EmbeddedLedger from = BuildEmbeddedLedger(dir.Path("embedded"), 200);
  auto kafka = TestKafkaOptions(4);
  ASSERT_OK(app::MigrateLog(MigrateOptions(from, dir.Path("replica"), kafka)));
  const std::string stream = StreamOf(EmbeddedEvents(from.dir).front());
  {
    // A node on Kafka went on writing, then the migration ran again.
    auto writer = KafkaTestNode::Open(dir.Path("writer"), kafka);
    ASSERT_NE(writer, nullptr);
    ASSERT_OK_AND_ASSIGN(auto head, writer->log().Head(stream));
    ASSERT_OK(writer->log().Append(OneStream(
        stream, head.version, {Draft(EventType::IncidentUpdated, MakeIncidentUpdated())})));
  }

  auto refused = app::MigrateLog(MigrateOptions(from, dir.Path("replica"), kafka));

  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Code::kVersionConflict) << refused.error().ToString();
  EXPECT_NE(refused.error().message.find(stream), std::string::npos) << refused.error().message;
}

TEST(MigrateLogTest, ASubjectDisposedOfBetweenTwoRunsIsDisposedOfInKafkaToo) {
  TempDir dir;
  EmbeddedLedger from = BuildEmbeddedLedger(dir.Path("embedded"), 100);
  auto kafka = TestKafkaOptions(4);
  ASSERT_OK(app::MigrateLog(MigrateOptions(from, dir.Path("replica"), kafka)));
  {
    auto node = TestLedger::Open(from.dir);
    ASSERT_NE(node, nullptr);
    ASSERT_OK(node->keys().Destroy(from.kept.subject_id));
  }

  ASSERT_OK_AND_ASSIGN(auto stats,
                       app::MigrateLog(MigrateOptions(from, dir.Path("replica"), kafka)));

  EXPECT_EQ(stats.keys_copied, 2u) << "the key erased, then the tombstone written";
  EXPECT_EQ(stats.events_copied, 0u);
  auto reader_options = kafka;
  reader_options.read_only = true;
  auto reader = KafkaTestNode::Open(dir.Path("reader"), reader_options);
  ASSERT_NE(reader, nullptr);
  ASSERT_OK(reader->log().CatchUp(kWait));
  EXPECT_ERROR_CODE(reader->personal_data().Open(from.kept), Code::kNotFound);
}

TEST(MigrateLogTest, RefusesToRestoreAKeyDestroyedInKafka) {
  TempDir dir;
  EmbeddedLedger from = BuildEmbeddedLedger(dir.Path("embedded"), 100);
  auto kafka = TestKafkaOptions(4);
  ASSERT_OK(app::MigrateLog(MigrateOptions(from, dir.Path("replica"), kafka)));
  {
    auto node = KafkaTestNode::Open(dir.Path("writer"), kafka);
    ASSERT_NE(node, nullptr);
    ASSERT_OK(node->log().CatchUp(kWait));
    ASSERT_OK(node->keys().Destroy(from.kept.subject_id));
  }

  auto refused = app::MigrateLog(MigrateOptions(from, dir.Path("replica"), kafka));

  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Code::kVersionConflict) << refused.error().ToString();
  EXPECT_EQ(refused.error().field, "--to");
  EXPECT_NE(refused.error().message.find(from.kept.subject_id), std::string::npos)
      << refused.error().message;
}

TEST(MigrateLogTest, RefusesAMasterKeyThatDoesNotOpenTheEmbeddedKeys) {
  TempDir dir;
  EmbeddedLedger from = BuildEmbeddedLedger(dir.Path("embedded"), 20);
  std::ofstream(dir.Path("other.key")) << std::string(64, 'a') << "\n";
  auto options = MigrateOptions(from, dir.Path("replica"), TestKafkaOptions(4));
  options.master_key_file = dir.Path("other.key");

  auto refused = app::MigrateLog(options);

  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Code::kInvalidArgument) << refused.error().ToString();
  EXPECT_EQ(refused.error().field, "--master-key-file");
}

TEST(MigrateLogTest, RefusesTheReplicaOfANodeOnKafkaAsItsSource) {
  TempDir dir;
  EmbeddedLedger from = BuildEmbeddedLedger(dir.Path("embedded"), 20);
  auto kafka = TestKafkaOptions(4);
  ASSERT_OK(app::MigrateLog(MigrateOptions(from, dir.Path("replica"), kafka)));
  EmbeddedLedger replica = from;
  replica.dir = dir.Path("replica");

  auto refused = app::MigrateLog(MigrateOptions(replica, dir.Path("replica-2"), kafka));

  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Code::kInvalidArgument) << refused.error().ToString();
  EXPECT_EQ(refused.error().field, "--from");
}

TEST(MigrateLogTest, TheBinaryMigratesResumesAndVerifiesKafka) {
  TempDir dir;
  EmbeddedLedger from = BuildEmbeddedLedger(dir.Path("embedded"), 300);
  auto kafka = TestKafkaOptions(4);
  const std::string uri = "kafka://" + kafka.bootstrap;
  const std::vector<std::string> kafka_args = {"--kafka-topic-prefix", kafka.topic_prefix,
                                               "--kafka-partitions", "4"};
  auto with_kafka = [&](std::vector<std::string> args) {
    args.insert(args.end(), kafka_args.begin(), kafka_args.end());
    return args;
  };

  std::string first, second, verified, help;
  ASSERT_EQ(RunCaseledger(CASELEDGER_BINARY,
                          with_kafka({"migrate-log", "--from", from.dir, "--to", uri, "--quiet"}),
                          &first),
            0)
      << first;
  ASSERT_EQ(RunCaseledger(CASELEDGER_BINARY,
                          with_kafka({"migrate-log", "--from", from.dir, "--to", uri, "--quiet"}),
                          &second),
            0)
      << second;
  ASSERT_EQ(RunCaseledger(CASELEDGER_BINARY, with_kafka({"verify", "--log", uri}), &verified), 0)
      << verified;
  ASSERT_EQ(RunCaseledger(CASELEDGER_BINARY, {"migrate-log", "--help"}, &help), 0);

  const std::string events = std::to_string(from.events);
  EXPECT_NE(first.find(events + " copied, 0 already in Kafka"), std::string::npos) << first;
  EXPECT_NE(second.find("0 copied, " + events + " already in Kafka"), std::string::npos) << second;
  EXPECT_NE(verified.find("ok: " + events + " events"), std::string::npos) << verified;
  EXPECT_NE(help.find("idempotency records"), std::string::npos) << help;
  // The default replica directory holds the master key, so a node can serve from it as it is.
  EXPECT_TRUE(std::ifstream(from.dir + "-kafka/master.key").good());
}

TEST(VerifyKafkaLogTest, FindsAnEventStoredTwice) {
  TempDir dir;
  auto kafka = TestKafkaOptions(4);
  const std::string stream = StreamId("incident", 70);
  ledger::RecordedEvent last;
  {
    auto writer = KafkaTestNode::Open(dir.Path("writer"), kafka);
    ASSERT_NE(writer, nullptr);
    ASSERT_OK(writer->log().Append(
        OneStream(stream, ledger::kNoStream,
                  {Draft(EventType::IncidentReported, MakeIncidentReported()),
                   Draft(EventType::IncidentUpdated, MakeIncidentUpdated())})));
    ASSERT_OK_AND_ASSIGN(auto events, writer->log().ReadStream(stream, 1, 10));
    ASSERT_EQ(events.size(), 2u);
    last = events[1];
  }
  ASSERT_OK_AND_ASSIGN(auto before, ledger::VerifyKafkaLog(kafka, {}, {}));
  ASSERT_TRUE(before.ok()) << before.failure->ToString();

  ProduceRaw(kafka, last.position.partition, stream, last.bytes);
  ASSERT_OK_AND_ASSIGN(auto report, ledger::VerifyKafkaLog(kafka, {}, {}));
  std::string output;
  int status =
      RunCaseledger(CASELEDGER_BINARY,
                    {"verify", "--log", "kafka://" + kafka.bootstrap, "--kafka-topic-prefix",
                     kafka.topic_prefix, "--kafka-partitions", "4"},
                    &output);

  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.events_checked, 2u);
  EXPECT_EQ(report.failure->stream_id, stream);
  EXPECT_EQ(report.failure->version, 2u);
  ledger::Uuid last_id;
  std::memcpy(last_id.bytes.data(), last.envelope()->event_id()->bytes()->data(), 16);
  EXPECT_EQ(report.failure->event_id, last_id);
  EXPECT_EQ(report.failure->position.partition, last.position.partition);
  EXPECT_GT(report.failure->position.offset, last.position.offset);
  EXPECT_NE(report.failure->rule.find("duplicate"), std::string::npos) << report.failure->rule;
  EXPECT_NE(report.failure->rule.find(last.position.ToString()), std::string::npos)
      << report.failure->rule;
  EXPECT_EQ(status, 1) << output;
  EXPECT_NE(output.find("FAILED"), std::string::npos) << output;
}

TEST(VerifyKafkaLogTest, FindsAnEventOutsideItsStreamsPartition) {
  TempDir dir;
  auto kafka = TestKafkaOptions(4);
  const std::string stream = StreamId("incident", 71);
  ledger::RecordedEvent first;
  {
    auto writer = KafkaTestNode::Open(dir.Path("writer"), kafka);
    ASSERT_NE(writer, nullptr);
    ASSERT_OK(writer->log().Append(OneStream(
        stream, ledger::kNoStream, {Draft(EventType::IncidentReported, MakeIncidentReported())})));
    ASSERT_OK_AND_ASSIGN(auto events, writer->log().ReadStream(stream, 1, 10));
    ASSERT_EQ(events.size(), 1u);
    first = events[0];
  }
  const std::uint32_t elsewhere = (first.position.partition + 1) % 4;

  ProduceRaw(kafka, elsewhere, stream, first.bytes);
  ASSERT_OK_AND_ASSIGN(auto report, ledger::VerifyKafkaLog(kafka, {}, {}));

  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure->position.partition, elsewhere);
  EXPECT_NE(report.failure->rule.find("belongs in partition"), std::string::npos)
      << report.failure->rule;
}

TEST(VerifyKafkaLogTest, NamesTheOptionWhenTheTopicIsMissingOrShapedOtherwise) {
  TempDir dir;
  auto kafka = TestKafkaOptions(4);
  {
    auto writer = KafkaTestNode::Open(dir.Path("writer"), kafka);
    ASSERT_NE(writer, nullptr);
  }
  auto missing = kafka;
  missing.topic_prefix = UniqueTopicPrefix();
  auto other_shape = kafka;
  other_shape.partitions = 8;

  auto no_topic = ledger::VerifyKafkaLog(missing, {}, {});
  auto wrong_count = ledger::VerifyKafkaLog(other_shape, {}, {});

  ASSERT_FALSE(no_topic);
  EXPECT_EQ(no_topic.error().code, Code::kNotFound);
  EXPECT_EQ(no_topic.error().field, "kafka.topic_prefix");
  ASSERT_FALSE(wrong_count);
  EXPECT_EQ(wrong_count.error().code, Code::kInvalidArgument);
  EXPECT_EQ(wrong_count.error().field, "kafka.partitions");
}

}  // namespace
}  // namespace caseledger::testing
