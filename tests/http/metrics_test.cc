#include "app/http/metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "app/http/builtin_handlers.h"
#include "app/http/server.h"
#include "support/http_client.h"
#include "http/test_server.h"

namespace caseledger::app::http {
namespace {

bool Contains(const std::string& text, std::string_view needle) {
  return text.find(needle) != std::string::npos;
}

TEST(MetricsTest, CountersRenderWithHelpTypeAndLabels) {
  MetricsRegistry registry;
  CounterFamily& appends =
      registry.AddCounterFamily("caseledger_appends_total", "Events appended.", {"backend"});

  appends.WithLabels({"embedded"}).Increment(3);
  appends.WithLabels({"kafka"}).Increment();

  EXPECT_EQ(registry.Render(),
            "# HELP caseledger_appends_total Events appended.\n"
            "# TYPE caseledger_appends_total counter\n"
            "caseledger_appends_total{backend=\"embedded\"} 3\n"
            "caseledger_appends_total{backend=\"kafka\"} 1\n");
}

TEST(MetricsTest, HistogramsRenderCumulativeBucketsSumAndCount) {
  MetricsRegistry registry;
  Histogram& latency = registry.AddHistogram("caseledger_append_duration_seconds",
                                             "Append latency.", {0.01, 0.1, 1});

  latency.Observe(0.0078125);  // binary fractions keep the sum exact
  latency.Observe(0.0625);
  latency.Observe(0.0625);
  latency.Observe(4);

  EXPECT_EQ(registry.Render(),
            "# HELP caseledger_append_duration_seconds Append latency.\n"
            "# TYPE caseledger_append_duration_seconds histogram\n"
            "caseledger_append_duration_seconds_bucket{le=\"0.01\"} 1\n"
            "caseledger_append_duration_seconds_bucket{le=\"0.1\"} 3\n"
            "caseledger_append_duration_seconds_bucket{le=\"1\"} 3\n"
            "caseledger_append_duration_seconds_bucket{le=\"+Inf\"} 4\n"
            "caseledger_append_duration_seconds_sum 4.1328125\n"
            "caseledger_append_duration_seconds_count 4\n");
}

TEST(MetricsTest, GaugesAreSettableOrReadFromACallback) {
  MetricsRegistry registry;
  registry.AddGauge("b_lag", "Lag.").SetCallback([] { return 42.0; });
  Gauge& set = registry.AddGauge("a_level", "Level.");

  set.Set(2.5);
  set.Add(-1);

  std::string text = registry.Render();
  EXPECT_TRUE(Contains(text, "# TYPE a_level gauge\na_level 1.5\n")) << text;
  EXPECT_TRUE(Contains(text, "# TYPE b_lag gauge\nb_lag 42\n")) << text;
  EXPECT_LT(text.find("a_level"), text.find("b_lag")) << "families render in name order";
}

TEST(MetricsTest, LabelValuesAndHelpAreEscaped) {
  MetricsRegistry registry;
  registry.AddCounterFamily("x_total", "Line one\\two\nthree", {"l"})
      .WithLabels({"a\"b\\c\nd"})
      .Increment();

  std::string text = registry.Render();

  EXPECT_TRUE(Contains(text, "# HELP x_total Line one\\\\two\\nthree\n")) << text;
  EXPECT_TRUE(Contains(text, "x_total{l=\"a\\\"b\\\\c\\nd\"} 1\n")) << text;
}

TEST(MetricsTest, RegisteringTheSameMetricTwiceReturnsTheSameFamily) {
  MetricsRegistry registry;

  CounterFamily& first = registry.AddCounterFamily("dup_total", "Help.", {"a"});
  CounterFamily& second = registry.AddCounterFamily("dup_total", "Help.", {"a"});

  EXPECT_EQ(&first, &second);
  EXPECT_EQ(&first.WithLabels({"x"}), &second.WithLabels({"x"}));
}

TEST(MetricsDeathTest, ConflictingRegistrationAborts) {
  MetricsRegistry registry;
  registry.AddCounter("conflict_total", "Help.");

  EXPECT_DEATH(registry.AddGauge("conflict_total", "Help."), "conflicting registration");
  EXPECT_DEATH(registry.AddCounter("bad name", "Help."), "invalid metric name");
}

TEST(MetricsTest, ConcurrentUpdatesAreNotLost) {
  MetricsRegistry registry;
  Counter& counter = registry.AddCounter("c_total", "C.");
  Histogram& histogram = registry.AddHistogram("h_seconds", "H.", DefaultLatencyBuckets());
  std::vector<std::thread> threads;

  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        counter.Increment();
        histogram.Observe(0.001);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(counter.Value(), 80000u);
  EXPECT_EQ(histogram.Read().count, 80000u);
}

TEST(MetricsTest, ServerRecordsRequestsByRouteMethodAndStatus) {
  MetricsRegistry* registry_ptr = nullptr;
  Router router;
  testing::MustAdd(router, Method::kGet, "/api/v1/incidents/{id}",
                   Policy{.action = "incident.read"}, testing::OkHandler());
  // The harness owns the registry; the handler reads it through a pointer set below.
  testing::MustAdd(router, Method::kGet, "/metrics", Policy::Public(),
                   [&registry_ptr](RequestContext ctx, Responder respond) {
                     MetricsHandler (*registry_ptr)(std::move(ctx), std::move(respond));
                   });
  testing::ServerHarness harness(std::move(router));
  registry_ptr = &harness.metrics;

  testing::Fetch(harness.port(), {.target = "/api/v1/incidents/a"});
  testing::Fetch(harness.port(), {.target = "/api/v1/incidents/b"});
  testing::Fetch(harness.port(), {.target = "/nowhere"});
  testing::ClientResponse metrics = testing::Fetch(harness.port(), {.target = "/metrics"});

  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.Header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = metrics.body;
  EXPECT_TRUE(Contains(text, "# TYPE caseledger_http_requests_total counter\n")) << text;
  EXPECT_TRUE(Contains(text,
                       "caseledger_http_requests_total{route=\"/api/v1/incidents/{id}\","
                       "method=\"GET\",status=\"200\"} 2\n"))
      << text;
  EXPECT_TRUE(Contains(
      text,
      "caseledger_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n"))
      << text;
  EXPECT_TRUE(Contains(text, "# TYPE caseledger_http_request_duration_seconds histogram\n"));
  EXPECT_TRUE(Contains(text,
                       "caseledger_http_request_duration_seconds_count{route=\"/api/v1/"
                       "incidents/{id}\",method=\"GET\"} 2\n"))
      << text;
}

}  // namespace
}  // namespace caseledger::app::http
