// The JSON shapes of the benchmark report (docs/benchmarks.md describes them).
#pragma once

#include <boost/json.hpp>
#include <string_view>

#include "history_generator.h"
#include "measure.h"

namespace caseledger::app::bench {

// Rounds to `digits` decimals (3 significant figures are plenty for drifting measurements).
double Round(double value, int digits);

// {"<items>_per_s", "commands_per_s" (when items differ from operations), "latency": {...}}
boost::json::object LoopJson(const LoopResult& r, std::string_view items_name,
                             std::string_view latency_unit);

// The plan's proportions: commands by kind, records, reuse, sizes, events per incident.
boost::json::object PlanJson(const PlanStats& stats);

// {"name", "target", "measured", "met"}
boost::json::object TargetJson(std::string_view name, std::string_view target, double measured,
                               bool met);

}  // namespace caseledger::app::bench
