// EventToJson: the envelope's fields, then the payload rendered by its event type's renderer
// (event_json_records.cc, event_json_cases.cc).
#include "ledger/event_json.h"

#include <cstring>

#include "ledger/envelope.h"
#include "ledger/time_format.h"

namespace caseledger::ledger {
namespace {

namespace json = boost::json;

// Renders a payload already verified as `Table` with `render`.
template <class Table>
Result<json::value> Render(std::string_view payload, PersonalData* pd,
                           event_json::Rendered (*render)(const Table&, PersonalData*)) {
  BOOST_OUTCOME_TRY(json::object out, render(*flatbuffers::GetRoot<Table>(payload.data()), pd));
  return json::value(std::move(out));
}

json::value UuidOrNull(const schema::Uuid* id) {
  Uuid out;
  if (id != nullptr) std::memcpy(out.bytes.data(), id->bytes()->data(), out.bytes.size());
  if (out.IsNil()) return nullptr;
  return json::string(out.ToString());
}

json::string HexOf(const flatbuffers::Vector<std::uint8_t>* bytes) {
  if (bytes == nullptr) return {};
  return json::string(ToHex(
      {reinterpret_cast<const char*>(bytes->data()), static_cast<std::size_t>(bytes->size())}));
}

json::value ActorJson(const schema::Actor* actor) {
  json::object out;
  out["user_id"] = event_json::Str(actor == nullptr ? nullptr : actor->user_id());
  out["organisation_id"] = event_json::Str(actor == nullptr ? nullptr : actor->organisation_id());
  out["team_id"] = event_json::Str(actor == nullptr ? nullptr : actor->team_id());
  return out;
}

}  // namespace

Result<json::value> PayloadToJson(EventType type, std::string_view p, PersonalData* pd) {
  namespace r = event_json;
  if (EventTypeName(type) == "unknown") return json::value(nullptr);
  BOOST_OUTCOME_TRY(VerifyPayload(type, p));
  switch (type) {
    case EventType::IncidentReported:
      return Render(p, pd, &r::IncidentReported);
    case EventType::IncidentUpdated:
      return Render(p, pd, &r::IncidentUpdated);
    case EventType::IncidentClassified:
      return Render(p, pd, &r::IncidentClassified);
    case EventType::PersonRecorded:
      return Render(p, pd, &r::PersonRecorded);
    case EventType::PersonCorrected:
      return Render(p, pd, &r::PersonCorrected);
    case EventType::AddressRecorded:
      return Render(p, pd, &r::AddressRecorded);
    case EventType::VehicleRecorded:
      return Render(p, pd, &r::VehicleRecorded);
    case EventType::LinkAdded:
      return Render(p, pd, &r::LinkAdded);
    case EventType::LinkRemoved:
      return Render(p, pd, &r::LinkRemoved);
    case EventType::CaseOpened:
      return Render(p, pd, &r::CaseOpened);
    case EventType::CaseAssigned:
      return Render(p, pd, &r::CaseAssigned);
    case EventType::CaseClosed:
      return Render(p, pd, &r::CaseClosed);
    case EventType::CaseReopened:
      return Render(p, pd, &r::CaseReopened);
    case EventType::CaseActionRecorded:
      return Render(p, pd, &r::CaseActionRecorded);
    case EventType::TaskCreated:
      return Render(p, pd, &r::TaskCreated);
    case EventType::TaskCompleted:
      return Render(p, pd, &r::TaskCompleted);
    case EventType::NoteAdded:
      return Render(p, pd, &r::NoteAdded);
    case EventType::RiskAssessed:
      return Render(p, pd, &r::RiskAssessed);
    case EventType::AccessGranted:
      return Render(p, pd, &r::AccessGranted);
    case EventType::AccessRevoked:
      return Render(p, pd, &r::AccessRevoked);
    case EventType::AccessRequested:
      return Render(p, pd, &r::AccessRequested);
    case EventType::AccessRequestDecided:
      return Render(p, pd, &r::AccessRequestDecided);
    case EventType::RecordConsulted:
      return Render(p, pd, &r::RecordConsulted);
    case EventType::RecordDisclosed:
      return Render(p, pd, &r::RecordDisclosed);
    case EventType::OrganisationCreated:
      return Render(p, pd, &r::OrganisationCreated);
    case EventType::OrganisationSettingsChanged:
      return Render(p, pd, &r::OrganisationSettingsChanged);
    case EventType::TeamCreated:
      return Render(p, pd, &r::TeamCreated);
    case EventType::UserCreated:
      return Render(p, pd, &r::UserCreated);
    case EventType::UserRolesChanged:
      return Render(p, pd, &r::UserRolesChanged);
    case EventType::UserDeactivated:
      return Render(p, pd, &r::UserDeactivated);
    case EventType::UserReactivated:
      return Render(p, pd, &r::UserReactivated);
    case EventType::UserPasswordChanged:
      return Render(p, pd, &r::UserPasswordChanged);
    case EventType::ApiKeyIssued:
      return Render(p, pd, &r::ApiKeyIssued);
    case EventType::ApiKeyRevoked:
      return Render(p, pd, &r::ApiKeyRevoked);
    case EventType::DocumentAttached:
      return Render(p, pd, &r::DocumentAttached);
    case EventType::MeetingScheduled:
      return Render(p, pd, &r::MeetingScheduled);
    case EventType::MeetingMinutesRecorded:
      return Render(p, pd, &r::MeetingMinutesRecorded);
    case EventType::MeetingActionAssigned:
      return Render(p, pd, &r::MeetingActionAssigned);
    case EventType::RiskInstrumentPublished:
      return Render(p, pd, &r::RiskInstrumentPublished);
    case EventType::Unknown:
      break;
  }
  return json::value(nullptr);
}

Result<json::object> EventToJson(const schema::Envelope& e, PersonalData* personal_data,
                                 const Position& position) {
  std::string_view payload;
  if (e.payload() != nullptr) {
    payload = {reinterpret_cast<const char*>(e.payload()->data()), e.payload()->size()};
  }
  BOOST_OUTCOME_TRY(json::value rendered, PayloadToJson(e.event_type(), payload, personal_data));

  json::object out;
  out["event_id"] = UuidOrNull(e.event_id());
  out["stream_id"] = event_json::Str(e.stream_id());
  out["stream_version"] = e.stream_version();
  out["event_type"] = EventTypeName(e.event_type());
  out["schema_version"] = e.schema_version();
  out["occurred_at"] = FormatTimestamp(e.occurred_at());
  out["recorded_at"] = FormatTimestamp(e.recorded_at());
  if (e.source_recorded_at() != 0) {
    out["source_recorded_at"] = FormatTimestamp(e.source_recorded_at());
  }
  out["actor"] = ActorJson(e.actor());
  out["purpose"] = event_json::Str(e.purpose());
  out["correlation_id"] = UuidOrNull(e.correlation_id());
  out["causation_id"] = UuidOrNull(e.causation_id());
  if (e.idempotency_key() == nullptr || e.idempotency_key()->size() == 0) {
    out["idempotency_key"] = nullptr;
  } else {
    out["idempotency_key"] = event_json::Str(e.idempotency_key());
  }
  out["prev_hash"] = HexOf(e.prev_hash());
  out["hash"] = HexOf(e.hash());
  out["position"] = position.ToString();
  const bool known = !rendered.is_null();
  out["payload"] = std::move(rendered);
  if (!known) out["payload_size"] = payload.size();
  return out;
}

}  // namespace caseledger::ledger
