#include "projection_bench.h"

#include "rng.h"

namespace caseledger::app::bench {
namespace {

class ViewReadWorker final : public Worker {
 public:
  ViewReadWorker(const projections::ProjectionStore& store, const std::vector<std::string>& ids,
                 std::uint64_t seed)
      : store_(store), ids_(ids), rng_(seed) {}

  void Prepare() override { id_ = &ids_[rng_.Below(ids_.size())]; }

  ledger::Result<std::uint64_t> Execute() override {
    BOOST_OUTCOME_TRY(auto view, store_.GetView(*id_));
    if (!view) return ledger::MakeError(ledger::Code::kNotFound, "bench: a case has no view");
    return std::uint64_t{1};
  }

 private:
  const projections::ProjectionStore& store_;
  const std::vector<std::string>& ids_;
  Rng rng_;
  const std::string* id_ = nullptr;
};

}  // namespace

ledger::Result<RebuildRun> RunRebuild(consumers::ProjectionRunner& runner) {
  BOOST_OUTCOME_TRY(auto stats, runner.Rebuild());
  return RebuildRun{stats.events, stats.seconds, stats.generation};
}

ledger::Result<LoopResult> RunViewReads(const projections::ProjectionStore& store,
                                        const std::vector<std::string>& record_ids,
                                        std::size_t threads, std::uint64_t seed,
                                        const LoopTiming& timing) {
  if (record_ids.empty()) {
    return ledger::MakeError(ledger::Code::kInvalidArgument, "bench: no records to read");
  }
  return RunClosedLoop(threads, timing, [&](std::size_t t) -> std::unique_ptr<Worker> {
    return std::make_unique<ViewReadWorker>(store, record_ids, seed + t);
  });
}

}  // namespace caseledger::app::bench
