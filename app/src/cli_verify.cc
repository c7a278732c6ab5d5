#include <chrono>
#include <iostream>

#include "cli_commands.h"
#include "cli_options.h"
#include "ledger/kafka_log.h"
#include "ledger/store.h"
#include "ledger/verify.h"

namespace caseledger::app {
namespace {

// A ledger error naming a kafka.* field also names the option that sets it.
std::string Describe(const ledger::Error& error) {
  std::string out = error.ToString();
  const std::string& f = error.field;
  const char* option = f == "kafka.partitions"     ? "--kafka-partitions"
                       : f == "kafka.topic_prefix" ? "--kafka-topic-prefix"
                       : f == "kafka.bootstrap"    ? "--log"
                       : f.starts_with("kafka.")   ? "--kafka-property"
                                                   : nullptr;
  if (option != nullptr) out += std::string(" (set by ") + option + ")";
  return out;
}

}  // namespace

int RunVerify(const std::vector<std::string>& args) {
  std::string data_dir;
  LogFlags log_flags;
  po::options_description options("caseledger verify");
  AddDataOption(options, data_dir);
  options.add_options()("quiet,q", "print nothing when the log verifies");
  // --log and the --kafka-* options that name a log (not those of a writer).
  po::options_description log_options;
  AddLogOptions(log_options, log_flags);
  for (const auto& option : log_options.options()) {
    const std::string& name = option->long_name();
    if (name == "log" || name == "kafka-topic-prefix" || name == "kafka-partitions" ||
        name == "kafka-property") {
      options.add(option);
    }
  }
  po::variables_map vm;
  int exit_code = 0;
  if (!ParseOptions("verify",
                    "[--data DIR] [--quiet]\n"
                    "       caseledger verify --log kafka://HOST:PORT [--kafka-topic-prefix P] "
                    "[--kafka-partitions N]\n\n"
                    "With --log kafka://... the Kafka log itself is verified (every partition of "
                    "<prefix>events as the\nbrokers hold it, duplicates included), not a node's "
                    "replica; --data is then not used.",
                    options, nullptr, args, vm, exit_code)) {
    return exit_code;
  }
  auto kafka = KafkaOptionsFrom(log_flags);
  if (!kafka) {
    std::cerr << "caseledger verify: " << kafka.error().ToString() << "\n";
    return 2;
  }
  auto started = std::chrono::steady_clock::now();
  bool terminal = StderrIsTerminal() && !vm.count("quiet");
  auto progress = [&](std::uint64_t done, std::uint64_t total) {
    if (terminal) {
      DrawProgress(done, total, std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                              started).count());
    }
  };
  ledger::Result<ledger::VerifyReport> report = ledger::VerifyReport{};
  std::uint64_t access_events = 0;
  std::uint64_t access_streams = 0;
  if (kafka.value()) {
    report = ledger::VerifyKafkaLog(*kafka.value(), {}, progress);
  } else {
    ledger::StoreOptions store_options;
    store_options.path = data_dir;
    store_options.create_if_missing = false;
    auto store = ledger::Store::Open(store_options);
    if (!store) {
      std::cerr << "caseledger verify: " << store.error().ToString() << "\n";
      return 2;
    }
    report = ledger::VerifyLog(*store.value(), {}, progress);
    // The access log (who consulted or disclosed what) is hash-chained the same way.
    if (report && report.value().ok()) {
      ledger::VerifyOptions access_options;
      access_options.family_prefix = std::string(ledger::kAccessLogPrefix);
      auto access = ledger::VerifyLog(*store.value(), access_options, progress);
      if (!access) {
        std::cerr << "caseledger verify: access log: " << Describe(access.error()) << "\n";
        return 2;
      }
      if (!access.value().ok()) {
        std::cout << "FAILED in the access log at " << access.value().failure->ToString() << "\n"
                  << access.value().events_checked << " access-log events verified before it\n";
        return 1;
      }
      access_events = access.value().events_checked;
      access_streams = access.value().streams;
    }
  }
  if (terminal) std::cerr << "\n";
  if (!report) {
    std::cerr << "caseledger verify: " << Describe(report.error()) << "\n";
    return 2;
  }
  const auto& r = report.value();
  if (!r.ok()) {
    std::cout << "FAILED at " << r.failure->ToString() << "\n"
              << r.events_checked << " events verified before it\n";
    return 1;
  }
  if (!vm.count("quiet")) {
    if (kafka.value()) {
      std::cout << "ok: " << r.events_checked << " events in " << r.streams
                << " streams in Kafka (" << kafka.value()->topic_prefix
                << "events); every version in sequence, every hash chain intact, every event in "
                   "its stream's partition, no duplicates\n";
    } else {
      std::cout << "ok: " << r.events_checked << " events in " << r.streams
                << " streams; every version in sequence and every hash chain intact ("
                << r.heads_checked << " stream heads, " << r.index_entries_checked
                << " index entries checked)\n"
                << "ok: access log: " << access_events << " events in " << access_streams
                << " streams; every hash chain intact\n";
    }
  }
  return 0;
}

}  // namespace caseledger::app
