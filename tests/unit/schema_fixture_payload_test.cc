// The payloads of the committed schema fixtures (tests/fixtures/events/README.md) decode to the
// values they were written with, sealed fields included, opened with the fixture key derivation
// and no key database. Expected values are written out here, never re-derived from the generator.
#include <gtest/gtest.h>

#include <list>
#include <string>
#include <vector>

#include "ledger/envelope.h"
#include "ledger/personal_data.h"
#include "ledger/time_format.h"
#include "schemas/events_generated.h"
#include "support/fixed_key_store.h"
#include "support/fixtures.h"
#include "support/result_assertions.h"

namespace caseledger::ledger {
namespace {

const std::string kIncident = "incident-018f3a5c-0000-7000-8000-000000000001";
const std::string kPerson = "person-018f3a5c-0000-7000-8000-000000000002";
const std::string kAddress = "address-018f3a5c-0000-7000-8000-000000000003";
const std::string kCase = "case-018f3a5c-0000-7000-8000-000000000006";

class SchemaFixturePayloadTest : public ::testing::Test {
 protected:
  // The payload table of the fixture of `type`; nullptr (and a failure) if it does not load.
  template <class T>
  const T* Load(EventType type) {
    auto bytes = testing::ReadFixture(type);
    if (!bytes) {
      ADD_FAILURE() << "missing " << testing::FixturePath(type);
      return nullptr;
    }
    buffers_.push_back(*bytes);
    auto envelope = VerifyEnvelope(buffers_.back());
    if (!envelope) {
      ADD_FAILURE() << testing::Describe(envelope);
      return nullptr;
    }
    const auto* payload = envelope.value()->payload();
    flatbuffers::Verifier verifier(payload->data(), payload->size());
    if (!verifier.VerifyBuffer<T>(nullptr)) {
      ADD_FAILURE() << EventTypeName(type) << " payload fails verification";
      return nullptr;
    }
    return flatbuffers::GetRoot<T>(payload->data());
  }

  // Opens a sealed field and checks it holds a `T`; returns its plaintext table.
  template <class T>
  const T* Open(const schema::Sealed* sealed, const std::string& subject) {
    if (sealed == nullptr) {
      ADD_FAILURE() << "sealed field absent";
      return nullptr;
    }
    EXPECT_EQ(sealed->subject_id()->str(), subject);
    EXPECT_EQ(sealed->key_version(), 1u);
    EXPECT_EQ(sealed->nonce()->size(), 24u);
    auto plaintext = personal_data_.Open(*sealed);
    if (!plaintext) {
      ADD_FAILURE() << testing::Describe(plaintext);
      return nullptr;
    }
    buffers_.push_back(plaintext.value());
    const auto* data = reinterpret_cast<const std::uint8_t*>(buffers_.back().data());
    flatbuffers::Verifier verifier(data, buffers_.back().size());
    if (!verifier.VerifyBuffer<T>(nullptr)) {
      ADD_FAILURE() << "sealed plaintext fails verification";
      return nullptr;
    }
    return flatbuffers::GetRoot<T>(data);
  }

  static void ExpectOwner(const schema::Owner* owner, const char* organisation, const char* team) {
    ASSERT_NE(owner, nullptr);
    EXPECT_EQ(owner->organisation_id()->str(), organisation);
    EXPECT_EQ(owner->team_id()->str(), team);
  }

  testing::FixedKeyStore keys_{testing::FixtureMasterKey()};
  SeededRandom random_{0};
  PersonalData personal_data_{keys_, random_};
  std::list<std::string> buffers_;  // keeps loaded bytes alive for the returned tables
};

TEST_F(SchemaFixturePayloadTest, IncidentEvents) {
  const auto* reported = Load<schema::IncidentReported>(EventType::IncidentReported);
  const auto* updated = Load<schema::IncidentUpdated>(EventType::IncidentUpdated);
  const auto* classified = Load<schema::IncidentClassified>(EventType::IncidentClassified);
  ASSERT_NE(reported, nullptr);
  ASSERT_NE(updated, nullptr);
  ASSERT_NE(classified, nullptr);

  EXPECT_EQ(reported->reference()->str(), "ASB-2024-0001");
  ExpectOwner(reported->owner(), "org-leicester-city", "team-asb-central");
  EXPECT_EQ(FormatTimestamp(reported->reported_at()), "2024-04-30T22:15:00.000000Z");
  EXPECT_EQ(reported->channel(), schema::Channel::Phone);
  EXPECT_EQ(reported->location()->uprn(), 100030000123u);
  EXPECT_EQ(reported->location()->address_id()->str(), kAddress);
  EXPECT_EQ(reported->location()->text()->str(), "Outside 12 Fixture Road");
  EXPECT_EQ(reported->location()->coordinates()->latitude(), 52.6369);
  EXPECT_EQ(reported->location()->coordinates()->longitude(), -1.1398);
  EXPECT_EQ(reported->category(), schema::Category::Nuisance);
  EXPECT_EQ(reported->sub_category()->str(), "noise");
  EXPECT_FALSE(reported->hate_incident());
  EXPECT_EQ(reported->hate_strands()->size(), 0u);
  EXPECT_TRUE(reported->consent_to_refer());
  const auto* details = Open<schema::IncidentDetails>(reported->details(), kIncident);
  ASSERT_NE(details, nullptr);
  EXPECT_EQ(details->description()->str(), "Loud music from 22:00 most nights");

  EXPECT_EQ(FormatTimestamp(*updated->reported_at()), "2024-04-30T22:20:00.000000Z");
  EXPECT_FALSE(updated->channel().has_value());
  EXPECT_EQ(updated->location(), nullptr);
  ASSERT_TRUE(updated->consent_to_refer().has_value());
  EXPECT_FALSE(*updated->consent_to_refer());
  EXPECT_EQ(updated->reason()->str(), "caller rang back");
  const auto* new_details = Open<schema::IncidentDetails>(updated->details(), kIncident);
  ASSERT_NE(new_details, nullptr);
  EXPECT_EQ(new_details->description()->str(), "Loud music and shouting from 22:00");

  EXPECT_EQ(classified->category(), schema::Category::Personal);
  EXPECT_EQ(classified->sub_category()->str(), "harassment");
  EXPECT_TRUE(classified->hate_incident());
  ASSERT_EQ(classified->hate_strands()->size(), 2u);
  EXPECT_EQ(classified->hate_strands()->Get(0), schema::HateStrand::Race);
  EXPECT_EQ(classified->hate_strands()->Get(1), schema::HateStrand::Religion);
  EXPECT_EQ(classified->reason()->str(), "supervisor review");
}

TEST_F(SchemaFixturePayloadTest, PersonEvents) {
  const auto* recorded = Load<schema::PersonRecorded>(EventType::PersonRecorded);
  const auto* corrected = Load<schema::PersonCorrected>(EventType::PersonCorrected);
  ASSERT_NE(recorded, nullptr);
  ASSERT_NE(corrected, nullptr);

  ExpectOwner(recorded->owner(), "org-leicester-city", "team-asb-central");
  const auto* first = Open<schema::PersonDetails>(recorded->details(), kPerson);
  ASSERT_NE(first, nullptr);
  ASSERT_EQ(first->names()->size(), 1u);
  EXPECT_EQ(first->names()->Get(0)->given()->str(), "Alex");
  EXPECT_EQ(first->names()->Get(0)->family()->str(), "Fixture");
  ASSERT_EQ(first->aliases()->size(), 1u);
  EXPECT_EQ(first->aliases()->Get(0)->str(), "Al");
  EXPECT_EQ(first->date_of_birth()->str(), "1988-02-29");
  EXPECT_EQ(first->phone()->str(), "07700 900456");
  EXPECT_EQ(first->email()->str(), "alex@example.org");
  EXPECT_EQ(first->address_text()->str(), "12 Fixture Road, Leicester LE2 1AB");
  ASSERT_EQ(first->vulnerabilities()->size(), 1u);
  EXPECT_EQ(first->vulnerabilities()->Get(0)->str(), "hearing_impaired");

  EXPECT_EQ(corrected->reason()->str(), "name given in full");
  const auto* second = Open<schema::PersonDetails>(corrected->details(), kPerson);
  ASSERT_NE(second, nullptr);
  ASSERT_EQ(second->names()->size(), 2u);
  EXPECT_EQ(second->names()->Get(0)->given()->str(), "Alexandra");
  EXPECT_EQ(second->names()->Get(1)->given()->str(), "Alex");
  ASSERT_EQ(second->aliases()->size(), 2u);
  EXPECT_EQ(second->aliases()->Get(1)->str(), "Lex");
  EXPECT_EQ(second->phone()->str(), "07700 900789");
  EXPECT_EQ(second->email()->str(), "");
  EXPECT_EQ(second->vulnerabilities()->size(), 0u);
}

TEST_F(SchemaFixturePayloadTest, AddressAndVehicleEvents) {
  const auto* address = Load<schema::AddressRecorded>(EventType::AddressRecorded);
  const auto* vehicle = Load<schema::VehicleRecorded>(EventType::VehicleRecorded);
  ASSERT_NE(address, nullptr);
  ASSERT_NE(vehicle, nullptr);

  ExpectOwner(address->owner(), "org-leicester-city", "team-housing");
  EXPECT_EQ(address->uprn(), 100030000123u);
  EXPECT_EQ(address->text()->str(), "12 Fixture Road, Leicester");
  EXPECT_EQ(address->normalised_text()->str(), "12 FIXTURE ROAD LEICESTER");
  EXPECT_EQ(address->postcode()->str(), "LE2 1AB");
  EXPECT_EQ(address->coordinates()->latitude(), 52.6201);
  EXPECT_EQ(address->coordinates()->longitude(), -1.1302);

  ExpectOwner(vehicle->owner(), "org-leics-police", "team-npt-city");
  EXPECT_EQ(vehicle->registration()->str(), "fx24 abc");
  EXPECT_EQ(vehicle->normalised_registration()->str(), "FX24ABC");
  EXPECT_EQ(vehicle->make()->str(), "Vauxhall");
  EXPECT_EQ(vehicle->model()->str(), "Corsa");
  EXPECT_EQ(vehicle->colour()->str(), "red");
}

TEST_F(SchemaFixturePayloadTest, LinkAndGrantEvents) {
  const auto* added = Load<schema::LinkAdded>(EventType::LinkAdded);
  const auto* removed = Load<schema::LinkRemoved>(EventType::LinkRemoved);
  const auto* granted = Load<schema::AccessGranted>(EventType::AccessGranted);
  const auto* revoked = Load<schema::AccessRevoked>(EventType::AccessRevoked);
  ASSERT_NE(added, nullptr);
  ASSERT_NE(removed, nullptr);
  ASSERT_NE(granted, nullptr);
  ASSERT_NE(revoked, nullptr);

  EXPECT_EQ(added->from_id()->str(), kIncident);
  EXPECT_EQ(added->to_id()->str(), kPerson);
  EXPECT_EQ(added->role(), schema::LinkRole::AllegedPerpetrator);
  ExpectOwner(added->owner(), "org-leicester-city", "team-asb-central");
  EXPECT_EQ(added->note()->str(), "named by two callers");
  EXPECT_EQ(removed->reason()->str(), "linked in error");
  EXPECT_EQ(granted->record_id()->str(), kCase);
  EXPECT_EQ(granted->grantee_kind(), schema::GranteeKind::Organisation);
  EXPECT_EQ(granted->grantee_id()->str(), "org-housing-assoc");
  EXPECT_EQ(granted->reason()->str(), "joint working");
  EXPECT_EQ(FormatTimestamp(granted->expires_at()), "2025-05-01T00:00:00.000000Z");
  EXPECT_EQ(revoked->record_id()->str(), kCase);
  EXPECT_EQ(revoked->reason()->str(), "joint working ended");
}

TEST_F(SchemaFixturePayloadTest, AccessRequestAndAccessLogEvents) {
  const auto* requested = Load<schema::AccessRequested>(EventType::AccessRequested);
  const auto* decided = Load<schema::AccessRequestDecided>(EventType::AccessRequestDecided);
  const auto* consulted = Load<schema::RecordConsulted>(EventType::RecordConsulted);
  const auto* disclosed = Load<schema::RecordDisclosed>(EventType::RecordDisclosed);
  ASSERT_NE(requested, nullptr);
  ASSERT_NE(decided, nullptr);
  ASSERT_NE(consulted, nullptr);
  ASSERT_NE(disclosed, nullptr);

  EXPECT_EQ(requested->record_id()->str(), kCase);
  EXPECT_EQ(requested->reason()->str(), "victim known to housing");
  EXPECT_TRUE(decided->granted());
  EXPECT_EQ(decided->reason()->str(), "joint working agreed");
  EXPECT_EQ(FormatTimestamp(decided->expires_at()), "2025-05-01T00:00:00.000000Z");
  EXPECT_EQ(consulted->action()->str(), "incident.read");
  EXPECT_EQ(consulted->request_id()->str(), "req-fixture-1");
  ASSERT_EQ(disclosed->recipients()->size(), 1u);
  EXPECT_EQ(disclosed->recipients()->Get(0)->str(), "Leicester Magistrates' Court");
  EXPECT_EQ(disclosed->legal_basis()->str(), "DPA 2018 s.35(2)");
  EXPECT_EQ(disclosed->details()->str(), "evidence bundle");
  EXPECT_EQ(disclosed->request_id()->str(), "req-fixture-2");
}

TEST_F(SchemaFixturePayloadTest, CaseLifecycleEvents) {
  const auto* opened = Load<schema::CaseOpened>(EventType::CaseOpened);
  const auto* assigned = Load<schema::CaseAssigned>(EventType::CaseAssigned);
  const auto* closed = Load<schema::CaseClosed>(EventType::CaseClosed);
  const auto* reopened = Load<schema::CaseReopened>(EventType::CaseReopened);
  ASSERT_NE(opened, nullptr);
  ASSERT_NE(assigned, nullptr);
  ASSERT_NE(closed, nullptr);
  ASSERT_NE(reopened, nullptr);

  EXPECT_EQ(opened->reference()->str(), "CASE-2024-0042");
  ExpectOwner(opened->owner(), "org-leicester-city", "team-asb-central");
  EXPECT_EQ(opened->case_type(), schema::CaseType::AsbCase);
  EXPECT_EQ(opened->title()->str(), "Noise, 12 Fixture Road");
  EXPECT_EQ(opened->lead_organisation_id()->str(), "org-leicester-city");
  EXPECT_EQ(opened->lead_officer_id()->str(), "user-officer-1");
  const auto* summary = Open<schema::NoteBody>(opened->summary(), kCase);
  ASSERT_NE(summary, nullptr);
  EXPECT_EQ(summary->text()->str(), "Persistent late-night noise");
  EXPECT_EQ(assigned->lead_organisation_id()->str(), "org-leics-police");
  EXPECT_EQ(assigned->lead_officer_id()->str(), "user-pc-7");
  EXPECT_EQ(assigned->team_id()->str(), "team-npt-city");
  EXPECT_EQ(assigned->reason()->str(), "police lead for CBO");
  EXPECT_EQ(closed->outcome()->str(), "resolved");
  EXPECT_EQ(closed->signed_off_by()->str(), "user-sup-3");
  EXPECT_EQ(closed->reason()->str(), "no reports for 8 weeks");
  EXPECT_EQ(reopened->reason()->str(), "new reports");
}

TEST_F(SchemaFixturePayloadTest, CaseWorkEvents) {
  const auto* action = Load<schema::CaseActionRecorded>(EventType::CaseActionRecorded);
  const auto* created = Load<schema::TaskCreated>(EventType::TaskCreated);
  const auto* completed = Load<schema::TaskCompleted>(EventType::TaskCompleted);
  const auto* note = Load<schema::NoteAdded>(EventType::NoteAdded);
  const auto* risk = Load<schema::RiskAssessed>(EventType::RiskAssessed);
  ASSERT_TRUE(action && created && completed && note && risk);

  EXPECT_EQ(action->action_id()->str(), "action-0001");
  EXPECT_EQ(action->action(), schema::ActionType::CommunityProtectionWarning);
  EXPECT_EQ(action->subject_id()->str(), kPerson);
  EXPECT_EQ(FormatTimestamp(action->taken_at()), "2024-05-08T17:00:00.000000Z");
  EXPECT_EQ(FormatTimestamp(action->expires_at()), "2025-05-01T00:00:00.000000Z");
  EXPECT_EQ(action->authorised_by()->str(), "user-sup-3");
  EXPECT_EQ(action->conviction_reference()->str(), "");
  const auto* details = Open<schema::NoteBody>(action->details(), kCase);
  ASSERT_NE(details, nullptr);
  EXPECT_EQ(details->text()->str(), "Warning served in person");
  EXPECT_EQ(created->task_id()->str(), "task-0001");
  EXPECT_EQ(created->title()->str(), "Visit the complainant");
  EXPECT_EQ(FormatTimestamp(created->due_at()), "2024-06-01T00:00:00.000000Z");
  EXPECT_EQ(created->assignee_id()->str(), "user-officer-1");
  EXPECT_EQ(completed->task_id()->str(), "task-0001");
  EXPECT_EQ(completed->outcome()->str(), "visited, diary sheets left");
  EXPECT_EQ(note->note_id()->str(), "note-0001");
  const auto* body = Open<schema::NoteBody>(note->body(), kCase);
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(body->text()->str(), "Complainant reports improvement");
  EXPECT_EQ(risk->assessment_id()->str(), "risk-0001");
  EXPECT_EQ(risk->subject_id()->str(), kPerson);
  EXPECT_EQ(risk->instrument_id()->str(), "asb-risk-matrix");
  EXPECT_EQ(risk->instrument_version(), 3u);
  ASSERT_EQ(risk->answers()->size(), 3u);
  EXPECT_EQ(risk->answers()->Get(0)->question_id()->str(), "q1");
  EXPECT_EQ(risk->answers()->Get(0)->value(), 2);
  EXPECT_EQ(risk->answers()->Get(1)->value(), 0);
  EXPECT_EQ(risk->answers()->Get(2)->question_id()->str(), "q3");
  EXPECT_EQ(risk->answers()->Get(2)->value(), 4);
  EXPECT_EQ(risk->score(), 6);
  EXPECT_EQ(risk->level(), schema::RiskLevel::Medium);
  // Fields added after the first version read as their defaults in it.
  EXPECT_EQ(action->premises_id(), nullptr);
  EXPECT_EQ(risk->next_review_at(), 0);
  EXPECT_EQ(risk->referral_score(), 0);
  EXPECT_FALSE(risk->referred_to_support());
}

TEST_F(SchemaFixturePayloadTest, DocumentAndMeetingEvents) {
  const auto* document = Load<schema::DocumentAttached>(EventType::DocumentAttached);
  const auto* scheduled = Load<schema::MeetingScheduled>(EventType::MeetingScheduled);
  const auto* minutes = Load<schema::MeetingMinutesRecorded>(EventType::MeetingMinutesRecorded);
  const auto* action = Load<schema::MeetingActionAssigned>(EventType::MeetingActionAssigned);
  ASSERT_TRUE(document && scheduled && minutes && action);

  EXPECT_EQ(document->document_id()->str(), "document-0001");
  EXPECT_EQ(document->name()->str(), "diary-sheet.txt");
  EXPECT_EQ(document->media_type()->str(), "text/plain");
  EXPECT_EQ(document->size(), 24u);
  EXPECT_EQ(document->hash_algorithm()->str(), "blake2b-256");
  EXPECT_EQ(document->hash()->size(), 32u);
  const auto* content = Open<schema::DocumentContent>(document->content(), kCase);
  ASSERT_NE(content, nullptr);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(content->bytes()->data()),
                        content->bytes()->size()),
            "Music until 3am, Friday.");
  EXPECT_EQ(scheduled->meeting_id()->str(), "meeting-0001");
  EXPECT_EQ(scheduled->title()->str(), "JAG, city centre");
  EXPECT_EQ(FormatTimestamp(scheduled->held_at()), "2024-06-03T10:00:00.000000Z");
  ASSERT_EQ(scheduled->attendees()->size(), 2u);
  EXPECT_EQ(scheduled->attendees()->Get(1)->str(), "user-pc-2");
  ASSERT_EQ(scheduled->agenda()->size(), 2u);
  EXPECT_EQ(scheduled->agenda()->Get(0)->str(), "New referrals");
  EXPECT_EQ(minutes->meeting_id()->str(), "meeting-0001");
  const auto* text = Open<schema::NoteBody>(minutes->minutes(), kCase);
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(text->text()->str(), "Agreed a joint visit");
  EXPECT_EQ(action->meeting_id()->str(), "meeting-0001");
  EXPECT_EQ(action->task_id()->str(), "task-m0001");
  EXPECT_EQ(action->title()->str(), "Joint visit");
  EXPECT_EQ(action->assignee_id()->str(), "user-pc-2");
  EXPECT_EQ(FormatTimestamp(action->due_at()), "2024-06-10T00:00:00.000000Z");
}

TEST_F(SchemaFixturePayloadTest, RiskInstrumentPublished) {
  const auto* p = Load<schema::RiskInstrumentPublished>(EventType::RiskInstrumentPublished);
  ASSERT_NE(p, nullptr);

  EXPECT_EQ(p->instrument_id()->str(), "asb-risk");
  EXPECT_EQ(p->version(), 2u);
  EXPECT_EQ(p->title()->str(), "ASB victim risk assessment");
  ASSERT_EQ(p->questions()->size(), 2u);
  EXPECT_EQ(p->questions()->Get(0)->question_id()->str(), "repeat_victim");
  EXPECT_EQ(p->questions()->Get(0)->text()->str(), "Question repeat_victim");
  EXPECT_EQ(p->questions()->Get(0)->factor()->str(), "personal");
  EXPECT_EQ(p->questions()->Get(0)->weight(), 3);
  EXPECT_EQ(p->questions()->Get(1)->allowed_values()->size(), 4u);
  EXPECT_EQ(p->questions()->Get(1)->allowed_values()->Get(3), 3);
  EXPECT_EQ(p->medium_from(), 4);
  EXPECT_EQ(p->high_from(), 8);
  EXPECT_EQ(p->review_days_standard(), 0);
  EXPECT_EQ(p->review_days_medium(), 28);
  EXPECT_EQ(p->review_days_high(), 14);
  EXPECT_EQ(p->referral_score(), 6);
}

TEST_F(SchemaFixturePayloadTest, IdentityEvents) {
  const std::string organisation = "organisation-018f3a5c-0000-7000-8000-000000000008";
  const std::string team = "team-018f3a5c-0000-7000-8000-000000000009";
  const std::string user = "user-018f3a5c-0000-7000-8000-00000000000a";
  const auto* org = Load<schema::OrganisationCreated>(EventType::OrganisationCreated);
  const auto* settings =
      Load<schema::OrganisationSettingsChanged>(EventType::OrganisationSettingsChanged);
  const auto* created_team = Load<schema::TeamCreated>(EventType::TeamCreated);
  const auto* created = Load<schema::UserCreated>(EventType::UserCreated);
  const auto* roles = Load<schema::UserRolesChanged>(EventType::UserRolesChanged);
  const auto* off = Load<schema::UserDeactivated>(EventType::UserDeactivated);
  const auto* on = Load<schema::UserReactivated>(EventType::UserReactivated);
  const auto* password = Load<schema::UserPasswordChanged>(EventType::UserPasswordChanged);
  const auto* key = Load<schema::ApiKeyIssued>(EventType::ApiKeyIssued);
  const auto* revoked = Load<schema::ApiKeyRevoked>(EventType::ApiKeyRevoked);
  ASSERT_TRUE(org && settings && created_team && created && roles && off && on && password &&
              key && revoked);

  EXPECT_EQ(org->name()->str(), "Leicester City Council");
  EXPECT_EQ(org->kind(), schema::OrganisationKind::Council);
  EXPECT_TRUE(org->justification_required());
  EXPECT_FALSE(settings->justification_required());
  EXPECT_EQ(settings->reason()->str(), "pilot ended");
  EXPECT_EQ(created_team->organisation_id()->str(), organisation);
  EXPECT_EQ(created_team->name()->str(), "Community Safety Team");
  EXPECT_EQ(created->username()->str(), "j.fixture");
  EXPECT_EQ(created->display_name()->str(), "Jo Fixture");
  EXPECT_EQ(created->organisation_id()->str(), organisation);
  EXPECT_EQ(created->team_id()->str(), team);
  ASSERT_EQ(created->roles()->size(), 2u);
  EXPECT_EQ(created->roles()->Get(0), schema::Role::CaseWorker);
  EXPECT_EQ(created->roles()->Get(1), schema::Role::Supervisor);
  const auto* credential = Open<schema::Credential>(created->password(), user);
  ASSERT_NE(credential, nullptr);
  EXPECT_EQ(credential->password_hash()->str().rfind("$argon2id$v=19$m=65536,t=3,p=1$", 0), 0u);
  ASSERT_EQ(roles->roles()->size(), 1u);
  EXPECT_EQ(roles->roles()->Get(0), schema::Role::Auditor);
  EXPECT_EQ(roles->reason()->str(), "moved to audit");
  EXPECT_EQ(off->reason()->str(), "long-term leave");
  EXPECT_EQ(on->reason()->str(), "returned");
  EXPECT_NE(Open<schema::Credential>(password->password(), user), nullptr);
  EXPECT_EQ(password->reason()->str(), "reset by admin");
  EXPECT_EQ(key->user_id()->str(), user);
  EXPECT_EQ(key->name()->str(), "police records system");
  ASSERT_EQ(key->key_hash()->size(), 32u);
  EXPECT_EQ(key->key_hash()->Get(0), 0xa0);
  EXPECT_EQ(key->key_hash()->Get(31), 0xbf);
  EXPECT_EQ(key->expires_at(), 1'746'057'600'000'000);
  EXPECT_EQ(revoked->reason()->str(), "rotated");
}

TEST_F(SchemaFixturePayloadTest, SealedFieldsAreUnreadableOnceTheSubjectKeyIsDestroyed) {
  const auto* reported = Load<schema::IncidentReported>(EventType::IncidentReported);
  ASSERT_NE(reported, nullptr);
  ASSERT_OK(keys_.Destroy(kIncident));

  auto opened = personal_data_.Open(*reported->details());

  EXPECT_ERROR_CODE(opened, Code::kNotFound);
}

}  // namespace
}  // namespace caseledger::ledger
