// Documents and meetings on a case's view (projections/views.md).
#include "ledger/envelope.h"
#include "ledger/time_format.h"
#include "schemas/events_generated.h"
#include "view_builders.h"

namespace caseledger::projections {
namespace {

namespace json = boost::json;
using schema::EventType;

json::value ActorId(const schema::Envelope& e) {
  return e.actor() ? StringJson(e.actor()->user_id()) : json::value(nullptr);
}

json::array Strings(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* v) {
  json::array out;
  if (v != nullptr) {
    for (const auto* s : *v) out.push_back(StringJson(s));
  }
  return out;
}

// The meeting `meeting_id` in the view's "meetings", or nullptr.
json::object* FindMeeting(json::object& view, const flatbuffers::String* meeting_id) {
  for (auto& m : ArrayField(view, "meetings")) {
    if (m.as_object()["meeting_id"] == StringJson(meeting_id)) return &m.as_object();
  }
  return nullptr;
}

void DocumentAttached(const EventContext& c, json::object& view) {
  const auto* p = PayloadOf<schema::DocumentAttached>(c.envelope);
  json::object d;
  d["document_id"] = StringJson(p->document_id());
  d["name"] = StringJson(p->name());
  d["media_type"] = StringJson(p->media_type());
  d["size"] = p->size();
  d["hash_algorithm"] = StringJson(p->hash_algorithm());
  d["hash"] = p->hash() == nullptr ? std::string()
                                   : ledger::ToHex({reinterpret_cast<const char*>(p->hash()->data()),
                                                    p->hash()->size()});
  d["attached_at"] = ledger::FormatTimestamp(c.envelope.occurred_at());
  d["attached_by"] = ActorId(c.envelope);
  ArrayField(view, "documents").push_back(std::move(d));
}

void MeetingScheduled(const EventContext& c, json::object& view) {
  const auto* p = PayloadOf<schema::MeetingScheduled>(c.envelope);
  json::object m;
  m["meeting_id"] = StringJson(p->meeting_id());
  m["title"] = StringJson(p->title());
  m["held_at"] = TimeJson(p->held_at());
  m["attendees"] = Strings(p->attendees());
  m["agenda"] = Strings(p->agenda());
  m["minutes"] = nullptr;
  m["action_task_ids"] = json::array();
  ArrayField(view, "meetings").push_back(std::move(m));
}

Result<void> MinutesRecorded(const EventContext& c, json::object& view) {
  const auto* p = PayloadOf<schema::MeetingMinutesRecorded>(c.envelope);
  BOOST_OUTCOME_TRY(auto minutes, OpenSealed(c, p->minutes(), &NoteText));
  if (json::object* m = FindMeeting(view, p->meeting_id())) {
    (*m)["minutes"] = std::move(minutes);
    (*m)["minutes_recorded_at"] = ledger::FormatTimestamp(c.envelope.occurred_at());
    (*m)["minutes_recorded_by"] = ActorId(c.envelope);
  }
  return ledger::Ok();
}

// A meeting action is a task of the case, marked with its meeting.
void MeetingActionAssigned(const EventContext& c, json::object& view) {
  const auto* p = PayloadOf<schema::MeetingActionAssigned>(c.envelope);
  json::object task = OpenTask(p->task_id(), p->title(), p->due_at(), p->assignee_id());
  task["meeting_id"] = StringJson(p->meeting_id());
  ArrayField(view, "tasks").push_back(std::move(task));
  if (json::object* m = FindMeeting(view, p->meeting_id())) {
    ArrayField(*m, "action_task_ids").push_back(StringJson(p->task_id()));
  }
}

}  // namespace

Result<void> ApplyCaseItemEvent(const EventContext& c, json::object& view) {
  switch (c.envelope.event_type()) {
    case EventType::DocumentAttached: DocumentAttached(c, view); break;
    case EventType::MeetingScheduled: MeetingScheduled(c, view); break;
    case EventType::MeetingMinutesRecorded: return MinutesRecorded(c, view);
    case EventType::MeetingActionAssigned: MeetingActionAssigned(c, view); break;
    default: break;
  }
  return ledger::Ok();
}

}  // namespace caseledger::projections
