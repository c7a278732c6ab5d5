// The committed schema fixtures (tests/fixtures/events/README.md): every event type's first
// version still verifies, chains and decodes to the values it was written with (docs/design.md
// decision 10). Expected values are written out here, never re-derived from the generator.
// Payload fields are checked in schema_fixture_payload_test.cc.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "ledger/envelope.h"
#include "ledger/time_format.h"
#include "support/envelope_fields.h"
#include "support/fixtures.h"
#include "support/result_assertions.h"

namespace caseledger::ledger {
namespace {

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
const std::string kInstrument = "instrument-018f3a5c-0000-7000-8000-000000000008";

struct Expected {
  EventType type;
  std::string stream_id;
  std::uint64_t version;
  EventType previous;  // the event before it in its stream; Unknown at version 1
  std::string event_id;
  std::string occurred_at;  // recorded_at is 30 seconds later
  std::string causation_id;
};

std::vector<Expected> AllExpected() {
  return {
      {EventType::IncidentReported, kIncident, 1, EventType::Unknown,
       "018f3a5c-1000-7000-8000-000000000001", "2024-05-01T09:00:00.000000Z",
       "018f3a5c-2000-7000-8000-000000000001"},
      {EventType::IncidentUpdated, kIncident, 2, EventType::IncidentReported,
       "018f3a5c-1000-7000-8000-000000000002", "2024-05-01T09:01:00.000000Z",
       "018f3a5c-1000-7000-8000-000000000001"},
      {EventType::IncidentClassified, kIncident, 3, EventType::IncidentUpdated,
       "018f3a5c-1000-7000-8000-000000000003", "2024-05-01T09:02:00.000000Z",
       "018f3a5c-1000-7000-8000-000000000002"},
      {EventType::PersonRecorded, kPerson, 1, EventType::Unknown,
       "018f3a5c-1000-7000-8000-000000000004", "2024-05-01T09:03:00.000000Z",
       "018f3a5c-2000-7000-8000-000000000001"},
      {EventType::PersonCorrected, kPerson, 2, EventType::PersonRecorded,
       "018f3a5c-1000-7000-8000-000000000005", "2024-05-01T09:04:00.000000Z",
       "018f3a5c-1000-7000-8000-000000000004"},
      {EventType::AddressRecorded, kAddress, 1, EventType::Unknown,
       "018f3a5c-1000-7000-8000-000000000006", "2024-05-01T09:05:00.000000Z",
       "018f3a5c-2000-7000-8000-000000000001"},
      {EventType::VehicleRecorded, kVehicle, 1, EventType::Unknown,
       "018f3a5c-1000-7000-8000-000000000007", "2024-05-01T09:06:00.000000Z",
       "018f3a5c-2000-7000-8000-000000000001"},
      {EventType::LinkAdded, kLink, 1, EventType::Unknown, "018f3a5c-1000-7000-8000-000000000008",
       "2024-05-01T09:07:00.000000Z", "018f3a5c-2000-7000-8000-000000000001"},
      {EventType::LinkRemoved, kLink, 2, EventType::LinkAdded,
       "018f3a5c-1000-7000-8000-000000000009", "2024-05-01T09:08:00.000000Z",
       "018f3a5c-1000-7000-8000-000000000008"},
      {EventType::CaseOpened, kCase, 1, EventType::Unknown, "018f3a5c-1000-7000-8000-00000000000a",
       "2024-05-01T09:09:00.000000Z", "018f3a5c-2000-7000-8000-000000000001"},
      {EventType::CaseAssigned, kCase, 2, EventType::CaseOpened,
       "018f3a5c-1000-7000-8000-00000000000b", "2024-05-01T09:10:00.000000Z",
       "018f3a5c-1000-7000-8000-00000000000a"},
      {EventType::CaseActionRecorded, kCase, 3, EventType::CaseAssigned,
       "018f3a5c-1000-7000-8000-00000000000e", "2024-05-01T09:11:00.000000Z",
       "018f3a5c-1000-7000-8000-00000000000b"},
      {EventType::TaskCreated, kCase, 4, EventType::CaseActionRecorded,
       "018f3a5c-1000-7000-8000-00000000000f", "2024-05-01T09:12:00.000000Z",
       "018f3a5c-1000-7000-8000-00000000000e"},
      {EventType::TaskCompleted, kCase, 5, EventType::TaskCreated,
       "018f3a5c-1000-7000-8000-000000000010", "2024-05-01T09:13:00.000000Z",
       "018f3a5c-1000-7000-8000-00000000000f"},
      {EventType::NoteAdded, kCase, 6, EventType::TaskCompleted,
       "018f3a5c-1000-7000-8000-000000000011", "2024-05-01T09:14:00.000000Z",
       "018f3a5c-1000-7000-8000-000000000010"},
      {EventType::RiskAssessed, kCase, 7, EventType::NoteAdded,
       "018f3a5c-1000-7000-8000-000000000012", "2024-05-01T09:15:00.000000Z",
       "018f3a5c-1000-7000-8000-000000000011"},
      {EventType::CaseClosed, kCase, 8, EventType::RiskAssessed,
       "018f3a5c-1000-7000-8000-00000000000c", "2024-05-01T09:16:00.000000Z",
       "018f3a5c-1000-7000-8000-000000000012"},
      {EventType::CaseReopened, kCase, 9, EventType::CaseClosed,
       "018f3a5c-1000-7000-8000-00000000000d", "2024-05-01T09:17:00.000000Z",
       "018f3a5c-1000-7000-8000-00000000000c"},
      {EventType::AccessGranted, kGrant, 1, EventType::Unknown,
       "018f3a5c-1000-7000-8000-000000000013", "2024-05-01T09:18:00.000000Z",
       "018f3a5c-2000-7000-8000-000000000001"},
      {EventType::AccessRevoked, kGrant, 2, EventType::AccessGranted,
       "018f3a5c-1000-7000-8000-000000000014", "2024-05-01T09:19:00.000000Z",
       "018f3a5c-1000-7000-8000-000000000013"},
      {EventType::AccessRequested, kAccessRequest, 1, EventType::Unknown,
       "018f3a5c-1000-7000-8000-000000000015", "2024-05-01T09:20:00.000000Z",
       "018f3a5c-2000-7000-8000-000000000001"},
      {EventType::AccessRequestDecided, kAccessRequest, 2, EventType::AccessRequested,
       "018f3a5c-1000-7000-8000-000000000016", "2024-05-01T09:21:00.000000Z",
       "018f3a5c-1000-7000-8000-000000000015"},
      {EventType::RecordConsulted, kIncident, 4, EventType::IncidentClassified,
       "018f3a5c-1000-7000-8000-000000000017", "2024-05-01T09:22:00.000000Z",
       "018f3a5c-1000-7000-8000-000000000003"},
      {EventType::RecordDisclosed, kIncident, 5, EventType::RecordConsulted,
       "018f3a5c-1000-7000-8000-000000000018", "2024-05-01T09:23:00.000000Z",
       "018f3a5c-1000-7000-8000-000000000017"},
      {EventType::OrganisationCreated, kOrganisation, 1, EventType::Unknown,
       "018f3a5c-1000-7000-8000-000000000028", "2024-05-01T09:20:00.000000Z",
       "018f3a5c-2000-7000-8000-000000000001"},
      {EventType::OrganisationSettingsChanged, kOrganisation, 2, EventType::OrganisationCreated,
       "018f3a5c-1000-7000-8000-000000000029", "2024-05-01T09:21:00.000000Z",
       "018f3a5c-1000-7000-8000-000000000028"},
      {EventType::TeamCreated, kTeam, 1, EventType::Unknown,
       "018f3a5c-1000-7000-8000-00000000002a", "2024-05-01T09:22:00.000000Z",
       "018f3a5c-2000-7000-8000-000000000001"},
      {EventType::UserCreated, kUser, 1, EventType::Unknown,
       "018f3a5c-1000-7000-8000-00000000002b", "2024-05-01T09:23:00.000000Z",
       "018f3a5c-2000-7000-8000-000000000001"},
      {EventType::UserRolesChanged, kUser, 2, EventType::UserCreated,
       "018f3a5c-1000-7000-8000-00000000002c", "2024-05-01T09:24:00.000000Z",
       "018f3a5c-1000-7000-8000-00000000002b"},
      {EventType::UserDeactivated, kUser, 3, EventType::UserRolesChanged,
       "018f3a5c-1000-7000-8000-00000000002d", "2024-05-01T09:25:00.000000Z",
       "018f3a5c-1000-7000-8000-00000000002c"},
      {EventType::UserReactivated, kUser, 4, EventType::UserDeactivated,
       "018f3a5c-1000-7000-8000-00000000002e", "2024-05-01T09:26:00.000000Z",
       "018f3a5c-1000-7000-8000-00000000002d"},
      {EventType::UserPasswordChanged, kUser, 5, EventType::UserReactivated,
       "018f3a5c-1000-7000-8000-00000000002f", "2024-05-01T09:27:00.000000Z",
       "018f3a5c-1000-7000-8000-00000000002e"},
      {EventType::ApiKeyIssued, kApiKey, 1, EventType::Unknown,
       "018f3a5c-1000-7000-8000-000000000030", "2024-05-01T09:28:00.000000Z",
       "018f3a5c-2000-7000-8000-000000000001"},
      {EventType::ApiKeyRevoked, kApiKey, 2, EventType::ApiKeyIssued,
       "018f3a5c-1000-7000-8000-000000000031", "2024-05-01T09:29:00.000000Z",
       "018f3a5c-1000-7000-8000-000000000030"},
      {EventType::DocumentAttached, kCase, 10, EventType::CaseReopened,
       "018f3a5c-1000-7000-8000-00000000003c", "2024-05-01T09:20:00.000000Z",
       "018f3a5c-1000-7000-8000-00000000000d"},
      {EventType::MeetingScheduled, kCase, 11, EventType::DocumentAttached,
       "018f3a5c-1000-7000-8000-00000000003d", "2024-05-01T09:21:00.000000Z",
       "018f3a5c-1000-7000-8000-00000000003c"},
      {EventType::MeetingMinutesRecorded, kCase, 12, EventType::MeetingScheduled,
       "018f3a5c-1000-7000-8000-00000000003e", "2024-05-01T09:22:00.000000Z",
       "018f3a5c-1000-7000-8000-00000000003d"},
      {EventType::MeetingActionAssigned, kCase, 13, EventType::MeetingMinutesRecorded,
       "018f3a5c-1000-7000-8000-00000000003f", "2024-05-01T09:23:00.000000Z",
       "018f3a5c-1000-7000-8000-00000000003e"},
      {EventType::RiskInstrumentPublished, kInstrument, 1, EventType::Unknown,
       "018f3a5c-1000-7000-8000-000000000040", "2024-05-01T09:24:00.000000Z",
       "018f3a5c-2000-7000-8000-000000000001"},
  };
}

std::string RecordedAt(const std::string& occurred_at) {
  return occurred_at.substr(0, 17) + "30" + occurred_at.substr(19);
}

EnvelopeFields LoadOrFail(EventType type) {
  auto bytes = testing::ReadFixture(type);
  EXPECT_TRUE(bytes.has_value()) << "missing " << testing::FixturePath(type);
  if (!bytes) return {};
  auto envelope = VerifyEnvelope(*bytes);
  EXPECT_TRUE(envelope) << EventTypeName(type) << ": " << testing::Describe(envelope);
  if (!envelope) return {};
  return DecodeEnvelope(*envelope.value());
}

TEST(SchemaFixtureTest, EveryEventTypeHasAFirstVersionFixture) {
  for (EventType type : schema::EnumValuesEventType()) {
    if (type == EventType::Unknown) continue;

    auto bytes = testing::ReadFixture(type, 1);

    EXPECT_TRUE(bytes.has_value())
        << "no fixture for " << EventTypeName(type) << ": add it to tests/tools/make_fixtures.cc "
        << "and run caseledger_make_fixtures (tests/fixtures/events/README.md)";
  }
  EXPECT_EQ(AllExpected().size(), std::size(schema::EnumValuesEventType()) - 1)
      << "add the new event type's expected envelope to this test";
}

TEST(SchemaFixtureTest, EveryFixtureVerifiesAndMatchesItsHash) {
  for (EventType type : schema::EnumValuesEventType()) {
    if (type == EventType::Unknown) continue;
    auto bytes = testing::ReadFixture(type);
    ASSERT_TRUE(bytes.has_value()) << testing::FixturePath(type);

    auto envelope = VerifyEnvelope(*bytes);

    ASSERT_OK(envelope);
    EXPECT_EQ(envelope.value()->event_type(), type);
    EXPECT_TRUE(HashMatches(*envelope.value())) << EventTypeName(type);
    const auto* payload = envelope.value()->payload();
    EXPECT_OK(
        VerifyPayload(type, {reinterpret_cast<const char*>(payload->data()), payload->size()}));
  }
}

TEST(SchemaFixtureTest, EnvelopesDecodeToTheValuesTheyWereWrittenWith) {
  for (const Expected& x : AllExpected()) {
    SCOPED_TRACE(std::string(EventTypeName(x.type)));

    EnvelopeFields f = LoadOrFail(x.type);

    EXPECT_EQ(f.event_id.ToString(), x.event_id);
    EXPECT_EQ(f.stream_id, x.stream_id);
    EXPECT_EQ(f.stream_version, x.version);
    EXPECT_EQ(f.event_type, x.type);
    EXPECT_EQ(f.schema_version, 1);
    EXPECT_EQ(FormatTimestamp(f.occurred_at), x.occurred_at);
    EXPECT_EQ(FormatTimestamp(f.recorded_at), RecordedAt(x.occurred_at));
    if (x.type == EventType::AddressRecorded) {
      EXPECT_EQ(FormatTimestamp(f.source_recorded_at), "2019-03-04T05:06:07.000000Z");
    } else {
      EXPECT_EQ(f.source_recorded_at, 0);
    }
    EXPECT_EQ(f.actor.user_id, "user-fixture");
    EXPECT_EQ(f.actor.organisation_id, "org-fixture");
    EXPECT_EQ(f.actor.team_id, "team-fixture");
    EXPECT_EQ(f.purpose, "schema fixture");
    EXPECT_EQ(f.correlation_id.ToString(), "018f3a5c-2000-7000-8000-000000000001");
    EXPECT_EQ(f.causation_id.ToString(), x.causation_id);
    EXPECT_EQ(f.idempotency_key, "fixture-" + std::string(EventTypeName(x.type)));
  }
}

TEST(SchemaFixtureTest, TheEventsOfEachRecordFormAHashChain) {
  for (const Expected& x : AllExpected()) {
    SCOPED_TRACE(std::string(EventTypeName(x.type)));

    EnvelopeFields f = LoadOrFail(x.type);

    if (x.previous == EventType::Unknown) {
      EXPECT_EQ(f.prev_hash, Hash{});
    } else {
      EnvelopeFields previous = LoadOrFail(x.previous);
      EXPECT_EQ(previous.stream_id, f.stream_id);
      EXPECT_EQ(previous.stream_version + 1, f.stream_version);
      EXPECT_EQ(f.prev_hash, previous.hash);
    }
    EXPECT_EQ(ComputeEventHash(f), f.hash);
  }
}

TEST(SchemaFixtureTest, AnyChangedByteOfAFixtureIsRejectedOrBreaksItsHash) {
  for (const Expected& x : AllExpected()) {
    auto bytes = testing::ReadFixture(x.type);
    ASSERT_TRUE(bytes.has_value());
    EnvelopeFields original = LoadOrFail(x.type);

    for (std::size_t i = 0; i < bytes->size(); ++i) {
      std::string changed = *bytes;
      changed[i] ^= 0x20;
      auto envelope = VerifyEnvelope(changed);

      if (envelope && HashMatches(*envelope.value())) {  // only padding may change unnoticed
        EXPECT_TRUE(testing::SameEnvelopeFields(DecodeEnvelope(*envelope.value()), original))
            << EventTypeName(x.type) << " byte " << i;
      }
    }
  }
}

}  // namespace
}  // namespace caseledger::ledger
