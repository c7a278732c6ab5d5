#include "app/cli.h"

#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "cli_commands.h"
#include "cli_options.h"

namespace caseledger::app {
namespace {

const Subcommand kSubcommands[] = {
    {"serve", "run the ledger and its HTTP API", &RunServe},
    {"rebuild", "drop and rebuild every projection from the log", &RunRebuild},
    {"verify", "check every stream's versions and hash chain", &RunVerify},
    {"replay", "print one stream's events as JSON lines", &RunReplay},
    {"bench", "measure appends, rebuild and reads against this machine's ceiling", &RunBench},
    {"migrate-log", "copy an embedded ledger's keys and events into Kafka, keeping every hash",
     &RunMigrateLog},
    {"create-admin", "create the first partnership administrator (server stopped)",
     &RunCreateAdmin},
};

void PrintUsage(std::ostream& out) {
  out << "caseledger: an event-sourced, multi-agency case ledger for anti-social behaviour\n\n"
         "usage: caseledger <command> [options]\n\ncommands:\n";
  for (const auto& s : kSubcommands) {
    constexpr std::size_t kNameWidth = 13;
    std::size_t pad = kNameWidth > std::strlen(s.name) ? kNameWidth - std::strlen(s.name) : 1;
    out << "  " << s.name << std::string(pad, ' ') << s.summary << "\n";
  }
  out << "\n'caseledger <command> --help' describes a command's options.\n";
}

}  // namespace

int RunCli(int argc, char** argv) {
  if (argc < 2) {
    PrintUsage(std::cerr);
    return 2;
  }
  std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    PrintUsage(std::cout);
    return 0;
  }
  if (name == "--version" || name == "version") {
    std::cout << "caseledger " << CASELEDGER_VERSION << "\n";
    return 0;
  }
  std::vector<std::string> args(argv + 2, argv + argc);
  for (const auto& s : kSubcommands) {
    if (name == s.name) return s.run(args);
  }
  std::cerr << "caseledger: unknown command '" << name << "'\n\n";
  PrintUsage(std::cerr);
  return 2;
}

}  // namespace caseledger::app
