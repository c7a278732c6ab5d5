// End-to-end over loopback: routing, parameters, query strings, headers and request ids.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "app/http/server.h"
#include "support/http_client.h"
#include "http/test_server.h"

namespace caseledger::app::http {
namespace {

using testing::ClientResponse;
using testing::Fetch;
using testing::MustAdd;

// Answers with what the handler saw, so tests can check the decoded request.
Handler EchoHandler() {
  return [](RequestContext ctx, Responder respond) {
    boost::json::object params;
    for (const auto& [name, value] : ctx.path_params.items()) params[name] = value;
    boost::json::array query;
    for (const QueryParameter& q : ctx.request.query) {
      query.push_back(
          boost::json::array{boost::json::string(q.name), boost::json::string(q.value)});
    }
    boost::json::object body{
        {"method", MethodName(ctx.request.method)},
        {"path", ctx.request.path},
        {"params", params},
        {"query", query},
        {"user", ctx.principal.user_id},
        {"trace", ctx.request.Header("x-TRACE").value_or("")},
        {"remote", ctx.request.remote_address},
        {"request_id", ctx.request.request_id},
        {"body", ctx.request.body},
    };
    respond(JsonResponse(200, body));
  };
}

Router EchoRouter() {
  Router router;
  MustAdd(router, Method::kGet, "/api/v1/incidents/{id}", Policy{.action = "incident.read"},
          EchoHandler());
  MustAdd(router, Method::kPost, "/api/v1/incidents", Policy{.action = "incident.record"},
          EchoHandler());
  MustAdd(router, Method::kPut, "/api/v1/cases/{id}/tasks/{task_id}",
          Policy{.action = "case.task.update"}, EchoHandler());
  return router;
}

TEST(ServerRoutingTest, HandlerSeesDecodedPathParameters) {
  testing::ServerHarness harness(EchoRouter());

  ClientResponse response =
      Fetch(harness.port(), {.method = "PUT", .target = "/api/v1/cases/case%2D1/tasks/t%201"});

  ASSERT_EQ(response.status, 200) << response.error;
  boost::json::value json = response.Json();
  EXPECT_EQ(json.at("params").at("id"), "case-1");
  EXPECT_EQ(json.at("params").at("task_id"), "t 1");
  EXPECT_EQ(json.at("path"), "/api/v1/cases/case-1/tasks/t 1");
  EXPECT_EQ(json.at("method"), "PUT");
  EXPECT_EQ(json.at("remote"), "127.0.0.1");
}

TEST(ServerRoutingTest, QueryParametersAreDecodedAndRepeatsKept) {
  testing::ServerHarness harness(EchoRouter());

  ClientResponse response =
      Fetch(harness.port(), {.target = "/api/v1/incidents/i-1?tag=a+b&tag=c%26d&empty"});

  ASSERT_EQ(response.status, 200) << response.error;
  boost::json::value query = response.Json().at("query");
  ASSERT_EQ(query.as_array().size(), 3u);
  EXPECT_EQ(query.at(0), (boost::json::array{"tag", "a b"}));
  EXPECT_EQ(query.at(1), (boost::json::array{"tag", "c&d"}));
  EXPECT_EQ(query.at(2), (boost::json::array{"empty", ""}));
}

TEST(ServerRoutingTest, HeaderLookupIsCaseInsensitiveAndBodyArrives) {
  testing::ServerHarness harness(EchoRouter());

  ClientResponse response = Fetch(harness.port(), {.method = "POST",
                                                   .target = "/api/v1/incidents",
                                                   .body = R"({"a":1})",
                                                   .headers = {{"X-Trace", "t-1"}}});

  ASSERT_EQ(response.status, 200) << response.error;
  EXPECT_EQ(response.Json().at("trace"), "t-1");
  EXPECT_EQ(response.Json().at("body"), R"({"a":1})");
  EXPECT_EQ(response.Json().at("user"), "dev-user");
}

TEST(ServerRoutingTest, UnknownPathReturns404Json) {
  testing::ServerHarness harness(EchoRouter());

  ClientResponse response = Fetch(harness.port(), {.target = "/api/v1/nothing/here"});

  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.Header("Content-Type"), "application/json");
  EXPECT_EQ(response.Json().at("error").at("code"), "not_found");
  EXPECT_EQ(response.body.find("nothing"), std::string::npos) << "must not echo the path";
}

TEST(ServerRoutingTest, UnknownMethodOnKnownPathReturns405WithAllow) {
  testing::ServerHarness harness(EchoRouter());

  ClientResponse response =
      Fetch(harness.port(), {.method = "DELETE", .target = "/api/v1/incidents/i-1"});

  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.Header("Allow"), "GET");
  EXPECT_EQ(response.Json().at("error").at("field"), "method");
}

TEST(ServerRoutingTest, NonStandardMethodOnKnownPathReturns405) {
  testing::ServerHarness harness(EchoRouter());

  ClientResponse response =
      Fetch(harness.port(), {.method = "BREW", .target = "/api/v1/incidents/i-1"});

  EXPECT_EQ(response.status, 405);
}

TEST(ServerRoutingTest, EveryResponseCarriesARequestId) {
  testing::ServerHarness harness(EchoRouter());

  ClientResponse generated = Fetch(harness.port(), {.target = "/api/v1/incidents/i-1"});
  ClientResponse kept = Fetch(harness.port(), {.target = "/api/v1/incidents/i-1",
                                               .headers = {{"X-Request-Id", "proxy-42"}}});
  ClientResponse replaced =
      Fetch(harness.port(), {.target = "/nothing", .headers = {{"X-Request-Id", "bad id!"}}});

  EXPECT_EQ(generated.Header("X-Request-Id").size(), 36u);  // a UUID
  EXPECT_EQ(generated.Json().at("request_id").as_string(), generated.Header("X-Request-Id"));
  EXPECT_EQ(kept.Header("X-Request-Id"), "proxy-42");
  EXPECT_EQ(replaced.Header("X-Request-Id").size(), 36u);
}

TEST(ServerRoutingTest, ResponsesAreNotCacheableByDefault) {
  testing::ServerHarness harness(EchoRouter());

  ClientResponse response = Fetch(harness.port(), {.target = "/api/v1/incidents/i-1"});

  EXPECT_EQ(response.Header("Cache-Control"), "no-store");
  EXPECT_EQ(response.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_FALSE(response.Header("Date").empty());
}

TEST(ServerRoutingTest, HandlerHeadersThatCouldSplitTheResponseAreDropped) {
  Router router;
  MustAdd(router, Method::kGet, "/h", Policy{.action = "h.read"},
          [](RequestContext, Responder respond) {
            Response response = TextResponse(200, "ok");
            response.headers = {{"Location", "/a\r\nSet-Cookie: evil=1"},
                                {"Bad Name", "x"},
                                {"Content-Length", "999"},
                                {"ETag", "\"v1\""}};
            respond(std::move(response));
          });
  testing::ServerHarness harness(std::move(router));

  ClientResponse response = Fetch(harness.port(), {.target = "/h"});

  ASSERT_EQ(response.status, 200) << response.error;
  EXPECT_EQ(response.body, "ok");
  EXPECT_EQ(response.Header("Set-Cookie"), "");
  EXPECT_EQ(response.Header("Location"), "");
  EXPECT_EQ(response.Header("ETag"), "\"v1\"");
  EXPECT_EQ(response.Header("Content-Length"), "2");
}

TEST(ServerRoutingTest, HeadRequestGetsHeadersWithoutABody) {
  Router router;
  MustAdd(router, Method::kHead, "/h", Policy{.action = "h.read"}, testing::OkHandler());
  testing::ServerHarness harness(std::move(router));
  testing::TestClient client(harness.port());

  ASSERT_TRUE(
      client.WriteRaw("HEAD /h HTTP/1.1\r\nHost: x\r\n\r\n"
                      "GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string received;
  client.ReadUntilClosed(&received);

  EXPECT_NE(received.find("Content-Length: 11"), std::string::npos) << received;
  EXPECT_EQ(received.find("{\"ok\":true}"), std::string::npos) << received;
  EXPECT_NE(received.find("HTTP/1.1 404"), std::string::npos) << received;
}

TEST(ServerRoutingTest, StartFailsWhenThePortIsTaken) {
  testing::ServerHarness first(EchoRouter());
  ServerOptions options = testing::QuickOptions();
  options.port = first.port();
  MetricsRegistry metrics;
  DevAuthorizer authorizer;
  HttpServer second(options, EchoRouter(), authorizer, metrics);

  ledger::Result<void> started = second.Start();

  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, ledger::Code::kUnavailable);
  EXPECT_EQ(second.port(), 0);
}

TEST(ServerRoutingTest, StartRejectsZeroThreads) {
  ServerOptions options = testing::QuickOptions();
  options.threads = 0;
  MetricsRegistry metrics;
  DevAuthorizer authorizer;
  HttpServer server(options, EchoRouter(), authorizer, metrics);

  ledger::Result<void> started = server.Start();

  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().field, "threads");
}

}  // namespace
}  // namespace caseledger::app::http
