#include "app/node.h"

#include "ledger/deferred_writes.h"
#include "ledger/embedded_log.h"
#include "metered_log.h"

namespace caseledger::app {

Result<std::unique_ptr<Node>> Node::Open(const NodeConfig& config, const ledger::Clock& clock) {
  std::unique_ptr<Node> node(new Node(clock));
  ledger::StoreOptions store_options;
  store_options.path = config.data_dir;
  store_options.block_cache_bytes = config.block_cache_mb << 20;
  BOOST_OUTCOME_TRY(node->store_, ledger::Store::Open(store_options));
  std::string key_file =
      config.master_key_file.empty() ? config.data_dir + "/master.key" : config.master_key_file;
  BOOST_OUTCOME_TRY(auto master, ledger::LoadMasterKey(key_file, config.master_key_file.empty()));
  if (config.kafka) {
    BOOST_OUTCOME_TRY(auto kafka, ledger::OpenKafkaLog(*node->store_, clock, *config.kafka));
    node->kafka_ = kafka.get();
    node->keys_ = ledger::OpenEmbeddedKeyStore(*node->store_, master, &kafka->key_mirror());
    node->log_ = std::move(kafka);
  } else {
    node->deferred_writes_ = std::make_unique<ledger::DeferredWrites>();
    node->keys_ = ledger::OpenEmbeddedKeyStore(*node->store_, master, *node->deferred_writes_);
    ledger::EmbeddedLogOptions log_options;
    log_options.deferred_writes = node->deferred_writes_.get();
    BOOST_OUTCOME_TRY(node->log_, ledger::OpenEmbeddedLog(*node->store_, clock, log_options));
  }
  node->personal_data_ =
      std::make_unique<ledger::PersonalData>(*node->keys_, ledger::SystemRandom::Instance());
  node->ids_ = std::make_unique<ledger::IdGenerator>(clock, ledger::SystemRandom::Instance());
  if (config.metrics != nullptr) node->log_ = MeterLog(std::move(node->log_), *config.metrics);
  BOOST_OUTCOME_TRY(node->projections_, projections::ProjectionStore::Open(*node->store_));
  node->projector_ =
      std::make_unique<projections::Projector>(*node->projections_, *node->personal_data_);
  node->runner_ = std::make_unique<consumers::ProjectionRunner>(
      *node->log_, *node->projections_, *node->projector_);
  node->commands_ = std::make_unique<ledger::CommandService>(*node->log_, *node->personal_data_,
                                                             *node->ids_, clock);
  ledger::EmbeddedLogOptions access_options;
  access_options.family_prefix = std::string(ledger::kAccessLogPrefix);
  BOOST_OUTCOME_TRY(node->access_log_,
                    ledger::OpenEmbeddedLog(*node->store_, clock, access_options));
  node->access_ = std::make_unique<AccessService>(*node);
  if (config.metrics != nullptr) {
    auto* runner = node->runner_.get();
    config.metrics
        ->AddGauge("caseledger_projection_lag_events", "Events in the log not yet projected.")
        .SetCallback([runner] { return static_cast<double>(runner->Lag()); });
    config.metrics
        ->AddGauge("caseledger_projection_rebuilds", "Projection rebuilds since the node started.")
        .SetCallback([runner] { return static_cast<double>(runner->rebuilds()); });
  }
  if (config.metrics != nullptr && node->kafka_ != nullptr) {
    auto* kafka = node->kafka_;
    auto gauge = [&](const char* name, const char* help, auto field) {
      config.metrics->AddGauge(name, help).SetCallback(
          [kafka, field] { return static_cast<double>(field(kafka->stats())); });
    };
    gauge("caseledger_kafka_transactions", "Kafka transactions committed by this node.",
          [](const ledger::KafkaLogStats& s) { return s.transactions; });
    gauge("caseledger_kafka_producer_restarts",
          "Producers recreated after an error whose outcome was unknown.",
          [](const ledger::KafkaLogStats& s) { return s.producer_restarts; });
    gauge("caseledger_kafka_duplicates_dropped",
          "Events the replica skipped because it already held their id.",
          [](const ledger::KafkaLogStats& s) { return s.duplicates_dropped; });
    gauge("caseledger_kafka_replica_resets",
          "Times the replica started again because its stored offsets were gone.",
          [](const ledger::KafkaLogStats& s) { return s.replica_resets; });
  }
  BOOST_OUTCOME_TRY(auto code_version, node->projections_->CodeVersion());
  if (code_version != projections::kProjectionCodeVersion) {
    BOOST_OUTCOME_TRY(node->runner_->Rebuild(config.rebuild_progress));
  }
  return node;
}

Result<void> Node::StartRunner() { return runner_->Start(); }

Node::~Node() {
  // Stop what reads or writes before what it reads from.
  access_.reset();
  access_log_.reset();
  commands_.reset();
  if (runner_) runner_->Stop();
  runner_.reset();
  projector_.reset();
  personal_data_.reset();
  keys_.reset();  // may write through the Kafka log's key mirror: close it first
  log_.reset();
  projections_.reset();
  store_.reset();
}

}  // namespace caseledger::app
