#include <chrono>
#include <iostream>

#include "cli_commands.h"
#include "cli_options.h"
#include "ledger/store.h"
#include "ledger/verify.h"

namespace caseledger::app {

int RunVerify(const std::vector<std::string>& args) {
  std::string data_dir;
  po::options_description options("caseledger verify");
  AddDataOption(options, data_dir);
  options.add_options()("quiet,q", "print nothing when the log verifies");
  po::variables_map vm;
  int exit_code = 0;
  if (!ParseOptions("verify", "[--data DIR] [--quiet]", options, nullptr, args, vm, exit_code)) {
    return exit_code;
  }
  ledger::StoreOptions store_options;
  store_options.path = data_dir;
  store_options.create_if_missing = false;
  auto store = ledger::Store::Open(store_options);
  if (!store) {
    std::cerr << "caseledger verify: " << store.error().ToString() << "\n";
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
  auto report = ledger::VerifyLog(*store.value(), {}, progress);
  if (terminal) std::cerr << "\n";
  if (!report) {
    std::cerr << "caseledger verify: " << report.error().ToString() << "\n";
    return 2;
  }
  const auto& r = report.value();
  if (!r.ok()) {
    std::cout << "FAILED at " << r.failure->ToString() << "\n"
              << r.events_checked << " events verified before it\n";
    return 1;
  }
  if (!vm.count("quiet")) {
    std::cout << "ok: " << r.events_checked << " events in " << r.streams
              << " streams; every version in sequence and every hash chain intact ("
              << r.heads_checked << " stream heads, " << r.index_entries_checked
              << " index entries checked)\n";
  }
  return 0;
}

}  // namespace caseledger::app
