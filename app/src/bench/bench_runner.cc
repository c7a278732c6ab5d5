#include "bench_runner.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "app/node.h"
#include "append_bench.h"
#include "ceilings.h"
#include "history_generator.h"
#include "machine.h"
#include "projection_bench.h"
#include "projections/keys.h"
#include "report.h"

namespace caseledger::app::bench {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using ledger::Result;

constexpr std::size_t kPayloadSamples = 20'000;
constexpr double kQuietSeconds = 60;
// The targets (docs/benchmarks.md).
constexpr double kAppendRatioTarget = 0.8;
constexpr double kRebuildTarget = 300'000;
constexpr double kReadP99TargetMs = 1.0;

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 == 1 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

class Runner {
 public:
  explicit Runner(const BenchOptions& options) : o_(options) {
    timing_.seconds = o_.seconds;
    timing_.warmup_seconds = std::min(0.25, o_.seconds / std::max<std::size_t>(1, o_.rounds) / 5);
  }

  Result<json::object> Run() {
    BOOST_OUTCOME_TRY(PrepareDirectory());
    auto load_start = LoadAverage();
    MachineFacts facts = ReadMachineFacts(dir_);
    Say(fmt::format("data in {} ({} on {}); load average {:.2f}", dir_, facts.filesystem,
                    facts.device, load_start[0]));
    auto result = RunPhases();
    auto load_end = LoadAverage();
    Cleanup();
    if (!result) return result.error();

    json::object report;
    report["benchmark"] = "caseledger bench";
    report["date"] = facts.date_utc;
    report["machine"] = MachineJson(facts);
    report["conditions"] = {
        {"command", o_.command_line},
        {"seed", o_.seed},
        {"incidents", o_.incidents},
        {"seconds_per_phase", o_.seconds},
        {"warmup_seconds", timing_.warmup_seconds},
        {"writers", json::value_from(o_.writers)},
        {"events_per_command", json::value_from(o_.events_per_command)},
        {"reader_threads", json::value_from(o_.reader_threads)},
        {"generate_concurrency", o_.generate_concurrency},
        {"rebuild_runs", o_.rebuild_runs},
        {"rounds", o_.rounds},
        {"load_average_start", LoadJson(load_start)},
        {"load_average_end", LoadJson(load_end)},
        {"data_dir_kept", kept_},
    };
    for (auto& [key, value] : sections_) report[key] = std::move(value);
    report["targets"] = std::move(targets_);
    return report;
  }

 private:
  void Say(std::string_view line) {
    if (o_.log) o_.log(line);
  }

  Result<void> PrepareDirectory() {
    std::error_code ec;
    if (!o_.data_dir.empty()) {
      dir_ = o_.data_dir;
      fs::create_directories(dir_, ec);
      kept_ = true;
    } else {
      std::string pattern = (fs::temp_directory_path(ec) / "caseledger-bench-XXXXXX").string();
      if (mkdtemp(pattern.data()) == nullptr) {
        return ledger::MakeError(ledger::Code::kIOError,
                                 "bench: cannot create a temporary directory");
      }
      dir_ = pattern;
      temporary_ = true;
      kept_ = o_.keep;
    }
    if (ec) return ledger::MakeError(ledger::Code::kIOError, "bench: " + ec.message());
    return ledger::Ok();
  }

  void Cleanup() {
    if (temporary_ && !o_.keep) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }

  Result<void> RunPhases() {
    {
      NodeConfig config;
      config.data_dir = (fs::path(dir_) / "history").string();
      BOOST_OUTCOME_TRY(auto node, Node::Open(config));
      BOOST_OUTCOME_TRY(History(*node));
      BOOST_OUTCOME_TRY(auto applied,
                        node->projections().AppliedOffset(node->projections().active(), 0));
      BOOST_OUTCOME_TRY(auto end, node->log().EndOffset(0));
      // Reads need views: a freshly generated history has none until a rebuild.
      if (o_.rebuild || (o_.reads && applied < end)) {
        BOOST_OUTCOME_TRY(Rebuilds(*node));
      }
      if (o_.reads) {
        BOOST_OUTCOME_TRY(Reads(*node));
      }
      if (o_.appends) {
        BOOST_OUTCOME_TRY(samples_, SamplePayloads(node->log(), kPayloadSamples));
      }
    }
    if (o_.appends) {
      BOOST_OUTCOME_TRY(Appends());
    }
    return ledger::Ok();
  }

  Result<void> History(Node& node) {
    BOOST_OUTCOME_TRY(auto end, node.log().EndOffset(0));
    json::object section;
    if (end > 0) {
      Say(fmt::format("reusing the history already in the data directory ({} events)", end));
      section["reused"] = true;
      section["events"] = end;
    } else {
      Say(fmt::format("planning {} incidents (seed {})", o_.incidents, o_.seed));
      HistoryPlan plan = HistoryPlan::Make(o_.seed, o_.incidents);
      GeneratorOptions options;
      options.concurrency = o_.generate_concurrency;
      auto started = std::chrono::steady_clock::now();
      options.progress = [&](std::uint64_t done, std::uint64_t total) {
        double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        if (done % 50'000 < 5'000 || done == total) {
          Say(fmt::format("  generated {}/{} commands ({:.0f}/s)", done, total, done / s));
        }
      };
      BOOST_OUTCOME_TRY(auto history, GenerateHistory(node.commands(), node.log(), plan, options));
      section["reused"] = false;
      section["plan"] = PlanJson(plan.stats());
      section["generation"] = {{"seconds", Round(history.seconds, 2)},
                               {"events_per_s", Round(history.events / history.seconds, 0)},
                               {"concurrency", o_.generate_concurrency},
                               {"through", "ledger::CommandService (validated, sealed, durable)"}};
      section["events"] = history.events;
      case_ids_ = std::move(history.case_ids);
    }
    BOOST_OUTCOME_TRY(auto log_stats,
                      ScanFamily(node.store(), std::string(ledger::kLogFamily), ""));
    section["log_bytes"] = log_stats.value_bytes;
    section["mean_envelope_bytes"] = Round(log_stats.mean_value_bytes(), 0);
    sections_["history"] = std::move(section);
    return ledger::Ok();
  }

  Result<void> Rebuilds(Node& node) {
    std::vector<double> ours, ceiling;
    json::array runs;
    double view_bytes = 0;
    std::uint64_t events = 0;
    for (std::size_t r = 0; r < std::max<std::size_t>(1, o_.rebuild_runs); ++r) {
      WaitForQuiet(node.store(), kQuietSeconds);
      Say(fmt::format("rebuild {}/{}", r + 1, o_.rebuild_runs));
      BOOST_OUTCOME_TRY(auto rebuild, RunRebuild(node.runner()));
      events = rebuild.events;
      if (r == 0) {
        std::string family = projections::GenerationFamilyName(rebuild.generation);
        BOOST_OUTCOME_TRY(auto all, ScanFamily(node.store(), family, ""));
        BOOST_OUTCOME_TRY(auto views, ScanFamily(node.store(), family, "v "));
        view_bytes = all.mean_value_bytes();
        sections_["projections"] = {{"keys", all.keys},
                                    {"bytes", all.value_bytes},
                                    {"views", views.keys},
                                    {"mean_view_bytes", Round(views.mean_value_bytes(), 0)},
                                    {"mean_value_bytes", Round(view_bytes, 0)}};
      }
      WaitForQuiet(node.store(), kQuietSeconds);
      BOOST_OUTCOME_TRY(
          auto bulk,
          BulkPutCeiling(node.store(), static_cast<std::size_t>(view_bytes), rebuild_batch_));
      ours.push_back(rebuild.events_per_second());
      ceiling.push_back(bulk.records_per_second());
      Say(fmt::format("  {:.0f} events/s; ceiling {:.0f} records/s", ours.back(), ceiling.back()));
      runs.push_back({{"events_per_s", Round(ours.back(), 0)},
                      {"seconds", Round(rebuild.seconds, 3)},
                      {"ceiling_records_per_s", Round(ceiling.back(), 0)},
                      {"ceiling_seconds", Round(bulk.seconds, 3)}});
    }
    double median = Median(ours), median_ceiling = Median(ceiling);
    sections_["rebuild"] = {
        {"events", events},
        {"ours", {{"events_per_s", Round(median, 0)}, {"statistic", "median of runs"}}},
        {"ceiling",
         {{"records_per_s", Round(median_ceiling, 0)},
          {"what",
           "read every log record, put as many values of the mean projection value size "
           "into a fresh column family, WriteBatch of the rebuild batch size, WAL off, "
           "then flush"},
          {"value_bytes", Round(view_bytes, 0)},
          {"batch", rebuild_batch_}}},
        {"ratio", Round(Ratio(median, median_ceiling), 3)},
        {"runs", std::move(runs)}};
    targets_.push_back(
        TargetJson("rebuild_events_per_s", ">= 300000 events/s", median, median >= kRebuildTarget));
    return ledger::Ok();
  }

  Result<void> Reads(Node& node) {
    std::string family = projections::GenerationFamilyName(node.projections().active().number);
    if (case_ids_.empty()) {
      BOOST_OUTCOME_TRY(auto keys, KeysWithPrefix(node.store(), family, "v case-", 1'000'000));
      for (auto& k : keys) case_ids_.push_back(k.substr(2));
    }
    std::vector<std::string> keys;
    for (const auto& id : case_ids_) keys.push_back(projections::ViewKey(id));
    BOOST_OUTCOME_TRY(auto views, ScanFamily(node.store(), family, "v case-"));
    json::array results;
    double worst_p99_ms = 0;
    for (std::size_t threads : o_.reader_threads) {
      WaitForQuiet(node.store(), kQuietSeconds);
      Say(fmt::format("case-view reads, {} thread(s)", threads));
      BOOST_OUTCOME_TRY(
          auto pair, RunInterleaved(
                         [&](const LoopTiming& t) {
                           return RunViewReads(node.projections(), case_ids_, threads, o_.seed, t);
                         },
                         [&](const LoopTiming& t) {
                           return RawGets(node.store(), family, keys, threads, o_.seed, t);
                         },
                         o_.rounds, timing_));
      const LoopResult& ours = pair.first;
      const LoopResult& raw = pair.second;
      worst_p99_ms = std::max(worst_p99_ms, ours.latency.p99_ns / 1e6);
      Say(fmt::format("  {:.0f} reads/s p99 {:.1f} us; ceiling {:.0f} reads/s p99 {:.1f} us",
                      ours.items_per_second(), ours.latency.p99_ns / 1e3, raw.items_per_second(),
                      raw.latency.p99_ns / 1e3));
      results.push_back(
          {{"threads", threads},
           {"ours", LoopJson(ours, "reads", "us")},
           {"ceiling", LoopJson(raw, "reads", "us")},
           {"ratio", Round(Ratio(ours.items_per_second(), raw.items_per_second()), 3)},
           {"p99_ratio", Round(Ratio(ours.latency.p99_ns, raw.latency.p99_ns), 3)}});
    }
    sections_["reads"] = {
        {"cases", case_ids_.size()},
        {"mean_case_view_bytes", Round(views.mean_value_bytes(), 0)},
        {"ours_what", "projections::ProjectionStore::GetView of a random case id"},
        {"ceiling_what", "rocksdb::DB::Get of the same key in the same column family"},
        {"runs", std::move(results)}};
    targets_.push_back(TargetJson("case_view_read_p99_ms", "<= 1 ms (worst thread count)",
                                  worst_p99_ms, worst_p99_ms <= kReadP99TargetMs));
    return ledger::Ok();
  }

  Result<void> Appends() {
    AppendWorkload workload(std::move(samples_));
    NodeConfig config;
    config.data_dir = (fs::path(dir_) / "append").string();
    BOOST_OUTCOME_TRY(auto node, Node::Open(config));
    BOOST_OUTCOME_TRY(auto plain, PlainDb::Open((fs::path(dir_) / "ceiling").string()));
    // events/s of the single-put ceiling by writer count, for the group-commit comparison.
    std::map<std::size_t, double> single_put;
    json::array results;
    json::object sizes;
    std::vector<std::size_t> epcs = o_.events_per_command;
    std::sort(epcs.begin(), epcs.end());
    for (std::size_t events : epcs) {
      std::vector<std::string> values = workload.CeilingValues(events);
      double value_bytes = 0;
      for (const auto& v : values) value_bytes += static_cast<double>(v.size());
      sizes[std::to_string(events)] = {
          {"mean_payload_bytes", Round(workload.mean_payload_bytes(events), 0)},
          {"mean_envelope_bytes", Round(value_bytes / std::max<std::size_t>(1, values.size()), 0)}};
      for (std::size_t writers : o_.writers) {
        WaitForQuiet(node->store(), kQuietSeconds);
        Say(fmt::format("appends: {} writer(s), {} event(s) per command", writers, events));
        BOOST_OUTCOME_TRY(
            auto pair,
            RunInterleaved(
                [&](const LoopTiming& t) { return workload.Run(node->log(), writers, events, t); },
                [&](const LoopTiming& t) { return plain->SyncedPuts(values, writers, events, t); },
                o_.rounds, timing_));
        const LoopResult& ours = pair.first;
        const LoopResult& ceiling = pair.second;
        if (events == 1) single_put[writers] = ceiling.items_per_second();
        double ratio = Ratio(ours.items_per_second(), ceiling.items_per_second());
        Say(fmt::format("  {:.0f} events/s p99 {:.2f} ms; ceiling {:.0f} events/s p99 {:.2f} ms",
                        ours.items_per_second(), ours.latency.p99_ns / 1e6,
                        ceiling.items_per_second(), ceiling.latency.p99_ns / 1e6));
        json::object row{{"writers", writers},
                         {"events_per_command", events},
                         {"ours", LoopJson(ours, "events", "ms")},
                         {"ceiling", LoopJson(ceiling, "events", "ms")},
                         {"ratio", Round(ratio, 3)}};
        if (events > 1 && single_put.count(writers)) {
          double vs_single = Ratio(ours.items_per_second(), single_put[writers]);
          row["ratio_vs_single_put_ceiling"] = Round(vs_single, 3);
          if (writers == TargetWriters() && events == epcs.back()) {
            targets_.push_back(TargetJson(
                fmt::format("group_commit_{}_writers_{}_events", writers, events),
                "events/s > the single-put synced ceiling at the same writers (ratio > 1)",
                vs_single, vs_single > 1.0));
          }
        }
        if (events == 1 && writers == TargetWriters()) {
          targets_.push_back(TargetJson(fmt::format("appends_{}_writers", writers),
                                        ">= 0.8 of the synced-put ceiling (ratio)", ratio,
                                        ratio >= kAppendRatioTarget));
        }
        results.push_back(std::move(row));
      }
    }
    sections_["appends"] = {
        {"ours_what",
         "ledger::EventLog::Append, closed loop: each writer waits for its own acknowledgement "
         "(WAL synced). One event per command: the history's own mix in log order (a creation "
         "starts a new stream, a change goes to one of the writer's own incident, person or case "
         "streams at its expected version). E events: a case opened with E - 1 changes in one new "
         "stream. Real payloads from the history; actor, purpose, correlation id and idempotency "
         "key on every command"},
        {"ceiling_what",
         "plain RocksDB (default options) in the same filesystem: synced Put of the stored "
         "envelopes of exactly those events, in the same order, from W threads; for E events a "
         "synced WriteBatch of E of them"},
        {"payload_samples", workload.samples().size()},
        {"sizes_by_events_per_command", std::move(sizes)},
        {"order", "ceiling and ours alternate in windows (rounds), the ceiling first in each"},
        {"runs", std::move(results)}};
    return ledger::Ok();
  }

  // The writer count the targets speak of: 64, or the largest one measured.
  std::size_t TargetWriters() const {
    if (std::find(o_.writers.begin(), o_.writers.end(), 64) != o_.writers.end()) return 64;
    return o_.writers.empty() ? 0 : *std::max_element(o_.writers.begin(), o_.writers.end());
  }

  const BenchOptions& o_;
  LoopTiming timing_;
  std::string dir_;
  bool temporary_ = false;
  bool kept_ = false;
  std::size_t rebuild_batch_ = consumers::RunnerOptions{}.rebuild_batch_events;
  std::vector<std::string> case_ids_;
  std::vector<PayloadSample> samples_;
  json::object sections_;  // in the order the phases ran
  json::array targets_;
};

}  // namespace

Result<json::object> RunBenchmark(const BenchOptions& options) { return Runner(options).Run(); }

}  // namespace caseledger::app::bench
