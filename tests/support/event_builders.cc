#include "support/event_builders.h"

#include <gtest/gtest.h>

#include "ledger/documents.h"
#include "support/appends.h"

namespace caseledger::testing {
namespace {

namespace fb = flatbuffers;
using ledger::EventType;

std::string Finish(fb::FlatBufferBuilder& b) {
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

template <class T>
std::string Done(fb::FlatBufferBuilder& b, fb::Offset<T> root) {
  b.Finish(root);
  return Finish(b);
}

fb::Offset<schema::Owner> Owner(fb::FlatBufferBuilder& b, const OwnerSpec& o) {
  return schema::CreateOwnerDirect(b, o.organisation_id.c_str(), o.team_id.c_str());
}

fb::Offset<schema::Coordinates> Coordinates(fb::FlatBufferBuilder& b,
                                            const std::optional<CoordinatesSpec>& c) {
  if (!c) return 0;
  return schema::CreateCoordinates(b, c->latitude, c->longitude);
}

fb::Offset<schema::Location> Location(fb::FlatBufferBuilder& b,
                                      const std::optional<LocationSpec>& l) {
  if (!l) return 0;
  auto address_id = l->address_id.empty() ? 0 : b.CreateString(l->address_id);
  auto text = b.CreateString(l->text);
  auto coordinates = Coordinates(b, l->coordinates);
  return schema::CreateLocation(b, l->uprn, address_id, text, coordinates);
}

fb::Offset<schema::Sealed> Sealed(fb::FlatBufferBuilder& b, const OptionalSealed& s) {
  if (!s) return 0;
  std::vector<std::uint8_t> nonce(s->nonce.begin(), s->nonce.end());
  std::vector<std::uint8_t> ciphertext(s->ciphertext.begin(), s->ciphertext.end());
  return schema::CreateSealedDirect(b, s->subject_id.c_str(), s->key_version, &nonce, &ciphertext);
}

fb::Offset<fb::Vector<fb::Offset<fb::String>>> Strings(fb::FlatBufferBuilder& b,
                                                       const std::vector<std::string>& v) {
  return b.CreateVectorOfStrings(v);
}

}  // namespace

std::vector<EventType> AllEventTypes() {
  std::vector<EventType> out;
  for (EventType t : schema::EnumValuesEventType()) {
    if (t != EventType::Unknown) out.push_back(t);
  }
  return out;
}

std::string MakeIncidentDetails(std::string_view description) {
  fb::FlatBufferBuilder b;
  return Done(b, schema::CreateIncidentDetailsDirect(b, std::string(description).c_str()));
}

std::string MakePersonDetails(const PersonDetailsSpec& spec) {
  fb::FlatBufferBuilder b;
  std::vector<fb::Offset<schema::PersonName>> names;
  for (const auto& [given, family] : spec.names) {
    names.push_back(schema::CreatePersonNameDirect(b, given.c_str(), family.c_str()));
  }
  auto names_vector = b.CreateVector(names);
  auto aliases = Strings(b, spec.aliases);
  auto date_of_birth = b.CreateString(spec.date_of_birth);
  auto phone = b.CreateString(spec.phone);
  auto email = b.CreateString(spec.email);
  auto address_text = b.CreateString(spec.address_text);
  auto vulnerabilities = Strings(b, spec.vulnerabilities);
  return Done(b, schema::CreatePersonDetails(b, names_vector, aliases, date_of_birth, phone, email,
                                             address_text, vulnerabilities));
}

std::string MakeNoteBody(std::string_view text) {
  fb::FlatBufferBuilder b;
  return Done(b, schema::CreateNoteBodyDirect(b, std::string(text).c_str()));
}

SealedValue SealOrFail(ledger::PersonalData& personal_data, std::string_view subject_id,
                       std::string_view plaintext) {
  auto sealed = personal_data.Seal(subject_id, plaintext);
  if (!sealed) {
    ADD_FAILURE() << "Seal(" << subject_id << "): " << sealed.error().ToString();
    return {};
  }
  return std::move(sealed).value();
}

std::string MakeIncidentReported(const IncidentReportedSpec& s) {
  fb::FlatBufferBuilder b;
  auto owner = Owner(b, s.owner);
  auto location = Location(b, s.location);
  auto details = Sealed(b, s.details);
  return Done(b, schema::CreateIncidentReportedDirect(
                     b, s.reference.c_str(), owner, s.reported_at, s.channel, location, s.category,
                     s.sub_category.c_str(), s.hate_incident, &s.hate_strands, s.consent_to_refer,
                     details));
}

std::string MakeIncidentUpdated(const IncidentUpdatedSpec& s) {
  fb::FlatBufferBuilder b;
  auto location = Location(b, s.location);
  auto details = Sealed(b, s.details);
  fb::Optional<std::int64_t> reported_at = fb::nullopt;
  if (s.reported_at) reported_at = *s.reported_at;
  fb::Optional<schema::Channel> channel = fb::nullopt;
  if (s.channel) channel = *s.channel;
  fb::Optional<bool> consent = fb::nullopt;
  if (s.consent_to_refer) consent = *s.consent_to_refer;
  return Done(b, schema::CreateIncidentUpdatedDirect(b, reported_at, channel, location, consent,
                                                     details, s.reason.c_str()));
}

std::string MakeIncidentClassified(const IncidentClassifiedSpec& s) {
  fb::FlatBufferBuilder b;
  return Done(b, schema::CreateIncidentClassifiedDirect(b, s.category, s.sub_category.c_str(),
                                                        s.hate_incident, &s.hate_strands,
                                                        s.reason.c_str()));
}

std::string MakePersonRecorded(const PersonRecordedSpec& s) {
  fb::FlatBufferBuilder b;
  auto owner = Owner(b, s.owner);
  auto details = Sealed(b, s.details);
  return Done(b, schema::CreatePersonRecorded(b, owner, details));
}

std::string MakePersonCorrected(const PersonCorrectedSpec& s) {
  fb::FlatBufferBuilder b;
  auto details = Sealed(b, s.details);
  return Done(b, schema::CreatePersonCorrectedDirect(b, details, s.reason.c_str()));
}

std::string MakeAddressRecorded(const AddressRecordedSpec& s) {
  fb::FlatBufferBuilder b;
  auto owner = Owner(b, s.owner);
  auto coordinates = Coordinates(b, s.coordinates);
  return Done(b, schema::CreateAddressRecordedDirect(b, owner, s.uprn, s.text.c_str(),
                                                     s.normalised_text.c_str(), s.postcode.c_str(),
                                                     coordinates));
}

std::string MakeVehicleRecorded(const VehicleRecordedSpec& s) {
  fb::FlatBufferBuilder b;
  auto owner = Owner(b, s.owner);
  return Done(b, schema::CreateVehicleRecordedDirect(
                     b, owner, s.registration.c_str(), s.normalised_registration.c_str(),
                     s.make.c_str(), s.model.c_str(), s.colour.c_str()));
}

std::string MakeLinkAdded(const LinkAddedSpec& s) {
  fb::FlatBufferBuilder b;
  auto owner = Owner(b, s.owner);
  return Done(b, schema::CreateLinkAddedDirect(b, s.from_id.c_str(), s.to_id.c_str(), s.role, owner,
                                               s.note.c_str()));
}

std::string MakeLinkRemoved(const LinkRemovedSpec& s) {
  fb::FlatBufferBuilder b;
  return Done(b, schema::CreateLinkRemovedDirect(b, s.reason.c_str()));
}

std::string MakeCaseOpened(const CaseOpenedSpec& s) {
  fb::FlatBufferBuilder b;
  auto owner = Owner(b, s.owner);
  auto summary = Sealed(b, s.summary);
  return Done(b, schema::CreateCaseOpenedDirect(b, s.reference.c_str(), owner, s.case_type,
                                                s.title.c_str(), s.lead_organisation_id.c_str(),
                                                s.lead_officer_id.c_str(), summary));
}

std::string MakeCaseAssigned(const CaseAssignedSpec& s) {
  fb::FlatBufferBuilder b;
  return Done(b, schema::CreateCaseAssignedDirect(b, s.lead_organisation_id.c_str(),
                                                  s.lead_officer_id.c_str(), s.team_id.c_str(),
                                                  s.reason.c_str()));
}

std::string MakeCaseClosed(const CaseClosedSpec& s) {
  fb::FlatBufferBuilder b;
  return Done(b, schema::CreateCaseClosedDirect(b, s.outcome.c_str(), s.signed_off_by.c_str(),
                                                s.reason.c_str()));
}

std::string MakeCaseReopened(const CaseReopenedSpec& s) {
  fb::FlatBufferBuilder b;
  return Done(b, schema::CreateCaseReopenedDirect(b, s.reason.c_str()));
}

std::string MakeCaseActionRecorded(const CaseActionRecordedSpec& s) {
  fb::FlatBufferBuilder b;
  auto details = Sealed(b, s.details);
  return Done(b, schema::CreateCaseActionRecordedDirect(
                     b, s.action_id.c_str(), s.action, s.subject_id.c_str(), s.taken_at,
                     s.expires_at, s.authorised_by.c_str(), s.conviction_reference.c_str(),
                     details, s.premises_id.empty() ? nullptr : s.premises_id.c_str()));
}

std::string MakeTaskCreated(const TaskCreatedSpec& s) {
  fb::FlatBufferBuilder b;
  return Done(b, schema::CreateTaskCreatedDirect(b, s.task_id.c_str(), s.title.c_str(), s.due_at,
                                                 s.assignee_id.c_str()));
}

std::string MakeTaskCompleted(const TaskCompletedSpec& s) {
  fb::FlatBufferBuilder b;
  return Done(b, schema::CreateTaskCompletedDirect(b, s.task_id.c_str(), s.outcome.c_str()));
}

std::string MakeNoteAdded(const NoteAddedSpec& s) {
  fb::FlatBufferBuilder b;
  auto body = Sealed(b, s.body);
  return Done(b, schema::CreateNoteAddedDirect(b, s.note_id.c_str(), body));
}

std::string MakeRiskAssessed(const RiskAssessedSpec& s) {
  fb::FlatBufferBuilder b;
  std::vector<fb::Offset<schema::RiskAnswer>> answers;
  for (const auto& [question, value] : s.answers) {
    answers.push_back(schema::CreateRiskAnswerDirect(b, question.c_str(), value));
  }
  return Done(b, schema::CreateRiskAssessedDirect(b, s.assessment_id.c_str(), s.subject_id.c_str(),
                                                  s.instrument_id.c_str(), s.instrument_version,
                                                  &answers, s.score, s.level,
                                                  s.next_review_at, s.referral_score,
                                                  s.referred_to_support));
}

std::string MakeAccessGranted(const AccessGrantedSpec& s) {
  fb::FlatBufferBuilder b;
  return Done(
      b, schema::CreateAccessGrantedDirect(b, s.record_id.c_str(), s.grantee_kind,
                                           s.grantee_id.c_str(), s.reason.c_str(), s.expires_at));
}

std::string MakeAccessRevoked(const AccessRevokedSpec& s) {
  fb::FlatBufferBuilder b;
  return Done(b, schema::CreateAccessRevokedDirect(b, s.record_id.c_str(), s.reason.c_str()));
}

std::string MakeAccessRequested(const AccessRequestedSpec& s) {
  fb::FlatBufferBuilder b;
  return Done(b, schema::CreateAccessRequestedDirect(b, s.record_id.c_str(), s.reason.c_str()));
}

std::string MakeAccessRequestDecided(const AccessRequestDecidedSpec& s) {
  fb::FlatBufferBuilder b;
  return Done(b, schema::CreateAccessRequestDecidedDirect(b, s.granted, s.reason.c_str(),
                                                          s.expires_at));
}

std::string MakeRecordConsulted(const RecordConsultedSpec& s) {
  fb::FlatBufferBuilder b;
  return Done(b, schema::CreateRecordConsultedDirect(b, s.action.c_str(), s.request_id.c_str()));
}

std::string MakeRecordDisclosed(const RecordDisclosedSpec& s) {
  fb::FlatBufferBuilder b;
  std::vector<fb::Offset<fb::String>> recipients;
  for (const auto& r : s.recipients) recipients.push_back(b.CreateString(r));
  return Done(b, schema::CreateRecordDisclosedDirect(b, &recipients, s.legal_basis.c_str(),
                                                     s.details.c_str(), s.request_id.c_str()));
}
namespace {

// Sample identity payloads (docs/identity.md): `sealed` stands in for the sealed credential.
std::string SampleIdentityPayload(EventType type, const OptionalSealed& sealed) {
  const std::string organisation = StreamId("organisation", 1);
  const std::string user = StreamId("user", 1);
  const std::vector<schema::Role> roles = {schema::Role::CaseWorker};
  const std::vector<std::uint8_t> hash(32, 0x42);
  fb::FlatBufferBuilder b;
  switch (type) {
    case EventType::OrganisationCreated:
      return Done(b, schema::CreateOrganisationCreatedDirect(b, "Sample Council",
                                                             schema::OrganisationKind::Council));
    case EventType::OrganisationSettingsChanged:
      return Done(b, schema::CreateOrganisationSettingsChangedDirect(b, true, "sample"));
    case EventType::TeamCreated:
      return Done(b, schema::CreateTeamCreatedDirect(b, organisation.c_str(), "Sample Team"));
    case EventType::UserCreated: {
      auto password = Sealed(b, sealed);
      return Done(b, schema::CreateUserCreatedDirect(b, "sample.user", "Sample User",
                                                     organisation.c_str(),
                                                     StreamId("team", 1).c_str(), &roles, password));
    }
    case EventType::UserRolesChanged:
      return Done(b, schema::CreateUserRolesChangedDirect(b, &roles, "sample"));
    case EventType::UserDeactivated:
      return Done(b, schema::CreateUserDeactivatedDirect(b, "sample"));
    case EventType::UserReactivated:
      return Done(b, schema::CreateUserReactivatedDirect(b, "sample"));
    case EventType::UserPasswordChanged: {
      auto password = Sealed(b, sealed);
      return Done(b, schema::CreateUserPasswordChanged(b, password, b.CreateString("sample")));
    }
    case EventType::ApiKeyIssued:
      return Done(b, schema::CreateApiKeyIssuedDirect(b, user.c_str(), "sample key", &hash, 0));
    case EventType::ApiKeyRevoked:
      return Done(b, schema::CreateApiKeyRevokedDirect(b, "sample"));
    default:
      return {};
  }
}

}  // namespace

std::string MakeDocumentContent(std::string_view bytes) {
  fb::FlatBufferBuilder b;
  return Done(b, schema::CreateDocumentContent(
                     b, b.CreateVector(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                       bytes.size())));
}

std::string MakeDocumentAttached(const DocumentAttachedSpec& s) {
  fb::FlatBufferBuilder b;
  auto content = Sealed(b, s.sealed_content);
  std::string hash = s.hash.empty() ? ledger::DocumentHash(s.content) : s.hash;
  auto hash_bytes = b.CreateVector(reinterpret_cast<const std::uint8_t*>(hash.data()), hash.size());
  return Done(b, schema::CreateDocumentAttached(
                     b, b.CreateString(s.document_id), b.CreateString(s.name),
                     b.CreateString(s.media_type), s.content.size(),
                     b.CreateString(ledger::kDocumentHashAlgorithm), hash_bytes, content));
}

std::string MakeMeetingScheduled(const MeetingScheduledSpec& s) {
  fb::FlatBufferBuilder b;
  auto id = b.CreateString(s.meeting_id);
  auto title = b.CreateString(s.title);
  auto attendees = b.CreateVectorOfStrings(s.attendees);
  auto agenda = b.CreateVectorOfStrings(s.agenda);
  return Done(b, schema::CreateMeetingScheduled(b, id, title, s.held_at, attendees, agenda));
}

std::string MakeMeetingMinutesRecorded(const MeetingMinutesRecordedSpec& s) {
  fb::FlatBufferBuilder b;
  auto minutes = Sealed(b, s.minutes);
  return Done(b, schema::CreateMeetingMinutesRecorded(b, b.CreateString(s.meeting_id), minutes));
}

std::string MakeMeetingActionAssigned(const MeetingActionAssignedSpec& s) {
  fb::FlatBufferBuilder b;
  return Done(b, schema::CreateMeetingActionAssignedDirect(b, s.meeting_id.c_str(),
                                                           s.task_id.c_str(), s.title.c_str(),
                                                           s.assignee_id.c_str(), s.due_at));
}

std::string MakeRiskInstrumentPublished(const RiskInstrumentPublishedSpec& s) {
  fb::FlatBufferBuilder b;
  std::vector<fb::Offset<schema::RiskQuestion>> questions;
  for (const auto& [id, factor, weight, allowed] : s.questions) {
    questions.push_back(schema::CreateRiskQuestionDirect(b, id.c_str(), ("Question " + id).c_str(),
                                                         factor.c_str(), weight, &allowed));
  }
  return Done(b, schema::CreateRiskInstrumentPublishedDirect(
                     b, s.instrument_id.c_str(), s.version, s.title.c_str(), &questions,
                     s.medium_from, s.high_from, s.review_days_standard, s.review_days_medium,
                     s.review_days_high, s.referral_score));
}

std::string SamplePayload(EventType type, const OptionalSealed& sealed) {
  const std::string incident = StreamId("incident", 1);
  const std::string person = StreamId("person", 1);
  switch (type) {
    case EventType::IncidentReported:
      return MakeIncidentReported({.details = sealed});
    case EventType::IncidentUpdated:
      return MakeIncidentUpdated({.details = sealed});
    case EventType::IncidentClassified:
      return MakeIncidentClassified();
    case EventType::PersonRecorded:
      return MakePersonRecorded({.details = sealed});
    case EventType::PersonCorrected:
      return MakePersonCorrected({.details = sealed});
    case EventType::AddressRecorded:
      return MakeAddressRecorded();
    case EventType::VehicleRecorded:
      return MakeVehicleRecorded();
    case EventType::LinkAdded:
      return MakeLinkAdded({.from_id = incident, .to_id = person});
    case EventType::LinkRemoved:
      return MakeLinkRemoved();
    case EventType::CaseOpened:
      return MakeCaseOpened({.summary = sealed});
    case EventType::CaseAssigned:
      return MakeCaseAssigned();
    case EventType::CaseClosed:
      return MakeCaseClosed();
    case EventType::CaseReopened:
      return MakeCaseReopened();
    case EventType::CaseActionRecorded:
      return MakeCaseActionRecorded({.subject_id = person, .details = sealed});
    case EventType::TaskCreated:
      return MakeTaskCreated();
    case EventType::TaskCompleted:
      return MakeTaskCompleted();
    case EventType::NoteAdded:
      return MakeNoteAdded({.body = sealed});
    case EventType::RiskAssessed:
      return MakeRiskAssessed({.subject_id = person});
    case EventType::AccessGranted:
      return MakeAccessGranted({.record_id = incident});
    case EventType::AccessRevoked:
      return MakeAccessRevoked({.record_id = incident});
    case EventType::AccessRequested:
      return MakeAccessRequested({.record_id = incident});
    case EventType::AccessRequestDecided:
      return MakeAccessRequestDecided({});
    case EventType::RecordConsulted:
      return MakeRecordConsulted({});
    case EventType::RecordDisclosed:
      return MakeRecordDisclosed({});
    case EventType::DocumentAttached:
      return MakeDocumentAttached({.sealed_content = sealed});
    case EventType::MeetingScheduled:
      return MakeMeetingScheduled();
    case EventType::MeetingMinutesRecorded:
      return MakeMeetingMinutesRecorded({.minutes = sealed});
    case EventType::MeetingActionAssigned:
      return MakeMeetingActionAssigned();
    case EventType::RiskInstrumentPublished:
      return MakeRiskInstrumentPublished();
    case EventType::Unknown:
      break;
    default:  // the identity events (40..49)
      return SampleIdentityPayload(type, sealed);
  }
  return {};
}

}  // namespace caseledger::testing
