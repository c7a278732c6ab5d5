#include "cli_options.h"

#include <fmt/format.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

namespace caseledger::app {

bool ParseOptions(const std::string& command, const std::string& usage,
                  const po::options_description& options,
                  const po::positional_options_description* positional,
                  const std::vector<std::string>& args, po::variables_map& vm, int& exit_code) {
  po::options_description common("General");
  common.add_options()("help,h", "show this help and exit")(
      "config", po::value<std::string>(), "read options from this file (key = value per line)");
  po::options_description all;
  all.add(options).add(common);
  try {
    po::command_line_parser parser(args);
    parser.options(all);
    if (positional != nullptr) parser.positional(*positional);
    po::store(parser.run(), vm);
    if (vm.count("help")) {
      std::cout << "usage: caseledger " << command << " " << usage << "\n\n" << all << "\n";
      exit_code = 0;
      return false;
    }
    if (vm.count("config")) {
      std::string path = vm["config"].as<std::string>();
      std::ifstream file(path);
      if (!file) {
        std::cerr << "caseledger " << command << ": cannot read config file " << path << "\n";
        exit_code = 2;
        return false;
      }
      po::store(po::parse_config_file(file, options, /*allow_unregistered=*/false), vm);
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "caseledger " << command << ": " << e.what() << "\n"
              << "Try 'caseledger " << command << " --help'.\n";
    exit_code = 2;
    return false;
  }
  return true;
}

void AddDataOption(po::options_description& options, std::string& data_dir) {
  const char* env = std::getenv("CASELEDGER_DATA");
  options.add_options()("data", po::value<std::string>(&data_dir)->default_value(
                                    env != nullptr ? env : "caseledger-data"),
                        "data directory (env CASELEDGER_DATA)");
}

void AddLogOptions(po::options_description& options, LogFlags& flags) {
  options.add_options()
      ("log", po::value<std::string>(&flags.log)->default_value("embedded"),
       "event log: 'embedded' (RocksDB in --data) or kafka://HOST:PORT[,HOST:PORT...] (an Apache "
       "Kafka cluster; --data then holds this node's replica and projections)")
      ("kafka-topic-prefix", po::value<std::string>(&flags.prefix)->default_value("caseledger."),
       "prefix of the Kafka topics (<prefix>events, <prefix>idempotency, <prefix>keys)")
      ("kafka-partitions", po::value<std::uint32_t>(&flags.partitions)->default_value(8),
       "partitions of the events topic (every node of a cluster must give the same number)")
      ("kafka-owned", po::value<std::string>(&flags.owned),
       "partitions this node writes, e.g. 0-3 or 0,2,4 (default: all); nodes must own disjoint "
       "sets; 'none' for a read-only replica")
      ("kafka-property", po::value<std::vector<std::string>>(&flags.properties)->composing(),
       "extra librdkafka property NAME=VALUE for every client (repeatable), e.g. "
       "security.protocol=ssl")
      ("kafka-replication-factor", po::value<int>(&flags.replication_factor)->default_value(1),
       "replication factor of topics caseledger creates (3 on a production cluster)")
      ("kafka-min-insync-replicas", po::value<int>(&flags.min_insync_replicas)->default_value(1),
       "min.insync.replicas of topics caseledger creates (2 with replication factor 3)");
}

ledger::Result<std::optional<ledger::KafkaLogOptions>> KafkaOptionsFrom(const LogFlags& flags) {
  if (flags.log == "embedded") return std::optional<ledger::KafkaLogOptions>();
  auto bootstrap = ledger::ParseKafkaUri(flags.log);
  if (!bootstrap) {
    return ledger::InvalidField("--log", "must be 'embedded' or kafka://HOST:PORT[,HOST:PORT...]");
  }
  ledger::KafkaLogOptions options;
  options.bootstrap = *bootstrap;
  options.topic_prefix = flags.prefix;
  options.partitions = flags.partitions;
  options.client_properties = flags.properties;
  options.replication_factor = flags.replication_factor;
  options.min_insync_replicas = flags.min_insync_replicas;
  if (flags.owned == "none") {
    options.read_only = true;
  } else if (!flags.owned.empty()) {
    std::string rest = flags.owned;
    std::size_t start = 0;
    while (start <= rest.size()) {
      std::size_t comma = rest.find(',', start);
      std::string item = rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      unsigned long first = 0, last = 0;
      try {
        std::size_t used = 0;
        auto dash = item.find('-');
        first = std::stoul(item.substr(0, dash), &used);
        last = dash == std::string::npos ? first : std::stoul(item.substr(dash + 1));
      } catch (...) {
        return ledger::InvalidField("--kafka-owned", "must be partitions like 0-3 or 0,2,4");
      }
      if (last < first || last >= flags.partitions) {
        return ledger::InvalidField("--kafka-owned",
                                    "must name partitions below --kafka-partitions");
      }
      for (unsigned long p = first; p <= last; ++p) {
        options.owned.push_back(static_cast<std::uint32_t>(p));
      }
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return std::optional<ledger::KafkaLogOptions>(std::move(options));
}

std::optional<std::int64_t> ParseDuration(std::string_view text) {
  std::int64_t unit = 1'000'000;
  if (!text.empty()) {
    switch (text.back()) {
      case 's': unit = 1'000'000; text.remove_suffix(1); break;
      case 'm': unit = 60'000'000; text.remove_suffix(1); break;
      case 'h': unit = 3600'000'000LL; text.remove_suffix(1); break;
      case 'd': unit = 86400'000'000LL; text.remove_suffix(1); break;
      default: break;
    }
  }
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 0 ||
      value > 366LL * 86400) {
    return std::nullopt;
  }
  return value * unit;
}

bool StderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

void DrawProgress(std::uint64_t done, std::uint64_t total, double seconds) {
  constexpr int kWidth = 30;
  double fraction = total == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total);
  int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(kWidth - filled), '-');
  double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  std::fprintf(stderr, "\r[%s] %3d%% %llu/%llu events, %.0f events/s ", bar.c_str(),
               static_cast<int>(fraction * 100), static_cast<unsigned long long>(done),
               static_cast<unsigned long long>(total), rate);
  std::fflush(stderr);
}

}  // namespace caseledger::app
