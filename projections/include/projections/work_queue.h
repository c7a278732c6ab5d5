// Work queues across records: lists a team works through, built from the projections' indexes.
//
// The risk review queue lists the subjects whose risk review is due: the level of their latest
// assessment on a case or incident sets the review cadence (docs/risk.md), and a review is done
// by assessing them again. Records that are closed cases are left out.
//
// Example:
//   BOOST_OUTCOME_TRY(auto due, OverdueRiskReviews(store, clock.NowMicros()));
//
// Thread safety: as ProjectionStore's queries.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ledger/clock.h"
#include "projections/projection_store.h"

namespace caseledger::projections {

struct RiskReviewEntry {
  std::string record_id;        // the case or incident the assessment is on
  std::string subject_id;       // the person assessed
  std::string assessment_id;    // their latest assessment there
  std::string level;            // standard, medium, high
  ledger::Micros due_at = 0;
  std::int64_t days_overdue = 0;  // whole days from due_at to as_of
};

// Reviews due at or before `as_of`, most overdue first (then by record and subject id).
// Errors: those of the projection store; kCorruption for a malformed index entry.
Result<std::vector<RiskReviewEntry>> OverdueRiskReviews(const ProjectionStore& store,
                                                        ledger::Micros as_of);

}  // namespace caseledger::projections
