// Writes the committed schema fixtures: one binary envelope per event type, first version
// (schema_version 1), with fixed content, into tests/fixtures/events/<event_type>.v1.bin.
// See tests/fixtures/events/README.md. Existing files are never overwritten: a fixture, once
// committed, is the record of what that version's bytes look like and must stay as it is.
//
// Usage: caseledger_make_fixtures <source dir>/tests/fixtures/events
//
// Sealed fields use testing::FixedKeyStore over testing::FixtureMasterKey() (keys derived from
// the subject id, no key database) and nonces from SeededRandom(20240501), so every byte is
// deterministic. Events of one record form a hash chain (stream versions 1..n).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "ledger/envelope.h"
#include "ledger/personal_data.h"
#include "support/event_builders.h"
#include "support/fixed_key_store.h"

namespace caseledger::testing {
namespace {

using ledger::EventType;
using ledger::Micros;

constexpr Micros kBase = 1'714'554'000'000'000;  // 2024-05-01T09:00:00Z
constexpr Micros kMinute = 60'000'000;
constexpr Micros kMigratedAt = 1'551'675'967'000'000;  // 2019-03-04T05:06:07Z

const std::string kIncident = "incident-018f3a5c-0000-7000-8000-000000000001";
const std::string kPerson = "person-018f3a5c-0000-7000-8000-000000000002";
const std::string kAddress = "address-018f3a5c-0000-7000-8000-000000000003";
const std::string kVehicle = "vehicle-018f3a5c-0000-7000-8000-000000000004";
const std::string kLink = "link-018f3a5c-0000-7000-8000-000000000005";
const std::string kCase = "case-018f3a5c-0000-7000-8000-000000000006";
const std::string kGrant = "grant-018f3a5c-0000-7000-8000-000000000007";
const std::string kAccessRequest = "accessrequest-018f3a5c-0000-7000-8000-000000000021";
const std::string kOrganisation = "organisation-018f3a5c-0000-7000-8000-000000000008";
const std::string kTeam = "team-018f3a5c-0000-7000-8000-000000000009";
const std::string kUser = "user-018f3a5c-0000-7000-8000-00000000000a";
const std::string kApiKey = "apikey-018f3a5c-0000-7000-8000-00000000000b";
// A well-formed argon2id string (not of any real password).
const std::string kPasswordHash =
    "$argon2id$v=19$m=65536,t=3,p=1$Zml4dHVyZXNhbHQxMjM0NQ$Zml4dHVyZWhhc2hmaXh0dXJlaGFzaGZpeHR1cmU";
const std::string kInstrument = "instrument-018f3a5c-0000-7000-8000-000000000008";

const OwnerSpec kCouncilAsb{"org-leicester-city", "team-asb-central"};

struct Fixture {
  EventType type;
  std::string stream;
  std::string payload;
};

ledger::Uuid Id(const std::string& text) { return *ledger::Uuid::Parse(text); }

// "018f3a5c-1000-7000-8000-0000000000NN", NN the event type's number in hex.
ledger::Uuid EventId(EventType type) {
  static constexpr char kHex[] = "0123456789abcdef";
  auto n = static_cast<unsigned>(type) & 0xff;
  return Id(std::string("018f3a5c-1000-7000-8000-0000000000") + kHex[n >> 4] + kHex[n & 0xf]);
}

// The bytes of a finished builder.
std::string Bytes(const flatbuffers::FlatBufferBuilder& b) {
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

flatbuffers::Offset<schema::Sealed> AddSealed(flatbuffers::FlatBufferBuilder& b,
                                              const ledger::SealedValue& s) {
  auto subject = b.CreateString(s.subject_id);
  auto nonce = b.CreateVector(reinterpret_cast<const std::uint8_t*>(s.nonce.data()), s.nonce.size());
  auto ciphertext = b.CreateVector(reinterpret_cast<const std::uint8_t*>(s.ciphertext.data()),
                                   s.ciphertext.size());
  return schema::CreateSealed(b, subject, s.key_version, nonce, ciphertext);
}

// The identity events (organisation, team, user, API key), first version of each.
void AddIdentityFixtures(std::vector<Fixture>& f, ledger::PersonalData& pd) {
  namespace fb = flatbuffers;
  auto credential = [&]() {
    fb::FlatBufferBuilder inner;
    inner.Finish(schema::CreateCredentialDirect(inner, kPasswordHash.c_str()));
    auto sealed = pd.Seal(kUser, Bytes(inner));
    if (!sealed) {
      std::cerr << "seal failed: " << sealed.error().ToString() << "\n";
      std::exit(1);
    }
    return sealed.value();
  };
  fb::FlatBufferBuilder b;
  b.Finish(schema::CreateOrganisationCreatedDirect(b, "Leicester City Council",
                                                   schema::OrganisationKind::Council, true));
  f.push_back({EventType::OrganisationCreated, kOrganisation, Bytes(b)});
  b.Clear();
  b.Finish(schema::CreateOrganisationSettingsChangedDirect(b, false, "pilot ended"));
  f.push_back({EventType::OrganisationSettingsChanged, kOrganisation, Bytes(b)});
  b.Clear();
  b.Finish(schema::CreateTeamCreatedDirect(b, kOrganisation.c_str(), "Community Safety Team"));
  f.push_back({EventType::TeamCreated, kTeam, Bytes(b)});
  b.Clear();
  {
    auto password = AddSealed(b, credential());
    std::vector<schema::Role> roles = {schema::Role::CaseWorker, schema::Role::Supervisor};
    b.Finish(schema::CreateUserCreated(b, b.CreateString("j.fixture"),
                                       b.CreateString("Jo Fixture"), b.CreateString(kOrganisation),
                                       b.CreateString(kTeam), b.CreateVector(roles), password));
  }
  f.push_back({EventType::UserCreated, kUser, Bytes(b)});
  b.Clear();
  {
    std::vector<schema::Role> roles = {schema::Role::Auditor};
    b.Finish(schema::CreateUserRolesChanged(b, b.CreateVector(roles), b.CreateString("moved to audit")));
  }
  f.push_back({EventType::UserRolesChanged, kUser, Bytes(b)});
  b.Clear();
  b.Finish(schema::CreateUserDeactivatedDirect(b, "long-term leave"));
  f.push_back({EventType::UserDeactivated, kUser, Bytes(b)});
  b.Clear();
  b.Finish(schema::CreateUserReactivatedDirect(b, "returned"));
  f.push_back({EventType::UserReactivated, kUser, Bytes(b)});
  b.Clear();
  {
    auto password = AddSealed(b, credential());
    b.Finish(schema::CreateUserPasswordChanged(b, password, b.CreateString("reset by admin")));
  }
  f.push_back({EventType::UserPasswordChanged, kUser, Bytes(b)});
  b.Clear();
  {
    std::vector<std::uint8_t> hash(32);
    for (std::size_t i = 0; i < hash.size(); ++i) hash[i] = static_cast<std::uint8_t>(0xa0 + i);
    b.Finish(schema::CreateApiKeyIssuedDirect(b, kUser.c_str(), "police records system", &hash,
                                              1'746'057'600'000'000));  // 2025-05-01T00:00:00Z
  }
  f.push_back({EventType::ApiKeyIssued, kApiKey, Bytes(b)});
  b.Clear();
  b.Finish(schema::CreateApiKeyRevokedDirect(b, "rotated"));
  f.push_back({EventType::ApiKeyRevoked, kApiKey, Bytes(b)});
}

std::vector<Fixture> Fixtures(ledger::PersonalData& pd) {
  auto seal = [&](const std::string& subject, const std::string& plaintext) {
    auto sealed = pd.Seal(subject, plaintext);
    if (!sealed) {
      std::cerr << "seal failed: " << sealed.error().ToString() << "\n";
      std::exit(1);
    }
    return sealed.value();
  };
  std::vector<Fixture> f;
  f.push_back({EventType::IncidentReported, kIncident,
               MakeIncidentReported(
                   {.reference = "ASB-2024-0001",
                    .owner = kCouncilAsb,
                    .reported_at = 1'714'515'300'000'000,  // 2024-04-30T22:15:00Z
                    .channel = schema::Channel::Phone,
                    .location = LocationSpec{.uprn = 100030000123,
                                             .address_id = kAddress,
                                             .text = "Outside 12 Fixture Road",
                                             .coordinates = CoordinatesSpec{52.6369, -1.1398}},
                    .category = schema::Category::Nuisance,
                    .sub_category = "noise",
                    .hate_incident = false,
                    .hate_strands = {},
                    .consent_to_refer = true,
                    .details = seal(kIncident,
                                    MakeIncidentDetails("Loud music from 22:00 most nights"))})});
  f.push_back(
      {EventType::IncidentUpdated, kIncident,
       MakeIncidentUpdated(
           {.reported_at = 1'714'515'600'000'000,  // 2024-04-30T22:20:00Z
            .channel = std::nullopt,
            .location = std::nullopt,
            .consent_to_refer = false,
            .details = seal(kIncident, MakeIncidentDetails("Loud music and shouting from 22:00")),
            .reason = "caller rang back"})});
  f.push_back({EventType::IncidentClassified, kIncident,
               MakeIncidentClassified(
                   {.category = schema::Category::Personal,
                    .sub_category = "harassment",
                    .hate_incident = true,
                    .hate_strands = {schema::HateStrand::Race, schema::HateStrand::Religion},
                    .reason = "supervisor review"})});
  f.push_back(
      {EventType::PersonRecorded, kPerson,
       MakePersonRecorded(
           {.owner = kCouncilAsb,
            .details = seal(kPerson,
                            MakePersonDetails({.names = {{"Alex", "Fixture"}},
                                               .aliases = {"Al"},
                                               .date_of_birth = "1988-02-29",
                                               .phone = "07700 900456",
                                               .email = "alex@example.org",
                                               .address_text = "12 Fixture Road, Leicester LE2 1AB",
                                               .vulnerabilities = {"hearing_impaired"}}))})});
  f.push_back(
      {EventType::PersonCorrected, kPerson,
       MakePersonCorrected(
           {.details = seal(kPerson, MakePersonDetails(
                                         {.names = {{"Alexandra", "Fixture"}, {"Alex", "Fixture"}},
                                          .aliases = {"Al", "Lex"},
                                          .date_of_birth = "1988-02-29",
                                          .phone = "07700 900789",
                                          .email = "",
                                          .address_text = "12 Fixture Road, Leicester LE2 1AB",
                                          .vulnerabilities = {}})),
            .reason = "name given in full"})});
  f.push_back({EventType::AddressRecorded, kAddress,
               MakeAddressRecorded({.owner = {"org-leicester-city", "team-housing"},
                                    .uprn = 100030000123,
                                    .text = "12 Fixture Road, Leicester",
                                    .normalised_text = "12 FIXTURE ROAD LEICESTER",
                                    .postcode = "LE2 1AB",
                                    .coordinates = CoordinatesSpec{52.6201, -1.1302}})});
  f.push_back({EventType::VehicleRecorded, kVehicle,
               MakeVehicleRecorded({.owner = {"org-leics-police", "team-npt-city"},
                                    .registration = "fx24 abc",
                                    .normalised_registration = "FX24ABC",
                                    .make = "Vauxhall",
                                    .model = "Corsa",
                                    .colour = "red"})});
  f.push_back({EventType::LinkAdded, kLink,
               MakeLinkAdded({.from_id = kIncident,
                              .to_id = kPerson,
                              .role = schema::LinkRole::AllegedPerpetrator,
                              .owner = kCouncilAsb,
                              .note = "named by two callers"})});
  f.push_back({EventType::LinkRemoved, kLink, MakeLinkRemoved({.reason = "linked in error"})});
  f.push_back(
      {EventType::CaseOpened, kCase,
       MakeCaseOpened({.reference = "CASE-2024-0042",
                       .owner = kCouncilAsb,
                       .case_type = schema::CaseType::AsbCase,
                       .title = "Noise, 12 Fixture Road",
                       .lead_organisation_id = "org-leicester-city",
                       .lead_officer_id = "user-officer-1",
                       .summary = seal(kCase, MakeNoteBody("Persistent late-night noise"))})});
  f.push_back({EventType::CaseAssigned, kCase,
               MakeCaseAssigned({.lead_organisation_id = "org-leics-police",
                                 .lead_officer_id = "user-pc-7",
                                 .team_id = "team-npt-city",
                                 .reason = "police lead for CBO"})});
  f.push_back(
      {EventType::CaseActionRecorded, kCase,
       MakeCaseActionRecorded({.action_id = "action-0001",
                               .action = schema::ActionType::CommunityProtectionWarning,
                               .subject_id = kPerson,
                               .taken_at = 1'715'187'600'000'000,    // 2024-05-08T17:00:00Z
                               .expires_at = 1'746'057'600'000'000,  // 2025-05-01T00:00:00Z
                               .authorised_by = "user-sup-3",
                               .conviction_reference = "",
                               .details = seal(kCase, MakeNoteBody("Warning served in person"))})});
  f.push_back({EventType::TaskCreated, kCase,
               MakeTaskCreated({.task_id = "task-0001",
                                .title = "Visit the complainant",
                                .due_at = 1'717'200'000'000'000,  // 2024-06-01T00:00:00Z
                                .assignee_id = "user-officer-1"})});
  f.push_back(
      {EventType::TaskCompleted, kCase,
       MakeTaskCompleted({.task_id = "task-0001", .outcome = "visited, diary sheets left"})});
  f.push_back(
      {EventType::NoteAdded, kCase,
       MakeNoteAdded({.note_id = "note-0001",
                      .body = seal(kCase, MakeNoteBody("Complainant reports improvement"))})});
  f.push_back({EventType::RiskAssessed, kCase,
               MakeRiskAssessed({.assessment_id = "risk-0001",
                                 .subject_id = kPerson,
                                 .instrument_id = "asb-risk-matrix",
                                 .instrument_version = 3,
                                 .answers = {{"q1", 2}, {"q2", 0}, {"q3", 4}},
                                 .score = 6,
                                 .level = schema::RiskLevel::Medium})});
  f.push_back({EventType::CaseClosed, kCase,
               MakeCaseClosed({.outcome = "resolved",
                               .signed_off_by = "user-sup-3",
                               .reason = "no reports for 8 weeks"})});
  f.push_back({EventType::CaseReopened, kCase, MakeCaseReopened({.reason = "new reports"})});
  f.push_back({EventType::AccessGranted, kGrant,
               MakeAccessGranted({.record_id = kCase,
                                  .grantee_kind = schema::GranteeKind::Organisation,
                                  .grantee_id = "org-housing-assoc",
                                  .reason = "joint working",
                                  .expires_at = 1'746'057'600'000'000})});
  f.push_back({EventType::AccessRevoked, kGrant,
               MakeAccessRevoked({.record_id = kCase, .reason = "joint working ended"})});
  f.push_back({EventType::AccessRequested, kAccessRequest,
               MakeAccessRequested({.record_id = kCase, .reason = "victim known to housing"})});
  f.push_back({EventType::AccessRequestDecided, kAccessRequest,
               MakeAccessRequestDecided({.granted = true,
                                         .reason = "joint working agreed",
                                         .expires_at = 1'746'057'600'000'000})});
  // Access-log events (their own log; the stream is the record consulted or disclosed).
  f.push_back({EventType::RecordConsulted, kIncident,
               MakeRecordConsulted({.action = "incident.read", .request_id = "req-fixture-1"})});
  f.push_back({EventType::RecordDisclosed, kIncident,
               MakeRecordDisclosed({.recipients = {"Leicester Magistrates' Court"},
                                    .legal_basis = "DPA 2018 s.35(2)",
                                    .details = "evidence bundle",
                                    .request_id = "req-fixture-2"})});
  AddIdentityFixtures(f, pd);
  // Documents, meetings and risk instruments (event types 60..64), appended after the first
  // fixtures so their bytes (and the seeded nonces they consumed) stay as they were.
  f.push_back({EventType::DocumentAttached, kCase,
               MakeDocumentAttached({.document_id = "document-0001",
                                     .name = "diary-sheet.txt",
                                     .media_type = "text/plain",
                                     .content = "Music until 3am, Friday.",
                                     .sealed_content = seal(kCase, MakeDocumentContent(
                                                                       "Music until 3am, Friday."))})});
  f.push_back({EventType::MeetingScheduled, kCase,
               MakeMeetingScheduled({.meeting_id = "meeting-0001",
                                     .title = "JAG, city centre",
                                     .held_at = 1'717'408'800'000'000,  // 2024-06-03T10:00:00Z
                                     .attendees = {"user-officer-1", "user-pc-2"},
                                     .agenda = {"New referrals", "Case reviews"}})});
  f.push_back({EventType::MeetingMinutesRecorded, kCase,
               MakeMeetingMinutesRecorded(
                   {.meeting_id = "meeting-0001",
                    .minutes = seal(kCase, MakeNoteBody("Agreed a joint visit"))})});
  f.push_back({EventType::MeetingActionAssigned, kCase,
               MakeMeetingActionAssigned({.meeting_id = "meeting-0001",
                                          .task_id = "task-m0001",
                                          .title = "Joint visit",
                                          .assignee_id = "user-pc-2",
                                          .due_at = 1'717'977'600'000'000})});  // 2024-06-10
  f.push_back({EventType::RiskInstrumentPublished, kInstrument,
               MakeRiskInstrumentPublished({.instrument_id = "asb-risk",
                                            .version = 2,
                                            .title = "ASB victim risk assessment",
                                            .questions = {{"repeat_victim", "personal", 3, {0, 1}},
                                                          {"frequency", "situational", 2,
                                                           {0, 1, 2, 3}}},
                                            .medium_from = 4,
                                            .high_from = 8,
                                            .review_days_standard = 0,
                                            .review_days_medium = 28,
                                            .review_days_high = 14,
                                            .referral_score = 6})});
  return f;
}

int Run(const std::filesystem::path& out_dir) {
  FixedKeyStore keys(FixtureMasterKey());
  ledger::SeededRandom random(20240501);
  ledger::PersonalData pd(keys, random);
  std::filesystem::create_directories(out_dir);

  struct Head {
    std::uint64_t version = 0;
    ledger::Hash hash{};
    ledger::Uuid last_event;
  };
  std::map<std::string, Head> heads;
  const ledger::Uuid correlation = Id("018f3a5c-2000-7000-8000-000000000001");
  std::vector<Fixture> fixtures = Fixtures(pd);
  int written = 0;
  for (std::size_t i = 0; i < fixtures.size(); ++i) {
    const Fixture& fx = fixtures[i];
    Head& head = heads[fx.stream];
    ledger::EnvelopeFields e;
    e.event_id = EventId(fx.type);
    e.stream_id = fx.stream;
    e.stream_version = ++head.version;
    e.event_type = fx.type;
    e.schema_version = 1;
    e.occurred_at = kBase + static_cast<Micros>(i) * kMinute;
    e.recorded_at = e.occurred_at + 30'000'000;
    e.source_recorded_at = fx.type == EventType::AddressRecorded ? kMigratedAt : 0;
    e.actor = {"user-fixture", "org-fixture", "team-fixture"};
    e.purpose = "schema fixture";
    e.correlation_id = correlation;
    e.causation_id = e.stream_version == 1 ? correlation : head.last_event;
    e.idempotency_key = "fixture-" + std::string(ledger::EventTypeName(fx.type));
    e.prev_hash = head.hash;
    e.payload = fx.payload;
    e.hash = ledger::ComputeEventHash(e);
    head.hash = e.hash;
    head.last_event = e.event_id;

    std::filesystem::path path =
        out_dir / (std::string(ledger::EventTypeName(fx.type)) + ".v1.bin");
    if (std::filesystem::exists(path)) {
      std::cout << "kept    " << path.string() << "\n";
      continue;
    }
    std::ofstream out(path, std::ios::binary);
    std::string bytes = ledger::EncodeEnvelope(e);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::cerr << "cannot write " << path.string() << "\n";
      return 1;
    }
    std::cout << "wrote   " << path.string() << "\n";
    ++written;
  }
  std::cout << written << " fixture(s) written\n";
  return 0;
}

}  // namespace
}  // namespace caseledger::testing

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " <source dir>/tests/fixtures/events\n";
    return 2;
  }
  return caseledger::testing::Run(argv[1]);
}
