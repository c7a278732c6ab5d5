// Private: the one path every parsed request takes between the parser and its handler:
// route (404/405) → rate limit (429) → Authenticate → Authorize → handler.
#pragma once

#include "app/http/handler.h"
#include "http/request_builder.h"
#include "http/server_core.h"

namespace caseledger::app::http::internal {

// Answers through `respond` exactly once: inline for every refusal, from the handler otherwise.
// A throwing authorizer or handler answers 500. Returns the matched route (null if none), for
// metrics. Runs on an io thread.
const RouteInfo* Dispatch(ServerCore& core, BuiltRequest built, Responder respond);

}  // namespace caseledger::app::http::internal
