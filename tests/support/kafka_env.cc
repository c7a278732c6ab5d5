#include "support/kafka_env.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <cstdlib>

#include "ledger/envelope.h"
#include "support/test_ledger.h"

namespace caseledger::testing {

std::string TestKafkaBootstrap() {
  const char* env = std::getenv("CASELEDGER_TEST_KAFKA");
  if (env == nullptr || *env == '\0') {
    ADD_FAILURE() << "CASELEDGER_TEST_KAFKA is not set: run this test through ctest, which starts "
                     "the broker (or start one with ops/kafka/broker.sh and set it)";
    return "";
  }
  return env;
}

std::string UniqueTopicPrefix() {
  std::string bytes(6, '\0');
  randombytes_buf(bytes.data(), bytes.size());
  return "t" + ledger::ToHex(bytes) + ".";
}

ledger::KafkaLogOptions TestKafkaOptions(std::uint32_t partitions) {
  ledger::KafkaLogOptions options;
  options.bootstrap = TestKafkaBootstrap();
  options.topic_prefix = UniqueTopicPrefix();
  options.partitions = partitions;
  options.append_timeout = std::chrono::milliseconds(20'000);
  options.call_timeout = std::chrono::milliseconds(5'000);
  options.open_timeout = std::chrono::milliseconds(60'000);
  return options;
}

KafkaTestNode::KafkaTestNode() : clock_(kTestEpoch) {}

KafkaTestNode::~KafkaTestNode() {
  personal_data_.reset();
  keys_.reset();
  log_.reset();
  store_.reset();
}

std::unique_ptr<KafkaTestNode> KafkaTestNode::Open(const std::string& path,
                                                   const ledger::KafkaLogOptions& options) {
  std::unique_ptr<KafkaTestNode> node(new KafkaTestNode());
  ledger::StoreOptions store_options;
  store_options.path = path;
  auto store = ledger::Store::Open(store_options);
  if (!store) {
    ADD_FAILURE() << "cannot open store: " << store.error().ToString();
    return nullptr;
  }
  node->store_ = std::move(store).value();
  auto log = ledger::OpenKafkaLog(*node->store_, node->clock_, options);
  if (!log) {
    ADD_FAILURE() << "cannot open the Kafka log: " << log.error().ToString();
    return nullptr;
  }
  node->log_ = std::move(log).value();
  node->keys_ = ledger::OpenEmbeddedKeyStore(*node->store_, TestMasterKey(), &node->log_->key_mirror());
  node->personal_data_ =
      std::make_unique<ledger::PersonalData>(*node->keys_, ledger::SystemRandom::Instance());
  return node;
}

}  // namespace caseledger::testing
