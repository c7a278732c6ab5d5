// Which roles may perform which actions: the role table of docs/identity.md, as a pure function
// the Authorizer calls (and that record-level checks can call before their own).
//
// Actions are the Policy actions of the routes ("incident.record", "case.read",
// "organisation.create"). A rule is an action name or a prefix rule "case.*", which covers
// every action under "case." (including ones added later). An action no rule names is denied.
//
// Example:
//   if (auto ok = RolePermits(principal, route.policy); !ok) return ok.error();  // 403
//
// Thread safety: pure functions over a constant table.
#pragma once

#include <span>
#include <string_view>

#include "app/http/policy.h"
#include "app/http/principal.h"
#include "ledger/result.h"

namespace caseledger::app::http {

// Every role name the table knows, in the order of docs/identity.md.
std::span<const std::string_view> KnownRoles();

// True when `role` may perform `action`.
bool RoleAllows(std::string_view role, std::string_view action);

// Ok when the route is public (policy.allow_anonymous) or one of the principal's roles allows
// policy.action. Errors: kUnauthenticated (anonymous principal on a non-public route),
// kPermissionDenied (no role allows it).
ledger::Result<void> RolePermits(const Principal& principal, const Policy& policy);

}  // namespace caseledger::app::http
