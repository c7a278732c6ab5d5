// Not run by default: serves small authorised reads so an external load generator can measure
// the HTTP layer alone. Example (2 io threads, 30 s):
//   CASELEDGER_BENCH_PORT=8080 CASELEDGER_BENCH_SECONDS=30 ./caseledger_http_tests
//       --gtest_also_run_disabled_tests --gtest_filter='*ForAnExternalLoadGenerator'
// (one command line), then
//   wrk -t2 -c64 -d20s -H 'X-Caseledger-User: u1' http://127.0.0.1:8080/api/v1/incidents/incident-1
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "app/http/builtin_handlers.h"
#include "app/http/server.h"
#include "http/test_server.h"

namespace caseledger::app::http {
namespace {

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::atoi(value) : fallback;
}

TEST(HttpServerBenchmark, DISABLED_ServesAuthorisedReadsForAnExternalLoadGenerator) {
  MetricsRegistry metrics;
  Router router;
  testing::MustAdd(router, Method::kGet, "/api/v1/incidents/{id}",
                   Policy{.action = "incident.read"}, [](RequestContext ctx, Responder respond) {
                     respond(JsonResponse(200, {{"id", ctx.PathParam("id")},
                                                {"status", "open"},
                                                {"read_by", ctx.principal.user_id}}));
                   });
  testing::MustAdd(router, Method::kGet, "/metrics", Policy::Public(), MetricsHandler(metrics));
  ServerOptions options;
  options.port = static_cast<std::uint16_t>(EnvInt("CASELEDGER_BENCH_PORT", 8080));
  options.threads = EnvInt("CASELEDGER_BENCH_THREADS", 2);
  options.rate_limit.requests_per_second = EnvInt("CASELEDGER_BENCH_RATE_LIMIT", 0);
  options.rate_limit.burst = options.rate_limit.requests_per_second;
  DevAuthorizer authorizer;
  HttpServer server(options, std::move(router), authorizer, metrics);
  ASSERT_TRUE(server.Start());

  std::this_thread::sleep_for(std::chrono::seconds(EnvInt("CASELEDGER_BENCH_SECONDS", 30)));
  server.Stop();
}

}  // namespace
}  // namespace caseledger::app::http
