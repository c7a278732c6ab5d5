// VerifyEvents: the per-event rules over any LogReader (the Kafka backend's partitions too).
#include <fmt/format.h>

#include "ledger/verify.h"

namespace caseledger::ledger {
namespace {

constexpr std::size_t kBatch = 4096;

}  // namespace

Result<VerifyReport> VerifyEvents(LogReader& reader, const ChainChecker::Options& rules,
                                  const VerifyOptions& options, std::uint64_t total,
                                  const VerifyProgress& progress, std::chrono::milliseconds wait) {
  ChainChecker checker(rules);
  std::vector<RecordedEvent> batch;
  batch.reserve(kBatch);
  std::uint64_t done = 0;
  std::uint64_t next_progress = options.progress_interval;
  for (bool more = true; more && !checker.failure();) {
    batch.clear();
    Result<std::size_t> read = reader.Read(batch, kBatch, wait);
    if (!read && read.error().code != Code::kCorruption) return read.error();
    for (const RecordedEvent& event : batch) {
      if (!checker.Check(event)) break;
      ++done;
    }
    if (!read && !checker.failure()) {
      // The reader refused an event it could not verify: it is the one after the last good one.
      VerifyFailure failure;
      failure.position = checker.last_position();
      ++failure.position.offset;
      failure.rule = read.error().message;
      checker.Fail(std::move(failure));
    }
    more = read && read.value() > 0;
    if (progress && done >= next_progress) {
      progress(done, total);
      next_progress = done + options.progress_interval;
    }
  }
  if (progress) progress(done, total);

  VerifyReport report;
  report.events_checked = checker.events_checked();
  report.streams = checker.stream_count();
  report.last_position = checker.last_position();
  report.failure = checker.failure();
  return report;
}

}  // namespace caseledger::ledger
