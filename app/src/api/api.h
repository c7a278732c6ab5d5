// The /api/v1 routes: record and read the core records end to end. Every route carries a Policy
// and passes the server's one authorisation path; writes answer after their events are durable
// with the record id, its version and the log position; reads may name a position they must see
// (`?min_position=P:O`) and wait, bounded, until the projections reach it.
//
// docs/api.md describes every route, body and error.
#pragma once

#include <chrono>

#include "app/http/router.h"
#include "app/node.h"

namespace caseledger::app::api {

struct IntakeOptions {
  int repeat_window_days = 90;   // the rolling window of the repeat flags
  int repeat_threshold = 3;      // incidents in the window that make a repeat
};

struct ApiOptions {
  // The longest a read waits for `min_position` before answering 503 (retry).
  std::chrono::milliseconds max_read_wait{5000};
  // Repeat flags at intake (intake.h).
  IntakeOptions intake{};
};

// Registers every /api/v1 route on `router`. `node` must outlive the router's handlers.
ledger::Result<void> RegisterApiV1(http::Router& router, Node& node, ApiOptions options = {});

}  // namespace caseledger::app::api
