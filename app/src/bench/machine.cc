#include "machine.h"

#include <rocksdb/version.h>
#include <sys/utsname.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "ledger/time_format.h"

namespace caseledger::app::bench {
namespace {

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) s.pop_back();
  std::size_t b = s.find_first_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b);
}

// The value of the first "key : value" line of a /proc file whose key is `key`.
std::string ProcField(const char* path, std::string_view key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    if (Trim(line.substr(0, colon)) == key) return Trim(line.substr(colon + 1));
  }
  return {};
}

// The mount holding `path`: the longest mount point of /proc/self/mountinfo that contains it.
void FindMount(const std::string& path, MachineFacts& facts) {
  std::error_code ec;
  std::string target = std::filesystem::weakly_canonical(path, ec).string();
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  std::size_t best = 0;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, parent, devno, root, mount_point, options, field;
    fields >> id >> parent >> devno >> root >> mount_point >> options;
    while (fields >> field && field != "-") {
    }
    std::string type, source;
    fields >> type >> source;
    bool contains = target == mount_point || mount_point == "/" ||
                    (target.starts_with(mount_point) && target[mount_point.size()] == '/');
    if (contains && mount_point.size() >= best) {
      best = mount_point.size();
      facts.mount_point = mount_point;
      facts.filesystem = type;
      facts.device = source;
    }
  }
}

}  // namespace

MachineFacts ReadMachineFacts(const std::string& data_dir) {
  MachineFacts f;
  f.cores = std::thread::hardware_concurrency();
  f.cpu_model = ProcField("/proc/cpuinfo", "model name");
  std::string mem = ProcField("/proc/meminfo", "MemTotal");  // "24684096 kB"
  f.memory_bytes = std::strtoull(mem.c_str(), nullptr, 10) * 1024;
  utsname u{};
  if (uname(&u) == 0) f.kernel = std::string(u.sysname) + " " + u.release;
  auto now = std::chrono::system_clock::now();
  auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  f.date_utc = ledger::FormatTimestamp(micros / 1'000'000 * 1'000'000);
  f.rocksdb_version = std::to_string(ROCKSDB_MAJOR) + "." + std::to_string(ROCKSDB_MINOR) + "." +
                      std::to_string(ROCKSDB_PATCH);
  f.data_dir = data_dir;
  FindMount(data_dir, f);
  return f;
}

boost::json::object MachineJson(const MachineFacts& f) {
  return {{"cores", f.cores},
          {"cpu_model", f.cpu_model},
          {"memory_gib", std::round(static_cast<double>(f.memory_bytes) / (1u << 30) * 10) / 10},
          {"kernel", f.kernel},
          {"rocksdb_version", f.rocksdb_version},
          {"data_dir", f.data_dir},
          {"filesystem",
           {{"type", f.filesystem}, {"mount_point", f.mount_point}, {"device", f.device}}}};
}

std::array<double, 3> LoadAverage() {
  std::array<double, 3> load{0, 0, 0};
  if (getloadavg(load.data(), 3) != 3) load = {0, 0, 0};
  return load;
}

boost::json::array LoadJson(const std::array<double, 3>& load) {
  boost::json::array out;
  for (double v : load) out.push_back(std::round(v * 100) / 100);
  return out;
}

}  // namespace caseledger::app::bench
