// The identity routes of /api/v1 (docs/api.md "Identity"): sessions, organisations, teams,
// users and API keys.
#pragma once

#include "api.h"
#include "app/identity.h"

namespace caseledger::app::api {

// Registers the identity routes. `node` and `identity` must outlive the router's handlers.
ledger::Result<void> RegisterIdentityRoutes(http::Router& router, Node& node, Identity& identity,
                                            const ApiOptions& options);

}  // namespace caseledger::app::api
