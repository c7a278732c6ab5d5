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
  std::string user_id{};
  std::string organisation_id{};
  std::string team_id{};
  std::vector<std::string> roles{};  // e.g. "case_worker", "supervisor", "partnership_admin"
  bool anonymous = false;            // true: no identity; only Policy::Public() routes admit it
  bool justification_required = false;  // the organisation requires X-Purpose on every request

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
