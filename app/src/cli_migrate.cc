// `caseledger migrate-log`: copies an embedded ledger into Kafka (app/migrate_log.h,
// docs/migrate-log.md).
#include <chrono>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <optional>

#include "app/migrate_log.h"
#include "cli_commands.h"
#include "cli_options.h"

namespace caseledger::app {
namespace {

constexpr const char* kUsage =
    "--from DIR --to kafka://HOST:PORT [options]\n\n"
    "Copies an embedded ledger (stopped: no node may run on --from) into a Kafka log, keeping\n"
    "every event id, version, time and hash: first the personal-data keys (wrapped as stored,\n"
    "and the tombstones of destroyed subjects), then every event in log order. Not copied:\n"
    "idempotency records (a retry of a command made before the migration is NOT deduplicated),\n"
    "projections (each node on Kafka rebuilds its own). Every node on Kafka must use the same\n"
    "master key as --from. Running it again resumes an interrupted run and copies only what\n"
    "Kafka lacks; it refuses if Kafka holds a different history. See docs/migrate-log.md.";

const char* PhaseName(MigratePhase phase) {
  switch (phase) {
    case MigratePhase::kReplica: return "replica: offsets read from Kafka";
    case MigratePhase::kKeys: return "keys";
    case MigratePhase::kEvents: return "events";
    case MigratePhase::kCheck: return "stream heads checked";
  }
  return "";
}

// A ledger error naming a kafka.* field also names the option that sets it.
std::string Describe(const ledger::Error& error) {
  std::string out = error.ToString();
  const std::string& f = error.field;
  const char* option = f == "kafka.partitions"     ? "--kafka-partitions"
                       : f == "kafka.topic_prefix" ? "--kafka-topic-prefix"
                       : f == "kafka.bootstrap"    ? "--to"
                       : f.starts_with("kafka.")   ? "--kafka-property"
                                                   : nullptr;
  if (option != nullptr) out += std::string(" (set by ") + option + ")";
  return out;
}

// Progress on stderr: a redrawn line on a terminal, else a line every few seconds.
class ProgressPrinter {
 public:
  ProgressPrinter(bool terminal, bool quiet) : terminal_(terminal), quiet_(quiet) {}

  void operator()(const MigrateProgress& p) {
    if (quiet_) return;
    auto now = std::chrono::steady_clock::now();
    bool new_phase = p.phase != phase_;
    if (new_phase) {
      if (terminal_ && drawn_) std::fputs("\n", stderr);
      phase_ = p.phase;
      phase_started_ = now;
    }
    if (!terminal_ && !new_phase && now - last_ < std::chrono::seconds(5)) return;
    last_ = now;
    double seconds = std::chrono::duration<double>(now - phase_started_).count();
    double rate = seconds > 0 ? static_cast<double>(p.done) / seconds : 0;
    std::string total = p.total == 0 ? "" : "/" + std::to_string(p.total);
    std::fprintf(stderr, "%smigrate-log: %s %llu%s, %.0f/s%s", terminal_ ? "\r" : "",
                 PhaseName(p.phase), static_cast<unsigned long long>(p.done), total.c_str(), rate,
                 terminal_ ? "   " : "\n");
    std::fflush(stderr);
    drawn_ = true;
  }

  void Finish() {
    if (terminal_ && drawn_) std::fputs("\n", stderr);
  }

 private:
  bool terminal_;
  bool quiet_;
  bool drawn_ = false;
  std::optional<MigratePhase> phase_;
  std::chrono::steady_clock::time_point phase_started_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace

int RunMigrateLog(const std::vector<std::string>& args) {
  MigrateLogOptions migrate;
  LogFlags flags;
  po::options_description options("caseledger migrate-log");
  options.add_options()
      ("from", po::value<std::string>(&migrate.from_dir)->required(),
       "the embedded ledger's data directory (read only; no node may be running on it)")
      ("to", po::value<std::string>(&flags.log)->required(),
       "the Kafka cluster: kafka://HOST:PORT[,HOST:PORT...]")
      ("data", po::value<std::string>(&migrate.replica_dir),
       "data directory for the Kafka log's local replica this run fills (default: <from>-kafka); "
       "a node can then serve from it with --log and the same --kafka-* options")
      ("master-key-file", po::value<std::string>(&migrate.master_key_file),
       "master key that wrapped --from's personal-data keys (default: <from>/master.key, which "
       "is then also copied to <data>/master.key); every node on Kafka must use this same key")
      ("batch-events", po::value<std::size_t>(&migrate.batch_events)->default_value(4096),
       "events per Kafka transaction")
      ("quiet,q", "print only the summary");
  // The --kafka-* options of `serve`, except --kafka-owned: the migration writes every partition.
  po::options_description log_options;
  AddLogOptions(log_options, flags);
  for (const auto& option : log_options.options()) {
    if (option->long_name() != "log" && option->long_name() != "kafka-owned") options.add(option);
  }
  po::variables_map vm;
  int exit_code = 0;
  if (!ParseOptions("migrate-log", kUsage, options, nullptr, args, vm, exit_code)) {
    return exit_code;
  }
  auto kafka = KafkaOptionsFrom(flags);
  if (!kafka || !kafka.value()) {
    std::cerr << "caseledger migrate-log: --to must be kafka://HOST:PORT[,HOST:PORT...]\n";
    return 2;
  }
  migrate.kafka = std::move(*kafka.value());

  ProgressPrinter printer(StderrIsTerminal(), vm.count("quiet") > 0);
  auto stats = MigrateLog(migrate, [&](const MigrateProgress& p) { printer(p); });
  printer.Finish();
  if (!stats) {
    std::cerr << "caseledger migrate-log: " << Describe(stats.error()) << "\n";
    const ledger::Code code = stats.error().code;
    bool usage = code == ledger::Code::kInvalidArgument || code == ledger::Code::kNotFound;
    if (code == ledger::Code::kUnavailable || code == ledger::Code::kTimeout ||
        code == ledger::Code::kFenced) {
      std::cerr << "caseledger migrate-log: nothing already copied is lost; run the same command "
                   "again to resume\n";
    }
    return usage ? 2 : 1;
  }
  const MigrateLogStats& s = stats.value();
  double rate = s.event_seconds > 0 ? static_cast<double>(s.events_copied) / s.event_seconds : 0;
  std::cout << std::fixed << std::setprecision(1);
  std::cout << "migrated " << migrate.from_dir << " to " << flags.log << " (topics "
            << migrate.kafka.topic_prefix << "events, " << migrate.kafka.topic_prefix << "keys)\n"
            << "  keys:    " << s.keys << " in --from, " << s.keys_copied
            << " written to Kafka by this run\n"
            << "  events:  " << s.events << " in " << s.streams << " streams; "
            << s.events_copied << " copied, " << s.events_present << " already in Kafka\n"
            << "  checked: " << s.heads_checked << " stream heads in Kafka match --from\n"
            << "  time:    " << s.seconds << " s: opening " << s.open_seconds << " s, keys "
            << s.key_seconds << " s, events " << s.event_seconds << " s (" << rate
            << " events/s), check " << s.check_seconds << " s\n"
            << "  replica: " << s.replica_dir
            << (s.master_key_copied ? " (master key copied to its master.key)" : "") << "\n"
            << "  not copied: idempotency records (retries of commands made before the "
               "migration are not deduplicated)\n"
            << "verify it with: caseledger verify --log " << flags.log << " --kafka-topic-prefix "
            << migrate.kafka.topic_prefix << " --kafka-partitions " << migrate.kafka.partitions
            << "\n";
  return 0;
}

}  // namespace caseledger::app
