#include "metered_log.h"

#include <chrono>

namespace caseledger::app {
namespace {

class MeteredLog final : public ledger::EventLog {
 public:
  MeteredLog(std::unique_ptr<ledger::EventLog> inner, http::MetricsRegistry& metrics)
      : inner_(std::move(inner)),
        appends_(metrics.AddCounterFamily("caseledger_appends_total",
                                          "Appends to the event log, by outcome.", {"outcome"})),
        ok_(appends_.WithLabels({"ok"})),
        deduplicated_(appends_.WithLabels({"deduplicated"})),
        refused_(appends_.WithLabels({"refused"})),
        failed_(appends_.WithLabels({"failed"})),
        events_(metrics.AddCounter("caseledger_appended_events_total",
                                   "Events made durable in the event log.")),
        latency_(metrics.AddHistogram("caseledger_append_duration_seconds",
                                      "Time from append to durable acknowledgement.",
                                      http::DefaultLatencyBuckets())) {}

  void AppendAsync(ledger::AppendRequest request, AppendCallback done) override {
    auto started = std::chrono::steady_clock::now();
    inner_->AppendAsync(std::move(request), [this, started, done = std::move(done)](
                                                ledger::Result<ledger::AppendResult> result) {
      latency_.Observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      if (result) {
        if (result.value().deduplicated) {
          deduplicated_.Increment();
        } else {
          ok_.Increment();
          events_.Increment(result.value().events.size());
        }
      } else {
        auto code = result.error().code;
        bool refused = code == ledger::Code::kInvalidArgument ||
                       code == ledger::Code::kVersionConflict ||
                       code == ledger::Code::kIdempotencyMismatch;
        (refused ? refused_ : failed_).Increment();
      }
      done(std::move(result));
    });
  }

  ledger::Result<std::optional<ledger::IdempotencyRecord>> FindIdempotent(
      std::string_view user_id, std::string_view key) override {
    return inner_->FindIdempotent(user_id, key);
  }
  ledger::Result<ledger::StreamHead> Head(std::string_view stream_id) override {
    return inner_->Head(stream_id);
  }
  ledger::Result<std::vector<ledger::RecordedEvent>> ReadStream(std::string_view stream_id,
                                                                std::uint64_t from_version,
                                                                std::size_t max) override {
    return inner_->ReadStream(stream_id, from_version, max);
  }
  std::uint32_t partition_count() const override { return inner_->partition_count(); }
  std::uint32_t PartitionOf(std::string_view stream_id) const override {
    return inner_->PartitionOf(stream_id);
  }
  bool Owns(std::string_view stream_id) const override { return inner_->Owns(stream_id); }
  std::uint64_t epoch() const override { return inner_->epoch(); }
  ledger::Result<std::uint64_t> EndOffset(std::uint32_t partition) override {
    return inner_->EndOffset(partition);
  }
  ledger::Result<std::unique_ptr<ledger::LogReader>> OpenReader(std::uint32_t partition,
                                                                std::uint64_t after) override {
    return inner_->OpenReader(partition, after);
  }

 private:
  std::unique_ptr<ledger::EventLog> inner_;
  http::CounterFamily& appends_;
  http::Counter& ok_;
  http::Counter& deduplicated_;
  http::Counter& refused_;
  http::Counter& failed_;
  http::Counter& events_;
  http::Histogram& latency_;
};

}  // namespace

std::unique_ptr<ledger::EventLog> MeterLog(std::unique_ptr<ledger::EventLog> inner,
                                           http::MetricsRegistry& metrics) {
  return std::make_unique<MeteredLog>(std::move(inner), metrics);
}

}  // namespace caseledger::app
