#include "ledger/enum_names.h"
#include "ledger/time_format.h"
#include "projections/keys.h"
#include "schemas/events_generated.h"
#include "view_builders.h"

namespace caseledger::projections {
namespace {

namespace json = boost::json;
using ledger::EnumToString;

Result<void> CaseOpened(const EventContext& c) {
  const auto* p = PayloadOf<schema::CaseOpened>(c.envelope);
  json::object view = Stamp(c.envelope, c.views.storage());
  view["kind"] = "case";
  view["reference"] = StringJson(p->reference());
  view["owner"] = OwnerJson(p->owner());
  view["case_type"] = EnumToString(p->case_type());
  view["title"] = StringJson(p->title());
  view["status"] = "open";
  view["opened_at"] = ledger::FormatTimestamp(c.envelope.occurred_at());
  view["lead_organisation_id"] = StringJson(p->lead_organisation_id());
  view["lead_officer_id"] = StringJson(p->lead_officer_id());
  BOOST_OUTCOME_TRY(auto summary, OpenSealed(c, p->summary(), &NoteText));
  view["summary"] = std::move(summary);
  view["tasks"] = json::array();
  view["actions"] = json::array();
  view["notes"] = json::array();
  view["risk_assessments"] = json::array();
  view["documents"] = json::array();
  if (p->case_type() == schema::CaseType::Meeting) view["meetings"] = json::array();
  c.views.Set(ViewKey(c.stream_id), std::move(view));
  return ledger::Ok();
}

void CaseAssigned(const EventContext& c, json::object& view) {
  const auto* p = PayloadOf<schema::CaseAssigned>(c.envelope);
  view["lead_organisation_id"] = StringJson(p->lead_organisation_id());
  view["lead_officer_id"] = StringJson(p->lead_officer_id());
  if (p->team_id() != nullptr && p->team_id()->size() > 0) {
    view["owner"].as_object()["team_id"] = StringJson(p->team_id());
  }
  view["assignment_reason"] = StringJson(p->reason());
}

void CaseClosed(const EventContext& c, json::object& view) {
  const auto* p = PayloadOf<schema::CaseClosed>(c.envelope);
  view["status"] = "closed";
  view["closed_at"] = ledger::FormatTimestamp(c.envelope.occurred_at());
  view["outcome"] = StringJson(p->outcome());
  view["signed_off_by"] = StringJson(p->signed_off_by());
  view["closure_reason"] = StringJson(p->reason());
}

void CaseReopened(const EventContext& c, json::object& view) {
  const auto* p = PayloadOf<schema::CaseReopened>(c.envelope);
  view["status"] = "open";
  view["reopened_at"] = ledger::FormatTimestamp(c.envelope.occurred_at());
  view["reopen_reason"] = StringJson(p->reason());
}

Result<void> ActionRecorded(const EventContext& c, json::object& view) {
  const auto* p = PayloadOf<schema::CaseActionRecorded>(c.envelope);
  json::object action;
  action["action_id"] = StringJson(p->action_id());
  action["action"] = EnumToString(p->action());
  action["subject_id"] = StringJson(p->subject_id());
  action["taken_at"] = TimeJson(p->taken_at());
  action["expires_at"] = TimeJson(p->expires_at());
  action["authorised_by"] = StringJson(p->authorised_by());
  action["conviction_reference"] = StringJson(p->conviction_reference());
  BOOST_OUTCOME_TRY(auto details, OpenSealed(c, p->details(), &NoteText));
  action["details"] = std::move(details);
  if (p->premises_id() != nullptr) action["premises_id"] = StringJson(p->premises_id());
  action["recorded_by"] = StringJson(c.envelope.actor() ? c.envelope.actor()->user_id() : nullptr);
  ArrayField(view, "actions").push_back(std::move(action));
  return ledger::Ok();
}

void TaskCreated(const EventContext& c, json::object& view) {
  const auto* p = PayloadOf<schema::TaskCreated>(c.envelope);
  ArrayField(view, "tasks").push_back(
      OpenTask(p->task_id(), p->title(), p->due_at(), p->assignee_id()));
}

void TaskCompleted(const EventContext& c, json::object& view) {
  const auto* p = PayloadOf<schema::TaskCompleted>(c.envelope);
  for (auto& task : ArrayField(view, "tasks")) {
    auto& t = task.as_object();
    if (t["task_id"] == StringJson(p->task_id())) {
      t["status"] = "completed";
      t["outcome"] = StringJson(p->outcome());
      t["completed_at"] = ledger::FormatTimestamp(c.envelope.occurred_at());
    }
  }
}

Result<void> NoteAdded(const EventContext& c, json::object& view) {
  const auto* p = PayloadOf<schema::NoteAdded>(c.envelope);
  json::object note;
  note["note_id"] = StringJson(p->note_id());
  BOOST_OUTCOME_TRY(auto text, OpenSealed(c, p->body(), &NoteText));
  note["text"] = std::move(text);
  note["added_by"] = StringJson(c.envelope.actor() ? c.envelope.actor()->user_id() : nullptr);
  note["added_at"] = ledger::FormatTimestamp(c.envelope.occurred_at());
  ArrayField(view, "notes").push_back(std::move(note));
  return ledger::Ok();
}

}  // namespace

json::object OpenTask(const flatbuffers::String* task_id, const flatbuffers::String* title,
                      ledger::Micros due_at, const flatbuffers::String* assignee_id) {
  json::object task;
  task["task_id"] = StringJson(task_id);
  task["title"] = StringJson(title);
  task["due_at"] = TimeJson(due_at);
  task["assignee_id"] = StringJson(assignee_id);
  task["status"] = "open";
  return task;
}

Result<void> ApplyCaseEvent(const EventContext& c) {
  using schema::EventType;
  EventType type = c.envelope.event_type();
  if (type == EventType::CaseOpened) return CaseOpened(c);
  BOOST_OUTCOME_TRY(auto* view, c.views.Edit(ViewKey(c.stream_id)));
  if (view == nullptr) {
    return ledger::MakeError(ledger::Code::kCorruption,
                             "projections: a change to a record that was never created");
  }
  Touch(*view, c.envelope);
  switch (type) {
    case EventType::CaseAssigned: CaseAssigned(c, *view); break;
    case EventType::CaseClosed: CaseClosed(c, *view); break;
    case EventType::CaseReopened: CaseReopened(c, *view); break;
    case EventType::CaseActionRecorded: return ActionRecorded(c, *view);
    case EventType::TaskCreated: TaskCreated(c, *view); break;
    case EventType::TaskCompleted: TaskCompleted(c, *view); break;
    case EventType::NoteAdded: return NoteAdded(c, *view);
    case EventType::RiskAssessed: ApplyRiskAssessed(c, *view); break;
    case EventType::DocumentAttached:
    case EventType::MeetingScheduled:
    case EventType::MeetingMinutesRecorded:
    case EventType::MeetingActionAssigned:
      return ApplyCaseItemEvent(c, *view);
    default: break;
  }
  return ledger::Ok();
}

}  // namespace caseledger::projections
