// Options shared by the subcommands, read from flags and from an optional config file
// (`--config FILE`, INI style: `key = value` with the long option names). Flags win over the file.
#pragma once

#include <boost/program_options.hpp>

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "ledger/kafka_log.h"

namespace caseledger::app {

namespace po = boost::program_options;

struct Subcommand {
  const char* name;
  const char* summary;
  int (*run)(const std::vector<std::string>& args);
};

// Parses `args` against `options` (plus --help and --config). On --help prints usage of
// `command` and returns 0 through `exit_code`; on an error prints it and returns 2.
// Returns true when the command should go on.
bool ParseOptions(const std::string& command, const std::string& usage,
                  const po::options_description& options,
                  const po::positional_options_description* positional,
                  const std::vector<std::string>& args, po::variables_map& vm, int& exit_code);

// Adds --data to `options` (default: $CASELEDGER_DATA or ./caseledger-data).
void AddDataOption(po::options_description& options, std::string& data_dir);

// --log and the --kafka-* options.
struct LogFlags {
  std::string log = "embedded";
  std::string prefix;
  std::uint32_t partitions = 8;
  std::string owned;
  std::vector<std::string> properties;
  int replication_factor = 1;
  int min_insync_replicas = 1;
};
void AddLogOptions(po::options_description& options, LogFlags& flags);
// nullopt for the embedded log. Errors: kInvalidArgument naming the option.
ledger::Result<std::optional<ledger::KafkaLogOptions>> KafkaOptionsFrom(const LogFlags& flags);

// "90s", "30m", "8h", "1d" (a bare number is seconds) as microseconds; nullopt when malformed.
std::optional<std::int64_t> ParseDuration(std::string_view text);

// True when standard error is a terminal (progress bars are drawn only then).
bool StderrIsTerminal();

// Draws "\r[#####-----] 45% 1,234/2,743 events" on stderr.
void DrawProgress(std::uint64_t done, std::uint64_t total, double seconds);

}  // namespace caseledger::app
