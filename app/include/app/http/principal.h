// Who is calling: the identity an Authorizer established for one request.
//
// Thread safety: a plain value.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace caseledger::app::http {

struct Principal {
  std::string user_id{};          // "user-<uuid>" (docs/identity.md); an API key acts as its user
  std::string organisation_id{};  // "organisation-<uuid>"
  std::string team_id{};          // "team-<uuid>"
  // Any of "case_worker", "supervisor", "partnership_admin", "auditor", "case_review_panel",
  // "external_partner", "system_integration" (app/http/role_policy.h says what each may do).
  std::vector<std::string> roles{};
  bool anonymous = false;  // true: no identity; only Policy::Public() routes admit it
  // The organisation's setting: its users must give X-Purpose on reads and writes.
  bool justification_required = false;

  static Principal Anonymous() {
    Principal p;
    p.anonymous = true;
    return p;
  }

  bool HasRole(std::string_view role) const {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
  }
};

}  // namespace caseledger::app::http
