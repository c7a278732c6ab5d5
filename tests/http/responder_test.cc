// Asynchronous answers: from other threads, late, never, or from a handler that throws.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

#include "app/http/handler.h"
#include "app/http/server.h"
#include "support/http_client.h"
#include "http/test_server.h"

namespace caseledger::app::http {
namespace {

using testing::ClientResponse;
using testing::Fetch;
using testing::MustAdd;

// Records what a Responder delivers, for tests without a socket.
class CapturingSink final : public ResponseSink {
 public:
  void Deliver(Response response) noexcept override {
    ++deliveries;
    last = std::move(response);
  }
  int deliveries = 0;
  Response last;
};

TEST(ResponderTest, DeliversTheFirstAnswerOnly) {
  auto sink = std::make_shared<CapturingSink>();
  {
    Responder respond(sink);
    respond(TextResponse(201, "first"));
    respond(TextResponse(202, "second"));
    EXPECT_FALSE(respond.pending());
  }

  EXPECT_EQ(sink->deliveries, 1);
  EXPECT_EQ(sink->last.status, 201);
}

TEST(ResponderTest, DestroyingAnUncalledResponderDelivers500) {
  auto sink = std::make_shared<CapturingSink>();

  { Responder respond(sink); }

  EXPECT_EQ(sink->deliveries, 1);
  EXPECT_EQ(sink->last.status, 500);
}

TEST(ResponderTest, MovedFromResponderDeliversNothing) {
  auto sink = std::make_shared<CapturingSink>();
  Responder first(sink);

  Responder second = std::move(first);
  second(TextResponse(200, "ok"));

  EXPECT_EQ(sink->deliveries, 1);
  EXPECT_EQ(sink->last.status, 200);
}

TEST(ResponderTest, ResponderCalledFromAnotherThreadAfterADelayAnswers) {
  Router router;
  MustAdd(router, Method::kPost, "/api/v1/incidents", Policy{.action = "incident.record"},
          [](RequestContext ctx, Responder respond) {
            std::thread([ctx = std::move(ctx), respond = std::move(respond)]() mutable {
              std::this_thread::sleep_for(std::chrono::milliseconds(100));
              respond(JsonResponse(201, boost::json::object{{"echo", ctx.request.body}}));
            }).detach();
          });
  testing::ServerHarness harness(std::move(router));
  testing::TestClient client(harness.port());

  for (int i = 0; i < 3; ++i) {
    ClientResponse response =
        client.Send({.method = "POST", .target = "/api/v1/incidents", .body = std::to_string(i)});
    EXPECT_EQ(response.status, 201) << response.error;
    EXPECT_EQ(response.Json().at("echo").as_string(), std::to_string(i));
  }
}

TEST(ResponderTest, HandlerThatThrowsGets500) {
  Router router;
  MustAdd(router, Method::kGet, "/boom", Policy{.action = "boom"},
          [](RequestContext, Responder) { throw std::runtime_error("secret detail"); });
  testing::ServerHarness harness(std::move(router));
  testing::TestClient client(harness.port());

  ClientResponse response = client.Send({.target = "/boom"});

  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.Json().at("error").at("code"), "internal");
  EXPECT_EQ(response.body.find("secret"), std::string::npos);
  EXPECT_EQ(client.Send({.target = "/boom"}).status, 500) << "the connection stays usable";
}

TEST(ResponderTest, HandlerThatDropsTheResponderGets500) {
  Router router;
  MustAdd(router, Method::kGet, "/drop", Policy{.action = "drop"},
          [](RequestContext, Responder respond) {
            std::thread([respond = std::move(respond)]() mutable {
              std::this_thread::sleep_for(std::chrono::milliseconds(50));
              // falls out of scope without answering
            }).detach();
          });
  testing::ServerHarness harness(std::move(router));

  ClientResponse response = Fetch(harness.port(), {.target = "/drop"});

  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.Json().at("error").at("code"), "internal");
}

TEST(ResponderTest, HandlerThatNeverAnswersGets504AfterTheHandlerTimeout) {
  auto parked = std::make_shared<std::unique_ptr<Responder>>();
  Router router;
  MustAdd(router, Method::kGet, "/stuck", Policy{.action = "stuck"},
          [parked](RequestContext, Responder respond) {
            *parked = std::make_unique<Responder>(std::move(respond));
          });
  ServerOptions options = testing::QuickOptions();
  options.handler_timeout = std::chrono::milliseconds(200);
  testing::ServerHarness harness(std::move(router), options);
  testing::TestClient client(harness.port());

  ClientResponse response = client.Send({.target = "/stuck"});
  (**parked)(TextResponse(200, "late"));  // ignored: the client already has its answer

  EXPECT_EQ(response.status, 504);
  EXPECT_EQ(response.Json().at("error").at("code"), "timeout");
  ClientResponse next = client.Send({.target = "/stuck"});
  EXPECT_EQ(next.status, 504) << "a late answer must not leak into the next request";
}

}  // namespace
}  // namespace caseledger::app::http
