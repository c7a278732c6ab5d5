// The authorisation matrix (docs/access.md), derived from the router the server registers:
// every route carries an action some role may take, and for every route whose {id} names a
// record, every role against a record it owns, one shared with it, one not shared, one whose
// grant expired and one of another organisation, the one authorisation path answers as the rules
// say. A new route is in the matrix as soon as it is registered.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "api/api.h"
#include "api/identity_routes.h"
#include "app/access.h"
#include "app/http/role_policy.h"
#include "app/identity.h"
#include "app/node.h"
#include "ledger/ids.h"
#include "support/result_assertions.h"
#include "support/temp_dir.h"

namespace caseledger::app {
namespace {

using ledger::CommandMeta;
using ledger::CommandResult;

// Signs nobody in: the test sets the principal; Authorize applies the role table, as
// IdentityAuthorizer does.
class RolesOnly final : public http::Authorizer {
 public:
  ledger::Result<http::Principal> Authenticate(const http::Request&) override {
    return ledger::MakeError(ledger::Code::kUnauthenticated, "test");
  }
  ledger::Result<void> Authorize(const http::Principal& p, const http::Policy& policy,
                                 const http::RouteMatch&, const http::Request&) override {
    return http::RolePermits(p, policy);
  }
};

enum class Relation { kOwn, kShared, kNotShared, kExpiredGrant, kOtherOrganisation };

struct Seat {
  Relation relation;
  const char* name;
  const char* organisation;
  const char* team;
};

constexpr Seat kSeats[] = {
    {Relation::kOwn, "own", "org-council", "team-asb"},
    {Relation::kShared, "shared", "org-police", "team-npt"},
    {Relation::kNotShared, "not shared (same organisation)", "org-council", "team-parks"},
    {Relation::kExpiredGrant, "expired grant", "org-police", "team-cid"},
    {Relation::kOtherOrganisation, "other organisation", "org-housing", "team-tenancy"},
};

class AuthorizationMatrixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    NodeConfig config;
    config.data_dir = dir_.Path("data");
    auto node = Node::Open(config);
    ASSERT_OK(node);
    node_ = std::move(node).value();
    ASSERT_OK(node_->StartRunner());
    auto identity = Identity::Open(*node_);
    ASSERT_OK(identity);
    identity_ = std::move(identity).value();
    ASSERT_OK(api::RegisterIdentityRoutes(router_, *node_, *identity_, {}));
    ASSERT_OK(api::RegisterApiV1(router_, *node_, {}));
  }

  template <class Command>
  CommandResult Run(Command command, const char* team = "team-asb",
                    const char* organisation = "org-council") {
    CommandMeta meta;
    meta.actor = {"user-holder", organisation, team};
    std::promise<ledger::Result<CommandResult>> done;
    node_->commands().Execute(meta, std::move(command),
                              [&done](ledger::Result<CommandResult> r) { done.set_value(r); });
    auto result = done.get_future().get();
    EXPECT_TRUE(result) << testing::Describe(result);
    return result ? result.value() : CommandResult{};
  }

  void WaitApplied(const ledger::Position& position) {
    std::promise<bool> reached;
    node_->runner().WhenApplied(position, std::chrono::steady_clock::now() + std::chrono::seconds(10),
                                [&reached](bool ok) { reached.set_value(ok); });
    ASSERT_TRUE(reached.get_future().get());
  }

  testing::TempDir dir_;
  std::unique_ptr<Node> node_;
  std::unique_ptr<Identity> identity_;
  http::Router router_;
};

TEST_F(AuthorizationMatrixTest, EveryRouteHasAnActionSomeRoleMayTake) {
  ASSERT_FALSE(router_.routes().empty());
  for (const auto& route : router_.routes()) {
    if (route.policy.allow_anonymous) continue;
    bool someone = false;
    for (std::string_view role : http::KnownRoles()) {
      someone = someone || http::RoleAllows(role, route.policy.action.name());
    }
    EXPECT_TRUE(someone) << http::MethodName(route.method) << " " << route.pattern
                         << ": no role may take action " << route.policy.action.name()
                         << " (add it to app/src/http/role_policy.cc)";
  }
}

TEST_F(AuthorizationMatrixTest, EveryRoleAgainstEveryRecordRoute) {
  ledger::ReportIncident incident;
  incident.occurred_at = node_->clock().NowMicros() - 3'600'000'000LL;
  incident.channel = schema::Channel::Phone;
  incident.category = schema::Category::Nuisance;
  incident.location.text = "1 Test Street";
  incident.description = "noise";
  std::string incident_id = Run(incident).record_id;
  ledger::RecordPerson person;
  person.details.names = {{"Test", "Person"}};
  std::string person_id = Run(person).record_id;
  ledger::RecordAddress address;
  address.text = "1 Test Street";
  std::string address_id = Run(address).record_id;
  ledger::RecordVehicle vehicle;
  vehicle.registration = "AB12 CDE";
  std::string vehicle_id = Run(vehicle).record_id;
  ledger::OpenCase open;
  open.case_type = schema::CaseType::AsbCase;
  open.title = "Test Street";
  std::string case_id = Run(open).record_id;
  ledger::AddLink link;
  link.from_id = person_id;
  link.to_id = incident_id;
  link.role = schema::LinkRole::Victim;
  std::string link_id = Run(link).record_id;
  // Shared with the police's neighbourhood team; a grant to CID that expires in a second.
  ledger::Position last;
  for (const std::string& id : {incident_id, person_id, address_id, vehicle_id, case_id, link_id}) {
    ledger::GrantAccess share;
    share.record_id = id;
    share.grantee_kind = schema::GranteeKind::Team;
    share.grantee_id = "team-npt";
    share.reason = "joint working";
    Run(share);
    ledger::GrantAccess brief = share;
    brief.grantee_id = "team-cid";
    brief.expires_at = node_->clock().NowMicros() + 1'000'000;
    last = Run(brief).position;
  }
  WaitApplied(last);
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // the CID grants expire

  auto id_for = [&](const std::string& pattern) -> std::string {
    if (pattern.starts_with("/api/v1/incidents/")) return incident_id;
    if (pattern.starts_with("/api/v1/people/")) return person_id;
    if (pattern.starts_with("/api/v1/addresses/")) return address_id;
    if (pattern.starts_with("/api/v1/vehicles/")) return vehicle_id;
    if (pattern.starts_with("/api/v1/cases/")) return case_id;
    if (pattern.starts_with("/api/v1/links/")) return link_id;
    if (pattern.starts_with("/api/v1/records/")) return incident_id;
    return {};  // identity records (a directory), grants and requests: rules of their own
  };

  RolesOnly roles_only;
  AccessAuthorizer authorizer(roles_only, node_->access());
  int checked = 0;
  for (const auto& route : router_.routes()) {
    if (route.pattern.find("{id}") == std::string::npos) continue;
    std::string id = id_for(route.pattern);
    if (id.empty()) continue;
    http::RouteMatch match;
    match.route = &route;
    match.params.Add("id", id);
    http::Request request;
    for (std::string_view role : http::KnownRoles()) {
      for (const Seat& seat : kSeats) {
        http::Principal p;
        p.user_id = "user-caller";
        p.organisation_id = seat.organisation;
        p.team_id = seat.team;
        p.roles = {std::string(role)};
        auto answer = authorizer.Authorize(p, route.policy, match, request);
        std::string where = std::string(http::MethodName(route.method)) + " " + route.pattern +
                            " as " + std::string(role) + " (" + seat.name + ")";
        ++checked;
        if (!http::RoleAllows(role, route.policy.action.name())) {
          ASSERT_FALSE(answer) << where;
          EXPECT_EQ(answer.error().code, ledger::Code::kPermissionDenied) << where;
          continue;
        }
        bool sees = seat.relation == Relation::kOwn || seat.relation == Relation::kShared ||
                    role == "auditor" ||
                    (role == "supervisor" && std::string_view(seat.organisation) == "org-council");
        if (sees) {
          EXPECT_TRUE(answer) << where << ": " << testing::Describe(answer);
        } else {
          ASSERT_FALSE(answer) << where;
          EXPECT_EQ(answer.error().code, ledger::Code::kNotFound) << where;
          EXPECT_EQ(answer.error().message, "no such record") << where;
        }
      }
    }
  }
  EXPECT_GT(checked, 7 * 5 * 20) << "the matrix should cover every record route";

  // A record that does not exist answers exactly as one the caller may not see.
  http::Principal stranger{"user-x", "org-housing", "team-tenancy", {"case_worker"}};
  const http::RouteInfo* read = nullptr;
  for (const auto& route : router_.routes()) {
    if (route.pattern == "/api/v1/incidents/{id}" && route.method == http::Method::kGet) read = &route;
  }
  ASSERT_NE(read, nullptr);
  http::RouteMatch hidden{read, {}};
  hidden.params.Add("id", incident_id);
  http::RouteMatch missing{read, {}};
  missing.params.Add("id", "incident-01900000-0000-7000-8000-000000000000");
  auto a = authorizer.Authorize(stranger, read->policy, hidden, http::Request{});
  auto b = authorizer.Authorize(stranger, read->policy, missing, http::Request{});
  ASSERT_FALSE(a);
  ASSERT_FALSE(b);
  EXPECT_EQ(a.error().ToString(), b.error().ToString());
}

// Collects the one response of a handler, from whichever thread answers.
class AwaitedResponse final : public http::ResponseSink {
 public:
  void Deliver(http::Response response) noexcept override { answer_.set_value(std::move(response)); }
  http::Response Get() { return answer_.get_future().get(); }

 private:
  std::promise<http::Response> answer_;
};

// A read that names the position of a write it follows must see that write: every GET route,
// asked for a position the projections have not reached, answers 503 with Retry-After rather
// than an answer from before the write. (A route that ignored ?min_position answered a pending
// access request list as empty on a loaded machine.)
TEST(ReadFreshnessTest, EveryReadRouteWaitsForMinPosition) {
  testing::TempDir dir;
  NodeConfig config;
  config.data_dir = dir.Path("data");
  auto node = Node::Open(config);
  ASSERT_OK(node);
  ASSERT_OK(node.value()->StartRunner());
  auto identity = Identity::Open(*node.value());
  ASSERT_OK(identity);
  api::ApiOptions options;
  options.max_read_wait = std::chrono::milliseconds(20);
  http::Router router;
  ASSERT_OK(api::RegisterIdentityRoutes(router, *node.value(), *identity.value(), options));
  ASSERT_OK(api::RegisterApiV1(router, *node.value(), options));

  int reads = 0;
  for (const auto& route : router.routes()) {
    if (route.method != http::Method::kGet) continue;
    ++reads;
    http::RequestContext ctx;
    ctx.request.method = route.method;
    ctx.request.path = route.pattern;
    ctx.request.query.push_back({"min_position", "0:999999999"});
    ctx.principal.user_id = "user-auditor";
    ctx.principal.organisation_id = "org-council";
    ctx.principal.team_id = "team-asb";
    ctx.principal.roles = {"auditor"};
    for (std::string_view name : {"id", "document_id", "instrument_id", "task_id", "item_id"}) {
      ctx.path_params.Add(name, "incident-01900000-0000-7000-8000-000000000000");
    }
    ctx.route = &route;
    auto sink = std::make_shared<AwaitedResponse>();
    router.handler(route)(std::move(ctx), http::Responder(sink));
    http::Response answer = sink->Get();
    EXPECT_EQ(answer.status, 503) << "GET " << route.pattern << ": " << answer.body;
    bool retry_after = false;
    for (const auto& [name, value] : answer.headers) retry_after = retry_after || name == "Retry-After";
    EXPECT_TRUE(retry_after) << "GET " << route.pattern;
  }
  EXPECT_GT(reads, 20) << "the read routes were registered";
}

}  // namespace
}  // namespace caseledger::app
