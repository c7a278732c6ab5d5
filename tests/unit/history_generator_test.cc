// The benchmark's synthetic partnership history (app/src/bench/history_generator.h): the plan is
// a pure function of its seed, has the proportions docs/benchmarks.md documents, and runs through
// the command service into a log whose every case view can be read once projections caught up.
// No timings are asserted here: benchmarks are not tests.
//
// The generator lives in the app's private sources; it is included by path until the bench
// headers get an include directory of their own.
#include "../../app/src/bench/history_generator.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <set>

#include "app/node.h"
#include "support/result_assertions.h"
#include "support/temp_dir.h"

namespace caseledger::app::bench {
namespace {

std::uint64_t Count(const PlanStats& stats, StepKind kind) {
  return stats.by_kind[static_cast<std::size_t>(kind)];
}

TEST(HistoryPlanTest, SameSeedGivesTheSameCommandsAndSizes) {
  HistoryPlan first = HistoryPlan::Make(7, 300);
  HistoryPlan second = HistoryPlan::Make(7, 300);

  ASSERT_EQ(first.steps().size(), second.steps().size());
  for (std::size_t i = 0; i < first.steps().size(); ++i) {
    const PlanStep& a = first.steps()[i];
    const PlanStep& b = second.steps()[i];
    ASSERT_EQ(a.kind, b.kind) << "step " << i;
    ASSERT_EQ(a.text_bytes, b.text_bytes) << "step " << i;
    ASSERT_EQ(a.variant, b.variant) << "step " << i;
    ASSERT_EQ(a.target, b.target) << "step " << i;
    ASSERT_EQ(a.other, b.other) << "step " << i;
    ASSERT_EQ(a.seed, b.seed) << "step " << i;
  }
}

TEST(HistoryPlanTest, AnotherSeedGivesAnotherHistory) {
  HistoryPlan first = HistoryPlan::Make(7, 300);
  HistoryPlan other = HistoryPlan::Make(8, 300);

  bool differs = first.steps().size() != other.steps().size();
  for (std::size_t i = 0; !differs && i < first.steps().size(); ++i) {
    differs = first.steps()[i].kind != other.steps()[i].kind ||
              first.steps()[i].text_bytes != other.steps()[i].text_bytes;
  }
  EXPECT_TRUE(differs);
}

TEST(HistoryPlanTest, HasTheDocumentedProportions) {
  HistoryPlan plan = HistoryPlan::Make(1, 3000);
  const PlanStats& s = plan.stats();

  EXPECT_EQ(s.incidents, 3000u);
  EXPECT_EQ(Count(s, StepKind::kReportIncident), 3000u);
  double events_per_incident = double(s.events) / double(s.incidents);
  EXPECT_GE(events_per_incident, 12.0);
  EXPECT_LE(events_per_incident, 18.0);
  double incidents_per_case = double(s.incidents) / double(s.cases);
  EXPECT_GE(incidents_per_case, 3.5);
  EXPECT_LE(incidents_per_case, 6.0);
  double victims_reused = double(s.victims_reused) / double(s.incidents);
  EXPECT_GE(victims_reused, 0.35);
  EXPECT_LE(victims_reused, 0.7);
  double addresses_reused = double(s.addresses_reused) / double(s.incidents);
  EXPECT_GE(addresses_reused, 0.4);
  EXPECT_LE(addresses_reused, 0.75);
  EXPECT_GE(s.max_incidents_per_victim, 5u);    // repeat victims exist...
  EXPECT_LE(s.max_incidents_per_victim, 100u);  // ...within what reviews report
  EXPECT_GT(s.cases_closed, s.cases / 2);
  EXPECT_GT(s.cases_reopened, 0u);
  EXPECT_GT(Count(s, StepKind::kRecordVehicle), 0u);
  EXPECT_EQ(Count(s, StepKind::kOpenCase), s.cases);
}

TEST(HistoryPlanTest, TextSizesStayWithinTheirRanges) {
  HistoryPlan plan = HistoryPlan::Make(3, 500);

  for (const PlanStep& step : plan.steps()) {
    switch (step.kind) {
      case StepKind::kReportIncident:
      case StepKind::kUpdateIncident:
        EXPECT_GE(step.text_bytes, 200u);
        EXPECT_LE(step.text_bytes, 1500u);
        break;
      case StepKind::kAddNote:
        EXPECT_GE(step.text_bytes, 100u);
        EXPECT_LE(step.text_bytes, 800u);
        break;
      default:
        break;
    }
  }
}

TEST(HistoryPlanTest, StepsDependOnlyOnEarlierSteps) {
  HistoryPlan plan = HistoryPlan::Make(5, 800);
  const auto& steps = plan.steps();

  for (std::size_t i = 0; i < steps.size(); ++i) {
    for (std::int32_t d : {steps[i].target, steps[i].other, steps[i].after}) {
      if (d == kNoStep) continue;
      ASSERT_LT(static_cast<std::size_t>(d), i) << "step " << i;
    }
    if (steps[i].kind == StepKind::kCompleteTask) {
      const PlanStep& task = steps[static_cast<std::size_t>(steps[i].other)];
      EXPECT_EQ(task.kind, StepKind::kCreateTask);
      EXPECT_EQ(task.target, steps[i].target) << "a task is completed on its own case";
    }
  }
}

TEST(HistoryGeneratorTest, EveryCaseViewIsReadableAfterTheRunnerCatchesUp) {
  testing::TempDir dir;
  NodeConfig config;
  config.data_dir = dir.Path("node");
  ASSERT_OK_AND_ASSIGN(auto node, Node::Open(config));
  HistoryPlan plan = HistoryPlan::Make(11, 80);
  GeneratorOptions options;
  options.concurrency = 16;

  ASSERT_OK_AND_ASSIGN(auto history, GenerateHistory(node->commands(), node->log(), plan, options));
  ASSERT_OK(node->StartRunner());
  ASSERT_TRUE(node->runner().WaitFor(history.last_position, std::chrono::seconds(60)))
      << node->runner().LastError();

  EXPECT_EQ(history.events, plan.stats().events);
  ASSERT_OK_AND_ASSIGN(auto end, node->log().EndOffset(0));
  EXPECT_EQ(end, plan.stats().events);
  EXPECT_EQ(history.incident_ids.size(), 80u);
  ASSERT_EQ(history.case_ids.size(), plan.stats().cases);
  ASSERT_FALSE(history.case_ids.empty());
  for (const auto& id : history.case_ids) {
    ASSERT_OK_AND_ASSIGN(auto view, node->projections().GetView(id));
    ASSERT_TRUE(view.has_value()) << id;
    boost::json::value parsed = boost::json::parse(*view);
    EXPECT_EQ(parsed.at("kind").as_string(), "case") << id;
    EXPECT_EQ(parsed.at("id").as_string(), id);
  }
  for (const auto& id : history.incident_ids) {
    ASSERT_OK_AND_ASSIGN(auto view, node->projections().GetView(id));
    EXPECT_TRUE(view.has_value()) << id;
  }
}

}  // namespace
}  // namespace caseledger::app::bench
