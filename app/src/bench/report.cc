#include "report.h"

#include <cmath>
#include <string>

namespace caseledger::app::bench {

double Round(double value, int digits) {
  double scale = std::pow(10.0, digits);
  return std::round(value * scale) / scale;
}

boost::json::object LoopJson(const LoopResult& r, std::string_view items_name,
                             std::string_view latency_unit) {
  boost::json::object out;
  out[std::string(items_name) + "_per_s"] = Round(r.items_per_second(), 0);
  if (r.items != r.operations) out["commands_per_s"] = Round(r.operations_per_second(), 0);
  out["latency"] = LatencyJson(r.latency, latency_unit);
  out["threads"] = r.threads;
  out["seconds"] = Round(r.seconds, 3);
  out["windows"] = r.slices;
  return out;
}

boost::json::object PlanJson(const PlanStats& s) {
  boost::json::object by_kind;
  for (std::size_t k = 0; k < kStepKinds; ++k) {
    by_kind[StepKindName(static_cast<StepKind>(k))] = s.by_kind[k];
  }
  auto share = [](std::uint64_t part, std::uint64_t whole) {
    return whole == 0 ? 0.0 : Round(static_cast<double>(part) / static_cast<double>(whole), 3);
  };
  auto per_incident = [&](std::uint64_t n) { return share(n, s.incidents); };
  auto kind = [&](StepKind k) { return s.by_kind[static_cast<std::size_t>(k)]; };
  std::uint64_t victim_draws = kind(StepKind::kReportIncident);
  return {
      {"incidents", s.incidents},
      {"commands", s.commands},
      {"events", s.events},
      {"events_per_incident", per_incident(s.events)},
      {"commands_by_kind", std::move(by_kind)},
      {"records",
       {{"people", s.people},
        {"addresses", s.addresses},
        {"vehicles", s.vehicles},
        {"cases", s.cases},
        {"links", kind(StepKind::kAddLink)},
        {"grants", kind(StepKind::kGrantAccess)}}},
      {"proportions",
       {{"incidents_per_case",
         s.cases == 0 ? 0.0 : Round(double(s.incidents) / double(s.cases), 2)},
        {"victim_reused", share(s.victims_reused, victim_draws)},
        {"address_reused", share(s.addresses_reused, victim_draws)},
        {"perpetrator_known", share(s.perpetrators, s.incidents)},
        {"perpetrator_reused", share(s.perpetrators_reused, s.perpetrators)},
        {"witness", share(s.witnesses, s.incidents)},
        {"vehicle", share(s.vehicles, s.incidents)},
        {"cases_closed", share(s.cases_closed, s.cases)},
        {"cases_reopened", share(s.cases_reopened, s.cases)},
        {"max_incidents_per_victim", s.max_incidents_per_victim},
        {"max_incidents_per_address", s.max_incidents_per_address},
        {"links_per_incident", per_incident(kind(StepKind::kAddLink))},
        {"notes_per_incident", per_incident(kind(StepKind::kAddNote))}}},
      {"free_text_bytes", s.text_bytes},
  };
}

boost::json::object TargetJson(std::string_view name, std::string_view target, double measured,
                               bool met) {
  double rounded = Round(measured, std::abs(measured) >= 100 ? 0 : 3);
  return {{"name", name}, {"target", target}, {"measured", rounded}, {"met", met}};
}

}  // namespace caseledger::app::bench
