#include "cli_options.h"

#include <fmt/format.h>
#include <unistd.h>

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
