// Facts about the machine a benchmark ran on, for the report: cores, CPU model, memory, kernel,
// the filesystem holding the data directory, load average, RocksDB version, the date.
#pragma once

#include <array>
#include <boost/json.hpp>
#include <string>

namespace caseledger::app::bench {

struct MachineFacts {
  unsigned cores = 0;
  std::string cpu_model;
  std::uint64_t memory_bytes = 0;
  std::string kernel;
  std::string date_utc;  // RFC 3339, when the facts were read
  std::string rocksdb_version;
  std::string data_dir;
  std::string filesystem;  // "ext4"
  std::string mount_point;
  std::string device;
};

MachineFacts ReadMachineFacts(const std::string& data_dir);
boost::json::object MachineJson(const MachineFacts& facts);

// The 1, 5 and 15 minute load averages.
std::array<double, 3> LoadAverage();
boost::json::array LoadJson(const std::array<double, 3>& load);

}  // namespace caseledger::app::bench
