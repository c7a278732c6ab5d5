// The per-event view changes, grouped by record family. Each function applies one event (already
// verified) to the batch. See projections/views.md for the resulting shapes.
#pragma once

#include <boost/json.hpp>

#include "ledger/envelope.h"
#include "ledger/personal_data.h"
#include "schemas/events_generated.h"
#include "view_batch.h"

namespace caseledger::projections {

struct EventContext {
  const schema::Envelope& envelope;
  ledger::PersonalData& personal_data;
  ViewBatch& views;
  std::string_view stream_id;
};

// Incidents, people, addresses, vehicles.
Result<void> ApplyRecordEvent(const EventContext& context);
// Cases, tasks, actions; notes and risk assessments on any record.
Result<void> ApplyCaseEvent(const EventContext& context);
// Links and access grants.
Result<void> ApplyLinkEvent(const EventContext& context);
// Organisations, teams, users and API keys.
Result<void> ApplyIdentityEvent(const EventContext& context);
// Documents and meetings on a case's view (case_item_views.cc), called by ApplyCaseEvent.
Result<void> ApplyCaseItemEvent(const EventContext& context, boost::json::object& view);
// A risk assessment on a case's or incident's view, and its entry in the risk review work queue
// (risk_views.cc), called by ApplyCaseEvent.
void ApplyRiskAssessed(const EventContext& context, boost::json::object& view);
// A risk instrument's view (risk_views.cc).
Result<void> ApplyInstrumentEvent(const EventContext& context);

// Shared helpers.
// The payload of an event already verified as `T`.
template <class T>
const T* PayloadOf(const schema::Envelope& e) {
  return flatbuffers::GetRoot<T>(e.payload()->data());
}
// A new task entry of a case view (projections/views.md), status "open".
boost::json::object OpenTask(const flatbuffers::String* task_id, const flatbuffers::String* title,
                             ledger::Micros due_at, const flatbuffers::String* assignee_id);
// A sealed NoteBody's text.
boost::json::value NoteText(const schema::NoteBody& body);
// The created_* fields of a new view, built in `storage` (pass the batch's).
boost::json::object Stamp(const schema::Envelope& envelope, boost::json::storage_ptr storage = {});
void Touch(boost::json::object& view, const schema::Envelope& envelope);  // version, updated_at
// The view of the event's record, for a change event: touched (Touch) and to be written back.
// Errors: kCorruption when the record was never created; those of ViewBatch::Edit.
Result<boost::json::object*> EditTouched(const EventContext& context);
boost::json::value OwnerJson(const schema::Owner* owner);
boost::json::value TimeJson(ledger::Micros t);  // null for 0
boost::json::value StringJson(const flatbuffers::String* s);
// The array member `name` of `view`, created empty when absent.
boost::json::array& ArrayField(boost::json::object& view, std::string_view name);
// Opens a sealed field and parses its plaintext as `Table`; null when absent. When the subject's
// key was destroyed, returns the string "disposed".
template <class Table>
Result<boost::json::value> OpenSealed(const EventContext& context, const schema::Sealed* sealed,
                                      boost::json::value (*render)(const Table&));

}  // namespace caseledger::projections

#include "view_builders_inl.h"
