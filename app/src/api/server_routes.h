// Every route `caseledger serve` mounts, registered in one place so the tests can list exactly
// what the server serves: GET /healthz, GET /metrics, GET /api/v1/openapi.json (all public), the
// identity routes (identity_routes.h) and the other /api/v1 routes (api.h).
//
// Example:
//   http::Router router;
//   BOOST_OUTCOME_TRY(api::RegisterServerRoutes(router, node, identity, metrics, options));
//   for (const http::RouteInfo& route : router.routes()) { ... }
#pragma once

#include "api.h"
#include "app/identity.h"
#include "app/http/metrics.h"
#include "app/http/router.h"
#include "app/node.h"

namespace caseledger::app::api {

// `node`, `identity` and `metrics` must outlive the router's handlers.
// Errors: as http::Router::Add (a route registered twice).
ledger::Result<void> RegisterServerRoutes(http::Router& router, Node& node, Identity& identity,
                                          const http::MetricsRegistry& metrics,
                                          ApiOptions options = {});

}  // namespace caseledger::app::api
