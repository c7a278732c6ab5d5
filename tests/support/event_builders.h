// Valid payload FlatBuffers for every event type, from plain specs with realistic defaults, so a
// test names only the fields it checks. Sealed fields take a ledger::SealedValue (from
// PersonalData::Seal, see SealOrFail) and are left out when the optional is empty.
//
// Example:
//   auto details = SealOrFail(node->personal_data(), incident_id,
//                             MakeIncidentDetails("Loud music every night"));
//   std::string payload = MakeIncidentReported({.reference = "INC-7", .details = details});
//
// Thread safety: all functions are thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "ledger/event.h"
#include "ledger/personal_data.h"
#include "schemas/events_generated.h"
#include "support/test_ledger.h"

namespace caseledger::testing {

using ledger::SealedValue;
using OptionalSealed = std::optional<ledger::SealedValue>;

// Every EventType value except Unknown, in numeric order.
std::vector<ledger::EventType> AllEventTypes();

// ---- plaintexts of sealed fields ----

std::string MakeIncidentDetails(std::string_view description);

struct PersonDetailsSpec {
  std::vector<std::pair<std::string, std::string>> names = {
      {"Jordan", "Example"}};  // given, family
  std::vector<std::string> aliases = {"JJ"};
  std::string date_of_birth = "1990-02-28";
  std::string phone = "07700 900123";
  std::string email = "jordan@example.org";
  std::string address_text = "1 Test Street, Leicester LE1 1AA";
  std::vector<std::string> vulnerabilities = {"mental_health"};
};
std::string MakePersonDetails(const PersonDetailsSpec& spec = {});

std::string MakeNoteBody(std::string_view text);

// Seals `plaintext` to `subject_id`; fails the current test (and returns an empty value) on error.
SealedValue SealOrFail(ledger::PersonalData& personal_data, std::string_view subject_id,
                       std::string_view plaintext);

// ---- payloads ----

struct OwnerSpec {
  std::string organisation_id = "org-leicester";
  std::string team_id = "team-asb";
};

struct CoordinatesSpec {
  double latitude = 52.6369;
  double longitude = -1.1398;
};

struct LocationSpec {
  std::uint64_t uprn = 100030000001;
  std::string address_id{};
  std::string text = "Outside 1 Test Street";
  std::optional<CoordinatesSpec> coordinates = CoordinatesSpec{};
};

struct IncidentReportedSpec {
  std::string reference = "INC-0001";
  OwnerSpec owner{};
  ledger::Micros reported_at = kTestEpoch;
  schema::Channel channel = schema::Channel::Phone;
  std::optional<LocationSpec> location = LocationSpec{};
  schema::Category category = schema::Category::Nuisance;
  std::string sub_category = "noise";
  bool hate_incident = false;
  std::vector<schema::HateStrand> hate_strands{};
  bool consent_to_refer = true;
  OptionalSealed details{};
};
std::string MakeIncidentReported(const IncidentReportedSpec& spec = {});

// Absent optionals are left out of the payload (unchanged fields).
struct IncidentUpdatedSpec {
  std::optional<ledger::Micros> reported_at{};
  std::optional<schema::Channel> channel{};
  std::optional<LocationSpec> location{};
  std::optional<bool> consent_to_refer{};
  OptionalSealed details{};
  std::string reason = "caller gave more detail";
};
std::string MakeIncidentUpdated(const IncidentUpdatedSpec& spec = {});

struct IncidentClassifiedSpec {
  schema::Category category = schema::Category::Personal;
  std::string sub_category = "harassment";
  bool hate_incident = true;
  std::vector<schema::HateStrand> hate_strands = {schema::HateStrand::Race};
  std::string reason = "reviewed by supervisor";
};
std::string MakeIncidentClassified(const IncidentClassifiedSpec& spec = {});

struct PersonRecordedSpec {
  OwnerSpec owner{};
  OptionalSealed details{};
};
std::string MakePersonRecorded(const PersonRecordedSpec& spec = {});

struct PersonCorrectedSpec {
  OptionalSealed details{};
  std::string reason = "date of birth was wrong";
};
std::string MakePersonCorrected(const PersonCorrectedSpec& spec = {});

struct AddressRecordedSpec {
  OwnerSpec owner{};
  std::uint64_t uprn = 100030000001;
  std::string text = "1 Test Street, Leicester";
  std::string normalised_text = "1 TEST STREET LEICESTER";
  std::string postcode = "LE1 1AA";
  std::optional<CoordinatesSpec> coordinates = CoordinatesSpec{};
};
std::string MakeAddressRecorded(const AddressRecordedSpec& spec = {});

struct VehicleRecordedSpec {
  OwnerSpec owner{};
  std::string registration = "ab12 cde";
  std::string normalised_registration = "AB12CDE";
  std::string make = "Ford";
  std::string model = "Fiesta";
  std::string colour = "blue";
};
std::string MakeVehicleRecorded(const VehicleRecordedSpec& spec = {});

struct LinkAddedSpec {
  std::string from_id{};
  std::string to_id{};
  schema::LinkRole role = schema::LinkRole::Victim;
  OwnerSpec owner{};
  std::string note = "named by the caller";
};
std::string MakeLinkAdded(const LinkAddedSpec& spec);

struct LinkRemovedSpec {
  std::string reason = "recorded against the wrong person";
};
std::string MakeLinkRemoved(const LinkRemovedSpec& spec = {});

struct CaseOpenedSpec {
  std::string reference = "CASE-0001";
  OwnerSpec owner{};
  schema::CaseType case_type = schema::CaseType::AsbCase;
  std::string title = "Noise nuisance, Test Street";
  std::string lead_organisation_id = "org-leicester";
  std::string lead_officer_id = "user-olivia";
  OptionalSealed summary{};
};
std::string MakeCaseOpened(const CaseOpenedSpec& spec = {});

struct CaseAssignedSpec {
  std::string lead_organisation_id = "org-police";
  std::string lead_officer_id = "user-pat";
  std::string team_id = "team-neighbourhood";
  std::string reason = "police lead";
};
std::string MakeCaseAssigned(const CaseAssignedSpec& spec = {});

struct CaseClosedSpec {
  std::string outcome = "resolved";
  std::string signed_off_by = "user-sam";
  std::string reason = "no further reports";
};
std::string MakeCaseClosed(const CaseClosedSpec& spec = {});

struct CaseReopenedSpec {
  std::string reason = "new reports";
};
std::string MakeCaseReopened(const CaseReopenedSpec& spec = {});

struct CaseActionRecordedSpec {
  std::string action_id = "action-1";
  schema::ActionType action = schema::ActionType::WarningLetter;
  std::string subject_id{};
  ledger::Micros taken_at = kTestEpoch;
  ledger::Micros expires_at = 0;
  std::string authorised_by = "user-sam";
  std::string conviction_reference{};
  OptionalSealed details{};
  std::string premises_id{};              // written only when given
};
std::string MakeCaseActionRecorded(const CaseActionRecordedSpec& spec = {});

struct TaskCreatedSpec {
  std::string task_id = "task-1";
  std::string title = "Visit the complainant";
  ledger::Micros due_at = 0;
  std::string assignee_id = "user-olivia";
};
std::string MakeTaskCreated(const TaskCreatedSpec& spec = {});

struct TaskCompletedSpec {
  std::string task_id = "task-1";
  std::string outcome = "visited";
};
std::string MakeTaskCompleted(const TaskCompletedSpec& spec = {});

struct NoteAddedSpec {
  std::string note_id = "note-1";
  OptionalSealed body{};
};
std::string MakeNoteAdded(const NoteAddedSpec& spec = {});

struct RiskAssessedSpec {
  std::string assessment_id = "risk-1";
  std::string subject_id{};
  std::string instrument_id = "asb-risk-matrix";
  std::uint32_t instrument_version = 2;
  std::vector<std::pair<std::string, std::int32_t>> answers = {{"q1", 3}, {"q2", 1}};
  std::int32_t score = 4;
  schema::RiskLevel level = schema::RiskLevel::Medium;
  ledger::Micros next_review_at = 0;
  std::int32_t referral_score = 0;
  bool referred_to_support = false;
};
std::string MakeRiskAssessed(const RiskAssessedSpec& spec = {});

struct AccessGrantedSpec {
  std::string record_id{};
  schema::GranteeKind grantee_kind = schema::GranteeKind::Team;
  std::string grantee_id = "team-housing";
  std::string reason = "joint case";
  ledger::Micros expires_at = 0;
};
std::string MakeAccessGranted(const AccessGrantedSpec& spec);

struct AccessRevokedSpec {
  std::string record_id{};
  std::string reason = "case closed";
};
std::string MakeAccessRevoked(const AccessRevokedSpec& spec);

struct AccessRequestedSpec {
  std::string record_id{};
  std::string reason = "the same family is known to our team";
};
std::string MakeAccessRequested(const AccessRequestedSpec& spec);

struct AccessRequestDecidedSpec {
  bool granted = true;
  std::string reason = "joint case";
  ledger::Micros expires_at = 0;
};
std::string MakeAccessRequestDecided(const AccessRequestDecidedSpec& spec);

struct RecordConsultedSpec {
  std::string action = "case.read";
  std::string request_id = "req-1";
};
std::string MakeRecordConsulted(const RecordConsultedSpec& spec);

struct RecordDisclosedSpec {
  std::vector<std::string> recipients{"Leicester Magistrates' Court"};
  std::string legal_basis = "DPA 2018 s.35";
  std::string details = "case file for an injunction hearing";
  std::string request_id = "req-2";
};
std::string MakeRecordDisclosed(const RecordDisclosedSpec& spec);
// ---- documents, meetings, risk instruments ----

std::string MakeDocumentContent(std::string_view bytes);

struct DocumentAttachedSpec {
  std::string document_id = "document-1";
  std::string name = "statement.pdf";
  std::string media_type = "application/pdf";
  std::string content = "%PDF-1.7 test";  // size and hash are computed from it
  std::string hash{};                      // overrides the computed hash when given
  OptionalSealed sealed_content{};         // DocumentContent, sealed to the case
};
std::string MakeDocumentAttached(const DocumentAttachedSpec& spec = {});

struct MeetingScheduledSpec {
  std::string meeting_id = "meeting-1";
  std::string title = "JAG, north area";
  ledger::Micros held_at = kTestEpoch;
  std::vector<std::string> attendees = {"user-olivia", "user-pat"};
  std::vector<std::string> agenda = {"New cases", "Reviews"};
};
std::string MakeMeetingScheduled(const MeetingScheduledSpec& spec = {});

struct MeetingMinutesRecordedSpec {
  std::string meeting_id = "meeting-1";
  OptionalSealed minutes{};
};
std::string MakeMeetingMinutesRecorded(const MeetingMinutesRecordedSpec& spec = {});

struct MeetingActionAssignedSpec {
  std::string meeting_id = "meeting-1";
  std::string task_id = "task-m1";
  std::string title = "Visit the shop owner";
  std::string assignee_id = "user-pat";
  ledger::Micros due_at = kTestEpoch;
};
std::string MakeMeetingActionAssigned(const MeetingActionAssignedSpec& spec = {});

struct RiskInstrumentPublishedSpec {
  std::string instrument_id = "asb-risk";
  std::uint32_t version = 2;
  std::string title = "ASB victim risk assessment";
  // question id, factor, weight, allowed values
  std::vector<std::tuple<std::string, std::string, std::int32_t, std::vector<std::int32_t>>>
      questions = {{"repeat_victim", "personal", 3, {0, 1}},
                   {"frequency", "situational", 2, {0, 1, 2, 3}}};
  std::int32_t medium_from = 4;
  std::int32_t high_from = 8;
  std::int32_t review_days_standard = 0;
  std::int32_t review_days_medium = 28;
  std::int32_t review_days_high = 14;
  std::int32_t referral_score = 6;
};
std::string MakeRiskInstrumentPublished(const RiskInstrumentPublishedSpec& spec = {});

// A valid payload of `type` with default content; `sealed` fills its sealed field, if it has one.
// Link and grant payloads point at StreamId("incident", 1) and StreamId("person", 1).
std::string SamplePayload(ledger::EventType type, const OptionalSealed& sealed = std::nullopt);

}  // namespace caseledger::testing
