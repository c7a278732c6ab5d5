// Applies events to the read models of a generation. For each batch of events from one partition
// it reads every view the batch touches once, applies the events in log order, and writes the
// changed views, index entries and the partition's new offset in one WriteBatch, so a crash
// leaves the generation exactly at some batch boundary.
//
// Views are JSON objects (projections/views.md describes each shape). Projection is deterministic:
// the same events give the same bytes however they are split into batches, which is what lets a
// rebuild be compared byte for byte with the incrementally built state.
//
// Thread safety: none; one runner drives a Projector.
#pragma once

#include <cstdint>
#include <span>

#include "ledger/event.h"
#include "ledger/personal_data.h"
#include "projections/projection_store.h"

namespace caseledger::projections {

class Projector {
 public:
  Projector(ProjectionStore& projections, ledger::PersonalData& personal_data)
      : projections_(projections), personal_data_(personal_data) {}

  // How a batch is written. The log is the truth, so neither is needed for correctness:
  // `skip_wal` is for a rebuild, whose generation is flushed before it is activated.
  struct WriteMode {
    bool sync = false;
    bool skip_wal = false;
  };

  // `events` must come after the generation's applied offset of `partition`, in order.
  // Errors: kCorruption (an event fails verification or cannot be unsealed), kIOError.
  Result<void> Apply(const Generation& generation, std::uint32_t partition,
                     std::span<const ledger::RecordedEvent> events, WriteMode mode);

 private:
  ProjectionStore& projections_;
  ledger::PersonalData& personal_data_;
};

}  // namespace caseledger::projections
