// Faults of a real broker during sustained writes: SIGKILL (then a restart on the same storage)
// and SIGSTOP/SIGCONT (a hung broker). Each test runs a broker of its own (ops/kafka/broker.sh) so
// it can hurt it, drives a seeded workload through a full node (KafkaLog, replica, projections),
// records every command's answer and checks the history afterwards (support/kafka_history.h):
// every acknowledged event present exactly once, unknown ones at most once, nothing from an
// aborted transaction visible, versions only increasing; and the live projections equal a
// rebuild. CASELEDGER_FAULT_SECONDS lengthens the write phases (default 3 s each) for a longer
// run: `CASELEDGER_FAULT_SECONDS=60 ctest -R BrokerFault`.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <thread>

#include "app/node.h"
#include "support/appends.h"
#include "support/event_builders.h"
#include "support/kafka_env.h"
#include "support/kafka_history.h"
#include "support/projection_harness.h"
#include "support/result_assertions.h"
#include "support/temp_dir.h"

namespace caseledger::testing {
namespace {

using namespace std::chrono_literals;

// A broker of the test's own, on `port`, in `dir`.
class PrivateBroker {
 public:
  PrivateBroker(std::string dir, int port) : dir_(std::move(dir)), port_(port) {}
  ~PrivateBroker() { Run("clean"); }

  bool Run(const std::string& command) {
    std::string line = "bash '" + std::string(CASELEDGER_SOURCE_DIR) + "/ops/kafka/broker.sh' " +
                       command + " '" + dir_ + "'" +
                       (command == "start" ? " " + std::to_string(port_) : "") + " >/dev/null";
    return std::system(line.c_str()) == 0;
  }
  std::string bootstrap() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  std::string dir_;
  int port_;
};

int PhaseSeconds() {
  const char* env = std::getenv("CASELEDGER_FAULT_SECONDS");
  return env != nullptr ? std::max(1, std::atoi(env)) : 3;
}

class BrokerFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    broker_ = std::make_unique<PrivateBroker>(dir_.Path("broker"), 19692);
    ASSERT_TRUE(broker_->Run("start")) << "the test's own broker did not start";
    std::ofstream(dir_.Path("master.key")) << std::string(64, 'c') << "\n";
    app::NodeConfig config;
    config.data_dir = dir_.Path("node");
    config.master_key_file = dir_.Path("master.key");
    config.kafka = TestKafkaOptions(4);
    config.kafka->bootstrap = broker_->bootstrap();
    config.kafka->call_timeout = 3s;
    config.kafka->append_timeout = 30s;
    auto node = app::Node::Open(config);
    ASSERT_TRUE(node) << node.error().ToString();
    node_ = std::move(node).value();
    ASSERT_OK(node_->StartRunner());
    // Every stream is reported before the faults, so the updates sent at kAnyVersion after an
    // unknown outcome always land on a record that exists (as the projections require).
    std::vector<std::size_t> created;
    std::vector<ledger::AppendRequest> requests;
    for (std::size_t i = 0; i < workload_.stream_count(); ++i) {
      requests.push_back(workload_.NextFor(i));
      created.push_back(history_.Submit(node_->log(), requests.back()));
    }
    ASSERT_TRUE(history_.WaitForAnswers(60s));
    for (std::size_t i = 0; i < created.size(); ++i) {
      // A conflict means a two-stream command already reported that stream.
      std::optional<AppendHistory::Answer> answer = history_.AnswerOf(created[i]);
      ASSERT_TRUE(answer.has_value());
      if (!answer->has_value()) {
        ASSERT_EQ(answer->error().code, ledger::Code::kVersionConflict) << answer->error().ToString();
      }
      workload_.Learn(requests[i], *answer);
    }
    // A refused two-stream command leaves both streams unknown to the model: report any stream
    // still missing, so nothing later updates a record that was never created.
    for (std::size_t i = 0; i < workload_.stream_count(); ++i) {
      ASSERT_OK_AND_ASSIGN(auto head, node_->log().Head(workload_.StreamName(i)));
      if (head.version != 0) continue;
      history_.Submit(node_->log(),
                      OneStream(workload_.StreamName(i), ledger::kNoStream,
                                {Draft(ledger::EventType::IncidentReported, MakeIncidentReported())}));
    }
    ASSERT_TRUE(history_.WaitForAnswers(60s));
    ASSERT_EQ(history_.CountOk() + history_.Count(ledger::Code::kVersionConflict), history_.size())
        << history_.Summary();
  }

  void TearDown() override {
    node_.reset();
    broker_.reset();
  }

  // Sends rounds of 64 concurrent commands until `until`, learning each round's answers.
  void Drive(std::chrono::steady_clock::time_point until) {
    while (std::chrono::steady_clock::now() < until) {
      std::vector<std::size_t> round;
      std::vector<ledger::AppendRequest> requests;
      for (int i = 0; i < 64; ++i) {
        requests.push_back(workload_.Next());
        round.push_back(history_.Submit(node_->log(), requests.back()));
      }
      ASSERT_TRUE(history_.WaitForAnswers(90s)) << "a command was never answered";
      for (std::size_t i = 0; i < round.size(); ++i) {
        workload_.Learn(requests[i], *history_.AnswerOf(round[i]));
      }
    }
  }

  // Runs the workload for a phase, then `fault` while it goes on, then another phase.
  void WithFault(const std::function<void()>& fault) {
    const auto phase = std::chrono::seconds(PhaseSeconds());
    std::thread driver([&] { Drive(std::chrono::steady_clock::now() + 3 * phase + 20s); });
    std::this_thread::sleep_for(phase);
    fault();
    driver.join();
  }

  void CheckEverything() {
    ASSERT_OK(node_->kafka()->CatchUp(60s));
    auto violations = history_.CheckHistory(node_->log());
    EXPECT_TRUE(violations.empty()) << FormatViolations(violations);
    EXPECT_GT(history_.CountOk(), 64u) << history_.Summary();
    std::cerr << "history: " << history_.Summary() << "; producer restarts "
              << node_->kafka()->stats().producer_restarts << ", aborted "
              << node_->kafka()->stats().aborted << ", last fatal \""
              << node_->kafka()->stats().last_fatal << "\"\n";

    // Live projections equal a rebuild from the same log.
    for (std::uint32_t p = 0; p < node_->log().partition_count(); ++p) {
      ASSERT_OK_AND_ASSIGN(auto end, node_->log().EndOffset(p));
      ASSERT_TRUE(node_->runner().WaitFor({p, end}, 60s)) << node_->runner().LastError();
    }
    ASSERT_OK_AND_ASSIGN(auto live, node_->projections().Dump(node_->projections().active()));
    ASSERT_OK(node_->runner().Rebuild());
    ASSERT_OK_AND_ASSIGN(auto rebuilt, node_->projections().Dump(node_->projections().active()));
    EXPECT_TRUE(SameDump(live, rebuilt));
  }

  TempDir dir_;
  std::unique_ptr<PrivateBroker> broker_;
  std::unique_ptr<app::Node> node_;
  AppendHistory history_;
  StreamWorkload workload_{
      7, {.first_stream = 5000, .streams = 40, .any_version_percent = 0}};
};

TEST_F(BrokerFaultTest, KillingTheBrokerDuringWritesLosesNoAcknowledgedEvent) {
  WithFault([&] {
    ASSERT_TRUE(broker_->Run("kill"));
    std::this_thread::sleep_for(2s);
    ASSERT_TRUE(broker_->Run("start")) << "the broker did not come back on its storage";
  });
  CheckEverything();
}

TEST_F(BrokerFaultTest, AHungBrokerDelaysWritesButLosesNoAcknowledgedEvent) {
  WithFault([&] {
    ASSERT_TRUE(broker_->Run("pause"));
    std::this_thread::sleep_for(8s);  // beyond every call timeout of the writer
    ASSERT_TRUE(broker_->Run("resume"));
  });
  CheckEverything();
}

}  // namespace
}  // namespace caseledger::testing
