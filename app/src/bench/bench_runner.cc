#include "bench_runner.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <future>
#include <map>
#include <thread>

#include "app/node.h"
#include "append_bench.h"
#include "ceilings.h"
#include "cpu_usage.h"
#include "history_generator.h"
#include "kafka_bench.h"
#include "kafka_ceilings.h"
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
constexpr double kKafkaEndToEndTarget = 20'000;
constexpr auto kKafkaSettle = std::chrono::seconds(120);

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
    if (o_.kafka_phase && o_.kafka) {
      json::object& c = report["conditions"].as_object();
      c["log"] = "kafka://" + o_.kafka->bootstrap;
      c["kafka_topic_prefix"] = o_.kafka_topic_prefix;
      c["kafka_partitions"] = o_.kafka->partitions;
      c["kafka_warmup_seconds"] = o_.kafka_warmup_seconds;
    }
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
      if (o_.appends || o_.kafka_phase) {
        BOOST_OUTCOME_TRY(samples_, SamplePayloads(node->log(), kPayloadSamples));
      }
      if (o_.kafka_phase) {
        BOOST_OUTCOME_TRY(history_keys_,
                          ReadFamily(node->store(), std::string(ledger::kKeysFamily)));
      }
    }
    if (o_.appends) {
      BOOST_OUTCOME_TRY(Appends());
    }
    if (o_.kafka_phase) {
      BOOST_OUTCOME_TRY(Kafka());
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
    AppendWorkload workload(o_.kafka_phase ? samples_ : std::move(samples_));
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

  // The Kafka phase: end-to-end appends on a node running on ledger::KafkaLog, beside the raw
  // librdkafka ceilings on the same broker (kafka_bench.h, kafka_ceilings.h).
  Result<void> Kafka() {
    if (!o_.kafka) {
      return ledger::MakeError(ledger::Code::kInvalidArgument,
                               "bench: the kafka phase needs --log kafka://HOST:PORT");
    }
    ledger::KafkaLogOptions options = *o_.kafka;
    options.topic_prefix = o_.kafka_topic_prefix;
    const std::string& prefix = options.topic_prefix;
    std::string node_dir = (fs::path(dir_) / ("kafka-" + prefix)).string();
    if (!node_dir.empty() && node_dir.back() == '.') node_dir.pop_back();
    std::vector<std::string> topics{prefix + "events", prefix + "idempotency", prefix + "keys",
                                    prefix + "ceiling", prefix + "ceiling-idempotency"};
    int port = 0;
    {
      std::string first = options.bootstrap.substr(0, options.bootstrap.find(','));
      auto colon = first.rfind(':');
      if (colon != std::string::npos) port = std::atoi(first.c_str() + colon + 1);
    }
    int broker_pid = FindBrokerPid(port);
    Say(fmt::format("kafka: {} (broker pid {}), topics {}*", options.bootstrap,
                    broker_pid == 0 ? std::string("not on this machine")
                                    : std::to_string(broker_pid),
                    prefix));

    std::vector<std::size_t> epcs = o_.events_per_command;
    std::sort(epcs.begin(), epcs.end());
    std::size_t max_in_flight = *std::max_element(o_.writers.begin(), o_.writers.end());
    AppendWorkload workload(std::move(samples_));
    for (std::size_t events : epcs) workload.Commands(events);  // before any reference is kept

    json::object section;
    auto result = KafkaRuns(options, node_dir, broker_pid, workload, epcs, max_in_flight, section);
    // Tidy up whatever happened: the node is closed by now; its topics and directory go.
    if (!o_.keep) {
      if (auto admin = KafkaAdmin::Open(options.bootstrap, options.client_properties)) {
        if (auto deleted = admin.value()->DeleteTopics(topics); !deleted) {
          Say("kafka: could not delete the benchmark's topics: " + deleted.error().message);
        }
      }
      std::error_code ec;
      fs::remove_all(node_dir, ec);
    }
    if (!result) return result.error();
    sections_["kafka"] = std::move(section);
    return ledger::Ok();
  }

  Result<void> KafkaRuns(const ledger::KafkaLogOptions& options, const std::string& node_dir,
                         int broker_pid, AppendWorkload& workload,
                         const std::vector<std::size_t>& epcs, std::size_t max_in_flight,
                         json::object& section) {
    const std::string& prefix = options.topic_prefix;
    LoopTiming timing;
    timing.seconds = o_.seconds;
    timing.warmup_seconds = o_.kafka_warmup_seconds;
    using Seconds = std::chrono::duration<double>;

    // The node, as `caseledger serve --log kafka://…` opens it, with the history's master key.
    // Threads take their creator's name: the node's own (the replica's consumer, the key mirror's
    // poller, the writer until its first callback renames it) are told apart from the
    // projection runner's and the benchmark's in the CPU figures this way.
    NameThisThread("replica+poller");
    auto opened = std::chrono::steady_clock::now();
    NodeConfig config;
    config.data_dir = node_dir;
    config.master_key_file = (fs::path(dir_) / "history" / "master.key").string();
    config.kafka = options;
    BOOST_OUTCOME_TRY(auto node, Node::Open(config));
    double open_seconds = Seconds(std::chrono::steady_clock::now() - opened).count();
    ledger::KafkaLog& kafka = *node->kafka();

    // The history's wrapped personal-data keys, through the keys topic like any node's.
    Say(fmt::format("kafka: copying {} personal-data keys through {}keys", history_keys_.size(),
                    prefix));
    auto copied = std::chrono::steady_clock::now();
    {
      constexpr std::size_t kCopiers = 32;
      std::vector<std::future<Result<void>>> copiers;
      std::atomic<std::size_t> next{0};
      for (std::size_t t = 0; t < kCopiers; ++t) {
        copiers.push_back(std::async(std::launch::async, [&]() -> Result<void> {
          for (std::size_t i = next++; i < history_keys_.size(); i = next++) {
            BOOST_OUTCOME_TRY(
                kafka.key_mirror().Put(history_keys_[i].first, history_keys_[i].second));
          }
          return ledger::Ok();
        }));
      }
      for (auto& c : copiers) {
        BOOST_OUTCOME_TRY(c.get());
      }
    }
    BOOST_OUTCOME_TRY(CatchUpPatiently(
        kafka, std::chrono::duration_cast<std::chrono::milliseconds>(kKafkaSettle)));
    double copy_seconds = Seconds(std::chrono::steady_clock::now() - copied).count();

    NameThisThread("proj-runner");
    auto started = node->StartRunner();
    NameThisThread("bench-main");
    if (!started) return started.error();
    Say(fmt::format("kafka: creating the own streams of {} writers", max_in_flight));
    auto prepared = std::chrono::steady_clock::now();
    BOOST_OUTCOME_TRY(workload.Prepare(node->log(), max_in_flight));
    BOOST_OUTCOME_TRY(WaitUntilProjected(
        kafka, node->runner(), std::chrono::duration_cast<std::chrono::milliseconds>(kKafkaSettle)));
    double prepare_seconds = Seconds(std::chrono::steady_clock::now() - prepared).count();

    // The ceilings' topics and producers, on the same cluster.
    KafkaCeilingTarget target;
    target.bootstrap = options.bootstrap;
    target.client_properties = options.client_properties;
    target.topic = prefix + "ceiling";
    target.idempotency_topic = prefix + "ceiling-idempotency";
    target.partitions = options.partitions;
    target.replication_factor = options.replication_factor;
    target.min_insync_replicas = options.min_insync_replicas;
    BOOST_OUTCOME_TRY(auto admin, KafkaAdmin::Open(options.bootstrap, options.client_properties));
    BOOST_OUTCOME_TRY(admin->CreateCeilingTopics(target));
    BOOST_OUTCOME_TRY(auto flush, admin->TopicConfig(prefix + "events", "flush.messages"));
    BOOST_OUTCOME_TRY(auto transactional, RawProducer::Open(target, prefix + "ceiling-writer"));
    BOOST_OUTCOME_TRY(auto idempotent, RawProducer::Open(target, ""));

    // The floor of one command per transaction.
    std::vector<std::string> one_event_values = workload.CeilingValues(epcs.front());
    Say("kafka: transaction floor (one message per transaction)");
    BOOST_OUTCOME_TRY(
        auto floor,
        RunInterleaved(
            [&](const LoopTiming& t) { return transactional->Transactions(one_event_values, 1, 1, t); },
            [&](const LoopTiming& t) {
              return transactional->Transactions(one_event_values, 1, 0, t);
            },
            o_.rounds, timing));
    const LoopResult& floor_shaped = floor.first;
    const LoopResult& floor_one = floor.second;
    // The same one-message transaction begun 5 ms after the previous commit: without the wait
    // for the previous transaction's markers (CONCURRENT_TRANSACTIONS, retried after 20 ms).
    LoopTiming paused_timing = timing;
    paused_timing.seconds = timing.seconds / 2;
    BOOST_OUTCOME_TRY(auto floor_paused,
                      transactional->Transactions(one_event_values, 1, 0, paused_timing,
                                                  std::chrono::milliseconds(5)));
    Say(fmt::format("  {:.0f} transactions/s p50 {:.2f} ms p99 {:.2f} ms; KafkaLog-shaped {:.0f}/s "
                    "p50 {:.2f} ms p99 {:.2f} ms; begun 5 ms after the previous commit: p50 "
                    "{:.2f} ms p99 {:.2f} ms",
                    floor_one.items_per_second(), floor_one.latency.p50_ns / 1e6,
                    floor_one.latency.p99_ns / 1e6, floor_shaped.items_per_second(),
                    floor_shaped.latency.p50_ns / 1e6, floor_shaped.latency.p99_ns / 1e6,
                    floor_paused.latency.p50_ns / 1e6, floor_paused.latency.p99_ns / 1e6));

    json::array runs;
    json::object sizes;
    std::map<std::size_t, double> best;  // events per command -> best end-to-end events/s
    std::map<std::size_t, std::size_t> best_in_flight;
    for (std::size_t events : epcs) {
      std::vector<std::string> values = workload.CeilingValues(events);
      double value_bytes = 0;
      for (const auto& v : values) value_bytes += static_cast<double>(v.size());
      sizes[std::to_string(events)] = {
          {"mean_payload_bytes", Round(workload.mean_payload_bytes(events), 0)},
          {"mean_envelope_bytes", Round(value_bytes / std::max<std::size_t>(1, values.size()), 0)}};
      for (std::size_t in_flight : o_.writers) {
        WaitForQuiet(node->store(), kQuietSeconds);
        Say(fmt::format("kafka: {} command(s) in flight, {} event(s) per command", in_flight, events));
        EndToEndResult ours;
        LoopResult ceiling;
        LoopTiming slice = timing;
        slice.seconds = timing.seconds / static_cast<double>(std::max<std::size_t>(1, o_.rounds));
        for (std::size_t r = 0; r < std::max<std::size_t>(1, o_.rounds); ++r) {
          BOOST_OUTCOME_TRY(auto c, idempotent->Stream(values, in_flight * events, slice));
          ceiling.Absorb(c);
          BOOST_OUTCOME_TRY(auto e2e, RunEndToEnd(kafka, node->runner(), workload, in_flight,
                                                  events, slice, broker_pid));
          ours.Absorb(e2e);
        }
        ours.Summarise();
        ceiling.Summarise();
        // One writer committing transactions of the size ours had, one after another.
        double tx = static_cast<double>(ours.profile.transactions);
        std::size_t tx_events = tx > 0 ? static_cast<std::size_t>(
                                             std::lround(double(ours.profile.acked_events) / tx))
                                       : events;
        std::size_t tx_records = tx > 0 ? static_cast<std::size_t>(std::lround(
                                              double(ours.profile.acked_commands) / tx))
                                        : 1;
        LoopTiming same_size_timing = slice;
        BOOST_OUTCOME_TRY(auto same_size,
                          transactional->Transactions(values, std::max<std::size_t>(1, tx_events),
                                                      tx_records, same_size_timing));
        double eps = ours.applied.items_per_second();
        if (eps > best[events]) {
          best[events] = eps;
          best_in_flight[events] = in_flight;
        }
        Say(fmt::format("  end to end {:.0f} events/s p50 {:.1f} ms p99 {:.1f} ms (ack p50 {:.1f} "
                        "p99 {:.1f} ms); {:.1f} transactions/s of {} events; ceiling {:.0f} "
                        "events/s; same-size transactions {:.0f} events/s ({:.1f} ms each)",
                        eps, ours.applied.latency.p50_ns / 1e6, ours.applied.latency.p99_ns / 1e6,
                        ours.acked.latency.p50_ns / 1e6, ours.acked.latency.p99_ns / 1e6,
                        tx / std::max(1e-9, ours.acked.seconds), tx_events,
                        ceiling.items_per_second(), same_size.items_per_second(),
                        same_size.latency.p50_ns / 1e6));
        json::object ceiling_json = LoopJson(ceiling, "events", "ms");
        ceiling_json["in_flight_messages"] = in_flight * events;
        json::object same_size_json = LoopJson(same_size, "events", "ms");
        same_size_json.erase("commands_per_s");
        same_size_json["transactions_per_s"] = Round(same_size.operations_per_second(), 1);
        same_size_json["events_per_transaction"] = tx_events;
        same_size_json["records_per_transaction"] = tx_records;
        runs.push_back({{"in_flight", in_flight},
                        {"events_per_command", events},
                        {"ours", EndToEndJson(ours)},
                        {"ceiling", std::move(ceiling_json)},
                        {"ratio", Round(Ratio(eps, ceiling.items_per_second()), 3)},
                        {"same_size_transactions", std::move(same_size_json)},
                        {"ratio_vs_same_size_transactions",
                         Round(Ratio(eps, same_size.items_per_second()), 3)},
                        {"commands_per_s_vs_transaction_floor",
                         Round(Ratio(ours.applied.operations_per_second(),
                                     floor_one.items_per_second()),
                               2)},
                        {"profile", ProfileJson(ours)}});
      }
    }
    // A second node taking in everything the runs wrote: replica and projection apply rates.
    node.reset();
    Say("kafka: a second node reads every event the runs wrote and rebuilds its projections");
    std::string catch_up_dir = node_dir + "-catch-up";
    auto catch_up = MeasureCatchUp(options, catch_up_dir, config.master_key_file);
    {
      std::error_code ec;
      fs::remove_all(catch_up_dir, ec);
    }
    if (!catch_up) return catch_up.error();
    const CatchUpResult& c = catch_up.value();
    Say(fmt::format("  {} events: replica {:.0f} events/s, projection rebuild {:.0f} events/s",
                    c.events, c.events / std::max(1e-9, c.replica_seconds),
                    c.events / std::max(1e-9, c.rebuild_seconds)));
    for (auto [events, eps] : best) {
      targets_.push_back(TargetJson(
          fmt::format("kafka_end_to_end_{}_event{}_per_command", events, events == 1 ? "" : "s"),
          fmt::format(">= 20000 events/s accepted -> applied (best of the in-flight counts: {})",
                      best_in_flight[events]),
          eps, eps >= kKafkaEndToEndTarget));
    }
    json::object broker{{"bootstrap", options.bootstrap},
                        {"partitions", options.partitions},
                        {"replication_factor", options.replication_factor},
                        {"min_insync_replicas", options.min_insync_replicas},
                        {"librdkafka", LibrdkafkaVersion()},
                        {"broker_pid_on_this_machine", broker_pid}};
    if (flush) {
      broker["events_topic_flush_messages"] = {{"value", flush->value},
                                               {"source", flush->source},
                                               {"is_default", flush->is_default}};
    }
    section = {
        {"broker", std::move(broker)},
        {"topic_prefix", prefix},
        {"ours_what",
         "ledger::KafkaLog::AppendAsync of the append phase's commands (same payloads, streams, "
         "expected versions and idempotency keys), N commands in flight, closed loop: each waits "
         "for its acknowledgement (transaction committed, acks=all) and then for the node's "
         "ProjectionRunner to have applied its position (WhenApplied) before the next is sent. "
         "events_per_s counts events applied inside the windows; 'ack' is accepted -> "
         "acknowledged, 'end_to_end' accepted -> applied"},
        {"ceiling_what",
         "one idempotent non-transactional librdkafka producer (acks=all, linger.ms=1, "
         "batch.num.messages=10000, the writer's settings) keeping N x E messages in flight on its "
         "own topic with the same partition count, each sent again on its delivery report; the "
         "values are the stored envelopes of exactly the appended events. No idempotency "
         "records, no replica, no projections"},
        {"transaction_floor",
         {{"what",
           "one transactional producer, closed loop, one message per transaction: begin, produce, "
           "commit (one_message); and as ledger::KafkaLog shapes a one-event command with an "
           "idempotency key: begin, produce the event, flush, produce a 160-byte record to a "
           "second topic, commit (kafkalog_shaped)"},
          {"one_message", LoopJson(floor_one, "transactions", "ms")},
          {"kafkalog_shaped", LoopJson(floor_shaped, "transactions", "ms")},
          {"one_message_after_5ms_pause", LoopJson(floor_paused, "transactions", "ms")},
          {"after_pause_what",
           "one_message, but each transaction begins 5 ms after the previous commit (the pause "
           "is not in its latency; transactions_per_s includes it), one window of half the "
           "measured seconds after the others"}}},
        {"same_size_transactions_what",
         "per run, after it: the KafkaLog-shaped transaction with as many events (values of the "
         "run's sizes, partitions in turn) and idempotency records as ours carried per "
         "transaction on average, closed loop, one window: what one writer committing "
         "transactions of that size one after another can do"},
        {"setup",
         {{"node_open_seconds", Round(open_seconds, 2)},
          {"personal_data_keys_copied", history_keys_.size()},
          {"key_copy_seconds", Round(copy_seconds, 2)},
          {"own_streams_prepare_seconds", Round(prepare_seconds, 2)},
          {"writers_prepared", max_in_flight}}},
        {"catch_up",
         {{"what",
           "after the runs, a second node (read-only KafkaLog on the same topics, fresh store) "
           "reads every event to the end, then ProjectionRunner::Rebuild builds every projection "
           "from its replica: the replica's and the projections' apply rates with a backlog, "
           "one partition consumer and one rebuild at a time"},
          {"events", c.events},
          {"replica_seconds", Round(c.replica_seconds, 2)},
          {"replica_events_per_s", Round(c.events / std::max(1e-9, c.replica_seconds), 0)},
          {"rebuild_seconds", Round(c.rebuild_seconds, 2)},
          {"rebuild_events_per_s", Round(c.events / std::max(1e-9, c.rebuild_seconds), 0)}}},
        {"catch_up",
         {{"what",
           "after the runs, a second node (read-only KafkaLog on the same topics, fresh store) "
           "reads every event to the end, then ProjectionRunner::Rebuild builds every projection "
           "from its replica: the replica's and the projections' apply rates with a backlog, "
           "one partition consumer and one rebuild at a time"},
          {"events", c.events},
          {"replica_seconds", Round(c.replica_seconds, 2)},
          {"replica_events_per_s", Round(c.events / std::max(1e-9, c.replica_seconds), 0)},
          {"rebuild_seconds", Round(c.rebuild_seconds, 2)},
          {"rebuild_events_per_s", Round(c.events / std::max(1e-9, c.rebuild_seconds), 0)}}},
        {"payload_samples", workload.samples().size()},
        {"sizes_by_events_per_command", std::move(sizes)},
        {"order",
         "in each round the ceiling first, then ours; each window has its own warm-up; ours drains "
         "(every command applied) before the next window"},
        {"runs", std::move(runs)}};
    return ledger::Ok();
  }

  static json::object EndToEndJson(const EndToEndResult& r) {
    json::object out;
    out["events_per_s"] = Round(r.applied.items_per_second(), 0);
    out["commands_per_s"] = Round(r.applied.operations_per_second(), 0);
    out["end_to_end_latency"] = LatencyJson(r.applied.latency, "ms");
    out["ack"] = {{"events_per_s", Round(r.acked.items_per_second(), 0)},
                  {"latency", LatencyJson(r.acked.latency, "ms")}};
    out["ack_to_applied_latency"] = LatencyJson(r.ack_to_applied.latency, "ms");
    out["in_flight"] = r.applied.threads;
    out["seconds"] = Round(r.applied.seconds, 3);
    out["windows"] = r.applied.slices;
    return out;
  }

  json::object ProfileJson(const EndToEndResult& r) const {
    const EndToEndProfile& p = r.profile;
    double seconds = r.acked.seconds > 0 ? r.acked.seconds : 1;
    double tx = static_cast<double>(p.transactions);
    double samples = p.lag_samples > 0 ? static_cast<double>(p.lag_samples) : 1;
    double offsets_per_s = static_cast<double>(p.replica_offsets) / seconds;
    double replica_lag = p.replica_lag_sum / samples;
    double projection_lag = p.projection_lag_sum / samples;
    auto little_ms = [&](double lag) { return offsets_per_s > 0 ? lag / offsets_per_s * 1e3 : 0.0; };
    return {
        {"transactions_per_s", Round(tx / seconds, 1)},
        {"commands_per_transaction", Round(tx > 0 ? double(p.acked_commands) / tx : 0, 2)},
        {"events_per_transaction", Round(tx > 0 ? double(p.acked_events) / tx : 0, 2)},
        {"aborted_transactions", p.aborted},
        {"producer_restarts", p.producer_restarts},
        {"resent_groups", p.resent_groups},
        {"replica_offsets_per_s", Round(offsets_per_s, 0)},
        {"replica_lag_offsets", {{"mean", Round(replica_lag, 1)}, {"max", p.lag_max_replica}}},
        {"projection_lag_offsets",
         {{"mean", Round(projection_lag, 1)}, {"max", p.lag_max_projection}}},
        {"replica_lag_ms_little", Round(little_ms(replica_lag), 2)},
        {"projection_lag_ms_little", Round(little_ms(projection_lag), 2)},
        {"lag_what",
         "sampled every 10 ms: acknowledged offsets not yet in the node's replica, and replica "
         "offsets not yet applied by the projections (summed over partitions; offsets include "
         "transaction markers); *_ms_little = mean lag / replica offsets per second"},
        {"cpu", p.cpu.Json(std::thread::hardware_concurrency())},
        {"cpu_us_per_event", CpuPerEvent(p.cpu, r.applied.items)}};
  }

  // CPU microseconds per event applied, by thread group, the broker and this process in all.
  static json::object CpuPerEvent(const CpuUsage& cpu, std::uint64_t events) {
    json::object out;
    if (events == 0) return out;
    double total = 0;
    for (const auto& [name, seconds] : cpu.threads) {
      total += seconds;
      double us = seconds * 1e6 / static_cast<double>(events);
      if (us >= 0.5) out[name] = Round(us, 1);
    }
    out["caseledger_total"] = Round(total * 1e6 / static_cast<double>(events), 1);
    out["broker_jvm"] = Round(cpu.broker_seconds * 1e6 / static_cast<double>(events), 1);
    return out;
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
  std::vector<std::pair<std::string, std::string>> history_keys_;  // the keys family, for Kafka
  json::object sections_;  // in the order the phases ran
  json::array targets_;
};

}  // namespace

Result<json::object> RunBenchmark(const BenchOptions& options) { return Runner(options).Run(); }

}  // namespace caseledger::app::bench
