// Keep-alive, many clients at once, and graceful shutdown.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "app/http/server.h"
#include "support/http_client.h"
#include "http/test_server.h"

namespace caseledger::app::http {
namespace {

using testing::ClientResponse;
using testing::Fetch;
using testing::MustAdd;
using testing::TestClient;

Router CounterRouter() {
  Router router;
  MustAdd(router, Method::kGet, "/api/v1/items/{id}", Policy{.action = "item.read"},
          [](RequestContext ctx, Responder respond) {
            respond(JsonResponse(200, boost::json::object{{"id", ctx.PathParam("id")}}));
          });
  return router;
}

TEST(ServerConcurrencyTest, KeepAliveServesManySequentialRequestsOnOneConnection) {
  testing::ServerHarness harness(CounterRouter());
  TestClient client(harness.port());

  for (int i = 0; i < 500; ++i) {
    ClientResponse response = client.Send({.target = "/api/v1/items/" + std::to_string(i)});
    ASSERT_EQ(response.status, 200) << "request " << i << ": " << response.error;
    ASSERT_EQ(response.Json().at("id").as_string(), std::to_string(i));
    ASSERT_TRUE(response.keep_alive);
  }
}

TEST(ServerConcurrencyTest, PipelinedRequestsAreAnsweredInOrder) {
  testing::ServerHarness harness(CounterRouter());
  TestClient client(harness.port());

  ASSERT_TRUE(
      client.WriteRaw("GET /api/v1/items/a HTTP/1.1\r\nHost: x\r\n\r\nGET /api/v1/items/b "
                      "HTTP/1.1\r\nHost: x\r\n\r\n"));

  EXPECT_EQ(client.ReadResponse().Json().at("id"), "a");
  EXPECT_EQ(client.ReadResponse().Json().at("id"), "b");
}

TEST(ServerConcurrencyTest, SixtyFourConcurrentClientsAllGetTheirOwnAnswers) {
  testing::ServerHarness harness(CounterRouter());
  constexpr int kClients = 64;
  constexpr int kRequestsEach = 20;
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;

  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      TestClient client(harness.port());
      for (int r = 0; r < kRequestsEach; ++r) {
        std::string id = std::to_string(c) + "-" + std::to_string(r);
        ClientResponse response = client.Send({.target = "/api/v1/items/" + id});
        if (response.status == 200 && response.Json().at("id").as_string() == id) ok.fetch_add(1);
      }
    });
  }
  for (std::thread& client : clients) client.join();

  EXPECT_EQ(ok.load(), kClients * kRequestsEach);
}

TEST(ServerConcurrencyTest, StopClosesIdleConnectionsAndRefusesNewOnes) {
  auto harness = std::make_unique<testing::ServerHarness>(CounterRouter());
  std::uint16_t port = harness->port();
  TestClient idle(port);
  ASSERT_EQ(idle.Send({.target = "/api/v1/items/1"}).status, 200);

  auto started = std::chrono::steady_clock::now();
  harness->server->Stop();

  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
  EXPECT_TRUE(idle.ReadUntilClosed());
  EXPECT_EQ(Fetch(port, {.target = "/api/v1/items/1"}).status, 0);
}

TEST(ServerConcurrencyTest, StopLetsAnInFlightRequestFinish) {
  std::promise<void> handler_entered;
  Router router;
  MustAdd(router, Method::kGet, "/slow", Policy{.action = "slow.read"},
          [&handler_entered](RequestContext, Responder respond) {
            std::thread([respond = std::move(respond)]() mutable {
              std::this_thread::sleep_for(std::chrono::milliseconds(300));
              respond(TextResponse(200, "done"));
            }).detach();
            handler_entered.set_value();
          });
  testing::ServerHarness harness(std::move(router));
  std::future<ClientResponse> in_flight =
      std::async(std::launch::async, [&] { return Fetch(harness.port(), {.target = "/slow"}); });
  handler_entered.get_future().wait();

  harness.server->Stop();
  ClientResponse response = in_flight.get();

  EXPECT_EQ(response.status, 200) << response.error;
  EXPECT_EQ(response.body, "done");
  EXPECT_FALSE(response.keep_alive);
}

TEST(ServerConcurrencyTest, StopClosesRequestsThatOutliveTheShutdownTimeout) {
  std::promise<void> handler_entered;
  std::shared_ptr<Responder> parked;
  Router router;
  MustAdd(router, Method::kGet, "/never", Policy{.action = "never.read"},
          [&](RequestContext, Responder respond) {
            parked = std::make_shared<Responder>(std::move(respond));
            handler_entered.set_value();
          });
  ServerOptions options = testing::QuickOptions();
  options.shutdown_timeout = std::chrono::milliseconds(200);
  testing::ServerHarness harness(std::move(router), options);
  std::future<ClientResponse> in_flight =
      std::async(std::launch::async, [&] { return Fetch(harness.port(), {.target = "/never"}); });
  handler_entered.get_future().wait();

  harness.server->Stop();
  ClientResponse response = in_flight.get();
  (*parked)(TextResponse(200, "too late"));  // the server is gone: dropped, no crash

  EXPECT_EQ(response.status, 0);
}

}  // namespace
}  // namespace caseledger::app::http
