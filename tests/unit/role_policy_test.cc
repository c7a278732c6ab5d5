// The role table (docs/identity.md "Roles"): who may do what, prefix rules covering actions
// added later, unknown actions denied, public routes open.
#include <gtest/gtest.h>

#include "app/http/role_policy.h"
#include "support/result_assertions.h"

namespace caseledger::app::http {
namespace {

Principal With(std::vector<std::string> roles) {
  Principal p;
  p.user_id = "user-1";
  p.roles = std::move(roles);
  return p;
}

ledger::Result<void> May(std::vector<std::string> roles, const char* action) {
  return RolePermits(With(std::move(roles)), Policy{.action = action});
}

TEST(RolePolicyTest, ACaseWorkerWorksCasesButCannotManageIdentity) {
  EXPECT_OK(May({"case_worker"}, "incident.record"));
  EXPECT_OK(May({"case_worker"}, "case.close"));
  EXPECT_OK(May({"case_worker"}, "record.read_history"));
  auto denied = May({"case_worker"}, "user.create");
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ledger::Code::kPermissionDenied);
  EXPECT_FALSE(May({"case_worker"}, "organisation.create"));
  EXPECT_FALSE(May({"case_worker"}, "apikey.create"));
}

TEST(RolePolicyTest, APartnershipAdminManagesIdentityButReadsNoCases) {
  for (const char* action : {"organisation.create", "organisation.change_settings", "team.create",
                             "user.create", "user.deactivate", "user.change_roles",
                             "apikey.create", "apikey.revoke"}) {
    EXPECT_TRUE(May({"partnership_admin"}, action).has_value()) << action;
  }
  EXPECT_FALSE(May({"partnership_admin"}, "case.read"));
  EXPECT_FALSE(May({"partnership_admin"}, "incident.record"));
}

TEST(RolePolicyTest, AnAuditorReadsHistoryAndAuditButWritesNothing) {
  EXPECT_OK(May({"auditor"}, "record.read_history"));
  EXPECT_OK(May({"auditor"}, "audit.read"));
  for (const char* action : {"incident.record", "case.open", "case.read", "user.create",
                             "grant.create", "person.read"}) {
    EXPECT_FALSE(May({"auditor"}, action)) << action;
  }
}

TEST(RolePolicyTest, APanelMemberReadsCasesOnly) {
  EXPECT_OK(May({"case_review_panel"}, "case.read"));
  EXPECT_FALSE(May({"case_review_panel"}, "case.note"));
  EXPECT_FALSE(May({"case_review_panel"}, "incident.record"));
}

TEST(RolePolicyTest, AnExternalPartnerRecordsIncidentsAndNotesButManagesNoIdentity) {
  EXPECT_OK(May({"external_partner"}, "incident.record"));
  EXPECT_OK(May({"external_partner"}, "incident.note"));
  EXPECT_OK(May({"external_partner"}, "case.note"));
  EXPECT_FALSE(May({"external_partner"}, "user.create"));
  EXPECT_FALSE(May({"external_partner"}, "case.close"));
}

TEST(RolePolicyTest, ASystemIntegrationRecordsIncidentsAndPeopleAndReads) {
  EXPECT_OK(May({"system_integration"}, "incident.record"));
  EXPECT_OK(May({"system_integration"}, "person.record"));
  EXPECT_OK(May({"system_integration"}, "case.read"));
  EXPECT_FALSE(May({"system_integration"}, "case.close"));
  EXPECT_FALSE(May({"system_integration"}, "user.create"));
}

TEST(RolePolicyTest, PrefixRulesCoverActionsAddedLater) {
  EXPECT_OK(May({"case_worker"}, "case.task.reassign"));
  EXPECT_OK(May({"supervisor"}, "report.hotspots"));
  EXPECT_OK(May({"auditor"}, "audit.anything_new"));
  EXPECT_FALSE(May({"case_worker"}, "case"));  // "case.*" needs something after the dot
}

TEST(RolePolicyTest, UnknownActionsAndUnknownRolesAreDenied) {
  EXPECT_FALSE(May({"case_worker", "supervisor", "partnership_admin", "auditor",
                    "case_review_panel", "external_partner", "system_integration"},
                   "nobody.knows"));
  EXPECT_FALSE(May({"superuser"}, "session.read"));
  EXPECT_FALSE(May({}, "session.read"));
}

TEST(RolePolicyTest, EverySignedInRoleMayReadAndEndItsSession) {
  for (std::string_view role : KnownRoles()) {
    EXPECT_TRUE(May({std::string(role)}, "session.read").has_value()) << role;
    EXPECT_TRUE(May({std::string(role)}, "session.delete").has_value()) << role;
  }
  EXPECT_EQ(KnownRoles().size(), 7u);
}

TEST(RolePolicyTest, PublicRoutesPassAndAnonymousCallersAreUnauthenticatedElsewhere) {
  EXPECT_OK(RolePermits(Principal::Anonymous(), Policy::Public()));
  auto r = RolePermits(Principal::Anonymous(), Policy{.action = "case.read"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ledger::Code::kUnauthenticated);
}

}  // namespace
}  // namespace caseledger::app::http
