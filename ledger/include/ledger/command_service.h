// The write side's front: checks each command against the domain rules and the record's current
// state, seals its personal data, turns it into events and appends them.
//
// Every method answers through `done` exactly once, from any thread: after the events are durable,
// or with an error naming the field and the rule (nothing written). A command with an idempotency
// key that was already used answers as the first one did. Without an expected version (If-Match),
// a command that loses a race with another writer is re-checked against the new state and retried
// a few times; with one, a stale version is refused with kVersionConflict and the current version.
//
// Thread safety: all methods are thread-safe. The log, personal data, ids and clock must outlive
// the service.
#pragma once

#include <functional>
#include <memory>

#include "ledger/clock.h"
#include "ledger/commands.h"
#include "ledger/event_log.h"
#include "ledger/ids.h"
#include "ledger/personal_data.h"
#include "ledger/result.h"

namespace caseledger::ledger {

class CommandService {
 public:
  using Done = std::function<void(Result<CommandResult>)>;

  CommandService(EventLog& log, PersonalData& personal_data, IdGenerator& ids, const Clock& clock);
  ~CommandService();

  void Execute(const CommandMeta& meta, ReportIncident command, Done done);
  void Execute(const CommandMeta& meta, UpdateIncident command, Done done);
  void Execute(const CommandMeta& meta, ClassifyIncident command, Done done);
  void Execute(const CommandMeta& meta, RecordPerson command, Done done);
  void Execute(const CommandMeta& meta, CorrectPerson command, Done done);
  void Execute(const CommandMeta& meta, RecordAddress command, Done done);
  void Execute(const CommandMeta& meta, RecordVehicle command, Done done);
  void Execute(const CommandMeta& meta, AddLink command, Done done);
  void Execute(const CommandMeta& meta, RemoveLink command, Done done);
  void Execute(const CommandMeta& meta, OpenCase command, Done done);
  void Execute(const CommandMeta& meta, AssignCase command, Done done);
  void Execute(const CommandMeta& meta, CloseCase command, Done done);
  void Execute(const CommandMeta& meta, ReopenCase command, Done done);
  void Execute(const CommandMeta& meta, RecordCaseAction command, Done done);
  void Execute(const CommandMeta& meta, CreateTask command, Done done);
  void Execute(const CommandMeta& meta, CompleteTask command, Done done);
  void Execute(const CommandMeta& meta, AddNote command, Done done);
  void Execute(const CommandMeta& meta, AssessRisk command, Done done);
  void Execute(const CommandMeta& meta, GrantAccess command, Done done);
  void Execute(const CommandMeta& meta, RevokeAccess command, Done done);
  void Execute(const CommandMeta& meta, RequestAccess command, Done done);
  void Execute(const CommandMeta& meta, DecideAccessRequest command, Done done);
  void Execute(const CommandMeta& meta, CreateOrganisation command, Done done);
  void Execute(const CommandMeta& meta, ChangeOrganisationSettings command, Done done);
  void Execute(const CommandMeta& meta, CreateTeam command, Done done);
  void Execute(const CommandMeta& meta, CreateUser command, Done done);
  void Execute(const CommandMeta& meta, ChangeUserRoles command, Done done);
  void Execute(const CommandMeta& meta, DeactivateUser command, Done done);
  void Execute(const CommandMeta& meta, ReactivateUser command, Done done);
  void Execute(const CommandMeta& meta, ChangeUserPassword command, Done done);
  void Execute(const CommandMeta& meta, IssueApiKey command, Done done);
  void Execute(const CommandMeta& meta, RevokeApiKey command, Done done);
  void Execute(const CommandMeta& meta, AttachDocument command, Done done);
  void Execute(const CommandMeta& meta, ScheduleMeeting command, Done done);
  void Execute(const CommandMeta& meta, RecordMinutes command, Done done);
  void Execute(const CommandMeta& meta, AssignMeetingAction command, Done done);
  void Execute(const CommandMeta& meta, PublishRiskInstrument command, Done done);

  // Blocking form, for the CLI, benchmarks and tests.
  template <class Command>
  Result<CommandResult> Run(const CommandMeta& meta, Command command);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace caseledger::ledger

#include <future>

namespace caseledger::ledger {

template <class Command>
Result<CommandResult> CommandService::Run(const CommandMeta& meta, Command command) {
  std::promise<Result<CommandResult>> promise;
  auto future = promise.get_future();
  Execute(meta, std::move(command),
          [&promise](Result<CommandResult> result) { promise.set_value(std::move(result)); });
  return future.get();
}

}  // namespace caseledger::ledger
