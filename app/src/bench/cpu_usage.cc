#include "cpu_usage.h"

#include <dirent.h>
#include <pthread.h>
#include <unistd.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace caseledger::app::bench {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream out;
  out << file.rdbuf();
  return out.str();
}

double TicksPerSecond() {
  static const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  return ticks > 0 ? ticks : 100;
}

// utime + stime of a /proc/.../stat line, in seconds; -1 if unreadable.
double StatSeconds(const std::string& stat) {
  auto close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream in(stat.substr(close + 2));
  std::string field;
  double utime = 0, stime = 0;
  // Fields after the command: state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt
  // cmajflt utime(14) stime(15).
  for (int i = 3; i <= 15 && (in >> field); ++i) {
    if (i == 14) utime = std::atof(field.c_str());
    if (i == 15) stime = std::atof(field.c_str());
  }
  return (utime + stime) / TicksPerSecond();
}

std::string ThreadGroup(std::string name) {
  while (!name.empty() && (name.back() == '\n' || name.back() == ' ')) name.pop_back();
  while (!name.empty() && std::isdigit(static_cast<unsigned char>(name.back()))) name.pop_back();
  while (!name.empty() && (name.back() == '-' || name.back() == ':')) name.pop_back();
  return name.empty() ? "?" : name;
}

}  // namespace

void NameThisThread(const char* name) {
  char buf[16] = {};
  std::snprintf(buf, sizeof buf, "%s", name);
  pthread_setname_np(pthread_self(), buf);
}

int FindBrokerPid(int port) {
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return 0;
  int found = 0;
  const std::string listener = "127.0.0.1:" + std::to_string(port);
  const std::string any = ":" + std::to_string(port);
  while (dirent* entry = readdir(proc)) {
    std::string pid = entry->d_name;
    if (pid.empty() || !std::isdigit(static_cast<unsigned char>(pid[0]))) continue;
    std::string cmdline = ReadAll("/proc/" + pid + "/cmdline");
    if (cmdline.find("kafka.Kafka") == std::string::npos) continue;
    // The last argument is the server.properties file.
    while (!cmdline.empty() && cmdline.back() == '\0') cmdline.pop_back();
    std::string properties = cmdline.substr(cmdline.rfind('\0') + 1);
    std::istringstream config(ReadAll(properties));
    for (std::string line; std::getline(config, line);) {
      if (line.rfind("listeners=", 0) == 0 &&
          (line.find(listener) != std::string::npos ||
           line.find(any + ",") != std::string::npos ||
           (line.size() >= any.size() && line.compare(line.size() - any.size(), any.size(), any) == 0))) {
        found = std::atoi(pid.c_str());
        break;
      }
    }
    if (found != 0) break;
  }
  closedir(proc);
  return found;
}

CpuSnapshot TakeCpuSnapshot(int broker_pid) {
  CpuSnapshot s;
  s.at = std::chrono::steady_clock::now();
  if (DIR* tasks = opendir("/proc/self/task")) {
    while (dirent* entry = readdir(tasks)) {
      if (!std::isdigit(static_cast<unsigned char>(entry->d_name[0]))) continue;
      std::string base = std::string("/proc/self/task/") + entry->d_name;
      double seconds = StatSeconds(ReadAll(base + "/stat"));
      if (seconds < 0) continue;
      s.threads[ThreadGroup(ReadAll(base + "/comm"))] += seconds;
    }
    closedir(tasks);
  }
  if (broker_pid > 0) {
    double seconds = StatSeconds(ReadAll("/proc/" + std::to_string(broker_pid) + "/stat"));
    s.broker_seconds = seconds < 0 ? 0 : seconds;
  }
  std::istringstream stat(ReadAll("/proc/stat"));
  std::string cpu;
  stat >> cpu;
  if (cpu == "cpu") {
    // user nice system idle iowait irq softirq steal
    double v[8] = {};
    for (double& x : v) stat >> x;
    double total = 0;
    for (double x : v) total += x;
    s.machine_total_seconds = total / TicksPerSecond();
    s.machine_busy_seconds = (v[0] + v[1] + v[2] + v[5] + v[6]) / TicksPerSecond();
    s.machine_steal_seconds = v[7] / TicksPerSecond();
  }
  return s;
}

void CpuUsage::Add(const CpuSnapshot& from, const CpuSnapshot& to) {
  wall_seconds += std::chrono::duration<double>(to.at - from.at).count();
  for (const auto& [name, seconds] : to.threads) {
    auto before = from.threads.find(name);
    double used = seconds - (before == from.threads.end() ? 0 : before->second);
    if (used > 0) threads[name] += used;
  }
  broker_seconds += std::max(0.0, to.broker_seconds - from.broker_seconds);
  machine_busy_seconds += to.machine_busy_seconds - from.machine_busy_seconds;
  machine_total_seconds += to.machine_total_seconds - from.machine_total_seconds;
  machine_steal_seconds += to.machine_steal_seconds - from.machine_steal_seconds;
}

boost::json::object CpuUsage::Json(unsigned cores) const {
  auto round = [](double v) { return std::round(v * 1000.0) / 1000.0; };
  double wall = wall_seconds > 0 ? wall_seconds : 1;
  boost::json::object by_thread;
  double ours = 0;
  for (const auto& [name, seconds] : threads) {
    ours += seconds;
    if (seconds / wall >= 0.005) by_thread[name] = round(seconds / wall);
  }
  double busy = machine_busy_seconds / wall;
  return {{"unit", "cores busy on average (1.0 = one core all the time)"},
          {"cores", cores},
          {"wall_s", round(wall_seconds)},
          {"caseledger_threads", std::move(by_thread)},
          {"caseledger_total", round(ours / wall)},
          {"broker_jvm", round(broker_seconds / wall)},
          {"other_processes", round(std::max(0.0, busy - ours / wall - broker_seconds / wall))},
          {"machine_busy", round(busy)},
          {"machine_steal", round(machine_steal_seconds / wall)}};
}

}  // namespace caseledger::app::bench
