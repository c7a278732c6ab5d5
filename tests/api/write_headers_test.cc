// The headers every command route takes and the limits every request meets, on the server's real
// routes: Idempotency-Key (checked and replayed on every write route that runs a command),
// If-Match, the body size limit (413), the JSON depth limit (400) and the rate limit (429 with
// Retry-After).
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>
#include <string>

#include "app/http/authorizer.h"
#include "app/http/server.h"
#include "served_api.h"
#include "support/http_client.h"

namespace caseledger::app::api::testing {
namespace {

namespace json = boost::json;
using http::testing::ClientResponse;
using http::testing::Fetch;

const Headers kJson = {{"Content-Type", "application/json"}};

std::string NameOf(const http::RouteInfo& route) { return RouteName(route.method, route.pattern); }

std::string ExampleBody(const http::RouteInfo& route) {
  const json::object* op = FindOperation(route.pattern, http::MethodName(route.method));
  if (op == nullptr) return "{}";
  const json::value* example = BodyExample(*op);
  return example == nullptr ? "{}" : json::serialize(*example);
}

// The write routes that run no command, so take none of its headers: signing in and out, and
// logging a disclosure (it goes to the access log, not to a record's stream).
const std::set<std::string> kNotCommands = {
    "POST /api/v1/sessions",
    "DELETE /api/v1/sessions/current",
    "POST /api/v1/records/{id}/disclosures",
};

Headers With(Headers headers, std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return headers;
}

class WriteHeadersTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(api_.ok()) << api_.error(); }

  std::vector<const http::RouteInfo*> CommandRoutes() {
    std::vector<const http::RouteInfo*> out;
    for (const http::RouteInfo& route : api_.router().routes()) {
      if (IsWriteMethod(route.method) && !kNotCommands.contains(NameOf(route))) {
        out.push_back(&route);
      }
    }
    return out;
  }

  ServedApi api_;
};

TEST_F(WriteHeadersTest, TheDocumentGivesTheCommandHeadersToEveryCommandRouteAndOnlyThem) {
  for (const http::RouteInfo& route : api_.router().routes()) {
    if (!IsWriteMethod(route.method)) continue;
    const json::object* op = FindOperation(route.pattern, http::MethodName(route.method));
    ASSERT_NE(op, nullptr) << NameOf(route);

    bool command = !kNotCommands.contains(NameOf(route));
    EXPECT_EQ(TakesParameter(*op, "IdempotencyKey"), command) << NameOf(route);
    EXPECT_EQ(TakesParameter(*op, "IfMatch"), command) << NameOf(route);
  }
}

TEST_F(WriteHeadersTest, EveryCommandRouteRefusesMalformedCommandHeadersNamingThem) {
  const std::pair<std::string, std::string> malformed[] = {
      {"Idempotency-Key", "has a space"},
      {"Idempotency-Key", std::string(201, 'k')},
      {"If-Match", "\"soon\""},
      {"If-Match", "\"0\""},
      {"X-Purpose", std::string(501, 'p')},
  };
  for (const http::RouteInfo* route : CommandRoutes()) {
    for (const auto& [header, value] : malformed) {
      CallResult answer =
          api_.Call(http::MethodName(route->method), FillPath(route->pattern, "record-1"),
                    ExampleBody(*route), With(kJson, header, value));

      EXPECT_EQ(answer.status, 400) << NameOf(*route) << " " << header << ": " << answer.body;
      EXPECT_EQ(answer.ErrorField(), header) << NameOf(*route);
    }
  }
}

// `text` with its first `from` replaced by `to`.
std::string ReplaceFirst(std::string text, std::string_view from, std::string_view to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

// Records one record of each kind through the API and answers, for every command route, a path
// and a body (the documented example) that point at them, so the command can succeed.
class Scenario {
 public:
  explicit Scenario(ServedApi& api) : api_(api) {}

  void Build() {
    // A case closes with the sign-off of a supervisor of the caller's organisation, so the
    // scenario acts in an organisation of its own that has one, from its first record on.
    Create("organisation", "/api/v1/organisations");
    Create("team", "/api/v1/teams");
    std::string supervisor = ReplaceFirst(Body(POST("/api/v1/users")), "rcc.caseworker", "boss");
    Create("supervisor", "/api/v1/users",
           ReplaceFirst(supervisor, "\"case_worker\"", "\"supervisor\""));
    http::Principal admin;
    admin.user_id = "dev-user";
    admin.organisation_id = ids_["organisation"];
    admin.team_id = ids_["team"];
    admin.roles = {"partnership_admin"};
    api_.ActAs(admin);
    Create("address", "/api/v1/addresses");  // before the incident whose location names it
    Create("incident", "/api/v1/incidents");
    Create("person", "/api/v1/people");
    Create("case", "/api/v1/cases");
    // Meetings are held on a case of type meeting.
    Create("meetingcase", "/api/v1/cases",
           ReplaceFirst(Body(POST("/api/v1/cases")), "\"asb_case\"", "\"meeting\""));
    Create("vehicle", "/api/v1/vehicles");
    Create("link", "/api/v1/links");
    Create("grant", "/api/v1/grants");
    Create("accessrequest", "/api/v1/access-requests");
    // Another username than the example's, which the route itself records later.
    Create("user", "/api/v1/users",
           ReplaceFirst(Body(POST("/api/v1/users")), "rcc.caseworker", "scenario.user"));
    Create("apikey", "/api/v1/api-keys");
    ids_["task"] = AddItem("/api/v1/cases/{id}/tasks");
    ids_["meeting"] = AddItem("/api/v1/cases/{id}/meetings");
  }

  // The documented example with its placeholder ids replaced by the scenario's records.
  std::string Body(const http::RouteInfo& route) const {
    std::string body = ExampleBody(route);
    for (const auto& [placeholder, kind] : kPlaceholders) {
      auto it = ids_.find(kind);
      if (it == ids_.end()) continue;
      for (std::size_t at = body.find(placeholder); at != std::string::npos;
           at = body.find(placeholder, at)) {
        body.replace(at, std::string_view(placeholder).size(), it->second);
      }
    }
    return body;
  }

  // The route's path: {id} is the scenario's record of the collection's kind, {task_id} and
  // {meeting_id} the case's task and meeting.
  std::string Path(const http::RouteInfo& route) const {
    static const std::map<std::string, std::string> kKinds = {
        {"incidents", "incident"},
        {"people", "person"},
        {"addresses", "address"},
        {"vehicles", "vehicle"},
        {"links", "link"},
        {"cases", "case"},
        {"grants", "grant"},
        {"records", "incident"},
        {"access-requests", "accessrequest"},
        {"organisations", "organisation"},
        {"users", "user"},
        {"api-keys", "apikey"}};
    std::string_view rest = std::string_view(route.pattern).substr(std::string("/api/v1/").size());
    std::string collection(rest.substr(0, rest.find('/')));
    std::string path = route.pattern;
    auto replace = [&](std::string_view name, const std::string& kind) {
      auto at = path.find(name);
      auto it = ids_.find(kind);
      if (at != std::string::npos && it != ids_.end()) path.replace(at, name.size(), it->second);
    };
    replace("{task_id}", "task");
    replace("{meeting_id}", "meeting");
    if (route.pattern.starts_with("/api/v1/cases/{id}/meetings")) {
      replace("{id}", "meetingcase");
    } else if (kKinds.contains(collection)) {
      replace("{id}", kKinds.at(collection));
    }
    return path;
  }

 private:
  static constexpr std::pair<const char*, const char*> kPlaceholders[] = {
      {"incident-0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "incident"},
      {"person-0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "person"},
      {"person-0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c", "person"},
      {"address-0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "address"},
      {"case-0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "case"},
      {"organisation-0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "organisation"},
      {"team-0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "team"},
      {"user-0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "user"},
      {"user-supervisor-1", "supervisor"},
  };

  const http::RouteInfo& POST(std::string_view pattern) {
    for (const http::RouteInfo& route : api_.router().routes()) {
      if (route.method == http::Method::kPost && route.pattern == pattern) return route;
    }
    ADD_FAILURE() << "no route POST " << pattern;
    return api_.router().routes().front();
  }

  void Create(const std::string& kind, std::string_view pattern, std::string body = "") {
    if (body.empty()) body = Body(POST(pattern));
    CallResult created = api_.Call("POST", pattern, body, kJson);
    ASSERT_EQ(created.status, 201) << pattern << ": " << created.body;
    ids_[kind] = std::string(created.Json().at("id").as_string());
  }

  // Adds an item (a task, a meeting) to the scenario's case; answers its item_id.
  std::string AddItem(std::string_view pattern) {
    const http::RouteInfo& route = POST(pattern);
    CallResult added = api_.Call("POST", Path(route), Body(route), kJson);
    EXPECT_EQ(added.status, 200) << pattern << ": " << added.body;
    json::value body = added.Json();
    return body.is_object() && body.as_object().contains("item_id")
               ? std::string(body.at("item_id").as_string())
               : std::string();
  }

  ServedApi& api_;
  std::map<std::string, std::string> ids_;
};

// Closing needs a recorded action, reopening a closed case, reactivating a deactivated user;
// removals go last.
int Stage(const std::string& pattern) {
  if (pattern.ends_with("/closure") || pattern.ends_with("/deactivation")) return 2;
  if (pattern.ends_with("/reopening") || pattern.ends_with("/reactivation")) return 3;
  if (pattern.ends_with("/removal") || pattern.ends_with("/revocation")) return 4;
  return 1;
}

TEST_F(WriteHeadersTest, EveryCommandRouteAnswersARetryWithTheSameKeyAsItsFirstAttempt) {
  Scenario scenario(api_);
  ASSERT_NO_FATAL_FAILURE(scenario.Build());
  std::vector<const http::RouteInfo*> routes = CommandRoutes();
  std::stable_sort(routes.begin(), routes.end(), [](const auto* a, const auto* b) {
    return Stage(a->pattern) < Stage(b->pattern);
  });

  int n = 0;
  for (const http::RouteInfo* route : routes) {
    std::string method(http::MethodName(route->method));
    std::string path = scenario.Path(*route);
    std::string body = scenario.Body(*route);
    Headers headers = With(kJson, "Idempotency-Key", "every-route-" + std::to_string(++n));

    CallResult first = api_.Call(method, path, body, headers);
    CallResult retry = api_.Call(method, path, body, headers);
    CallResult other = api_.Call(method, path, body + " ", headers);

    std::string name = NameOf(*route);
    ASSERT_TRUE(first.status == 200 || first.status == 201)
        << name << ": " << first.body << " (a route needing a record the scenario lacks: extend "
        << "Scenario in tests/api/write_headers_test.cc)";
    EXPECT_EQ(retry.status, first.status) << name << ": " << retry.body;
    json::value a = first.Json(), b = retry.Json();
    ASSERT_TRUE(a.is_object() && b.is_object()) << name;
    EXPECT_EQ(a.at("deduplicated"), false) << name;
    EXPECT_EQ(b.at("deduplicated"), true) << name;
    a.as_object().erase("deduplicated");
    b.as_object().erase("deduplicated");
    a.as_object().erase("key");  // a new API key is shown on the first answer only
    // Intake's matches and history are of the moment of each answer.
    for (const char* extra : {"proposed_matches", "history"}) {
      a.as_object().erase(extra);
      b.as_object().erase(extra);
    }
    EXPECT_EQ(a, b) << name << ": the retry must answer the first attempt's id, version, position";
    EXPECT_EQ(retry.Header("ETag"), first.Header("ETag")) << name;
    EXPECT_EQ(other.status, 422) << name << ": the same key with another body: " << other.body;
    EXPECT_EQ(other.ErrorCode(), "idempotency_mismatch") << name;
  }
}

TEST_F(WriteHeadersTest, AStaleIfMatchIs409WithTheCurrentVersionAndAFreshOneApplies) {
  Scenario scenario(api_);
  ASSERT_NO_FATAL_FAILURE(scenario.Build());
  const http::RouteInfo* update = nullptr;
  for (const http::RouteInfo& route : api_.router().routes()) {
    if (route.method == http::Method::kPatch && route.pattern == "/api/v1/incidents/{id}") {
      update = &route;
    }
  }
  ASSERT_NE(update, nullptr);

  CallResult stale = api_.Call("PATCH", scenario.Path(*update), scenario.Body(*update),
                               With(kJson, "If-Match", "\"7\""));
  CallResult fresh = api_.Call("PATCH", scenario.Path(*update), scenario.Body(*update),
                               With(kJson, "If-Match", "\"1\""));

  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(stale.ErrorCode(), "version_conflict");
  EXPECT_EQ(stale.Json().at("error").at("current_version"), 1);
  EXPECT_EQ(fresh.status, 200) << fresh.body;
  EXPECT_EQ(fresh.Header("ETag"), "\"2\"");
}

TEST_F(WriteHeadersTest, JsonNestedDeeperThan32LevelsIs400NamingTheBody) {
  std::string deep =
      R"({"registration":"AB12CDE","make":)" + std::string(40, '[') + std::string(40, ']') + "}";

  CallResult answer = api_.Call("POST", "/api/v1/vehicles", deep, kJson);

  EXPECT_EQ(answer.status, 400) << answer.body;
  EXPECT_EQ(answer.ErrorField(), "body");
  EXPECT_NE(answer.body.find("nested deeper than 32 levels"), std::string::npos) << answer.body;
}

// The server's own limits, over loopback on the real routes.
class ServedLimitsTest : public ::testing::Test {
 protected:
  void Start(http::ServerOptions options) {
    ASSERT_TRUE(api_.ok()) << api_.error();
    auto router = api_.NewRouter();
    ASSERT_TRUE(router) << router.error().ToString();
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = 1;
    options.log = [](std::string_view) {};
    server_ = std::make_unique<http::HttpServer>(options, std::move(router).value(), authorizer_,
                                                 api_.metrics());
    auto started = server_->Start();
    ASSERT_TRUE(started) << started.error().ToString();
  }

  ServedApi api_;
  http::DevAuthorizer authorizer_;
  std::unique_ptr<http::HttpServer> server_;
};

TEST_F(ServedLimitsTest, ABodyOverTheServersLimitIs413NamingTheBody) {
  http::ServerOptions options;
  options.max_body_bytes = 1024;
  ASSERT_NO_FATAL_FAILURE(Start(options));
  std::string body = R"({"registration":"AB12CDE","make":")" + std::string(2000, 'x') + "\"}";

  ClientResponse answer =
      Fetch(server_->port(), {.method = "POST",
                              .target = "/api/v1/vehicles",
                              .body = body,
                              .headers = {{"Content-Type", "application/json"}}});

  EXPECT_EQ(answer.status, 413) << answer.error << answer.body;
  EXPECT_EQ(answer.Json().at("error").at("code"), "resource_exhausted");
  EXPECT_EQ(answer.Json().at("error").at("field"), "body");
}

TEST_F(ServedLimitsTest, OverTheRateLimitIs429WithRetryAfter) {
  http::ServerOptions options;
  options.rate_limit.requests_per_second = 0.5;
  options.rate_limit.burst = 1;
  ASSERT_NO_FATAL_FAILURE(Start(options));

  ClientResponse first = Fetch(server_->port(), {.target = "/api/v1/openapi.json"});
  ClientResponse second = Fetch(server_->port(), {.target = "/api/v1/openapi.json"});

  EXPECT_EQ(first.status, 200) << first.error;
  EXPECT_EQ(second.status, 429) << second.error << second.body;
  EXPECT_EQ(second.Json().at("error").at("code"), "resource_exhausted");
  EXPECT_GE(std::atoi(second.Header("Retry-After").c_str()), 1) << second.Header("Retry-After");
}

TEST_F(ServedLimitsTest, TheDocumentIsServedOverHttpAsJson) {
  ASSERT_NO_FATAL_FAILURE(Start(http::ServerOptions{}));

  ClientResponse answer = Fetch(server_->port(), {.target = "/api/v1/openapi.json"});

  EXPECT_EQ(answer.status, 200) << answer.error;
  EXPECT_EQ(answer.Header("Content-Type"), "application/json");
  EXPECT_TRUE(answer.body == OpenApiFileBytes());
}

}  // namespace
}  // namespace caseledger::app::api::testing
