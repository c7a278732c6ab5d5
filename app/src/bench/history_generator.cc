// GenerateHistory: runs a HistoryPlan as a dependency graph. A step is dispatched once every step
// it depends on is durable, lowest index first, at most `concurrency` at a time and never more
// than kWindow steps ahead of the oldest unfinished one (so the log interleaves streams the way
// a live partnership would, rather than recording every person first).
#include "history_generator.h"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <queue>

#include "history_commands.h"
#include "ledger/clock.h"
#include "schemas/events_generated.h"

namespace caseledger::app::bench {
namespace {

constexpr std::size_t kWindow = 4096;

// Reverse edges of the plan's dependency graph in compressed form: the steps waiting on step i
// are waiting[begin[i] .. begin[i + 1]).
struct Dependents {
  std::vector<std::uint32_t> begin;
  std::vector<std::uint32_t> waiting;
  std::vector<std::uint8_t> unmet;  // per step: dependencies not yet durable
};

// The distinct steps `step` depends on.
std::size_t DependenciesOf(const PlanStep& step, std::int32_t (&out)[3]) {
  std::size_t n = 0;
  for (std::int32_t d : {step.target, step.other, step.after}) {
    if (d == kNoStep) continue;
    bool seen = false;
    for (std::size_t k = 0; k < n; ++k) seen |= out[k] == d;
    if (!seen) out[n++] = d;
  }
  return n;
}

Dependents BuildDependents(const std::vector<PlanStep>& steps) {
  Dependents g;
  g.begin.assign(steps.size() + 1, 0);
  g.unmet.assign(steps.size(), 0);
  std::int32_t deps[3];
  for (std::size_t i = 0; i < steps.size(); ++i) {
    std::size_t n = DependenciesOf(steps[i], deps);
    g.unmet[i] = static_cast<std::uint8_t>(n);
    for (std::size_t k = 0; k < n; ++k) ++g.begin[static_cast<std::size_t>(deps[k]) + 1];
  }
  for (std::size_t i = 1; i < g.begin.size(); ++i) g.begin[i] += g.begin[i - 1];
  g.waiting.resize(g.begin.back());
  std::vector<std::uint32_t> fill(g.begin.begin(), g.begin.end() - 1);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    std::size_t n = DependenciesOf(steps[i], deps);
    for (std::size_t k = 0; k < n; ++k) {
      g.waiting[fill[static_cast<std::size_t>(deps[k])]++] = static_cast<std::uint32_t>(i);
    }
  }
  return g;
}

// The id of the task a TaskCreated event at `version` of `case_id` created.
ledger::Result<std::string> TaskIdAt(ledger::EventLog& log, const std::string& case_id,
                                     std::uint64_t version) {
  BOOST_OUTCOME_TRY(auto events, log.ReadStream(case_id, version, 1));
  if (events.empty())
    return ledger::MakeError(ledger::Code::kNotFound, "bench: task event missing");
  const schema::Envelope* e = events.front().envelope();
  if (e->event_type() != schema::EventType::TaskCreated) {
    return ledger::MakeError(ledger::Code::kInternal, "bench: expected a task_created event");
  }
  const auto* task = flatbuffers::GetRoot<schema::TaskCreated>(e->payload()->data());
  return task->task_id() ? task->task_id()->str() : std::string();
}

class Scheduler {
 public:
  Scheduler(ledger::CommandService& commands, ledger::EventLog& log, const HistoryPlan& plan,
            const GeneratorOptions& options)
      : commands_(commands),
        log_(log),
        plan_(plan),
        options_(options),
        graph_(BuildDependents(plan.steps())),
        ids_(plan.steps().size()),
        versions_(plan.steps().size(), 0),
        done_(plan.steps().size(), 0) {}

  ledger::Result<void> Run() {
    const std::size_t n = plan_.steps().size();
    RunContext run{plan_, ledger::SystemClock::Instance().NowMicros(), 0};
    run.run_nonce = static_cast<std::uint64_t>(run.end_of_history);
    std::size_t concurrency = std::max<std::size_t>(1, options_.concurrency);
    std::uint64_t reported = 0;
    std::unique_lock lock(mu_);
    while (completed_ < n && !failed_) {
      while (released_ < n && released_ < frontier_ + kWindow) {
        if (graph_.unmet[released_] == 0) ready_.push(static_cast<std::uint32_t>(released_));
        ++released_;
      }
      if (in_flight_ >= concurrency || ready_.empty()) {
        cv_.wait(lock);
        continue;
      }
      std::size_t i = ready_.top();
      ready_.pop();
      ++in_flight_;
      lock.unlock();
      Dispatch(run, i);
      if (options_.progress && completed_snapshot_ >= reported + 5000) {
        reported = completed_snapshot_;
        options_.progress(reported, n);
      }
      lock.lock();
    }
    cv_.wait(lock, [&] { return in_flight_ == 0; });
    if (failed_) return *failed_;
    if (options_.progress) options_.progress(n, n);
    return ledger::Ok();
  }

  GeneratedHistory Collect(double seconds) {
    GeneratedHistory h;
    const auto& steps = plan_.steps();
    for (std::size_t i = 0; i < steps.size(); ++i) {
      switch (steps[i].kind) {
        case StepKind::kReportIncident:
          h.incident_ids.push_back(ids_[i]);
          break;
        case StepKind::kRecordPerson:
          h.person_ids.push_back(ids_[i]);
          break;
        case StepKind::kRecordAddress:
          h.address_ids.push_back(ids_[i]);
          break;
        case StepKind::kRecordVehicle:
          h.vehicle_ids.push_back(ids_[i]);
          break;
        case StepKind::kAddLink:
          h.link_ids.push_back(ids_[i]);
          break;
        case StepKind::kOpenCase:
          h.case_ids.push_back(ids_[i]);
          break;
        case StepKind::kGrantAccess:
          h.grant_ids.push_back(ids_[i]);
          break;
        default:
          break;
      }
    }
    h.commands = h.events = steps.size();
    h.last_position = last_position_;
    h.seconds = seconds;
    return h;
  }

 private:
  void Dispatch(const RunContext& run, std::size_t i) {
    const PlanStep& step = plan_.steps()[i];
    StepRefs refs;
    // Dependencies are complete: their ids were written before `done_` was set, under mu_.
    if (step.target != kNoStep) refs.target = ids_[static_cast<std::size_t>(step.target)];
    if (step.other != kNoStep) refs.other = ids_[static_cast<std::size_t>(step.other)];
    if (step.kind == StepKind::kCompleteTask) {
      auto task = TaskIdAt(log_, refs.target, versions_[static_cast<std::size_t>(step.other)]);
      if (!task) return Finish(i, task.error());
      refs.task_id = std::move(task).value();
      refs.other.clear();
    }
    ExecuteStep(commands_, run, i, refs, [this, i](ledger::Result<ledger::CommandResult> result) {
      if (!result) return Finish(i, result.error());
      Finish(i, std::move(result).value());
    });
  }

  void Finish(std::size_t i, ledger::Result<ledger::CommandResult> result) {
    std::lock_guard lock(mu_);
    --in_flight_;
    if (!result) {
      if (!failed_) {
        ledger::Error e = result.error();
        e.message = fmt::format("bench: step {} ({}) failed: {}", i,
                                StepKindName(plan_.steps()[i].kind), e.message);
        failed_ = std::move(e);
      }
      cv_.notify_all();
      return;
    }
    ids_[i] = std::move(result.value().record_id);
    versions_[i] = result.value().version;
    last_position_ = std::max(last_position_, result.value().position);
    done_[i] = 1;
    ++completed_;
    completed_snapshot_ = completed_;
    for (std::uint32_t k = graph_.begin[i]; k < graph_.begin[i + 1]; ++k) {
      std::uint32_t d = graph_.waiting[k];
      if (--graph_.unmet[d] == 0 && d < released_) ready_.push(d);
    }
    while (frontier_ < done_.size() && done_[frontier_]) ++frontier_;
    cv_.notify_all();
  }

  ledger::CommandService& commands_;
  ledger::EventLog& log_;
  const HistoryPlan& plan_;
  const GeneratorOptions& options_;

  std::mutex mu_;
  std::condition_variable cv_;
  Dependents graph_;
  std::vector<std::string> ids_;
  std::vector<std::uint64_t> versions_;
  std::vector<std::uint8_t> done_;
  std::priority_queue<std::uint32_t, std::vector<std::uint32_t>, std::greater<>> ready_;
  std::size_t released_ = 0;  // steps below this were considered for the ready queue
  std::size_t frontier_ = 0;  // the oldest step not yet durable
  std::size_t in_flight_ = 0;
  std::size_t completed_ = 0;
  std::atomic<std::size_t> completed_snapshot_{0};
  std::optional<ledger::Error> failed_;
  ledger::Position last_position_;
};

}  // namespace

std::string_view StepKindName(StepKind kind) {
  static constexpr std::string_view kNames[kStepKinds] = {
      "record_address",  "record_person",     "record_vehicle",     "report_incident",
      "update_incident", "classify_incident", "correct_person",     "add_link",
      "add_note",        "open_case",         "assign_case",        "assess_risk",
      "create_task",     "complete_task",     "record_case_action", "close_case",
      "reopen_case",     "grant_access"};
  auto i = static_cast<std::size_t>(kind);
  return i < kStepKinds ? kNames[i] : "unknown";
}

ledger::Result<GeneratedHistory> GenerateHistory(ledger::CommandService& commands,
                                                 ledger::EventLog& log, const HistoryPlan& plan,
                                                 const GeneratorOptions& options) {
  auto started = std::chrono::steady_clock::now();
  Scheduler scheduler(commands, log, plan, options);
  BOOST_OUTCOME_TRY(scheduler.Run());
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return scheduler.Collect(seconds);
}

}  // namespace caseledger::app::bench
