// Read routes of documents, risk instruments and the risk review work queue (docs/api.md).
#pragma once

#include "api.h"
#include "app/http/handler.h"

namespace caseledger::app::api {

// GET /api/v1/cases/{id}/documents/{document_id}: the document's bytes, verified against the
// hash recorded when it was attached (a mismatch is 500 corruption, never the bytes).
http::Handler DocumentRoute(Node& node);

// POST /api/v1/{cases,incidents}/{id}/risk-assessments: records the assessment, then answers the
// command's result with "assessment": the score, level, next review and referral the ledger
// computed, read from the projection once it applied the write (bounded by max_read_wait; the
// member is left out if the projection is late, the assessment is recorded either way).
http::Handler AssessRiskRoute(Node& node, const ApiOptions& options);

// GET /api/v1/risk-instruments/{instrument_id}[?version=N]: one version of an instrument
// (default: the latest), built in or published.
http::Handler InstrumentRoute(Node& node);

// GET /api/v1/work-queue/risk-reviews[?as_of=TIME]: risk reviews due by as_of (default: now),
// most overdue first.
http::Handler RiskReviewQueueRoute(Node& node, const ApiOptions& options);

}  // namespace caseledger::app::api
