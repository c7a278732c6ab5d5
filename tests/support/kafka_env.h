// The Kafka broker the suite runs against, and a KafkaLog node on it for tests.
//
// CTest starts one broker for every test labelled `kafka` (tests/CMakeLists.txt: the
// KafkaBroker.Start / KafkaBroker.Stop fixture, ops/kafka/broker.sh) and passes its address in
// $CASELEDGER_TEST_KAFKA. Each test uses topics of its own (UniqueTopicPrefix), so tests never
// see each other's events.
//
// Example:
//   TempDir dir;
//   auto options = TestKafkaOptions();          // bootstrap from the environment, fresh prefix
//   auto node = KafkaTestNode::Open(dir.Path("a"), options);
//   auto appended = node->log().Append(...);
//
// Thread safety: as TestLedger.
#pragma once

#include <memory>
#include <string>

#include "ledger/clock.h"
#include "ledger/kafka_log.h"
#include "ledger/personal_data.h"
#include "ledger/store.h"

namespace caseledger::testing {

// $CASELEDGER_TEST_KAFKA; fails the current test (and returns "") when it is not set.
std::string TestKafkaBootstrap();

// "t<random hex>." so each call names topics no other test uses.
std::string UniqueTopicPrefix();

// Options for a log on the suite's broker with a fresh topic prefix and short timeouts.
ledger::KafkaLogOptions TestKafkaOptions(std::uint32_t partitions = 4);

// A Store at a path with a KafkaLog, a key store mirrored to the keys topic and PersonalData.
class KafkaTestNode {
 public:
  // On error, fails the current test and returns nullptr.
  static std::unique_ptr<KafkaTestNode> Open(const std::string& path,
                                             const ledger::KafkaLogOptions& options);
  ~KafkaTestNode();

  ledger::Store& store() { return *store_; }
  ledger::KafkaLog& log() { return *log_; }
  ledger::KeyStore& keys() { return *keys_; }
  ledger::PersonalData& personal_data() { return *personal_data_; }
  ledger::ManualClock& clock() { return clock_; }

 private:
  KafkaTestNode();
  ledger::ManualClock clock_;
  std::unique_ptr<ledger::Store> store_;
  std::unique_ptr<ledger::KafkaLog> log_;
  std::unique_ptr<ledger::KeyStore> keys_;
  std::unique_ptr<ledger::PersonalData> personal_data_;
};

}  // namespace caseledger::testing
