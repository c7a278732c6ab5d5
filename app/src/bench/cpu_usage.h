// Where the CPU went during a measurement, from /proc: this process's threads by name (RocksDB
// and librdkafka name theirs; the benchmark names its own and those whose callbacks it sees),
// a Kafka broker on this machine (found by its listener port), and the machine as a whole.
// Used by the Kafka benchmark to say what limits throughput on a machine whose cores are shared
// with the broker.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <string>

namespace caseledger::app::bench {

struct CpuSnapshot {
  std::chrono::steady_clock::time_point at;
  std::map<std::string, double> threads;  // CPU seconds by thread name (trailing digits dropped)
  double broker_seconds = 0;              // the broker's process, if found
  double machine_busy_seconds = 0;        // every core, /proc/stat (user, system, irq)
  double machine_total_seconds = 0;
  double machine_steal_seconds = 0;       // taken by the hypervisor
};

// Names the calling thread (at most 15 characters), for CpuSnapshot.
void NameThisThread(const char* name);

// The pid of a Kafka broker on this machine listening on `port` ("kafka.Kafka" with a
// server.properties naming the port), or 0.
int FindBrokerPid(int port);

CpuSnapshot TakeCpuSnapshot(int broker_pid);

// CPU used between two snapshots, summed over measurements.
struct CpuUsage {
  double wall_seconds = 0;
  std::map<std::string, double> threads;
  double broker_seconds = 0;
  double machine_busy_seconds = 0;
  double machine_total_seconds = 0;
  double machine_steal_seconds = 0;

  void Add(const CpuSnapshot& from, const CpuSnapshot& to);
  // {"cores": n, "wall_s", "caseledger_threads": {name: cores used}, "caseledger_total",
  //  "broker_jvm", "other_processes", "machine_busy", "machine_steal"}: cores used on average (1.0 = one core busy).
  boost::json::object Json(unsigned cores) const;
};

}  // namespace caseledger::app::bench
