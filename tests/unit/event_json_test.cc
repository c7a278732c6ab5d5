// EventToJson: exact JSON for the envelope and every event type's payload, and the sealed,
// disposed and unknown-type renderings.
#include "ledger/event_json.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <memory>
#include <string>
#include <vector>

#include "ledger/documents.h"
#include "ledger/envelope.h"
#include "ledger/personal_data.h"
#include "ledger/store.h"
#include "support/event_builders.h"
#include "support/result_assertions.h"
#include "support/temp_dir.h"

namespace caseledger::ledger {
namespace {

namespace fb = flatbuffers;
using schema::Channel;

constexpr Micros kJan1 = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z
constexpr char kIncident[] = "incident-01900000-0000-7000-8000-000000000002";
constexpr char kPerson[] = "person-01900000-0000-7000-8000-000000000004";
constexpr char kCase[] = "case-01900000-0000-7000-8000-000000000005";

template <class Build>
std::string Finish(Build&& build) {
  fb::FlatBufferBuilder b;
  b.Finish(build(b));
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

fb::Offset<schema::Sealed> AddSealed(fb::FlatBufferBuilder& b, const SealedValue& v) {
  return schema::CreateSealed(
      b, b.CreateString(v.subject_id), v.key_version,
      b.CreateVector(reinterpret_cast<const std::uint8_t*>(v.nonce.data()), v.nonce.size()),
      b.CreateVector(reinterpret_cast<const std::uint8_t*>(v.ciphertext.data()),
                     v.ciphertext.size()));
}

fb::Offset<schema::Owner> AddOwner(fb::FlatBufferBuilder& b) {
  return schema::CreateOwnerDirect(b, "org-leicester", "team-asb");
}

fb::Offset<schema::Location> AddLocation(fb::FlatBufferBuilder& b) {
  auto coordinates = schema::CreateCoordinates(b, 52.5, -1.25);
  return schema::CreateLocationDirect(b, 100030000001, "address-1", "Outside 1 Test Street",
                                      coordinates);
}

std::string IncidentDetails(const char* description) {
  return Finish([&](auto& b) { return schema::CreateIncidentDetailsDirect(b, description); });
}

std::string NoteBody(const char* text) {
  return Finish([&](auto& b) { return schema::CreateNoteBodyDirect(b, text); });
}

std::string PersonDetails() {
  return Finish([](auto& b) {
    std::vector<fb::Offset<schema::PersonName>> names = {
        schema::CreatePersonNameDirect(b, "Jordan", "Example"),
        schema::CreatePersonNameDirect(b, "Jo", "Sample")};
    std::vector<fb::Offset<fb::String>> aliases = {b.CreateString("JJ")};
    std::vector<fb::Offset<fb::String>> vulnerabilities = {b.CreateString("mental_health"),
                                                           b.CreateString("age")};
    return schema::CreatePersonDetailsDirect(b, &names, &aliases, "1990-02-28", "07700 900123",
                                             "jordan@example.org", "1 Test Street",
                                             &vulnerabilities);
  });
}

class EventJsonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open({dir_.Path("db")});
    ASSERT_OK(store);
    store_ = std::move(store).value();
    SecretKey master{};
    for (std::size_t i = 0; i < master.size(); ++i) master[i] = static_cast<std::uint8_t>(i + 1);
    keys_ = OpenEmbeddedKeyStore(*store_, master);
    personal_data_ = std::make_unique<PersonalData>(*keys_, random_);
  }

  SealedValue Seal(std::string_view subject, std::string_view plaintext) {
    auto sealed = personal_data_->Seal(subject, plaintext);
    EXPECT_TRUE(sealed) << sealed.error().ToString();
    return sealed ? sealed.value() : SealedValue{};
  }

  static EnvelopeFields Fields(EventType type, std::string payload) {
    EnvelopeFields f;
    f.event_id = *Uuid::Parse("01900000-0000-7000-8000-000000000001");
    f.stream_id = kIncident;
    f.stream_version = 3;
    f.event_type = type;
    f.schema_version = 1;
    f.occurred_at = kJan1;
    f.recorded_at = kJan1 + 1'500'000;
    f.actor = {"user-alice", "org-leicester", "team-asb"};
    f.purpose = "case review";
    f.correlation_id = *Uuid::Parse("01900000-0000-7000-8000-000000000003");
    f.idempotency_key = "key-1";
    for (std::size_t i = 0; i < kHashSize; ++i) {
      f.prev_hash[i] = static_cast<std::uint8_t>(i);
      f.hash[i] = static_cast<std::uint8_t>(0x20 + i);
    }
    f.payload = std::move(payload);
    return f;
  }

  // The event rendered as JSON text, or "error: ..." when rendering fails.
  static std::string Render(const EnvelopeFields& fields, PersonalData* personal_data) {
    const std::string bytes = EncodeEnvelope(fields);
    auto envelope = VerifyEnvelope(bytes);
    if (!envelope) return "error: " + envelope.error().ToString();
    auto json = EventToJson(*envelope.value(), personal_data, Position{0, 42});
    if (!json) return "error: " + json.error().ToString();
    return boost::json::serialize(json.value());
  }

  // Only the "payload" member, rendered with the test's PersonalData unless told otherwise.
  std::string Payload(EventType type, std::string payload) { return Payload(type, payload, true); }
  std::string Payload(EventType type, std::string payload, bool open) {
    const std::string bytes = EncodeEnvelope(Fields(type, std::move(payload)));
    auto json = EventToJson(*VerifyEnvelope(bytes).value(), open ? personal_data_.get() : nullptr,
                            Position{0, 42});
    if (!json) return "error: " + json.error().ToString();
    return boost::json::serialize(json.value().at("payload"));
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<KeyStore> keys_;
  SeededRandom random_{7};
  std::unique_ptr<PersonalData> personal_data_;
};

TEST_F(EventJsonTest, EnvelopeRendersEveryFieldInSchemaOrder) {
  std::string payload =
      Finish([](auto& b) { return schema::CreateTaskCompletedDirect(b, "task-1", "visited"); });

  std::string json = Render(Fields(EventType::TaskCompleted, payload), nullptr);

  EXPECT_EQ(json,
            R"({"event_id":"01900000-0000-7000-8000-000000000001",)"
            R"("stream_id":"incident-01900000-0000-7000-8000-000000000002",)"
            R"("stream_version":3,"event_type":"task_completed","schema_version":1,)"
            R"("occurred_at":"2026-01-01T00:00:00.000000Z",)"
            R"("recorded_at":"2026-01-01T00:00:01.500000Z",)"
            R"("actor":{"user_id":"user-alice","organisation_id":"org-leicester",)"
            R"("team_id":"team-asb"},"purpose":"case review",)"
            R"("correlation_id":"01900000-0000-7000-8000-000000000003","causation_id":null,)"
            R"("idempotency_key":"key-1",)"
            R"("prev_hash":"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",)"
            R"("hash":"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f",)"
            R"("position":"0:42","payload":{"task_id":"task-1","outcome":"visited"}})");
}

TEST_F(EventJsonTest, SourceRecordedAtAppearsOnlyWhenSetAndEmptyKeyIsNull) {
  std::string payload =
      Finish([](auto& b) { return schema::CreateCaseReopenedDirect(b, "new reports"); });
  EnvelopeFields fields = Fields(EventType::CaseReopened, payload);
  fields.source_recorded_at = 1'262'304'000'000'000;  // 2010-01-01
  fields.idempotency_key.clear();
  fields.causation_id = *Uuid::Parse("01900000-0000-7000-8000-0000000000ff");

  std::string json = Render(fields, nullptr);

  EXPECT_NE(json.find(R"("recorded_at":"2026-01-01T00:00:01.500000Z",)"
                      R"("source_recorded_at":"2010-01-01T00:00:00.000000Z","actor":)"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("causation_id":"01900000-0000-7000-8000-0000000000ff",)"
                      R"("idempotency_key":null,)"),
            std::string::npos)
      << json;
}

TEST_F(EventJsonTest, RenderingTheSameEventTwiceGivesTheSameText) {
  std::string payload = Finish([](auto& b) {
    return schema::CreateCaseAssignedDirect(b, "org-police", "user-pat", "team-n", "police lead");
  });
  EnvelopeFields fields = Fields(EventType::CaseAssigned, payload);

  EXPECT_EQ(Render(fields, nullptr), Render(fields, nullptr));
}

TEST_F(EventJsonTest, IncidentReportedRendersEveryFieldWithOpenedDetails) {
  SealedValue details = Seal(kIncident, IncidentDetails("Loud music every night"));
  std::string payload = Finish([&](auto& b) {
    std::vector<schema::HateStrand> strands = {schema::HateStrand::Race,
                                               schema::HateStrand::SexualOrientation};
    return schema::CreateIncidentReportedDirect(
        b, "INC-7", AddOwner(b), kJan1, Channel::OnlineForm, AddLocation(b),
        schema::Category::Personal, "harassment", true, &strands, true, AddSealed(b, details));
  });

  EXPECT_EQ(Payload(EventType::IncidentReported, payload),
            R"({"reference":"INC-7","owner":{"organisation_id":"org-leicester",)"
            R"("team_id":"team-asb"},"reported_at":"2026-01-01T00:00:00.000000Z",)"
            R"("channel":"online_form","location":{"uprn":100030000001,)"
            R"("address_id":"address-1","text":"Outside 1 Test Street",)"
            R"("coordinates":{"latitude":5.25E1,"longitude":-1.25E0}},)"
            R"("category":"personal","sub_category":"harassment","hate_incident":true,)"
            R"("hate_strands":["race","sexual_orientation"],"consent_to_refer":true,)"
            R"("details":{"description":"Loud music every night"}})");
}

TEST_F(EventJsonTest, AbsentTablesAreNullAbsentStringsEmptyAndZeroTimesNull) {
  std::string payload = Finish([](auto& b) {
    schema::IncidentReportedBuilder r(b);
    return r.Finish();
  });

  EXPECT_EQ(Payload(EventType::IncidentReported, payload),
            R"({"reference":"","owner":null,"reported_at":null,"channel":"unspecified",)"
            R"("location":null,"category":"unspecified","sub_category":"",)"
            R"("hate_incident":false,"hate_strands":[],"consent_to_refer":false,)"
            R"("details":null})");
}

TEST_F(EventJsonTest, IncidentUpdatedOmitsAbsentFields) {
  std::string payload = Finish(
      [](auto& b) { return schema::CreateIncidentUpdatedDirect(b, {}, {}, 0, {}, 0, "typo"); });

  EXPECT_EQ(Payload(EventType::IncidentUpdated, payload), R"({"reason":"typo"})");
}

TEST_F(EventJsonTest, IncidentUpdatedRendersPresentOptionalFields) {
  SealedValue details = Seal(kIncident, IncidentDetails("Music until 3am"));
  std::string payload = Finish([&](auto& b) {
    auto location = schema::CreateLocationDirect(b, 0, nullptr, "Park gates");
    return schema::CreateIncidentUpdatedDirect(b, kJan1 + 60'000'000, Channel::Officer, location,
                                               false, AddSealed(b, details), "more detail");
  });

  EXPECT_EQ(Payload(EventType::IncidentUpdated, payload),
            R"({"reported_at":"2026-01-01T00:01:00.000000Z","channel":"officer",)"
            R"("location":{"uprn":null,"address_id":"","text":"Park gates","coordinates":null},)"
            R"("consent_to_refer":false,"details":{"description":"Music until 3am"},)"
            R"("reason":"more detail"})");
}

TEST_F(EventJsonTest, IncidentClassifiedRendersCategoryAndStrands) {
  std::string payload = Finish([](auto& b) {
    std::vector<schema::HateStrand> strands = {schema::HateStrand::Disability};
    return schema::CreateIncidentClassifiedDirect(b, schema::Category::Environmental, "litter",
                                                  true, &strands, "reviewed");
  });

  EXPECT_EQ(Payload(EventType::IncidentClassified, payload),
            R"({"category":"environmental","sub_category":"litter","hate_incident":true,)"
            R"("hate_strands":["disability"],"reason":"reviewed"})");
}

TEST_F(EventJsonTest, PersonRecordedOpensEveryPersonDetail) {
  SealedValue details = Seal(kPerson, PersonDetails());
  std::string payload = Finish(
      [&](auto& b) { return schema::CreatePersonRecorded(b, AddOwner(b), AddSealed(b, details)); });

  EXPECT_EQ(Payload(EventType::PersonRecorded, payload),
            R"({"owner":{"organisation_id":"org-leicester","team_id":"team-asb"},)"
            R"("details":{"names":[{"given":"Jordan","family":"Example"},)"
            R"({"given":"Jo","family":"Sample"}],"aliases":["JJ"],)"
            R"("date_of_birth":"1990-02-28","phone":"07700 900123",)"
            R"("email":"jordan@example.org","address_text":"1 Test Street",)"
            R"("vulnerabilities":["mental_health","age"]}})");
}

TEST_F(EventJsonTest, PersonCorrectedRendersDetailsAndReason) {
  SealedValue details = Seal(kPerson, PersonDetails());
  std::string payload = Finish([&](auto& b) {
    return schema::CreatePersonCorrectedDirect(b, AddSealed(b, details), "wrong birth date");
  });

  EXPECT_EQ(Payload(EventType::PersonCorrected, payload),
            R"({"details":{"names":[{"given":"Jordan","family":"Example"},)"
            R"({"given":"Jo","family":"Sample"}],"aliases":["JJ"],)"
            R"("date_of_birth":"1990-02-28","phone":"07700 900123",)"
            R"("email":"jordan@example.org","address_text":"1 Test Street",)"
            R"("vulnerabilities":["mental_health","age"]},"reason":"wrong birth date"})");
}

TEST_F(EventJsonTest, AddressRecordedRendersUprnAndCoordinates) {
  std::string payload = Finish([](auto& b) {
    return schema::CreateAddressRecordedDirect(b, AddOwner(b), 100030000001, "1 Test St",
                                               "1 TEST ST", "LE1 1AA",
                                               schema::CreateCoordinates(b, 52.5, -1.25));
  });

  EXPECT_EQ(Payload(EventType::AddressRecorded, payload),
            R"({"owner":{"organisation_id":"org-leicester","team_id":"team-asb"},)"
            R"("uprn":100030000001,"text":"1 Test St","normalised_text":"1 TEST ST",)"
            R"("postcode":"LE1 1AA","coordinates":{"latitude":5.25E1,"longitude":-1.25E0}})");
}

TEST_F(EventJsonTest, AddressRecordedWithUnknownUprnRendersNull) {
  std::string payload = Finish([](auto& b) {
    return schema::CreateAddressRecordedDirect(b, 0, 0, "Somewhere", "SOMEWHERE", "");
  });

  EXPECT_EQ(Payload(EventType::AddressRecorded, payload),
            R"({"owner":null,"uprn":null,"text":"Somewhere","normalised_text":"SOMEWHERE",)"
            R"("postcode":"","coordinates":null})");
}

TEST_F(EventJsonTest, VehicleRecordedRendersEveryField) {
  std::string payload = Finish([](auto& b) {
    return schema::CreateVehicleRecordedDirect(b, AddOwner(b), "ab12 cde", "AB12CDE", "Ford",
                                               "Fiesta", "blue");
  });

  EXPECT_EQ(Payload(EventType::VehicleRecorded, payload),
            R"({"owner":{"organisation_id":"org-leicester","team_id":"team-asb"},)"
            R"("registration":"ab12 cde","normalised_registration":"AB12CDE","make":"Ford",)"
            R"("model":"Fiesta","colour":"blue"})");
}

TEST_F(EventJsonTest, LinkAddedRendersRoleInSnakeCase) {
  std::string payload = Finish([](auto& b) {
    return schema::CreateLinkAddedDirect(b, kIncident, kPerson,
                                         schema::LinkRole::AllegedPerpetrator, AddOwner(b),
                                         "named by caller");
  });

  EXPECT_EQ(Payload(EventType::LinkAdded, payload),
            R"({"from_id":"incident-01900000-0000-7000-8000-000000000002",)"
            R"("to_id":"person-01900000-0000-7000-8000-000000000004",)"
            R"("role":"alleged_perpetrator","owner":{"organisation_id":"org-leicester",)"
            R"("team_id":"team-asb"},"note":"named by caller"})");
}

TEST_F(EventJsonTest, LinkRemovedRendersReason) {
  std::string payload =
      Finish([](auto& b) { return schema::CreateLinkRemovedDirect(b, "wrong person"); });

  EXPECT_EQ(Payload(EventType::LinkRemoved, payload), R"({"reason":"wrong person"})");
}

TEST_F(EventJsonTest, CaseOpenedOpensTheSummary) {
  SealedValue summary = Seal(kCase, NoteBody("Repeated noise complaints"));
  std::string payload = Finish([&](auto& b) {
    return schema::CreateCaseOpenedDirect(b, "CASE-1", AddOwner(b),
                                          schema::CaseType::CommunityProtection, "Noise, Test St",
                                          "org-leicester", "user-olivia", AddSealed(b, summary));
  });

  EXPECT_EQ(Payload(EventType::CaseOpened, payload),
            R"({"reference":"CASE-1","owner":{"organisation_id":"org-leicester",)"
            R"("team_id":"team-asb"},"case_type":"community_protection",)"
            R"("title":"Noise, Test St","lead_organisation_id":"org-leicester",)"
            R"("lead_officer_id":"user-olivia","summary":{"text":"Repeated noise complaints"}})");
}

TEST_F(EventJsonTest, CaseAssignedRendersEveryField) {
  std::string payload = Finish([](auto& b) {
    return schema::CreateCaseAssignedDirect(b, "org-police", "user-pat", "team-n", "police lead");
  });

  EXPECT_EQ(Payload(EventType::CaseAssigned, payload),
            R"({"lead_organisation_id":"org-police","lead_officer_id":"user-pat",)"
            R"("team_id":"team-n","reason":"police lead"})");
}

TEST_F(EventJsonTest, CaseClosedRendersEveryField) {
  std::string payload = Finish([](auto& b) {
    return schema::CreateCaseClosedDirect(b, "resolved", "user-sam", "no further reports");
  });

  EXPECT_EQ(Payload(EventType::CaseClosed, payload),
            R"({"outcome":"resolved","signed_off_by":"user-sam","reason":"no further reports"})");
}

TEST_F(EventJsonTest, CaseReopenedRendersReason) {
  std::string payload =
      Finish([](auto& b) { return schema::CreateCaseReopenedDirect(b, "new reports"); });

  EXPECT_EQ(Payload(EventType::CaseReopened, payload), R"({"reason":"new reports"})");
}

TEST_F(EventJsonTest, CaseActionRecordedRendersTimesAndOpensDetails) {
  SealedValue details = Seal(kCase, NoteBody("Letter hand delivered"));
  std::string payload = Finish([&](auto& b) {
    return schema::CreateCaseActionRecordedDirect(
        b, "action-1", schema::ActionType::CommunityProtectionWarning, kPerson, kJan1, 0,
        "user-sam", "", AddSealed(b, details));
  });

  EXPECT_EQ(Payload(EventType::CaseActionRecorded, payload),
            R"({"action_id":"action-1","action":"community_protection_warning",)"
            R"("subject_id":"person-01900000-0000-7000-8000-000000000004",)"
            R"("taken_at":"2026-01-01T00:00:00.000000Z","expires_at":null,)"
            R"("authorised_by":"user-sam","conviction_reference":"",)"
            R"("details":{"text":"Letter hand delivered"},"premises_id":""})");
}

TEST_F(EventJsonTest, TaskCreatedRendersDueTime) {
  std::string payload = Finish([](auto& b) {
    return schema::CreateTaskCreatedDirect(b, "task-1", "Visit", kJan1 + 86'400'000'000,
                                           "user-olivia");
  });

  EXPECT_EQ(Payload(EventType::TaskCreated, payload),
            R"({"task_id":"task-1","title":"Visit","due_at":"2026-01-02T00:00:00.000000Z",)"
            R"("assignee_id":"user-olivia"})");
}

TEST_F(EventJsonTest, TaskCompletedRendersEveryField) {
  std::string payload =
      Finish([](auto& b) { return schema::CreateTaskCompletedDirect(b, "task-1", "visited"); });

  EXPECT_EQ(Payload(EventType::TaskCompleted, payload),
            R"({"task_id":"task-1","outcome":"visited"})");
}

TEST_F(EventJsonTest, NoteAddedOpensTheBody) {
  SealedValue body = Seal(kIncident, NoteBody("Spoke to neighbour"));
  std::string payload = Finish(
      [&](auto& b) { return schema::CreateNoteAddedDirect(b, "note-1", AddSealed(b, body)); });

  EXPECT_EQ(Payload(EventType::NoteAdded, payload),
            R"({"note_id":"note-1","body":{"text":"Spoke to neighbour"}})");
}

TEST_F(EventJsonTest, RiskAssessedRendersAnswersInOrder) {
  std::string payload = Finish([](auto& b) {
    std::vector<fb::Offset<schema::RiskAnswer>> answers = {
        schema::CreateRiskAnswerDirect(b, "q1", 3), schema::CreateRiskAnswerDirect(b, "q2", -1)};
    return schema::CreateRiskAssessedDirect(b, "risk-1", kPerson, "asb-matrix", 2, &answers, 4,
                                            schema::RiskLevel::High);
  });

  EXPECT_EQ(Payload(EventType::RiskAssessed, payload),
            R"({"assessment_id":"risk-1",)"
            R"("subject_id":"person-01900000-0000-7000-8000-000000000004",)"
            R"("instrument_id":"asb-matrix","instrument_version":2,)"
            R"("answers":[{"question_id":"q1","value":3},{"question_id":"q2","value":-1}],)"
            R"("score":4,"level":"high","next_review_at":null,"referral_score":0,)"
            R"("referred_to_support":false})");
}

TEST_F(EventJsonTest, DocumentAttachedRendersItsHashButNotItsBytes) {
  SealedValue content = Seal(kCase, testing::MakeDocumentContent("abc"));
  std::string payload = testing::MakeDocumentAttached(
      {.document_id = "doc-1", .name = "a.txt", .media_type = "text/plain", .content = "abc",
       .sealed_content = content});

  EXPECT_EQ(Payload(EventType::DocumentAttached, payload),
            R"({"document_id":"doc-1","name":"a.txt","media_type":"text/plain","size":3,)"
            R"("hash_algorithm":"blake2b-256","hash":")" +
                ledger::ToHex(ledger::DocumentHash("abc")) + R"(","content":"sealed"})");
}

TEST_F(EventJsonTest, MeetingMinutesRecordedOpensTheMinutes) {
  SealedValue minutes = Seal(kCase, NoteBody("Agreed a visit"));
  std::string payload = testing::MakeMeetingMinutesRecorded({.minutes = minutes});

  EXPECT_EQ(Payload(EventType::MeetingMinutesRecorded, payload),
            R"({"meeting_id":"meeting-1","minutes":{"text":"Agreed a visit"}})");
}

TEST_F(EventJsonTest, AccessGrantedRendersGranteeAndExpiry) {
  std::string payload = Finish([](auto& b) {
    return schema::CreateAccessGrantedDirect(b, kCase, schema::GranteeKind::Organisation,
                                             "org-housing", "joint case", kJan1 + 1);
  });

  EXPECT_EQ(Payload(EventType::AccessGranted, payload),
            R"({"record_id":"case-01900000-0000-7000-8000-000000000005",)"
            R"("grantee_kind":"organisation","grantee_id":"org-housing","reason":"joint case",)"
            R"("expires_at":"2026-01-01T00:00:00.000001Z"})");
}

TEST_F(EventJsonTest, AccessRevokedRendersEveryField) {
  std::string payload =
      Finish([](auto& b) { return schema::CreateAccessRevokedDirect(b, kCase, "case closed"); });

  EXPECT_EQ(Payload(EventType::AccessRevoked, payload),
            R"({"record_id":"case-01900000-0000-7000-8000-000000000005","reason":"case closed"})");
}

TEST_F(EventJsonTest, SealedFieldWithoutPersonalDataRendersAsSealed) {
  SealedValue body = Seal(kIncident, NoteBody("Spoke to neighbour"));
  std::string payload = Finish(
      [&](auto& b) { return schema::CreateNoteAddedDirect(b, "note-1", AddSealed(b, body)); });

  EXPECT_EQ(Payload(EventType::NoteAdded, payload, /*open=*/false),
            R"({"note_id":"note-1","body":{"sealed":true,)"
            R"("subject_id":"incident-01900000-0000-7000-8000-000000000002"}})");
}

TEST_F(EventJsonTest, SealedFieldOfADisposedSubjectRendersAsDisposed) {
  SealedValue details = Seal(kPerson, PersonDetails());
  std::string payload = Finish(
      [&](auto& b) { return schema::CreatePersonRecorded(b, AddOwner(b), AddSealed(b, details)); });
  ASSERT_OK(keys_->Destroy(kPerson));

  EXPECT_EQ(Payload(EventType::PersonRecorded, payload),
            R"({"owner":{"organisation_id":"org-leicester","team_id":"team-asb"},)"
            R"("details":{"disposed":true,)"
            R"("subject_id":"person-01900000-0000-7000-8000-000000000004"}})");
}

TEST_F(EventJsonTest, SealedValueThatFailsAuthenticationIsCorruption) {
  SealedValue body = Seal(kIncident, NoteBody("Spoke to neighbour"));
  body.ciphertext[0] ^= 1;
  std::string payload = Finish(
      [&](auto& b) { return schema::CreateNoteAddedDirect(b, "note-1", AddSealed(b, body)); });
  const std::string bytes = EncodeEnvelope(Fields(EventType::NoteAdded, payload));

  auto json = EventToJson(*VerifyEnvelope(bytes).value(), personal_data_.get(), {0, 1});

  EXPECT_ERROR_CODE(json, Code::kCorruption);
}

TEST_F(EventJsonTest, UnknownEventTypeRendersEnvelopeWithNullPayloadAndItsSize) {
  EnvelopeFields fields = Fields(static_cast<EventType>(999), std::string(37, 'x'));

  std::string json = Render(fields, nullptr);

  EXPECT_NE(json.find(R"("event_type":"unknown",)"), std::string::npos) << json;
  const std::string tail = R"("position":"0:42","payload":null,"payload_size":37})";
  ASSERT_GT(json.size(), tail.size());
  EXPECT_EQ(json.substr(json.size() - tail.size()), tail);
}

TEST_F(EventJsonTest, PayloadThatIsNotItsTypesFlatBufferIsCorruption) {
  const std::string bytes = EncodeEnvelope(Fields(EventType::RiskAssessed, std::string(3, '\7')));

  auto json = EventToJson(*VerifyEnvelope(bytes).value(), nullptr, {0, 1});

  EXPECT_ERROR_CODE(json, Code::kCorruption);
}

}  // namespace
}  // namespace caseledger::ledger
