// A seeded, deterministic generator of a synthetic partnership history for benchmarks and tests.
//
// Two stages:
//  1. HistoryPlan::Make(seed, incidents) decides everything up front: which commands, in which
//     order, by whom, about which records, with how many bytes of text. It depends only on the
//     seed and the number of incidents (same seed, same plan), and holds no ids: a step refers to
//     the records it touches by the index of the step that created them.
//  2. GenerateHistory() runs the plan through ledger::CommandService, so every event is real:
//     validated, sealed, hash-chained and durable. Up to `concurrency` commands are in flight; a
//     step waits for the steps it depends on (the records it names, and the previous step on the
//     same stream), so the domain rules hold (a case closes only after an action, a task is
//     completed only after it was created). Record ids are random (UUIDv7), so two runs of one
//     plan give the same shape with different ids.
//
// What an incident brings (docs/benchmarks.md gives the measured proportions): an address, often
// a hotspot reused from earlier incidents; a victim (or, for environmental ASB, a reporter),
// often a repeat victim picked with probability proportional to their earlier incidents; sometimes
// an alleged perpetrator (often a repeat one), a witness, a vehicle; a link from the incident to
// each; follow-up notes, updates and reclassifications. About one incident in four or five opens
// a case (repeat victims far more often), whose life is spread over the following incidents: risk
// assessments, tasks and their completion, notes, actions, reassignment, sharing with a partner,
// closure (after an action and a supervisor's sign-off) and sometimes reopening.
//
// Example:
//   HistoryPlan plan = HistoryPlan::Make(/*seed=*/42, /*incidents=*/1000);
//   auto history = GenerateHistory(node.commands(), node.log(), plan, {.concurrency = 32});
//   for (const auto& id : history.value().case_ids) ...
//
// Thread safety: HistoryPlan is immutable once made. GenerateHistory may be called from any
// thread; it blocks until the plan has run or a command failed.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/command_service.h"
#include "ledger/event_log.h"
#include "ledger/result.h"

namespace caseledger::app::bench {

enum class StepKind : std::uint8_t {
  kRecordAddress,
  kRecordPerson,
  kRecordVehicle,
  kReportIncident,
  kUpdateIncident,
  kClassifyIncident,
  kCorrectPerson,
  kAddLink,
  kAddNote,
  kOpenCase,
  kAssignCase,
  kAssessRisk,
  kCreateTask,
  kCompleteTask,
  kRecordCaseAction,
  kCloseCase,
  kReopenCase,
  kGrantAccess,
};
inline constexpr std::size_t kStepKinds = 18;

// "record_address", "add_link", ...
std::string_view StepKindName(StepKind kind);

inline constexpr std::int32_t kNoStep = -1;

// One command of the plan. Fields that a kind does not use are zero or kNoStep.
struct PlanStep {
  StepKind kind = StepKind::kAddNote;
  std::uint8_t variant = 0;       // link role, action type, category, ... (kind-specific)
  std::uint16_t area = 0;         // index into Partnership::areas()
  std::uint32_t actor = 0;        // index into Partnership actors
  std::uint32_t text_bytes = 0;   // bytes of the command's free text (description, note, ...)
  std::int32_t target = kNoStep;  // the step that created the record this command changes
  std::int32_t other = kNoStep;   // a second record it names (link end, subject, task, address)
  std::int32_t after = kNoStep;   // the previous step on the same stream (ordering only)
  std::int64_t seconds_ago = 0;   // when it happened, before the end of the history
  std::uint64_t seed = 0;         // draws the step's content
};

struct PlanStats {
  std::uint64_t incidents = 0;
  std::uint64_t commands = 0;
  std::uint64_t events = 0;  // every planned command appends exactly one event
  std::array<std::uint64_t, kStepKinds> by_kind{};
  std::uint64_t people = 0, victims_reused = 0, addresses = 0, addresses_reused = 0;
  std::uint64_t perpetrators = 0, perpetrators_reused = 0, witnesses = 0, vehicles = 0;
  std::uint64_t cases = 0, cases_closed = 0, cases_reopened = 0;
  std::uint64_t text_bytes = 0;
  std::uint32_t max_incidents_per_victim = 0;
  std::uint32_t max_incidents_per_address = 0;
};

class HistoryPlan {
 public:
  static HistoryPlan Make(std::uint64_t seed, std::uint64_t incidents);

  const std::vector<PlanStep>& steps() const { return steps_; }
  const PlanStats& stats() const { return stats_; }
  std::uint64_t seed() const { return seed_; }

 private:
  friend class Planner;
  std::uint64_t seed_ = 0;
  std::vector<PlanStep> steps_;
  PlanStats stats_;
};

struct GeneratorOptions {
  std::size_t concurrency = 32;  // commands in flight
  // Called now and then from the generating thread with (commands done, total).
  std::function<void(std::uint64_t, std::uint64_t)> progress;
};

// The records a generated history created, by kind, in plan order.
struct GeneratedHistory {
  std::vector<std::string> incident_ids, person_ids, address_ids, vehicle_ids, link_ids, case_ids,
      grant_ids;
  std::uint64_t commands = 0;
  std::uint64_t events = 0;
  ledger::Position last_position;  // of the last event written
  double seconds = 0;
};

// Runs `plan` through `commands` (whose log is `log`). Errors: the first command that failed,
// with the step index and kind in the message; commands already made durable stay in the log.
ledger::Result<GeneratedHistory> GenerateHistory(ledger::CommandService& commands,
                                                 ledger::EventLog& log, const HistoryPlan& plan,
                                                 const GeneratorOptions& options);

}  // namespace caseledger::app::bench
