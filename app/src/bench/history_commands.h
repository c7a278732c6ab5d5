// Turns one step of a HistoryPlan into the command it stands for and hands it to the
// CommandService. The content (text, names, times) is drawn from the step's own seed, so it does
// not depend on the order in which steps run.
#pragma once

#include <cstdint>
#include <string>

#include "history_generator.h"
#include "ledger/command_service.h"

namespace caseledger::app::bench {

// The ids a step names, resolved from the steps that created them.
struct StepRefs {
  std::string target;   // PlanStep::target's record id
  std::string other;    // PlanStep::other's record id
  std::string task_id;  // kCompleteTask: the task's id (from the TaskCreated event)
};

// What every command of one generation run shares.
struct RunContext {
  const HistoryPlan& plan;
  ledger::Micros end_of_history = 0;  // PlanStep::seconds_ago counts back from here
  std::uint64_t run_nonce = 0;        // makes idempotency keys unique to the run
};

void ExecuteStep(ledger::CommandService& commands, const RunContext& run, std::size_t index,
                 const StepRefs& refs, ledger::CommandService::Done done);

}  // namespace caseledger::app::bench
