// The one authorisation path: every routed request passes Authenticate and Authorize.
#include "app/http/authorizer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "app/http/builtin_handlers.h"
#include "app/http/server.h"
#include "support/http_client.h"
#include "http/test_server.h"

namespace caseledger::app::http {
namespace {

using testing::ClientResponse;
using testing::Fetch;
using testing::MustAdd;

Router ApiRouter(MetricsRegistry* metrics = nullptr) {
  Router router;
  MustAdd(router, Method::kGet, "/healthz", Policy::Public(), HealthHandler());
  MustAdd(router, Method::kGet, "/api/v1/incidents/{id}", Policy{.action = "incident.read"},
          testing::OkHandler());
  MustAdd(router, Method::kPost, "/api/v1/incidents", Policy{.action = "incident.record"},
          testing::OkHandler());
  MustAdd(router, Method::kPut, "/api/v1/cases/{id}/tasks/{task_id}",
          Policy{.action = "case.task.update"}, testing::OkHandler());
  MustAdd(router, Method::kDelete, "/api/v1/links/{id}", Policy{.action = "link.remove"},
          testing::OkHandler());
  if (metrics != nullptr) {
    MustAdd(router, Method::kGet, "/metrics", Policy::Public(), MetricsHandler(*metrics));
  }
  return router;
}

// "/a/{id}/b/{x}" → "/a/p1/b/p2": a concrete path for any pattern.
std::string ConcretePath(const std::string& pattern) {
  std::string path;
  int n = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      path += "p" + std::to_string(++n);
      i = pattern.find('}', i);
    } else {
      path += pattern[i];
    }
  }
  return path;
}

TEST(AuthorizerTest, AuthorizerIsCalledForEveryRouteIncludingPublicOnes) {
  MetricsRegistry extra;
  Router router = ApiRouter(&extra);
  std::vector<RouteInfo> routes = router.routes();  // the endpoint list, from the router itself
  testing::ServerHarness harness(std::move(router));

  for (const RouteInfo& route : routes) {
    ClientResponse response = Fetch(
        harness.port(),
        {.method = std::string(MethodName(route.method)), .target = ConcretePath(route.pattern)});
    EXPECT_EQ(response.status, 200) << route.pattern;
  }

  EXPECT_EQ(harness.counting_authorizer.authenticate_calls.load(), static_cast<int>(routes.size()));
  EXPECT_EQ(harness.counting_authorizer.authorize_calls.load(), static_cast<int>(routes.size()));
  std::vector<std::string> authorized = harness.counting_authorizer.AuthorizedPatterns();
  ASSERT_EQ(authorized.size(), routes.size());
  for (std::size_t i = 0; i < routes.size(); ++i) EXPECT_EQ(authorized[i], routes[i].pattern);
}

TEST(AuthorizerTest, UnroutedRequestsNeverReachTheAuthorizer) {
  testing::ServerHarness harness(ApiRouter());

  Fetch(harness.port(), {.target = "/nothing"});
  Fetch(harness.port(), {.method = "PATCH", .target = "/healthz"});

  EXPECT_EQ(harness.counting_authorizer.authenticate_calls.load(), 0);
}

TEST(AuthorizerTest, FailedAuthenticationReturns401WithBearerChallenge) {
  testing::ServerHarness harness(ApiRouter());

  ClientResponse response = Fetch(
      harness.port(), {.target = "/api/v1/incidents/i-1", .headers = {{"X-Test-Anonymous", "1"}}});

  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.Header("WWW-Authenticate"), "Bearer");
  EXPECT_EQ(response.Json().at("error").at("code"), "unauthenticated");
  EXPECT_EQ(harness.counting_authorizer.authorize_calls.load(), 0);
}

TEST(AuthorizerTest, PublicRouteGetsAnAnonymousPrincipalAndStillPassesAuthorize) {
  testing::ServerHarness harness(ApiRouter());

  ClientResponse response =
      Fetch(harness.port(), {.target = "/healthz", .headers = {{"X-Test-Anonymous", "1"}}});

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(harness.counting_authorizer.authorize_calls.load(), 1);
  EXPECT_TRUE(harness.counting_authorizer.last_principal_anonymous());
}

TEST(AuthorizerTest, RefusedActionReturns403AndSkipsTheHandler) {
  bool handler_ran = false;
  Router router;
  MustAdd(router, Method::kDelete, "/api/v1/links/{id}", Policy{.action = "link.remove"},
          [&handler_ran](RequestContext, Responder respond) {
            handler_ran = true;
            respond(TextResponse(200, ""));
          });
  testing::ServerHarness harness(std::move(router));
  harness.counting_authorizer.deny_action = "link.remove";

  ClientResponse response =
      Fetch(harness.port(), {.method = "DELETE", .target = "/api/v1/links/l-1"});

  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(response.Json().at("error").at("code"), "permission_denied");
  EXPECT_FALSE(handler_ran);
}

TEST(AuthorizerTest, HandlerReceivesTheAuthenticatedPrincipal) {
  Router router;
  MustAdd(router, Method::kGet, "/whoami", Policy{.action = "self.read"},
          [](RequestContext ctx, Responder respond) {
            respond(JsonResponse(200, {{"user", ctx.principal.user_id},
                                       {"org", ctx.principal.organisation_id},
                                       {"team", ctx.principal.team_id},
                                       {"admin", ctx.principal.HasRole("partnership_admin")}}));
          });
  DevAuthorizer dev;
  testing::ServerHarness harness(std::move(router), testing::QuickOptions(), &dev);

  ClientResponse as_default = Fetch(harness.port(), {.target = "/whoami"});
  ClientResponse as_alice =
      Fetch(harness.port(), {.target = "/whoami", .headers = {{"X-Caseledger-User", "alice"}}});

  EXPECT_EQ(as_default.Json(),
            (boost::json::value{
                {"user", "dev-user"}, {"org", "dev-org"}, {"team", "dev-team"}, {"admin", true}}));
  EXPECT_EQ(as_alice.Json().at("user"), "alice");
}

TEST(DevAuthorizerTest, RejectsAnUnprintableUserHeader) {
  DevAuthorizer dev;
  Request request;
  request.headers.push_back({"x-caseledger-user", "bad user"});

  ledger::Result<Principal> principal = dev.Authenticate(request);

  ASSERT_FALSE(principal);
  EXPECT_EQ(principal.error().code, ledger::Code::kUnauthenticated);
}

TEST(DevAuthorizerTest, AuthorisesEverything) {
  DevAuthorizer dev;
  Router router;
  MustAdd(router, Method::kGet, "/x", Policy{.action = "anything"}, testing::OkHandler());
  RouteLookup lookup = router.Match(Method::kGet, "/x");

  EXPECT_TRUE(
      dev.Authorize(Principal::Anonymous(), lookup.match.route->policy, lookup.match, Request{}));
}

// Defers every request with ?wait: "late" is judged 200 ms later from another thread, "refuse"
// is answered 503 without being judged.
class DeferringAuthorizer final : public Authorizer {
 public:
  ledger::Result<Principal> Authenticate(const Request& request) override {
    return dev_.Authenticate(request);
  }
  ledger::Result<void> Authorize(const Principal&, const Policy&, const RouteMatch&,
                                 const Request& request) override {
    ++judged;
    if (request.QueryParam("wait") && !released) {
      return ledger::MakeError(ledger::Code::kNotFound, "judged before the wait ended");
    }
    return ledger::Ok();
  }
  bool ReadyToJudge(const Request& request) override { return !request.QueryParam("wait"); }
  void AwaitJudgement(const Request& request,
                      std::function<void(std::optional<Response>)> then) override {
    if (*request.QueryParam("wait") == "refuse") {
      return then(ErrorResponse(ledger::MakeError(ledger::Code::kUnavailable, "not yet")));
    }
    std::thread([this, then = std::move(then)] {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      released = true;
      then(std::nullopt);
    }).detach();
  }
  std::atomic<int> judged{0};
  std::atomic<bool> released{false};

 private:
  DevAuthorizer dev_;
};

TEST(AuthorizerTest, ARequestThatMustWaitIsJudgedOnlyWhenTheWaitEndsWithoutHoldingTheServer) {
  DeferringAuthorizer authorizer;
  testing::ServerHarness harness(ApiRouter(), testing::QuickOptions(), &authorizer);
  ClientResponse late;
  std::thread waiting([&] {
    late = Fetch(harness.port(), {.method = "GET", .target = "/api/v1/incidents/i1?wait=late"});
  });
  // Meanwhile the server answers another request.
  ClientResponse other = Fetch(harness.port(), {.method = "GET", .target = "/api/v1/incidents/i2"});
  EXPECT_EQ(other.status, 200);
  waiting.join();
  EXPECT_EQ(late.status, 200) << late.body;
  EXPECT_TRUE(authorizer.released);

  ClientResponse refused =
      Fetch(harness.port(), {.method = "GET", .target = "/api/v1/incidents/i3?wait=refuse"});
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(authorizer.judged, 2) << "the refused request is never judged";
}

}  // namespace
}  // namespace caseledger::app::http
