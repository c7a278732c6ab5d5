// One caseledger node: the store, the event log, personal-data keys, the projections and their
// runner, and the command service, opened together from a NodeConfig and closed in reverse order.
//
// Lifecycle: Open() opens everything and, when the projection code version changed since the
// active generation was built, rebuilds it before returning. StartRunner() starts keeping
// projections current; the destructor stops the runner, then closes the log and the store.
// Thread safety: the accessors are thread-safe; Open and the destructor are not.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "app/access.h"
#include "app/http/metrics.h"
#include "consumers/projection_runner.h"
#include "ledger/command_service.h"
#include "ledger/deferred_writes.h"
#include "ledger/event_log.h"
#include "ledger/ids.h"
#include "ledger/kafka_log.h"
#include "ledger/personal_data.h"
#include "ledger/store.h"
#include "projections/projection_store.h"
#include "projections/projector.h"

namespace caseledger::app {

using ledger::Result;

struct NodeConfig {
  std::string data_dir = "caseledger-data";
  std::string master_key_file;            // default: <data_dir>/master.key (created if missing)
  std::size_t block_cache_mb = 256;
  // When set, the event log is Kafka (kafka_log.h) and --data holds this node's replica and
  // projections; otherwise the embedded log in --data.
  std::optional<ledger::KafkaLogOptions> kafka;
  // When given, appends are counted and timed, and projection lag and rebuilds are reported.
  http::MetricsRegistry* metrics = nullptr;
  // Called with (events done, total) during a rebuild that Open() has to run.
  std::function<void(std::uint64_t, std::uint64_t)> rebuild_progress;
};

class Node {
 public:
  // Errors: kIOError (the data directory cannot be opened, e.g. another process holds it),
  // kCorruption, kInvalidArgument (a bad master key file).
  static Result<std::unique_ptr<Node>> Open(const NodeConfig& config,
                                            const ledger::Clock& clock = ledger::SystemClock::Instance());
  ~Node();

  Result<void> StartRunner();

  ledger::Store& store() { return *store_; }
  ledger::EventLog& log() { return *log_; }
  // The access log: who consulted or disclosed which record (access.h). An embedded log in this
  // node's store, in either mode.
  ledger::EventLog& access_log() { return *access_log_; }
  AccessService& access() { return *access_; }
  // The Kafka log when the node runs on one, else nullptr.
  ledger::KafkaLog* kafka() { return kafka_; }
  ledger::PersonalData& personal_data() { return *personal_data_; }
  ledger::CommandService& commands() { return *commands_; }
  ledger::IdGenerator& ids() { return *ids_; }
  projections::ProjectionStore& projections() { return *projections_; }
  consumers::ProjectionRunner& runner() { return *runner_; }
  const ledger::Clock& clock() const { return clock_; }

 private:
  explicit Node(const ledger::Clock& clock) : clock_(clock) {}

  const ledger::Clock& clock_;
  std::unique_ptr<ledger::Store> store_;
  // New data keys waiting for the embedded event log's next batch (ledger/deferred_writes.h).
  std::unique_ptr<ledger::DeferredWrites> deferred_writes_;
  std::unique_ptr<ledger::KeyStore> keys_;
  std::unique_ptr<ledger::PersonalData> personal_data_;
  std::unique_ptr<ledger::IdGenerator> ids_;
  std::unique_ptr<ledger::EventLog> log_;
  ledger::KafkaLog* kafka_ = nullptr;
  std::unique_ptr<projections::ProjectionStore> projections_;
  std::unique_ptr<projections::Projector> projector_;
  std::unique_ptr<consumers::ProjectionRunner> runner_;
  std::unique_ptr<ledger::CommandService> commands_;
  std::unique_ptr<ledger::EventLog> access_log_;
  std::unique_ptr<AccessService> access_;
};

}  // namespace caseledger::app
