#include "app/http/router.h"

#include <gtest/gtest.h>

#include <type_traits>

#include "http/test_server.h"

namespace caseledger::app::http {
namespace {

using testing::MustAdd;
using testing::OkHandler;
using Outcome = RouteLookup::Outcome;

static_assert(!std::is_default_constructible_v<Policy>, "a route must name its policy");

Router IncidentAndCaseRoutes() {
  Router router;
  MustAdd(router, Method::kGet, "/api/v1/incidents/{id}", Policy{.action = "incident.read"},
          OkHandler());
  MustAdd(router, Method::kPatch, "/api/v1/incidents/{id}", Policy{.action = "incident.update"},
          OkHandler());
  MustAdd(router, Method::kGet, "/api/v1/incidents/search", Policy{.action = "incident.search"},
          OkHandler());
  MustAdd(router, Method::kPut, "/api/v1/cases/{id}/tasks/{task_id}",
          Policy{.action = "case.task.update"}, OkHandler());
  MustAdd(router, Method::kGet, "/healthz", Policy::Public(), OkHandler());
  return router;
}

TEST(RouterTest, BindsEveryPathParameterOfTheMatchedPattern) {
  Router router = IncidentAndCaseRoutes();

  RouteLookup lookup = router.Match(Method::kPut, "/api/v1/cases/case-1/tasks/task-9");

  ASSERT_EQ(lookup.outcome, Outcome::kMatched);
  EXPECT_EQ(lookup.match.route->pattern, "/api/v1/cases/{id}/tasks/{task_id}");
  EXPECT_EQ(lookup.match.route->policy.action.name(), "case.task.update");
  EXPECT_EQ(lookup.match.params.Get("id"), "case-1");
  EXPECT_EQ(lookup.match.params.Get("task_id"), "task-9");
  EXPECT_EQ(lookup.match.params.size(), 2u);
}

TEST(RouterTest, PercentEncodedParametersAreDecoded) {
  Router router = IncidentAndCaseRoutes();

  RouteLookup lookup = router.Match(Method::kGet, "/api/v1/incidents/a%2Fb%20c");

  ASSERT_EQ(lookup.outcome, Outcome::kMatched);
  EXPECT_EQ(lookup.match.params.Get("id"), "a/b c");
}

TEST(RouterTest, LiteralSegmentWinsOverParameter) {
  Router router = IncidentAndCaseRoutes();

  RouteLookup lookup = router.Match(Method::kGet, "/api/v1/incidents/search");

  ASSERT_EQ(lookup.outcome, Outcome::kMatched);
  EXPECT_EQ(lookup.match.route->policy.action.name(), "incident.search");
  EXPECT_EQ(lookup.match.params.size(), 0u);
}

TEST(RouterTest, ParameterMatchesWhenTheLiteralBranchHasNoRouteForTheMethod) {
  Router router = IncidentAndCaseRoutes();

  RouteLookup lookup = router.Match(Method::kPatch, "/api/v1/incidents/search");

  ASSERT_EQ(lookup.outcome, Outcome::kMatched);
  EXPECT_EQ(lookup.match.route->policy.action.name(), "incident.update");
  EXPECT_EQ(lookup.match.params.Get("id"), "search");
}

TEST(RouterTest, UnknownPathIsNotFound) {
  Router router = IncidentAndCaseRoutes();

  EXPECT_EQ(router.Match(Method::kGet, "/api/v1/unknown").outcome, Outcome::kNotFound);
  EXPECT_EQ(router.Match(Method::kGet, "/api/v1/incidents").outcome, Outcome::kNotFound);
  EXPECT_EQ(router.Match(Method::kGet, "/api/v1/incidents/").outcome, Outcome::kNotFound);
  EXPECT_EQ(router.Match(Method::kGet, "/api/v1/incidents/x/y").outcome, Outcome::kNotFound);
  EXPECT_EQ(router.Match(Method::kGet, "").outcome, Outcome::kNotFound);
  EXPECT_EQ(router.Match(Method::kGet, "/api/v1/incidents/%zz").outcome, Outcome::kNotFound);
}

TEST(RouterTest, UnknownMethodOnKnownPathReportsTheAllowedMethods) {
  Router router = IncidentAndCaseRoutes();

  RouteLookup lookup = router.Match(Method::kDelete, "/api/v1/incidents/incident-1");

  EXPECT_EQ(lookup.outcome, Outcome::kMethodNotAllowed);
  EXPECT_EQ(lookup.allow, "GET, PATCH");
  EXPECT_EQ(router.Match(Method::kOther, "/healthz").outcome, Outcome::kMethodNotAllowed);
}

TEST(RouterTest, AddRejectsMalformedPatterns) {
  Router router;

  for (std::string_view pattern :
       {"", "no-slash", "/a//b", "/a/{}", "/a/{1x}", "/a/{id}/{id}", "/a/b%20c", "/a/{id"}) {
    ledger::Result<void> added =
        router.Add(Method::kGet, pattern, Policy{.action = "x"}, testing::OkHandler());
    ASSERT_FALSE(added) << pattern;
    EXPECT_EQ(added.error().code, ledger::Code::kInvalidArgument) << pattern;
    EXPECT_EQ(added.error().field, "pattern") << pattern;
  }
}

TEST(RouterTest, AddRejectsTheSameMethodAndShapeTwice) {
  Router router;
  MustAdd(router, Method::kGet, "/a/{id}", Policy{.action = "a.read"}, OkHandler());

  ledger::Result<void> added =
      router.Add(Method::kGet, "/a/{other}", Policy{.action = "a.read"}, OkHandler());

  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, ledger::Code::kAlreadyExists);
}

TEST(RouterTest, AddRejectsAnEmptyHandlerAndTheOtherMethod) {
  Router router;

  EXPECT_FALSE(router.Add(Method::kGet, "/a", Policy{.action = "a"}, Handler()));
  EXPECT_FALSE(router.Add(Method::kOther, "/a", Policy{.action = "a"}, OkHandler()));
}

TEST(RouterTest, RoutesListsEveryRouteWithItsPolicyInRegistrationOrder) {
  Router router = IncidentAndCaseRoutes();

  const std::vector<RouteInfo>& routes = router.routes();

  ASSERT_EQ(routes.size(), 5u);
  EXPECT_EQ(routes[0].method, Method::kGet);
  EXPECT_EQ(routes[0].pattern, "/api/v1/incidents/{id}");
  EXPECT_EQ(routes[0].policy, Policy{.action = "incident.read"});
  EXPECT_EQ(routes[4].pattern, "/healthz");
  EXPECT_TRUE(routes[4].policy.allow_anonymous);
  for (std::size_t i = 0; i < routes.size(); ++i) EXPECT_EQ(routes[i].index, i);
}

TEST(RouterTest, RootPatternMatchesOnlyTheRoot) {
  Router router;
  MustAdd(router, Method::kGet, "/", Policy::Public(), OkHandler());

  EXPECT_EQ(router.Match(Method::kGet, "/").outcome, Outcome::kMatched);
  EXPECT_EQ(router.Match(Method::kGet, "/x").outcome, Outcome::kNotFound);
}

}  // namespace
}  // namespace caseledger::app::http
