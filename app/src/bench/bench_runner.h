// `caseledger bench` without the command line: runs every phase (history generation, rebuild,
// case-view reads, durable appends), each beside the machine's ceiling measured in the same run,
// and returns the report as one JSON object (docs/benchmarks.md explains every field).
//
// Data layout under the data directory: history/ (a node holding the generated history; reused
// when it already holds events), append/ (a node whose log takes the append phases), ceiling/
// (a plain RocksDB database for the synced-put ceiling), kafka-<prefix>/ (the Kafka phase's node:
// its replica and projections; removed afterwards unless kept).
//
// The Kafka phase (`kafka` set, docs/benchmarks.md "Kafka (distributed log)") measures end to end
// on a real cluster: a node on ledger::KafkaLog with its projection runner, fresh topics under
// `kafka_topic_prefix`, the history's payloads and personal-data keys (the node opens the
// history's master key, and the wrapped keys go through the keys topic like any node's), and the
// raw librdkafka ceilings of kafka_ceilings.h on the same broker.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/kafka_log.h"
#include "ledger/result.h"

namespace caseledger::app::bench {

struct BenchOptions {
  std::string data_dir;  // empty: a fresh temporary directory
  bool keep = false;     // keep a temporary data directory afterwards
  std::uint64_t incidents = 12'000;
  double seconds = 3;  // measured seconds of each append and read measurement
  std::vector<std::size_t> writers{1, 16, 64};
  std::vector<std::size_t> events_per_command{1, 5};
  std::vector<std::size_t> reader_threads{1, 2};
  std::uint64_t seed = 1;
  std::size_t generate_concurrency = 64;
  std::size_t rebuild_runs = 3;
  // Each append and read measurement alternates ours and the ceiling this many times, each
  // window seconds / rounds long, so drift on a shared machine hits both alike.
  std::size_t rounds = 6;
  // Which phases run after the history is in place (all by default; a subset is for profiling).
  bool rebuild = true, reads = true, appends = true;
  // The Kafka phase: the cluster (its topic_prefix is replaced by kafka_topic_prefix), the
  // prefix of this run's topics (fresh per run, so runs never see each other's events), and the
  // warm-up of each of its windows. `writers` are then the commands kept in flight.
  bool kafka_phase = false;
  std::optional<ledger::KafkaLogOptions> kafka;
  std::string kafka_topic_prefix;
  double kafka_warmup_seconds = 1.0;
  std::string command_line;  // echoed in the report
  // Progress lines for a person watching (stderr); may be empty.
  std::function<void(std::string_view)> log;
};

ledger::Result<boost::json::object> RunBenchmark(const BenchOptions& options);

}  // namespace caseledger::app::bench
