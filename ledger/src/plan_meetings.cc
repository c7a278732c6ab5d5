// Planners of meetings held on a meeting case: schedule (attendees, agenda), minutes, and
// actions assigned to attendees, which are tasks of the case (docs/cases.md).
#include "command_checks.h"
#include "command_impl.h"
#include "schemas/events_generated.h"

namespace caseledger::ledger {
namespace {

namespace fb = flatbuffers;

Result<StreamState> MeetingCaseState(CommandService::Impl& impl, const CommandMeta& meta,
                                     const std::string& case_id) {
  BOOST_OUTCOME_TRY(auto state, OpenCaseState(impl, meta, case_id));
  if (state.case_type != schema::CaseType::Meeting) {
    return InvalidField("case_id", "must name a case of type meeting");
  }
  return state;
}

Result<const std::set<std::string>*> MeetingOf(const StreamState& state,
                                               const std::string& meeting_id) {
  auto it = state.meetings.find(meeting_id);
  if (it == state.meetings.end()) return NotFoundField("meeting_id");
  return &it->second;
}

}  // namespace

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const ScheduleMeeting& c) {
  BOOST_OUTCOME_TRY(CheckText(c.title, "title", 1, 200));
  if (c.held_at <= 0) return InvalidField("held_at", "is required");  // may be in the future
  if (c.attendees.empty() || c.attendees.size() > 100) {
    return InvalidField("attendees", "must hold 1 to 100 user ids");
  }
  for (std::size_t i = 0; i < c.attendees.size(); ++i) {
    std::string at = "attendees[" + std::to_string(i) + "]";
    BOOST_OUTCOME_TRY(CheckLine(c.attendees[i], at, 200));
    if (c.attendees[i].empty()) return InvalidField(at, "is required");
  }
  if (c.agenda.size() > 100) return InvalidField("agenda", "must hold at most 100 items");
  for (std::size_t i = 0; i < c.agenda.size(); ++i) {
    BOOST_OUTCOME_TRY(CheckText(c.agenda[i], "agenda[" + std::to_string(i) + "]", 1, 500));
  }
  BOOST_OUTCOME_TRY(auto state, MeetingCaseState(impl, meta, c.case_id));
  std::string meeting_id = impl.ids.Next().ToString();
  fb::FlatBufferBuilder b(512);
  auto id = b.CreateString(meeting_id);
  auto title = b.CreateString(c.title);
  auto attendees = b.CreateVectorOfStrings(c.attendees);
  auto agenda = b.CreateVectorOfStrings(c.agenda);
  b.Finish(schema::CreateMeetingScheduled(b, id, title, c.held_at, attendees, agenda));
  return OneEventPlan(c.case_id, state.version,
                      impl.Draft(EventType::MeetingScheduled, b, c.held_at, meta), meeting_id);
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const RecordMinutes& c) {
  BOOST_OUTCOME_TRY(CheckText(c.minutes, "minutes", 1, 100'000));
  BOOST_OUTCOME_TRY(auto state, MeetingCaseState(impl, meta, c.case_id));
  BOOST_OUTCOME_TRY(MeetingOf(state, c.meeting_id));
  fb::FlatBufferBuilder b(512);
  BOOST_OUTCOME_TRY(auto minutes, SealNote(impl, b, c.case_id, c.minutes));
  b.Finish(schema::CreateMeetingMinutesRecorded(b, b.CreateString(c.meeting_id), minutes));
  return OneEventPlan(c.case_id, state.version,
                      impl.Draft(EventType::MeetingMinutesRecorded, b, 0, meta));
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const AssignMeetingAction& c) {
  BOOST_OUTCOME_TRY(CheckText(c.title, "title", 1, 200));
  BOOST_OUTCOME_TRY(CheckLine(c.assignee_id, "assignee_id", 200));
  if (c.assignee_id.empty()) return InvalidField("assignee_id", "is required");
  if (c.due_at == 0) return InvalidField("due_at", "is required");
  BOOST_OUTCOME_TRY(auto state, MeetingCaseState(impl, meta, c.case_id));
  BOOST_OUTCOME_TRY(auto attendees, MeetingOf(state, c.meeting_id));
  if (attendees->count(c.assignee_id) == 0) {
    return InvalidField("assignee_id", "must be one of the meeting's attendees");
  }
  std::string task_id = impl.ids.Next().ToString();
  fb::FlatBufferBuilder b(256);
  b.Finish(schema::CreateMeetingActionAssignedDirect(b, c.meeting_id.c_str(), task_id.c_str(),
                                                     c.title.c_str(), c.assignee_id.c_str(),
                                                     c.due_at));
  return OneEventPlan(c.case_id, state.version,
                      impl.Draft(EventType::MeetingActionAssigned, b, 0, meta), task_id);
}

}  // namespace caseledger::ledger
