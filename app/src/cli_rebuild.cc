#include <chrono>
#include <iostream>

#include "app/node.h"
#include "cli_commands.h"
#include "cli_options.h"

namespace caseledger::app {

int RunRebuild(const std::vector<std::string>& args) {
  NodeConfig config;
  po::options_description options("caseledger rebuild");
  AddDataOption(options, config.data_dir);
  options.add_options()("master-key-file", po::value<std::string>(&config.master_key_file),
                        "master key file (default: <data>/master.key)");
  po::variables_map vm;
  int exit_code = 0;
  if (!ParseOptions("rebuild", "[--data DIR]", options, nullptr, args, vm, exit_code)) {
    return exit_code;
  }
  auto started = std::chrono::steady_clock::now();
  bool terminal = StderrIsTerminal();
  auto progress = [&](std::uint64_t done, std::uint64_t total) {
    static std::uint64_t last = 0;
    if (!terminal || (done - last < 50'000 && done != total)) return;
    last = done;
    DrawProgress(done, total,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  };
  config.rebuild_progress = progress;
  auto node = Node::Open(config);
  if (!node) {
    std::cerr << "caseledger rebuild: " << node.error().ToString() << "\n";
    return 1;
  }
  auto stats = node.value()->runner().Rebuild(progress);
  if (terminal) std::cerr << "\n";
  if (!stats) {
    std::cerr << "caseledger rebuild: " << stats.error().ToString() << "\n";
    return 1;
  }
  const auto& s = stats.value();
  std::cout << "rebuilt projections from " << s.events << " events in " << s.seconds
            << " s (" << (s.seconds > 0 ? static_cast<double>(s.events) / s.seconds : 0)
            << " events/s); generation " << s.generation << " is active\n";
  return 0;
}

}  // namespace caseledger::app
