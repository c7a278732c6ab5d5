// The machinery behind CommandService: a command becomes a Plan (the events to append, computed
// from current state by a planner in plan_*.cc), which Run() appends, retrying on a lost race.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <flatbuffers/flatbuffers.h>

#include <functional>
#include <string>

#include "ledger/command_service.h"
#include "stream_state.h"

namespace caseledger::ledger {

struct Plan {
  std::string record_id;                 // the record created or changed; its stream comes first
  std::vector<StreamAppend> streams;
  std::string item_id;                   // a task, action, note or assessment it creates
};

struct CommandService::Impl {
  Impl(EventLog& log, PersonalData& personal_data, IdGenerator& ids, const Clock& clock)
      : log(log), personal_data(personal_data), ids(ids), clock(clock), states(log) {}

  EventLog& log;
  PersonalData& personal_data;
  IdGenerator& ids;
  const Clock& clock;
  StreamStates states;
  boost::asio::thread_pool retries{1};

  // Checks idempotency, plans, appends; on a lost race without If-Match, plans again.
  void Run(const CommandMeta& meta, std::function<Result<Plan>()> planner, Done done,
           int attempt = 0);

  // A new record id of `kind`, in a partition this node's log writes. With an idempotency key the
  // id is derived from the actor, the key and the kind, so a retry names the same record (and
  // reaches the same writer) however it is routed.
  std::string NewRecordId(std::string_view kind, const CommandMeta& meta);

  // A draft holding the finished FlatBuffer in `b`.
  EventDraft Draft(EventType type, const flatbuffers::FlatBufferBuilder& b, Micros occurred_at,
                   const CommandMeta& meta);

  // The state of a record the command changes: kNotFound (naming `field`) when it does not exist,
  // kVersionConflict when the command's If-Match differs from its version.
  Result<StreamState> Target(std::string_view record_id, std::string_view field,
                             const CommandMeta& meta);
  // A record the command refers to without changing it: kNotFound naming `field` if missing.
  Result<StreamState> Referenced(std::string_view record_id, std::string_view field);

  // Seals `inner` (a finished FlatBuffer) to `subject` and adds the Sealed table to `outer`.
  Result<flatbuffers::Offset<schema::Sealed>> Seal(flatbuffers::FlatBufferBuilder& outer,
                                                   std::string_view subject,
                                                   const flatbuffers::FlatBufferBuilder& inner);

  // One stream append of a single event at the expected version.
  static StreamAppend Single(std::string stream, std::uint64_t expected, EventDraft draft);
};

// Planners, one per command (plan_*.cc).
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const ReportIncident&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const UpdateIncident&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const ClassifyIncident&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const RecordPerson&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const CorrectPerson&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const RecordAddress&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const RecordVehicle&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const AddLink&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const RemoveLink&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const OpenCase&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const AssignCase&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const CloseCase&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const ReopenCase&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const RecordCaseAction&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const CreateTask&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const CompleteTask&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const AddNote&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const AssessRisk&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const GrantAccess&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const RevokeAccess&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const RequestAccess&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const DecideAccessRequest&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const CreateOrganisation&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const ChangeOrganisationSettings&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const CreateTeam&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const CreateUser&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const ChangeUserRoles&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const DeactivateUser&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const ReactivateUser&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const ChangeUserPassword&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const IssueApiKey&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const RevokeApiKey&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const AttachDocument&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const ScheduleMeeting&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const RecordMinutes&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const AssignMeetingAction&);
Result<Plan> PlanCommand(CommandService::Impl&, const CommandMeta&, const PublishRiskInstrument&);

// Whether a case's closure names who signed it off (ASB.md: supervisors sign off closures).
// Here only that an id is given; that it names an active supervisor of the caller's
// organisation is checked where users are known, by the HTTP route (app/src/api CheckSignOff).
Result<void> CheckSupervisorSignOff(CommandService::Impl& impl, const CommandMeta& meta,
                                    std::string_view signed_off_by);

// The open case `case_id` (kInvalidArgument when closed), checking the command's If-Match.
Result<StreamState> OpenCaseState(CommandService::Impl& impl, const CommandMeta& meta,
                                  const std::string& case_id);

// A plan of one event on one stream.
Plan OneEventPlan(const std::string& id, std::uint64_t expected, EventDraft draft,
                  std::string item_id = {});

// Seals `text` as a NoteBody to `subject`.
Result<flatbuffers::Offset<schema::Sealed>> SealNote(CommandService::Impl& impl,
                                                     flatbuffers::FlatBufferBuilder& b,
                                                     std::string_view subject,
                                                     std::string_view text);

// The owner of a record the actor creates: the actor's organisation and team.
flatbuffers::Offset<schema::Owner> OwnerOf(flatbuffers::FlatBufferBuilder& b, const Actor& actor);

}  // namespace caseledger::ledger
