// Seeded fault tests of the KafkaLog on librdkafka's in-process mock cluster: request errors,
// brokers going down, slow coordinators and sequence desynchronization, each followed by a check
// that every answer the log gave is true of what the log holds (support/kafka_history.h).
//
// A fixed seed chooses which requests fail and when; it is printed with every failure. To try
// other seeds: CASELEDGER_KAFKA_MOCK_SEEDS=1,2,3 caseledger_unit_tests --gtest_filter='KafkaMock*'
//
// What the mock cannot do (no transaction isolation, no fencing, no CreateTopics) and how the
// faults are chosen around it is described in support/kafka_mock.h; KafkaMockClusterTest pins
// down the parts these tests rely on.
#include "support/kafka_mock.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <sstream>
#include <thread>

#include "ledger/kafka_log.h"
#include "support/appends.h"
#include "support/event_builders.h"
#include "support/kafka_env.h"
#include "support/kafka_history.h"
#include "support/result_assertions.h"
#include "support/temp_dir.h"

namespace caseledger::testing {
namespace {

using ledger::Code;
using std::chrono::milliseconds;

constexpr std::uint32_t kPartitions = 4;
constexpr std::size_t kStreams = 40;
constexpr int kRounds = 4;  // one command per stream each, then one more each: 200 commands
constexpr milliseconds kAnswerWait{60'000};
constexpr milliseconds kCatchUp{20'000};

std::vector<std::uint64_t> SeedsOr(std::vector<std::uint64_t> seeds) {
  const char* env = std::getenv("CASELEDGER_KAFKA_MOCK_SEEDS");
  if (env == nullptr || *env == '\0') return seeds;
  std::vector<std::uint64_t> out;
  std::stringstream in(env);
  for (std::string item; std::getline(in, item, ',');) out.push_back(std::stoull(item));
  return out;
}

// Runs `action` after `delay` on its own thread; joins it on destruction.
class Later {
 public:
  Later(milliseconds delay, std::function<void()> action)
      : thread_([delay, action = std::move(action)] {
          std::this_thread::sleep_for(delay);
          action();
        }) {}
  ~Later() { thread_.join(); }

 private:
  std::thread thread_;
};

// Called before each command of a round is sent: (round, commands of the round already sent).
using FaultHook = std::function<void(int round, std::size_t sent)>;

// One mock cluster per test suite (starting and destroying one costs a second); every test
// uses topics of its own and heals the cluster when it ends.
class KafkaMockTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { shared_ = MockKafkaCluster::Start().release(); }
  static void TearDownTestSuite() {
    delete shared_;
    shared_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(shared_, nullptr);
    cluster_ = shared_;
  }

  void TearDown() override {
    cluster_->Heal();
    node_.reset();
  }

  void Open(const ledger::KafkaLogOptions& options) {
    node_ = KafkaTestNode::Open(dir_.Path("node"), options);
    ASSERT_NE(node_, nullptr);
  }

  ledger::KafkaLog& log() { return node_->log(); }

  // Sends one command and waits for its answer, so nothing else is in flight; learns from it.
  std::size_t SendAlone(StreamWorkload& workload, ledger::AppendRequest request) {
    std::size_t index = history_.Submit(log(), request);
    EXPECT_TRUE(history_.WaitForAnswers(kAnswerWait)) << history_.Summary();
    if (auto answer = history_.AnswerOf(index)) workload.Learn(request, *answer);
    return index;
  }

  // `rounds` rounds of one command per stream, each round sent at once and its answers learnt
  // before the next. Commands answered with an unknown outcome that carry an idempotency key
  // are sent again unchanged in the next round, as the EventLog contract says.
  void RunRounds(StreamWorkload& workload, int rounds, const FaultHook& fault) {
    std::vector<ledger::AppendRequest> retries;
    for (int round = 0; round < rounds; ++round) {
      std::vector<ledger::AppendRequest> batch = std::move(retries);
      retries.clear();
      for (std::size_t s = 0; s < workload.stream_count(); ++s)
        batch.push_back(workload.NextFor(s));
      std::vector<std::size_t> sent;
      for (auto& request : batch) {
        if (fault) fault(round, sent.size());
        sent.push_back(history_.Submit(log(), std::move(request)));
      }
      ASSERT_TRUE(history_.WaitForAnswers(kAnswerWait))
          << "round " << round << ": some appends were never answered; " << history_.Summary();
      for (std::size_t index : sent) {
        auto request = history_.RequestOf(index);
        auto answer = *history_.AnswerOf(index);
        workload.Learn(request, answer);
        if (MeaningOf(answer) == AnswerMeans::kUnknown &&
            !request.context.idempotency_key.empty()) {
          retries.push_back(std::move(request));
        }
      }
    }
  }

  // With the faults healed: one more command per stream, at any version, each of which must
  // succeed; then the history check.
  void ExpectAppendsSucceedAndHistoryHolds(StreamWorkload& workload) {
    cluster_->Heal();
    std::vector<std::size_t> last;
    for (std::size_t s = 0; s < workload.stream_count(); ++s) {
      auto request = workload.NextFor(s);
      for (auto& stream : request.streams) stream.expected_version = ledger::kAnyVersion;
      last.push_back(history_.Submit(log(), std::move(request)));
    }
    ASSERT_TRUE(history_.WaitForAnswers(kAnswerWait)) << history_.Summary();
    for (std::size_t index : last) {
      auto answer = *history_.AnswerOf(index);
      EXPECT_TRUE(answer) << "an append after the faults healed failed: " << Describe(answer);
    }
    ASSERT_OK(log().CatchUp(kCatchUp));
    auto violations = history_.CheckHistory(log());
    EXPECT_TRUE(violations.empty()) << history_.Summary() << FormatViolations(violations) << "\n"
                                    << StatsLine();
  }

  // Every command was answered success, or one of `also`.
  void ExpectOnlyOkOr(std::initializer_list<Code> also) {
    std::size_t expected = history_.CountOk();
    for (Code code : also) expected += history_.Count(code);
    EXPECT_EQ(expected, history_.size()) << history_.Summary() << "; " << StatsLine();
  }

  std::string StatsLine() {
    auto s = log().stats();
    return fmt::format(
        "transactions {}, aborted {}, producer restarts {}, resent groups {}, "
        "recovered present {}, duplicates dropped {}, last fatal \"{}\"",
        s.transactions, s.aborted, s.producer_restarts, s.resent_groups, s.recovered_present,
        s.duplicates_dropped, s.last_fatal);
  }

  static MockKafkaCluster* shared_;
  MockKafkaCluster* cluster_ = nullptr;
  TempDir dir_;
  std::unique_ptr<KafkaTestNode> node_;
  AppendHistory history_;
};

MockKafkaCluster* KafkaMockTest::shared_ = nullptr;

class KafkaMockFaultTest : public KafkaMockTest,
                           public ::testing::WithParamInterface<std::uint64_t> {
 protected:
  void SetUp() override {
    KafkaMockTest::SetUp();
    random_.seed(seed());
  }

  std::uint64_t seed() const { return GetParam(); }
  std::uint64_t Below(std::uint64_t n) { return random_() % n; }

  // A one-event command for a stream of the workload, at any version, with a key.
  ledger::AppendRequest Probe(StreamWorkload& workload) {
    return OneStream(workload.StreamName(Below(workload.stream_count())), ledger::kAnyVersion,
                     {Draft(ledger::EventType::IncidentUpdated, MakeIncidentUpdated())},
                     Context("user-alice", fmt::format("probe-{}", seed())));
  }

  std::mt19937_64 random_;
};

std::string SeedName(const ::testing::TestParamInfo<std::uint64_t>& info) {
  return "seed" + std::to_string(info.param);
}

// ---- the mock itself and opening on it ---------------------------------------------------------

TEST_F(KafkaMockTest, TheMockShowsAnAbortedTransactionToReadCommittedConsumers) {
  // Why the fault tests avoid faults that abort a transaction after its messages reached a
  // broker. If this fails, librdkafka's mock learnt transaction isolation: widen the tests.
  auto options = cluster_->LogOptions(1);
  const std::string topic = options.topic_prefix + "events";
  char err[512];
  auto new_client = [&](rd_kafka_type_t type,
                        std::vector<std::pair<const char*, const char*>> props) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    props.emplace_back("bootstrap.servers", options.bootstrap.c_str());
    for (auto [name, value] : props)
      EXPECT_EQ(rd_kafka_conf_set(conf, name, value, err, sizeof err), RD_KAFKA_CONF_OK);
    rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof err);
    EXPECT_NE(rk, nullptr) << err;
    return rk;
  };
  auto failure = [](rd_kafka_error_t* e) {
    std::string text = e == nullptr ? "" : rd_kafka_error_string(e);
    if (e != nullptr) rd_kafka_error_destroy(e);
    return text;
  };
  rd_kafka_t* producer = new_client(RD_KAFKA_PRODUCER, {{"transactional.id", "mock-isolation"}});
  ASSERT_NE(producer, nullptr);
  EXPECT_EQ(failure(rd_kafka_init_transactions(producer, 5000)), "");
  EXPECT_EQ(failure(rd_kafka_begin_transaction(producer)), "");
  EXPECT_EQ(rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(0),
                              RD_KAFKA_V_VALUE(const_cast<char*>("aborted"), 7),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  EXPECT_EQ(rd_kafka_flush(producer, 5000), RD_KAFKA_RESP_ERR_NO_ERROR);
  EXPECT_EQ(failure(rd_kafka_abort_transaction(producer, 5000)), "");
  rd_kafka_destroy(producer);

  rd_kafka_t* consumer = new_client(
      RD_KAFKA_CONSUMER, {{"group.id", "mock-isolation"}, {"isolation.level", "read_committed"}});
  ASSERT_NE(consumer, nullptr);
  rd_kafka_poll_set_consumer(consumer);
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, topic.c_str(), 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
  EXPECT_EQ(rd_kafka_assign(consumer, list), RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_topic_partition_list_destroy(list);
  std::string seen;
  for (int i = 0; i < 100 && seen.empty(); ++i) {
    if (rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer, 50)) {
      if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR)
        seen.assign(static_cast<const char*>(m->payload), m->len);
      rd_kafka_message_destroy(m);
    }
  }
  std::int64_t low = 0, high = 0;
  EXPECT_EQ(rd_kafka_query_watermark_offsets(consumer, topic.c_str(), 0, &low, &high, 5000),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_consumer_close(consumer);
  rd_kafka_destroy(consumer);

  EXPECT_EQ(seen, "aborted");
  EXPECT_EQ(high, 1) << "no control record follows the aborted message";
}

TEST_F(KafkaMockTest, OpenFailsWithUnavailableWhenTheClusterNeverAnswersCreateTopics) {
  ledger::KafkaLogOptions options;
  options.bootstrap = cluster_->bootstrap();
  options.topic_prefix = UniqueTopicPrefix();
  options.partitions = 2;
  options.create_topics = true;
  options.call_timeout = milliseconds(500);
  options.open_timeout = milliseconds(1'000);
  ledger::StoreOptions store_options;
  store_options.path = dir_.Path("store");
  ASSERT_OK_AND_ASSIGN(auto store, ledger::Store::Open(store_options));
  ledger::ManualClock clock(kTestEpoch);

  auto opened = ledger::OpenKafkaLog(*store, clock, options);

  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, Code::kUnavailable) << opened.error().ToString();
}

TEST_F(KafkaMockTest, OpenFailsWithUnavailableWhenEveryBrokerIsDown) {
  auto options = cluster_->LogOptions(2);
  options.call_timeout = milliseconds(500);
  options.open_timeout = milliseconds(1'000);
  cluster_->SetDown(kAllBrokers);
  ledger::StoreOptions store_options;
  store_options.path = dir_.Path("store");
  ASSERT_OK_AND_ASSIGN(auto store, ledger::Store::Open(store_options));
  ledger::ManualClock clock(kTestEpoch);

  auto opened = ledger::OpenKafkaLog(*store, clock, options);

  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, Code::kUnavailable) << opened.error().ToString();
}

// ---- the history check --------------------------------------------------------------------------

TEST_F(KafkaMockTest, AppendsWithoutFaultsSucceedAndTheHistoryCheckPasses) {
  Open(cluster_->LogOptions(kPartitions, /*spread_leaders=*/true));
  StreamWorkload workload(1, {.first_stream = 100, .streams = kStreams});

  RunRounds(workload, 2, nullptr);

  ExpectOnlyOkOr({Code::kVersionConflict});
  EXPECT_EQ(log().stats().producer_restarts, 0u) << StatsLine();
  ExpectAppendsSucceedAndHistoryHolds(workload);
}

TEST_F(KafkaMockTest, TheHistoryCheckReportsAnswersTheLogContradicts) {
  Open(cluster_->LogOptions(kPartitions));
  auto first = OneStream(StreamId("incident", 7001), ledger::kNoStream,
                         {Draft(ledger::EventType::IncidentReported, MakeIncidentReported())});
  auto never_sent = OneStream(StreamId("incident", 7002), ledger::kNoStream,
                              {Draft(ledger::EventType::IncidentReported, MakeIncidentReported())});
  ASSERT_OK(log().Append(first));
  ASSERT_OK(log().CatchUp(kCatchUp));
  // An answer that says nothing was written although it was, one naming events never written,
  // and a command never answered.
  history_.SetAnswer(history_.Record(first),
                     ledger::MakeError(Code::kUnavailable, "said nothing was written"));
  ledger::AppendResult invented;
  invented.events.push_back({never_sent.streams[0].events[0].event_id,
                             never_sent.streams[0].stream_id, 1, ledger::Position{0, 99}});
  history_.SetAnswer(history_.Record(never_sent), invented);
  history_.Record(never_sent);

  auto violations = history_.CheckHistory(log());

  ASSERT_EQ(violations.size(), 3u) << FormatViolations(violations);
  EXPECT_NE(violations[0].find("yet its event"), std::string::npos) << violations[0];
  EXPECT_NE(violations[1].find("is not in the log"), std::string::npos) << violations[1];
  EXPECT_NE(violations[2].find("never answered"), std::string::npos) << violations[2];
}

// ---- 1. request errors --------------------------------------------------------------------------

const std::vector<rd_kafka_resp_err_t> kProduceErrors = {
    RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
    RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND,
    RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE};
const std::vector<rd_kafka_resp_err_t> kCoordinatorErrors = {
    RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
    RD_KAFKA_RESP_ERR_CONCURRENT_TRANSACTIONS, RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS};

TEST_P(KafkaMockFaultTest, RetriedRequestErrorsNeverReachAnAppend) {
  SCOPED_TRACE("seed " + std::to_string(seed()));
  Open(cluster_->LogOptions(kPartitions));
  StreamWorkload workload(seed(), {.first_stream = 1000, .streams = kStreams});
  struct Target {
    std::int32_t broker;
    KafkaApi api;
    const std::vector<rd_kafka_resp_err_t>* errors;
  };
  const Target targets[] = {{kLeader, KafkaApi::kProduce, &kProduceErrors},
                            {kCoordinator, KafkaApi::kAddPartitionsToTxn, &kCoordinatorErrors},
                            {kCoordinator, KafkaApi::kEndTxn, &kCoordinatorErrors}};
  // Three bursts of 1-3 errors a round, each for a seeded request type at a seeded point.
  struct Burst {
    std::size_t at;  // round * kStreams + commands of the round already sent
    std::size_t target;
  };
  std::vector<Burst> bursts;
  for (int round = 0; round < kRounds; ++round) {
    for (int b = 0; b < 3; ++b) bursts.push_back({round * kStreams + Below(kStreams), Below(3)});
  }
  std::size_t injected = 0;

  RunRounds(workload, kRounds, [&](int round, std::size_t sent) {
    for (const Burst& burst : bursts) {
      if (burst.at != round * kStreams + sent) continue;
      const Target& t = targets[burst.target];
      std::vector<rd_kafka_resp_err_t> errors(1 + Below(3));
      for (auto& e : errors) e = (*t.errors)[Below(t.errors->size())];
      cluster_->PushErrors(t.broker, t.api, errors);
      injected += errors.size();
    }
  });

  ExpectAppendsSucceedAndHistoryHolds(workload);
  for (const Target& t : targets) {
    EXPECT_EQ(cluster_->PendingErrors(t.broker, t.api), 0u)
        << "an injected error was never served: api " << static_cast<int>(t.api);
  }
  EXPECT_GT(injected, 0u);
  ExpectOnlyOkOr({Code::kVersionConflict});
}

// ---- 2. a broker down, then up ------------------------------------------------------------------

TEST_P(KafkaMockFaultTest, ABrokerGoingDownAndComingBackLeavesEveryAnswerTrue) {
  SCOPED_TRACE("seed " + std::to_string(seed()));
  auto options = cluster_->LogOptions(kPartitions);
  options.call_timeout = milliseconds(3'000);
  Open(options);
  StreamWorkload workload(seed(), {.first_stream = 2000, .streams = kStreams});
  const std::int32_t targets[] = {kLeader, kCoordinator, kAllBrokers};
  const std::int32_t broker = targets[Below(3)];
  const int down_round = 1 + static_cast<int>(Below(kRounds - 1));
  const std::size_t down_at = Below(kStreams);
  // Shorter than message.timeout.ms (call_timeout): librdkafka sends again what was in flight.
  const milliseconds down_for(200 + Below(800));
  SCOPED_TRACE(fmt::format("broker {} down in round {} after {} sends, for {} ms", broker,
                           down_round, down_at, down_for.count()));
  std::unique_ptr<Later> up;

  RunRounds(workload, kRounds, [&](int round, std::size_t sent) {
    if (round == down_round && sent == down_at) {
      cluster_->SetDown(broker);
      up = std::make_unique<Later>(down_for, [&] { cluster_->SetUp(broker); });
    }
  });
  up.reset();

  ExpectAppendsSucceedAndHistoryHolds(workload);
  ExpectOnlyOkOr({Code::kVersionConflict});
}

// ---- 3. a slow broker ---------------------------------------------------------------------------

TEST_P(KafkaMockFaultTest, ACommitThatNeverAnswersIsSettledByReadingTheLogBack) {
  SCOPED_TRACE("seed " + std::to_string(seed()));
  auto options = cluster_->LogOptions(kPartitions);
  options.append_timeout = milliseconds(3'000);
  Open(options);
  StreamWorkload workload(seed(), {.first_stream = 3000, .streams = kStreams});
  const int slow_round = static_cast<int>(Below(kRounds));
  const std::size_t slow_at = Below(kStreams);
  SCOPED_TRACE(fmt::format("EndTxn answers late in round {} after {} sends", slow_round, slow_at));

  // One EndTxn answered long after the writer gave up on it (append_timeout): the commit's
  // outcome is unknown to the writer, which starts a new producer and reads the log back.
  RunRounds(workload, kRounds, [&](int round, std::size_t sent) {
    if (round == slow_round && sent == slow_at) {
      cluster_->PushErrors(kCoordinator, KafkaApi::kEndTxn, {RD_KAFKA_RESP_ERR_NO_ERROR},
                           options.append_timeout * 2);
    }
  });

  ExpectAppendsSucceedAndHistoryHolds(workload);
  auto stats = log().stats();
  EXPECT_GE(stats.producer_restarts, 1u) << StatsLine();
  EXPECT_GE(stats.recovered_present, 1u) << "the unanswered commit is in the log; " << StatsLine();
  // Appends queued behind the stuck commit may expire unsent; none is left unknown.
  ExpectOnlyOkOr({Code::kVersionConflict, Code::kUnavailable});
}

TEST_P(KafkaMockFaultTest, ASlowCoordinatorTimesAppendsOutAndTheirRetriesAnswerTrue) {
  SCOPED_TRACE("seed " + std::to_string(seed()));
  auto options = cluster_->LogOptions(kPartitions);
  options.append_timeout = milliseconds(4'000);
  Open(options);
  StreamWorkload workload(seed(), {.first_stream = 4000, .streams = kStreams, .keyed_percent = 60});
  const int slow_round = 1 + static_cast<int>(Below(kRounds - 1));
  const milliseconds rtt = options.call_timeout * 4 + milliseconds(1'000);
  const milliseconds slow_for = rtt + milliseconds(Below(1'500));
  SCOPED_TRACE(fmt::format("coordinator answers after {} ms from the start of round {}, for {} ms",
                           rtt.count(), slow_round, slow_for.count()));
  std::unique_ptr<Later> heal;

  // Slower than the commit and three aborts of call_timeout each: the writer cannot settle its
  // transaction, and cannot start a new producer until the coordinator is fast again. The
  // coordinator slows down between rounds, while the writer is idle, so no transaction has
  // registered some partitions (and sent their messages) and not others: the abort that follows
  // would leave those messages visible on the mock (see support/kafka_mock.h).
  RunRounds(workload, kRounds, [&](int round, std::size_t sent) {
    if (round == slow_round && sent == 0) {
      cluster_->SetRtt(kCoordinator, rtt);
      heal = std::make_unique<Later>(slow_for,
                                     [&] { cluster_->SetRtt(kCoordinator, milliseconds(0)); });
    }
  });
  heal.reset();

  ExpectAppendsSucceedAndHistoryHolds(workload);
  EXPECT_GE(log().stats().producer_restarts, 1u) << StatsLine();
  EXPECT_GT(history_.Count(Code::kTimeout) + history_.Count(Code::kUnavailable), 0u)
      << "the slow coordinator outlasted append_timeout: " << history_.Summary();
}

// ---- 4. sequence desynchronization --------------------------------------------------------------

TEST_P(KafkaMockFaultTest, ASequenceDesyncIsFatalAndTheWriterGoesOnWithANewProducer) {
  SCOPED_TRACE("seed " + std::to_string(seed()));
  Open(cluster_->LogOptions(kPartitions));
  StreamWorkload workload(seed(), {.first_stream = 5000, .streams = kStreams});
  const int fault_round = static_cast<int>(Below(kRounds));
  SCOPED_TRACE(fmt::format("OUT_OF_ORDER_SEQUENCE_NUMBER before round {}", fault_round));
  std::optional<std::size_t> probe;

  // librdkafka 2.0.2 takes OUT_OF_ORDER_SEQUENCE_NUMBER on the oldest produce request in flight
  // for a desynchronization it cannot reason about: a fatal error, so the producer must go. The
  // error meets an append sent alone, so it fails a transaction before any of its messages
  // reached a broker (see support/kafka_mock.h); the rounds around it run as usual.
  RunRounds(workload, kRounds, [&](int round, std::size_t sent) {
    if (round == fault_round && sent == 0) {
      cluster_->PushErrors(kLeader, KafkaApi::kProduce,
                           {RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER});
      probe = SendAlone(workload, Probe(workload));
    }
  });

  ExpectAppendsSucceedAndHistoryHolds(workload);
  ASSERT_TRUE(probe);
  EXPECT_TRUE(*history_.AnswerOf(*probe)) << "the append that met the desync is sent again";
  auto stats = log().stats();
  EXPECT_EQ(stats.producer_restarts, 1u) << StatsLine();
  EXPECT_EQ(stats.resent_groups, 1u) << StatsLine();
  EXPECT_NE(stats.last_fatal.find("OUT_OF_ORDER_SEQUENCE_NUMBER"), std::string::npos)
      << StatsLine();
  EXPECT_EQ(cluster_->PendingErrors(kLeader, KafkaApi::kProduce), 0u);
  ExpectOnlyOkOr({Code::kVersionConflict});
}

TEST_P(KafkaMockFaultTest, AnUnknownProducerIdAbortsTheTransactionAndItsAppendIsSentAgain) {
  SCOPED_TRACE("seed " + std::to_string(seed()));
  Open(cluster_->LogOptions(kPartitions));
  StreamWorkload workload(seed(), {.first_stream = 6000, .streams = kStreams});
  const int fault_round = static_cast<int>(Below(kRounds));
  SCOPED_TRACE(fmt::format("UNKNOWN_PRODUCER_ID before round {}", fault_round));
  std::optional<std::size_t> probe;

  // For a transactional producer librdkafka makes UNKNOWN_PRODUCER_ID abortable (it bumps the
  // epoch): the writer aborts and sends the append again on the same producer.
  RunRounds(workload, kRounds, [&](int round, std::size_t sent) {
    if (round == fault_round && sent == 0) {
      cluster_->PushErrors(kLeader, KafkaApi::kProduce, {RD_KAFKA_RESP_ERR_UNKNOWN_PRODUCER_ID});
      probe = SendAlone(workload, Probe(workload));
    }
  });

  ExpectAppendsSucceedAndHistoryHolds(workload);
  ASSERT_TRUE(probe);
  EXPECT_TRUE(*history_.AnswerOf(*probe)) << "the aborted append is sent again";
  auto stats = log().stats();
  EXPECT_GE(stats.aborted, 1u) << StatsLine();
  EXPECT_EQ(stats.producer_restarts, 0u) << StatsLine();
  ExpectOnlyOkOr({Code::kVersionConflict});
}

INSTANTIATE_TEST_SUITE_P(KafkaMockSeeds, KafkaMockFaultTest, ::testing::ValuesIn(SeedsOr({1})),
                         SeedName);

}  // namespace
}  // namespace caseledger::testing
