#include "ledger/envelope.h"

#include <sodium.h>

#include <cstring>

#include "schemas/events_generated.h"

namespace caseledger::ledger {
namespace {

namespace fb = flatbuffers;

// Canonical encoding fed to the hash: fixed-width little-endian integers, length-prefixed bytes.
class HashWriter {
 public:
  explicit HashWriter(std::string_view domain) {
    crypto_generichash_init(&state_, nullptr, 0, kHashSize);
    Bytes(domain);
  }
  void U64(std::uint64_t v) {
    std::uint8_t b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<std::uint8_t>(v >> (8 * i));
    crypto_generichash_update(&state_, b, sizeof b);
  }
  void Bytes(std::string_view s) {
    U64(s.size());
    crypto_generichash_update(&state_, reinterpret_cast<const unsigned char*>(s.data()), s.size());
  }
  void Fixed(const std::uint8_t* p, std::size_t n) { crypto_generichash_update(&state_, p, n); }
  Hash Final() {
    Hash h;
    crypto_generichash_final(&state_, h.data(), h.size());
    return h;
  }

 private:
  crypto_generichash_state state_;
};

fb::Offset<fb::String> OptionalString(fb::FlatBufferBuilder& b, const std::string& s) {
  return s.empty() ? 0 : b.CreateString(s);
}

Uuid FromFb(const schema::Uuid* id) {
  Uuid out;
  if (id != nullptr) std::memcpy(out.bytes.data(), id->bytes()->data(), 16);
  return out;
}

schema::Uuid ToFb(const Uuid& id) {
  return schema::Uuid(flatbuffers::span<const std::uint8_t, 16>(id.bytes.data(), 16));
}

std::string Str(const fb::String* s) { return s == nullptr ? std::string() : s->str(); }

template <class Table>
bool VerifyAs(std::string_view payload) {
  fb::Verifier verifier(reinterpret_cast<const std::uint8_t*>(payload.data()), payload.size(),
                        /*max_depth=*/32, /*max_tables=*/100000);
  return verifier.VerifyBuffer<Table>(nullptr);
}

}  // namespace

Hash ComputeEventHash(const EnvelopeFields& f) {
  HashWriter w("caseledger.event.v1");
  w.Fixed(f.event_id.bytes.data(), 16);
  w.Bytes(f.stream_id);
  w.U64(f.stream_version);
  w.U64(static_cast<std::uint64_t>(f.event_type));
  w.U64(f.schema_version);
  w.U64(static_cast<std::uint64_t>(f.occurred_at));
  w.U64(static_cast<std::uint64_t>(f.recorded_at));
  w.U64(static_cast<std::uint64_t>(f.source_recorded_at));
  w.Bytes(f.actor.user_id);
  w.Bytes(f.actor.organisation_id);
  w.Bytes(f.actor.team_id);
  w.Bytes(f.purpose);
  w.Fixed(f.correlation_id.bytes.data(), 16);
  w.Fixed(f.causation_id.bytes.data(), 16);
  w.Bytes(f.idempotency_key);
  w.Fixed(f.prev_hash.data(), f.prev_hash.size());
  w.Bytes(f.payload);
  return w.Final();
}

std::string EncodeEnvelope(const EnvelopeFields& f) {
  fb::FlatBufferBuilder b(256 + f.payload.size());
  auto stream_id = b.CreateString(f.stream_id);
  auto actor = schema::CreateActor(b, OptionalString(b, f.actor.user_id),
                                   OptionalString(b, f.actor.organisation_id),
                                   OptionalString(b, f.actor.team_id));
  auto purpose = OptionalString(b, f.purpose);
  auto idempotency_key = OptionalString(b, f.idempotency_key);
  auto prev_hash = b.CreateVector(f.prev_hash.data(), f.prev_hash.size());
  auto hash = b.CreateVector(f.hash.data(), f.hash.size());
  auto payload =
      b.CreateVector(reinterpret_cast<const std::uint8_t*>(f.payload.data()), f.payload.size());
  schema::Uuid event_id = ToFb(f.event_id);
  schema::Uuid correlation_id = ToFb(f.correlation_id);
  schema::Uuid causation_id = ToFb(f.causation_id);
  schema::EnvelopeBuilder e(b);
  e.add_event_id(&event_id);
  e.add_stream_id(stream_id);
  e.add_stream_version(f.stream_version);
  e.add_event_type(f.event_type);
  e.add_schema_version(f.schema_version);
  e.add_occurred_at(f.occurred_at);
  e.add_recorded_at(f.recorded_at);
  e.add_source_recorded_at(f.source_recorded_at);
  e.add_actor(actor);
  e.add_purpose(purpose);
  e.add_correlation_id(&correlation_id);
  e.add_causation_id(&causation_id);
  e.add_idempotency_key(idempotency_key);
  e.add_prev_hash(prev_hash);
  e.add_hash(hash);
  e.add_payload(payload);
  b.Finish(e.Finish(), schema::EnvelopeIdentifier());
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

Result<const schema::Envelope*> VerifyEnvelope(std::string_view bytes) {
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  if (bytes.size() < 8 || bytes.size() > (1u << 30)) {
    return MakeError(Code::kCorruption, "envelope: size out of range");
  }
  if (!fb::BufferHasIdentifier(data, schema::EnvelopeIdentifier())) {
    return MakeError(Code::kCorruption, "envelope: wrong file identifier");
  }
  fb::Verifier verifier(data, bytes.size(), /*max_depth=*/16, /*max_tables=*/64);
  if (!schema::VerifyEnvelopeBuffer(verifier)) {
    return MakeError(Code::kCorruption, "envelope: FlatBuffers verification failed");
  }
  const schema::Envelope* e = schema::GetEnvelope(data);
  if (e->event_id() == nullptr) return MakeError(Code::kCorruption, "envelope: no event_id");
  if (e->stream_id() == nullptr || e->stream_id()->size() == 0) {
    return MakeError(Code::kCorruption, "envelope: no stream_id");
  }
  if (e->stream_version() == 0) return MakeError(Code::kCorruption, "envelope: version 0");
  if (e->prev_hash() == nullptr || e->prev_hash()->size() != kHashSize || e->hash() == nullptr ||
      e->hash()->size() != kHashSize) {
    return MakeError(Code::kCorruption, "envelope: hash fields must be 32 bytes");
  }
  if (e->payload() == nullptr) return MakeError(Code::kCorruption, "envelope: no payload");
  return e;
}

Result<void> VerifyPayload(EventType type, std::string_view p) {
  bool ok = true;
  switch (type) {
    case EventType::IncidentReported: ok = VerifyAs<schema::IncidentReported>(p); break;
    case EventType::IncidentUpdated: ok = VerifyAs<schema::IncidentUpdated>(p); break;
    case EventType::IncidentClassified: ok = VerifyAs<schema::IncidentClassified>(p); break;
    case EventType::PersonRecorded: ok = VerifyAs<schema::PersonRecorded>(p); break;
    case EventType::PersonCorrected: ok = VerifyAs<schema::PersonCorrected>(p); break;
    case EventType::AddressRecorded: ok = VerifyAs<schema::AddressRecorded>(p); break;
    case EventType::VehicleRecorded: ok = VerifyAs<schema::VehicleRecorded>(p); break;
    case EventType::LinkAdded: ok = VerifyAs<schema::LinkAdded>(p); break;
    case EventType::LinkRemoved: ok = VerifyAs<schema::LinkRemoved>(p); break;
    case EventType::CaseOpened: ok = VerifyAs<schema::CaseOpened>(p); break;
    case EventType::CaseAssigned: ok = VerifyAs<schema::CaseAssigned>(p); break;
    case EventType::CaseClosed: ok = VerifyAs<schema::CaseClosed>(p); break;
    case EventType::CaseReopened: ok = VerifyAs<schema::CaseReopened>(p); break;
    case EventType::CaseActionRecorded: ok = VerifyAs<schema::CaseActionRecorded>(p); break;
    case EventType::TaskCreated: ok = VerifyAs<schema::TaskCreated>(p); break;
    case EventType::TaskCompleted: ok = VerifyAs<schema::TaskCompleted>(p); break;
    case EventType::NoteAdded: ok = VerifyAs<schema::NoteAdded>(p); break;
    case EventType::RiskAssessed: ok = VerifyAs<schema::RiskAssessed>(p); break;
    case EventType::AccessGranted: ok = VerifyAs<schema::AccessGranted>(p); break;
    case EventType::AccessRevoked: ok = VerifyAs<schema::AccessRevoked>(p); break;
    case EventType::AccessRequested: ok = VerifyAs<schema::AccessRequested>(p); break;
    case EventType::AccessRequestDecided: ok = VerifyAs<schema::AccessRequestDecided>(p); break;
    case EventType::RecordConsulted: ok = VerifyAs<schema::RecordConsulted>(p); break;
    case EventType::RecordDisclosed: ok = VerifyAs<schema::RecordDisclosed>(p); break;
    case EventType::OrganisationCreated: ok = VerifyAs<schema::OrganisationCreated>(p); break;
    case EventType::OrganisationSettingsChanged: ok = VerifyAs<schema::OrganisationSettingsChanged>(p); break;
    case EventType::TeamCreated: ok = VerifyAs<schema::TeamCreated>(p); break;
    case EventType::UserCreated: ok = VerifyAs<schema::UserCreated>(p); break;
    case EventType::UserRolesChanged: ok = VerifyAs<schema::UserRolesChanged>(p); break;
    case EventType::UserDeactivated: ok = VerifyAs<schema::UserDeactivated>(p); break;
    case EventType::UserReactivated: ok = VerifyAs<schema::UserReactivated>(p); break;
    case EventType::UserPasswordChanged: ok = VerifyAs<schema::UserPasswordChanged>(p); break;
    case EventType::ApiKeyIssued: ok = VerifyAs<schema::ApiKeyIssued>(p); break;
    case EventType::ApiKeyRevoked: ok = VerifyAs<schema::ApiKeyRevoked>(p); break;
    case EventType::DocumentAttached: ok = VerifyAs<schema::DocumentAttached>(p); break;
    case EventType::MeetingScheduled: ok = VerifyAs<schema::MeetingScheduled>(p); break;
    case EventType::MeetingMinutesRecorded:
      ok = VerifyAs<schema::MeetingMinutesRecorded>(p);
      break;
    case EventType::MeetingActionAssigned: ok = VerifyAs<schema::MeetingActionAssigned>(p); break;
    case EventType::RiskInstrumentPublished:
      ok = VerifyAs<schema::RiskInstrumentPublished>(p);
      break;
    case EventType::Unknown: return MakeError(Code::kCorruption, "payload: event type 0");
  }
  if (!ok) {
    return MakeError(Code::kCorruption, std::string("payload: not a valid ") +
                                            std::string(EventTypeName(type)) + " FlatBuffer");
  }
  return Ok();
}

EnvelopeFields DecodeEnvelope(const schema::Envelope& e) {
  EnvelopeFields f;
  f.event_id = FromFb(e.event_id());
  f.stream_id = Str(e.stream_id());
  f.stream_version = e.stream_version();
  f.event_type = e.event_type();
  f.schema_version = e.schema_version();
  f.occurred_at = e.occurred_at();
  f.recorded_at = e.recorded_at();
  f.source_recorded_at = e.source_recorded_at();
  if (e.actor() != nullptr) {
    f.actor.user_id = Str(e.actor()->user_id());
    f.actor.organisation_id = Str(e.actor()->organisation_id());
    f.actor.team_id = Str(e.actor()->team_id());
  }
  f.purpose = Str(e.purpose());
  f.correlation_id = FromFb(e.correlation_id());
  f.causation_id = FromFb(e.causation_id());
  f.idempotency_key = Str(e.idempotency_key());
  if (e.prev_hash() != nullptr && e.prev_hash()->size() == kHashSize) {
    std::memcpy(f.prev_hash.data(), e.prev_hash()->data(), kHashSize);
  }
  if (e.hash() != nullptr && e.hash()->size() == kHashSize) {
    std::memcpy(f.hash.data(), e.hash()->data(), kHashSize);
  }
  if (e.payload() != nullptr) {
    f.payload.assign(reinterpret_cast<const char*>(e.payload()->data()), e.payload()->size());
  }
  return f;
}

bool HashMatches(const schema::Envelope& envelope) {
  EnvelopeFields f = DecodeEnvelope(envelope);
  return ComputeEventHash(f) == f.hash;
}

std::string_view EventTypeName(EventType type) {
  switch (type) {
    case EventType::IncidentReported: return "incident_reported";
    case EventType::IncidentUpdated: return "incident_updated";
    case EventType::IncidentClassified: return "incident_classified";
    case EventType::PersonRecorded: return "person_recorded";
    case EventType::PersonCorrected: return "person_corrected";
    case EventType::AddressRecorded: return "address_recorded";
    case EventType::VehicleRecorded: return "vehicle_recorded";
    case EventType::LinkAdded: return "link_added";
    case EventType::LinkRemoved: return "link_removed";
    case EventType::CaseOpened: return "case_opened";
    case EventType::CaseAssigned: return "case_assigned";
    case EventType::CaseClosed: return "case_closed";
    case EventType::CaseReopened: return "case_reopened";
    case EventType::CaseActionRecorded: return "case_action_recorded";
    case EventType::TaskCreated: return "task_created";
    case EventType::TaskCompleted: return "task_completed";
    case EventType::NoteAdded: return "note_added";
    case EventType::RiskAssessed: return "risk_assessed";
    case EventType::AccessGranted: return "access_granted";
    case EventType::AccessRevoked: return "access_revoked";
    case EventType::AccessRequested: return "access_requested";
    case EventType::AccessRequestDecided: return "access_request_decided";
    case EventType::RecordConsulted: return "record_consulted";
    case EventType::RecordDisclosed: return "record_disclosed";
    case EventType::OrganisationCreated: return "organisation_created";
    case EventType::OrganisationSettingsChanged: return "organisation_settings_changed";
    case EventType::TeamCreated: return "team_created";
    case EventType::UserCreated: return "user_created";
    case EventType::UserRolesChanged: return "user_roles_changed";
    case EventType::UserDeactivated: return "user_deactivated";
    case EventType::UserReactivated: return "user_reactivated";
    case EventType::UserPasswordChanged: return "user_password_changed";
    case EventType::ApiKeyIssued: return "api_key_issued";
    case EventType::ApiKeyRevoked: return "api_key_revoked";
    case EventType::DocumentAttached: return "document_attached";
    case EventType::MeetingScheduled: return "meeting_scheduled";
    case EventType::MeetingMinutesRecorded: return "meeting_minutes_recorded";
    case EventType::MeetingActionAssigned: return "meeting_action_assigned";
    case EventType::RiskInstrumentPublished: return "risk_instrument_published";
    case EventType::Unknown: break;
  }
  return "unknown";
}

std::optional<EventType> EventTypeFromName(std::string_view name) {
  // The declared values only: EventType has gaps (ranges set aside per family of events),
  // whose names are "unknown".
  for (EventType type : schema::EnumValuesEventType()) {
    if (type != EventType::Unknown && EventTypeName(type) == name) return type;
  }
  return std::nullopt;
}

std::string ToHex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  }
  return out;
}

}  // namespace caseledger::ledger
