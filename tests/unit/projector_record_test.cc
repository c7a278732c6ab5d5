// Projecting incidents, people, addresses and vehicles into JSON views (projections/projector.h),
// including sealed details opened for the view and shown as disposed once the key is destroyed.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "projections/projector.h"
#include "support/appends.h"
#include "support/event_builders.h"
#include "support/projection_harness.h"
#include "support/result_assertions.h"
#include "support/temp_dir.h"

namespace caseledger::projections {
namespace {

namespace json = boost::json;
using ledger::EventType;
using ledger::kNoStream;
using testing::Draft;
using testing::kTestEpoch;
using testing::OneStream;
using testing::StreamId;

constexpr ledger::Micros kHour = 3'600'000'000;

class ProjectorRecordTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_ = testing::ProjectionHarness::Open(dir_.Path("db"));
    ASSERT_NE(h_, nullptr);
  }

  ledger::SealedValue Seal(const std::string& subject, const std::string& plaintext) {
    return testing::SealOrFail(h_->personal_data(), subject, plaintext);
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::ProjectionHarness> h_;
};

TEST_F(ProjectorRecordTest, AReportedIncidentHasEveryFieldAndItsDescriptionOpened) {
  const std::string incident = StreamId("incident", 1);
  auto details = Seal(incident, testing::MakeIncidentDetails("Loud music every night"));
  h_->Append(OneStream(
      incident, kNoStream,
      {Draft(EventType::IncidentReported,
             testing::MakeIncidentReported({.reported_at = kTestEpoch - kHour,
                                            .hate_strands = {schema::HateStrand::Disability},
                                            .details = details}),
             kTestEpoch - 2 * kHour)}));

  ASSERT_OK(h_->ApplyAll());

  json::value expected = json::parse(R"({
    "id": ")" + incident + R"(", "version": 1,
    "created_at": "2026-01-01T00:00:00.000000Z", "created_by": "user-alice",
    "updated_at": "2026-01-01T00:00:00.000000Z",
    "kind": "incident", "reference": "INC-0001",
    "owner": {"organisation_id": "org-leicester", "team_id": "team-asb"},
    "occurred_at": "2025-12-31T22:00:00.000000Z", "reported_at": "2025-12-31T23:00:00.000000Z",
    "channel": "phone",
    "location": {"uprn": "100030000001", "address_id": null, "text": "Outside 1 Test Street",
                 "coordinates": {"latitude": 52.6369, "longitude": -1.1398}},
    "category": "nuisance", "sub_category": "noise", "hate_incident": false,
    "hate_strands": ["disability"], "consent_to_refer": true,
    "description": "Loud music every night"})");
  EXPECT_EQ(h_->View(incident), expected) << json::serialize(h_->View(incident));
}

TEST_F(ProjectorRecordTest, AnIncidentUpdateChangesOnlyTheFieldsItCarries) {
  const std::string incident = StreamId("incident", 1);
  h_->Append(OneStream(incident, kNoStream,
                       {Draft(EventType::IncidentReported, testing::MakeIncidentReported())}));
  h_->Append(
      OneStream(incident, 1, {Draft(EventType::IncidentUpdated, testing::MakeIncidentUpdated())}));
  ASSERT_OK(h_->ApplyAll());
  json::value before = h_->View(incident);
  auto details = Seal(incident, testing::MakeIncidentDetails("Now with a dog barking"));
  h_->Append(OneStream(incident, 2,
                       {Draft(EventType::IncidentUpdated,
                              testing::MakeIncidentUpdated(
                                  {.reported_at = kTestEpoch + kHour,
                                   .channel = schema::Channel::OnlineForm,
                                   .location = testing::LocationSpec{.uprn = 0, .text = "Park"},
                                   .consent_to_refer = false,
                                   .details = details}))}));

  ASSERT_OK(h_->ApplyAll());

  json::object after = h_->View(incident).as_object();
  EXPECT_EQ(before.at("version"), 2);
  EXPECT_EQ(before.at("channel"), "phone");
  EXPECT_EQ(before.at("description"), nullptr);
  EXPECT_EQ(after.at("version"), 3);
  EXPECT_EQ(after.at("updated_at"), "2026-01-01T00:00:02.000000Z");
  EXPECT_EQ(after.at("created_at"), "2026-01-01T00:00:00.000000Z");
  EXPECT_EQ(after.at("reported_at"), "2026-01-01T01:00:00.000000Z");
  EXPECT_EQ(after.at("channel"), "online_form");
  EXPECT_EQ(after.at("consent_to_refer"), false);
  EXPECT_EQ(after.at("location").at("uprn"), nullptr);
  EXPECT_EQ(after.at("location").at("text"), "Park");
  EXPECT_EQ(after.at("description"), "Now with a dog barking");
  EXPECT_EQ(after.at("reference"), "INC-0001");
  EXPECT_EQ(after.at("update_reason"), "caller gave more detail");
}

TEST_F(ProjectorRecordTest, AClassificationReplacesCategoryAndStrands) {
  const std::string incident = StreamId("incident", 1);
  h_->Append(OneStream(incident, kNoStream,
                       {Draft(EventType::IncidentReported, testing::MakeIncidentReported()),
                        Draft(EventType::IncidentClassified,
                              testing::MakeIncidentClassified(
                                  {.hate_strands = {schema::HateStrand::Race,
                                                    schema::HateStrand::SexualOrientation}}))}));

  ASSERT_OK(h_->ApplyAll());

  json::object view = h_->View(incident).as_object();
  EXPECT_EQ(view.at("category"), "personal");
  EXPECT_EQ(view.at("sub_category"), "harassment");
  EXPECT_EQ(view.at("hate_incident"), true);
  EXPECT_EQ(view.at("hate_strands"), json::parse(R"(["race", "sexual_orientation"])"));
  EXPECT_EQ(view.at("classification_reason"), "reviewed by supervisor");
}

TEST_F(ProjectorRecordTest, APersonsDetailsAreOpenedIntoTheViewAndReplacedByACorrection) {
  const std::string person = StreamId("person", 1);
  auto recorded = Seal(person, testing::MakePersonDetails());
  auto corrected = Seal(
      person, testing::MakePersonDetails({.names = {{"Jordan", "Sample"}, {"Jordan", "Example"}},
                                          .aliases = {},
                                          .date_of_birth = "",
                                          .vulnerabilities = {"hearing", "housing"}}));
  h_->Append(OneStream(
      person, kNoStream,
      {Draft(EventType::PersonRecorded, testing::MakePersonRecorded({.details = recorded}))}));
  ASSERT_OK(h_->ApplyAll());
  json::value first = h_->View(person);
  h_->Append(OneStream(
      person, 1,
      {Draft(EventType::PersonCorrected, testing::MakePersonCorrected({.details = corrected}))}));

  ASSERT_OK(h_->ApplyAll());

  EXPECT_EQ(first, json::parse(R"({
    "id": ")" + person + R"(", "version": 1,
    "created_at": "2026-01-01T00:00:00.000000Z", "created_by": "user-alice",
    "updated_at": "2026-01-01T00:00:00.000000Z", "kind": "person",
    "owner": {"organisation_id": "org-leicester", "team_id": "team-asb"}, "disposed": false,
    "names": [{"given": "Jordan", "family": "Example"}], "aliases": ["JJ"],
    "date_of_birth": "1990-02-28", "phone": "07700 900123", "email": "jordan@example.org",
    "address_text": "1 Test Street, Leicester LE1 1AA", "vulnerabilities": ["mental_health"]})"))
      << json::serialize(first);
  json::object second = h_->View(person).as_object();
  EXPECT_EQ(second.at("names"), json::parse(R"([{"given": "Jordan", "family": "Sample"},
                                                {"given": "Jordan", "family": "Example"}])"));
  EXPECT_EQ(second.at("aliases"), json::array());
  EXPECT_EQ(second.at("date_of_birth"), nullptr);
  EXPECT_EQ(second.at("vulnerabilities"), json::parse(R"(["hearing", "housing"])"));
  EXPECT_EQ(second.at("correction_reason"), "date of birth was wrong");
  EXPECT_EQ(second.at("version"), 2);
  EXPECT_EQ(second.at("disposed"), false);
}

TEST_F(ProjectorRecordTest, APersonWhoseKeyWasDestroyedIsShownAsDisposed) {
  const std::string person = StreamId("person", 1);
  const std::string incident = StreamId("incident", 1);
  auto details = Seal(person, testing::MakePersonDetails());
  auto description = Seal(incident, testing::MakeIncidentDetails("about Jordan"));
  h_->Append(OneStream(
      person, kNoStream,
      {Draft(EventType::PersonRecorded, testing::MakePersonRecorded({.details = details}))}));
  h_->Append(OneStream(incident, kNoStream,
                       {Draft(EventType::IncidentReported,
                              testing::MakeIncidentReported({.details = description}))}));
  ASSERT_OK(h_->node().keys().Destroy(person));
  ASSERT_OK(h_->node().keys().Destroy(incident));

  ASSERT_OK(h_->ApplyAll());

  json::object view = h_->View(person).as_object();
  EXPECT_EQ(view.at("disposed"), true);
  EXPECT_EQ(view.at("kind"), "person");
  for (const char* personal :
       {"names", "aliases", "date_of_birth", "phone", "email", "address_text", "vulnerabilities"}) {
    EXPECT_FALSE(view.contains(personal)) << personal;
  }
  EXPECT_EQ(h_->View(incident).at("description"), "disposed");
}

TEST_F(ProjectorRecordTest, ADestroyedKeyRemovesDetailsProjectedEarlier) {
  const std::string person = StreamId("person", 1);
  auto details = Seal(person, testing::MakePersonDetails());
  auto corrected = Seal(person, testing::MakePersonDetails({.phone = "07700 900999"}));
  h_->Append(OneStream(
      person, kNoStream,
      {Draft(EventType::PersonRecorded, testing::MakePersonRecorded({.details = details})),
       Draft(EventType::PersonCorrected, testing::MakePersonCorrected({.details = corrected}))}));
  std::vector<ledger::RecordedEvent> events = h_->ReadLog();
  ASSERT_EQ(events.size(), 2u);
  Generation active = h_->projections().active();
  ASSERT_OK(h_->projector().Apply(active, 0, {events.data(), 1}, {}));  // key still alive
  ASSERT_OK(h_->node().keys().Destroy(person));

  ASSERT_OK(h_->projector().Apply(active, 0, {events.data() + 1, 1}, {}));

  json::object view = h_->View(person).as_object();
  EXPECT_EQ(view.at("disposed"), true);
  for (const char* personal :
       {"names", "aliases", "date_of_birth", "phone", "email", "address_text", "vulnerabilities"}) {
    EXPECT_FALSE(view.contains(personal)) << personal << " is still in " << json::serialize(view);
  }
}

// The live generation opened the details before the key was destroyed; a rebuild after never
// could. Both must end with the same bytes, or a rebuild would not reproduce the live state.
TEST_F(ProjectorRecordTest, AViewDisposedOfLiveMatchesARebuildAfterTheKeyIsGone) {
  const std::string person = StreamId("person", 1);
  auto details = Seal(person, testing::MakePersonDetails());
  auto corrected = Seal(person, testing::MakePersonDetails({.phone = "07700 900999"}));
  auto again = Seal(person, testing::MakePersonDetails({.phone = "07700 900111"}));
  h_->Append(OneStream(
      person, kNoStream,
      {Draft(EventType::PersonRecorded, testing::MakePersonRecorded({.details = details})),
       Draft(EventType::PersonCorrected, testing::MakePersonCorrected({.details = corrected})),
       Draft(EventType::PersonCorrected, testing::MakePersonCorrected({.details = again}))}));
  std::vector<ledger::RecordedEvent> events = h_->ReadLog();
  ASSERT_EQ(events.size(), 3u);
  Generation live = h_->projections().active();
  ASSERT_OK(h_->projector().Apply(live, 0, {events.data(), 2}, {}));  // key still alive
  ASSERT_OK(h_->node().keys().Destroy(person));
  ASSERT_OK(h_->projector().Apply(live, 0, {events.data() + 2, 1}, {}));

  auto rebuilt = h_->projections().CreateGeneration();
  ASSERT_OK(rebuilt);
  ASSERT_OK(h_->ApplyAll(rebuilt.value(), 1));

  EXPECT_TRUE(testing::SameDump(h_->Dump(live), h_->Dump(rebuilt.value())));
  EXPECT_EQ(h_->View(person).at("disposed"), true);
}

TEST_F(ProjectorRecordTest, AddressesAndVehiclesHaveTheirOwnViews) {
  const std::string address = StreamId("address", 1);
  const std::string vehicle = StreamId("vehicle", 1);
  h_->Append(OneStream(address, kNoStream,
                       {Draft(EventType::AddressRecorded, testing::MakeAddressRecorded())}));
  h_->Append(OneStream(vehicle, kNoStream,
                       {Draft(EventType::VehicleRecorded, testing::MakeVehicleRecorded())}));

  ASSERT_OK(h_->ApplyAll());

  json::object a = h_->View(address).as_object();
  EXPECT_EQ(a.at("kind"), "address");
  EXPECT_EQ(a.at("uprn"), "100030000001");
  EXPECT_EQ(a.at("text"), "1 Test Street, Leicester");
  EXPECT_EQ(a.at("normalised_text"), "1 TEST STREET LEICESTER");
  EXPECT_EQ(a.at("postcode"), "LE1 1AA");
  EXPECT_EQ(a.at("coordinates"), json::parse(R"({"latitude": 52.6369, "longitude": -1.1398})"));
  json::object v = h_->View(vehicle).as_object();
  EXPECT_EQ(v.at("kind"), "vehicle");
  EXPECT_EQ(v.at("registration"), "ab12 cde");
  EXPECT_EQ(v.at("normalised_registration"), "AB12CDE");
  EXPECT_EQ(v.at("make"), "Ford");
  EXPECT_EQ(v.at("model"), "Fiesta");
  EXPECT_EQ(v.at("colour"), "blue");
  EXPECT_EQ(v.at("created_at"), "2026-01-01T00:00:01.000000Z");
}

TEST_F(ProjectorRecordTest, AMigratedRecordKeepsItsSourceRecordedAt) {
  const std::string vehicle = StreamId("vehicle", 1);
  ledger::EventDraft draft = Draft(EventType::VehicleRecorded, testing::MakeVehicleRecorded());
  draft.source_recorded_at = kTestEpoch - 400 * 24 * kHour;
  h_->Append(OneStream(vehicle, kNoStream, {draft}));

  ASSERT_OK(h_->ApplyAll());

  EXPECT_EQ(h_->View(vehicle).at("source_recorded_at"), "2024-11-27T00:00:00.000000Z");
  EXPECT_EQ(h_->View(StreamId("vehicle", 2)), nullptr);
}

}  // namespace
}  // namespace caseledger::projections
