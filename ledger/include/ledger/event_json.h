// Events as JSON: the envelope and every field of its payload, for the HTTP API, exports and
// auditors. Personal data is shown only when the caller passes a PersonalData to open it.
//
// Example:
//   Result<boost::json::object> json = EventToJson(*event.envelope(), &personal_data,
//                                                  event.position);
//   // {"event_id":"0190...","stream_id":"incident-...","stream_version":1,
//   //  "event_type":"incident_reported",...,"position":"0:42","payload":{...}}
//
// Spelling, the same for every event type:
//   - members appear in the order of the schema (schemas/envelope.fbs, schemas/events.fbs), so the
//     output is deterministic: the same event always renders to the same text;
//   - enums in snake_case (ledger/enum_names.h), unknown values as "unknown";
//   - times as RFC 3339 "YYYY-MM-DDTHH:MM:SS.ffffffZ" (ledger/time_format.h), null for 0; an
//     envelope's source_recorded_at is omitted when 0;
//   - strings as given, "" when absent; lists as arrays, [] when absent; absent tables null;
//     ids and hashes as strings (UUIDs 8-4-4-4-12, hashes lower-case hex); nil correlation and
//     causation ids and an empty idempotency key are null;
//   - a UPRN of 0 (unknown) is null;
//   - optional scalars (IncidentUpdated) are omitted when absent, and so are IncidentUpdated's
//     location and details, since absent means "unchanged" there;
//   - a Sealed field renders as its plaintext table's fields when `personal_data` opens it;
//     as {"sealed":true,"subject_id":...} when `personal_data` is null; and as
//     {"disposed":true,"subject_id":...} when the subject's keys were destroyed;
//   - an event type this build does not know renders the envelope with "payload": null and
//     "payload_size" (bytes).
//
// Errors: kCorruption (the payload or a sealed plaintext is not a valid FlatBuffer of its type, or
// a sealed value fails authentication), kIOError (the key store failed).
// Thread safety: the functions are thread-safe when `personal_data` is.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>
#include <string_view>

#include "ledger/clock.h"
#include "ledger/event.h"
#include "ledger/personal_data.h"
#include "ledger/result.h"
#include "schemas/envelope_generated.h"

namespace caseledger::ledger {

// The whole event: envelope, position ("P:O") and payload. `envelope` must have passed
// VerifyEnvelope (events read from an EventLog have); the payload is verified here.
Result<boost::json::object> EventToJson(const schema::Envelope& envelope,
                                        PersonalData* personal_data, const Position& position);

// The payload alone: an object for a known event type, null for an unknown one.
Result<boost::json::value> PayloadToJson(EventType type, std::string_view payload,
                                         PersonalData* personal_data);

// Building blocks of the renderers, for code that renders a decoded table itself.
namespace event_json {

boost::json::value Time(Micros t);                      // RFC 3339; null for 0
boost::json::string Str(const flatbuffers::String* s);  // "" when absent
boost::json::array Strings(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* v);
boost::json::value Uprn(std::uint64_t uprn);           // null for 0
boost::json::value Owner(const schema::Owner* owner);  // {organisation_id, team_id} or null
boost::json::value Coordinates(const schema::Coordinates* coordinates);
boost::json::value Location(const schema::Location* location);

// Which plaintext table a Sealed field holds (schemas/events.fbs names it per field).
enum class Plaintext { kIncidentDetails, kPersonDetails, kNoteBody };

// A Sealed field: null when absent, else opened or marked as described at the top of this file.
Result<boost::json::value> Sealed(const schema::Sealed* sealed, Plaintext plaintext,
                                  PersonalData* personal_data);

// One renderer per event type: every field of its table, in schema order.
using Rendered = Result<boost::json::object>;
Rendered IncidentReported(const schema::IncidentReported& p, PersonalData* pd);
Rendered IncidentUpdated(const schema::IncidentUpdated& p, PersonalData* pd);
Rendered IncidentClassified(const schema::IncidentClassified& p, PersonalData* pd);
Rendered PersonRecorded(const schema::PersonRecorded& p, PersonalData* pd);
Rendered PersonCorrected(const schema::PersonCorrected& p, PersonalData* pd);
Rendered AddressRecorded(const schema::AddressRecorded& p, PersonalData* pd);
Rendered VehicleRecorded(const schema::VehicleRecorded& p, PersonalData* pd);
Rendered LinkAdded(const schema::LinkAdded& p, PersonalData* pd);
Rendered LinkRemoved(const schema::LinkRemoved& p, PersonalData* pd);
Rendered CaseOpened(const schema::CaseOpened& p, PersonalData* pd);
Rendered CaseAssigned(const schema::CaseAssigned& p, PersonalData* pd);
Rendered CaseClosed(const schema::CaseClosed& p, PersonalData* pd);
Rendered CaseReopened(const schema::CaseReopened& p, PersonalData* pd);
Rendered CaseActionRecorded(const schema::CaseActionRecorded& p, PersonalData* pd);
Rendered TaskCreated(const schema::TaskCreated& p, PersonalData* pd);
Rendered TaskCompleted(const schema::TaskCompleted& p, PersonalData* pd);
Rendered NoteAdded(const schema::NoteAdded& p, PersonalData* pd);
Rendered RiskAssessed(const schema::RiskAssessed& p, PersonalData* pd);
Rendered AccessGranted(const schema::AccessGranted& p, PersonalData* pd);
Rendered AccessRevoked(const schema::AccessRevoked& p, PersonalData* pd);
Rendered AccessRequested(const schema::AccessRequested& p, PersonalData* pd);
Rendered AccessRequestDecided(const schema::AccessRequestDecided& p, PersonalData* pd);
Rendered RecordConsulted(const schema::RecordConsulted& p, PersonalData* pd);
Rendered RecordDisclosed(const schema::RecordDisclosed& p, PersonalData* pd);
Rendered OrganisationCreated(const schema::OrganisationCreated& p, PersonalData* pd);
Rendered OrganisationSettingsChanged(const schema::OrganisationSettingsChanged& p, PersonalData* pd);
Rendered TeamCreated(const schema::TeamCreated& p, PersonalData* pd);
Rendered UserCreated(const schema::UserCreated& p, PersonalData* pd);
Rendered UserRolesChanged(const schema::UserRolesChanged& p, PersonalData* pd);
Rendered UserDeactivated(const schema::UserDeactivated& p, PersonalData* pd);
Rendered UserReactivated(const schema::UserReactivated& p, PersonalData* pd);
Rendered UserPasswordChanged(const schema::UserPasswordChanged& p, PersonalData* pd);
Rendered ApiKeyIssued(const schema::ApiKeyIssued& p, PersonalData* pd);
Rendered ApiKeyRevoked(const schema::ApiKeyRevoked& p, PersonalData* pd);
Rendered DocumentAttached(const schema::DocumentAttached& p, PersonalData* pd);
Rendered MeetingScheduled(const schema::MeetingScheduled& p, PersonalData* pd);
Rendered MeetingMinutesRecorded(const schema::MeetingMinutesRecorded& p, PersonalData* pd);
Rendered MeetingActionAssigned(const schema::MeetingActionAssigned& p, PersonalData* pd);
Rendered RiskInstrumentPublished(const schema::RiskInstrumentPublished& p, PersonalData* pd);

}  // namespace event_json
}  // namespace caseledger::ledger
