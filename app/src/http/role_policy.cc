// The role table (docs/identity.md keeps the same table for people). Locked down by default
// (docs/design.md decision 8): a role gets the actions its work needs, nothing by default.
#include "app/http/role_policy.h"

#include <array>
#include <vector>

namespace caseledger::app::http {
namespace {

struct RoleRules {
  std::string_view role;
  std::vector<std::string_view> rules;
};

// What every signed-in user may do, whatever their roles. Changing one's own password is checked
// again by its handler (only one's own, or anyone's for a partnership administrator).
constexpr std::array<std::string_view, 4> kEveryone = {"session.read", "session.delete",
                                                       "user.change_password", "organisation.read"};

// Reading and working on case records, shared by case workers and supervisors.
#define CASELEDGER_CASEWORK                                                                  \
  "incident.*", "person.*", "address.*", "vehicle.*", "link.*", "case.*", "grant.*",        \
      "record.*", "search.*", "access_request.*", "team.read", "user.read",                  \
      "risk.read_instrument", "risk.read_work_queue"

const std::array<RoleRules, 7>& Table() {
  static const std::array<RoleRules, 7> table = {{
      {"case_worker", {CASELEDGER_CASEWORK}},
      {"supervisor", {CASELEDGER_CASEWORK, "report.*", "disposal.*", "audit.read_access_log"}},
      {"partnership_admin",
       {"organisation.*", "team.*", "user.*", "apikey.*", "partnership.*",
        "risk.publish_instrument", "risk.read_instrument"}},
      {"auditor",
       {"record.read_history", "audit.*", "access_log.*", "ledger.*", "checkpoint.*",
        "team.read", "user.read", "apikey.read"}},
      {"case_review_panel",
       {"case.read", "incident.read", "person.read", "address.read", "vehicle.read", "link.read",
        "record.read", "record.read_links", "case_review.*", "team.read", "user.read"}},
      {"external_partner",
       {"incident.record", "incident.read", "incident.note", "person.read", "person.note",
        "case.read", "case.note", "address.read", "vehicle.read", "link.read", "record.read",
        "record.read_links", "search.*", "access_request.*", "team.read"}},
      {"system_integration",
       {"incident.record", "incident.read", "incident.update", "incident.classify",
        "incident.note", "person.record", "person.read", "address.record", "address.read",
        "vehicle.record", "vehicle.read", "link.add", "link.read", "case.read", "record.read",
        "record.read_links", "record.read_history", "team.read"}},
  }};
  return table;
}
#undef CASELEDGER_CASEWORK

bool Matches(std::string_view rule, std::string_view action) {
  if (rule.ends_with(".*")) {
    std::string_view prefix = rule.substr(0, rule.size() - 1);  // "case."
    return action.size() > prefix.size() && action.starts_with(prefix);
  }
  return rule == action;
}

}  // namespace

std::span<const std::string_view> KnownRoles() {
  static const std::array<std::string_view, 7> roles = {
      "case_worker",       "supervisor",       "partnership_admin", "auditor",
      "case_review_panel", "external_partner", "system_integration"};
  return roles;
}

bool RoleAllows(std::string_view role, std::string_view action) {
  for (const RoleRules& entry : Table()) {
    if (entry.role != role) continue;
    for (std::string_view rule : entry.rules) {
      if (Matches(rule, action)) return true;
    }
    for (std::string_view rule : kEveryone) {
      if (Matches(rule, action)) return true;
    }
  }
  return false;
}

ledger::Result<void> RolePermits(const Principal& principal, const Policy& policy) {
  if (policy.allow_anonymous) return ledger::Ok();
  if (principal.anonymous) {
    return ledger::MakeError(ledger::Code::kUnauthenticated, "this route needs a signed-in user");
  }
  for (const std::string& role : principal.roles) {
    if (RoleAllows(role, policy.action.name())) return ledger::Ok();
  }
  return ledger::MakeError(ledger::Code::kPermissionDenied,
                           "no role of this user allows " + policy.action.name());
}

}  // namespace caseledger::app::http
