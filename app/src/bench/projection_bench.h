// The read side's figures: a full rebuild of every projection from the log
// (consumers::ProjectionRunner::Rebuild), and case-view reads in process
// (projections::ProjectionStore::GetView) from a few threads, closed loop.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "consumers/projection_runner.h"
#include "measure.h"
#include "projections/projection_store.h"

namespace caseledger::app::bench {

struct RebuildRun {
  std::uint64_t events = 0;
  double seconds = 0;
  std::uint32_t generation = 0;
  double events_per_second() const { return seconds > 0 ? events / seconds : 0; }
};

ledger::Result<RebuildRun> RunRebuild(consumers::ProjectionRunner& runner);

// GetView of random ids from `record_ids` (seeded), from `threads` threads. A missing view is
// an error: every id must have been projected.
ledger::Result<LoopResult> RunViewReads(const projections::ProjectionStore& store,
                                        const std::vector<std::string>& record_ids,
                                        std::size_t threads, std::uint64_t seed,
                                        const LoopTiming& timing);

}  // namespace caseledger::app::bench
