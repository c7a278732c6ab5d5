// `caseledger bench`: measures durable appends, rebuild and case-view reads beside this
// machine's own ceilings and prints one JSON report (docs/benchmarks.md). With
// --log kafka://HOST:PORT it measures appends end to end (accepted -> projected) on a Kafka
// cluster instead, beside raw librdkafka ceilings on the same broker. The phases live in
// app/src/bench/.
#include <charconv>
#include <cstdio>
#include <iostream>
#include <random>

#include "bench/bench_runner.h"
#include "bench/json_pretty.h"
#include "cli_commands.h"
#include "cli_options.h"

namespace caseledger::app {
namespace {

// "1,16,64" -> {1, 16, 64}; nullopt unless every item is a positive integer.
std::optional<std::vector<std::size_t>> ParseList(const std::string& text) {
  std::vector<std::size_t> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::size_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data() + start, text.data() + end, value);
    if (ec != std::errc() || ptr != text.data() + end || value == 0) return std::nullopt;
    out.push_back(value);
    start = end + 1;
  }
  return out;
}

// "bench-1a2b3c4d." : a fresh topic prefix, so runs on one cluster never see each other's events.
std::string FreshTopicPrefix() {
  std::random_device random;
  std::uint64_t bits = (std::uint64_t{random()} << 32) ^ random();
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(bits));
  return std::string("bench-") + std::string(hex, 8) + ".";
}

}  // namespace

int RunBench(const std::vector<std::string>& args) {
  bench::BenchOptions o;
  std::string writers = "1,16,64", events = "1,5", readers = "1,2";
  std::string phases = "rebuild,reads,appends";
  bool json_only = false;
  LogFlags log_flags;
  po::options_description options("caseledger bench");
  // clang-format off
  options.add_options()
      ("data", po::value<std::string>(&o.data_dir),
       "data directory (default: a fresh temporary directory, removed afterwards); a directory "
       "whose history/ already holds events is reused")
      ("keep", po::bool_switch(&o.keep), "keep the temporary data directory")
      ("incidents", po::value<std::uint64_t>(&o.incidents)->default_value(o.incidents),
       "incidents in the generated history (about 15 events each)")
      ("seconds", po::value<double>(&o.seconds)->default_value(o.seconds),
       "measured seconds of each append and read measurement (and of its ceiling); with "
       "--log kafka:// the default is 10")
      ("writers", po::value<std::string>(&writers)->default_value(writers),
       "concurrent writers of the append phases; with --log kafka:// the commands kept in "
       "flight, default 64,256,1024")
      ("events-per-command", po::value<std::string>(&events)->default_value(events),
       "events per appended command")
      ("readers", po::value<std::string>(&readers)->default_value(readers),
       "threads of the case-view read phases")
      ("seed", po::value<std::uint64_t>(&o.seed)->default_value(o.seed), "history seed")
      ("generate-concurrency",
       po::value<std::size_t>(&o.generate_concurrency)->default_value(o.generate_concurrency),
       "commands in flight while generating the history")
      ("rebuild-runs", po::value<std::size_t>(&o.rebuild_runs)->default_value(o.rebuild_runs),
       "rebuilds measured (the median is reported)")
      ("rounds", po::value<std::size_t>(&o.rounds)->default_value(o.rounds),
       "windows in which each append and read measurement alternates with its ceiling; with "
       "--log kafka:// the default is 2")
      ("phases", po::value<std::string>(&phases)->default_value(phases),
       "phases to run after the history is in place (a subset is for profiling): rebuild, "
       "reads, appends, kafka; with --log kafka:// the default is kafka")
      ("json-only", po::bool_switch(&json_only), "print only the JSON report");
  po::options_description kafka_options("Kafka mode (--log kafka://HOST:PORT)");
  AddLogOptions(kafka_options, log_flags);
  kafka_options.add_options()
      ("kafka-warmup", po::value<double>(&o.kafka_warmup_seconds)
           ->default_value(o.kafka_warmup_seconds),
       "seconds of warm-up before each measured Kafka window");
  options.add(kafka_options);
  // clang-format on
  po::variables_map vm;
  int exit_code = 0;
  const std::string usage =
      "[options]\n"
      "\n"
      "Generates a synthetic partnership history, then measures rebuild, case-view reads and\n"
      "durable appends on the embedded log, each beside this machine's own ceiling measured in\n"
      "the same run, and prints one JSON report (progress on stderr). See docs/benchmarks.md.\n"
      "\n"
      "With --log kafka://HOST:PORT it measures appends end to end on that cluster instead:\n"
      "commands accepted by ledger::KafkaLog until the node's projections applied them, with N\n"
      "commands in flight (--writers), beside raw librdkafka ceilings on the same broker (one\n"
      "message per transaction; an idempotent producer with as many messages in flight). The\n"
      "history supplies the payloads and personal-data keys. Each run writes to fresh topics\n"
      "bench-<random>.* (after --kafka-topic-prefix when given), deleted afterwards unless\n"
      "--keep. --kafka-owned does not apply.";
  if (!ParseOptions("bench", usage, options, nullptr, args, vm, exit_code)) {
    return exit_code;
  }
  auto kafka = KafkaOptionsFrom(log_flags);
  if (!kafka) {
    std::cerr << "caseledger bench: " << kafka.error().message << "\n";
    return 2;
  }
  if (kafka.value()) {
    if (!log_flags.owned.empty()) {
      std::cerr << "caseledger bench: --kafka-owned does not apply: the benchmark's node writes "
                   "every partition of its own topics\n";
      return 2;
    }
    if (vm["writers"].defaulted()) writers = "64,256,1024";
    if (vm["seconds"].defaulted()) o.seconds = 10;
    if (vm["rounds"].defaulted()) o.rounds = 2;
    if (vm["phases"].defaulted()) phases = "kafka";
    o.kafka = std::move(kafka.value());
    o.kafka_topic_prefix =
        (vm["kafka-topic-prefix"].defaulted() ? std::string() : log_flags.prefix) +
        FreshTopicPrefix();
  }
  if (!(o.kafka_warmup_seconds >= 0)) {
    std::cerr << "caseledger bench: --kafka-warmup must not be negative\n";
    return 2;
  }
  auto w = ParseList(writers), e = ParseList(events), r = ParseList(readers);
  if (!w || !e || !r || o.incidents == 0 || !(o.seconds > 0)) {
    std::cerr << "caseledger bench: --writers, --events-per-command and --readers take lists of "
                 "positive integers (1,16,64); --incidents and --seconds must be positive\n";
    return 2;
  }
  o.rebuild = o.reads = o.appends = o.kafka_phase = false;
  for (std::size_t start = 0; start <= phases.size();) {
    std::size_t end = std::min(phases.find(',', start), phases.size());
    std::string phase = phases.substr(start, end - start);
    if (phase == "rebuild") {
      o.rebuild = true;
    } else if (phase == "reads") {
      o.reads = true;
    } else if (phase == "appends") {
      o.appends = true;
    } else if (phase == "kafka") {
      if (!o.kafka) {
        std::cerr << "caseledger bench: the kafka phase needs --log kafka://HOST:PORT\n";
        return 2;
      }
      o.kafka_phase = true;
    } else if (!phase.empty()) {
      std::cerr << "caseledger bench: unknown phase '" << phase
                << "' (phases: rebuild, reads, appends, kafka)\n";
      return 2;
    }
    start = end + 1;
  }
  o.writers = *w;
  o.events_per_command = *e;
  o.reader_threads = *r;
  o.command_line = "caseledger bench";
  for (const auto& a : args) o.command_line += " " + a;
  if (!json_only) {
    o.log = [](std::string_view line) { std::cerr << "bench: " << line << std::endl; };
  }
  auto report = bench::RunBenchmark(o);
  if (!report) {
    std::cerr << "caseledger bench: " << report.error().ToString() << "\n";
    return 1;
  }
  std::cout << bench::PrettyJson(report.value());
  return 0;
}

}  // namespace caseledger::app
