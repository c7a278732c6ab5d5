// `caseledger bench`: measures durable appends, rebuild and case-view reads beside this
// machine's own ceilings and prints one JSON report (docs/benchmarks.md). The phases live in
// app/src/bench/.
#include <charconv>
#include <iostream>

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

}  // namespace

int RunBench(const std::vector<std::string>& args) {
  bench::BenchOptions o;
  std::string writers = "1,16,64", events = "1,5", readers = "1,2";
  std::string phases = "rebuild,reads,appends";
  bool json_only = false;
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
       "measured seconds of each append and read measurement (and of its ceiling)")
      ("writers", po::value<std::string>(&writers)->default_value(writers),
       "concurrent writers of the append phases")
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
       "windows in which each append and read measurement alternates with its ceiling")
      ("phases", po::value<std::string>(&phases)->default_value(phases),
       "phases to run after the history is in place (a subset is for profiling)")
      ("json-only", po::bool_switch(&json_only), "print only the JSON report");
  // clang-format on
  po::variables_map vm;
  int exit_code = 0;
  if (!ParseOptions("bench", "[options]", options, nullptr, args, vm, exit_code)) {
    return exit_code;
  }
  auto w = ParseList(writers), e = ParseList(events), r = ParseList(readers);
  if (!w || !e || !r || o.incidents == 0 || !(o.seconds > 0)) {
    std::cerr << "caseledger bench: --writers, --events-per-command and --readers take lists of "
                 "positive integers (1,16,64); --incidents and --seconds must be positive\n";
    return 2;
  }
  o.rebuild = o.reads = o.appends = false;
  for (std::size_t start = 0; start <= phases.size();) {
    std::size_t end = std::min(phases.find(',', start), phases.size());
    std::string phase = phases.substr(start, end - start);
    if (phase == "rebuild") {
      o.rebuild = true;
    } else if (phase == "reads") {
      o.reads = true;
    } else if (phase == "appends") {
      o.appends = true;
    } else if (!phase.empty()) {
      std::cerr << "caseledger bench: unknown phase '" << phase
                << "' (phases: rebuild, reads, appends)\n";
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
