// Who may see a record (projections/access.h): the owning team, supervisors of its organisation,
// auditors, grantees while a grant is in force, and a requester once its request is granted.
#include <gtest/gtest.h>

#include "ledger/normalise.h"
#include "projections/access.h"
#include "projections/keys.h"
#include "projections/search_index.h"
#include "support/appends.h"
#include "support/event_builders.h"
#include "support/projection_harness.h"
#include "support/result_assertions.h"
#include "support/temp_dir.h"

namespace caseledger::projections {
namespace {

using ledger::EventType;
using testing::Draft;
using testing::OneStream;
using testing::StreamId;

ledger::CommandContext As(const std::string& user, const std::string& org,
                          const std::string& team) {
  ledger::CommandContext c = testing::Context(user);
  c.actor.organisation_id = org;
  c.actor.team_id = team;
  return c;
}

Viewer Who(const std::string& user, const std::string& org, const std::string& team) {
  return Viewer{.user_id = user, .organisation_id = org, .team_id = team};
}

class RecordAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_ = testing::ProjectionHarness::Open(dir_.Path("db"));
    ASSERT_NE(h_, nullptr);
    access_ = std::make_unique<RecordAccess>(h_->projections(), h_->log(), h_->node().clock());
    // An incident held by the council's ASB team.
    h_->Append(OneStream(incident_, ledger::kNoStream,
                         {Draft(EventType::IncidentReported, testing::MakeIncidentReported())},
                         As("user-carol", "org-council", "team-asb")));
  }

  bool Sees(const Viewer& v, const std::string& id) {
    auto r = access_->CanSee(v, id);
    EXPECT_TRUE(r) << testing::Describe(r);
    return r && r.value();
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::ProjectionHarness> h_;
  std::unique_ptr<RecordAccess> access_;
  std::string incident_ = StreamId("incident", 1);
  Viewer owner_ = Who("user-dan", "org-council", "team-asb");
  Viewer colleague_ = Who("user-erin", "org-council", "team-housing-options");
  Viewer police_ = Who("user-pc", "org-police", "team-npt");
};

TEST_F(RecordAccessTest, OnlyTheOwningTeamSeesAnUnsharedRecord) {
  ASSERT_OK(h_->ApplyAll());
  EXPECT_TRUE(Sees(owner_, incident_));
  EXPECT_FALSE(Sees(colleague_, incident_));
  EXPECT_FALSE(Sees(police_, incident_));
}

TEST_F(RecordAccessTest, ARecordNotYetProjectedIsJudgedFromTheLog) {
  // No ApplyAll: the projections have not seen the incident.
  EXPECT_TRUE(Sees(owner_, incident_));
  EXPECT_FALSE(Sees(police_, incident_));
  ASSERT_OK(h_->ApplyAll());
  auto entry = h_->projections().Get(AclKey(incident_));
  ASSERT_OK(entry);
  ASSERT_TRUE(entry.value().has_value());
}

TEST_F(RecordAccessTest, ARecordThatDoesNotExistIsSeenByNobody) {
  ASSERT_OK(h_->ApplyAll());
  Viewer auditor = police_;
  auditor.sees_everything = true;
  EXPECT_FALSE(Sees(owner_, StreamId("incident", 99)));
  auto holder = access_->FindHolder(StreamId("incident", 99));
  ASSERT_OK(holder);
  EXPECT_FALSE(holder.value().has_value());
}

TEST_F(RecordAccessTest, SupervisorsSeeTheirOrganisationAndAuditorsSeeEverything) {
  ASSERT_OK(h_->ApplyAll());
  Viewer supervisor = colleague_;
  supervisor.sees_organisation = true;
  EXPECT_TRUE(Sees(supervisor, incident_));
  Viewer police_supervisor = police_;
  police_supervisor.sees_organisation = true;
  EXPECT_FALSE(Sees(police_supervisor, incident_));
  Viewer auditor = police_;
  auditor.sees_everything = true;
  EXPECT_TRUE(Sees(auditor, incident_));
}

TEST_F(RecordAccessTest, AGrantSharesUntilItExpiresOrIsRevoked) {
  std::string to_team = StreamId("grant", 1);
  std::string to_org = StreamId("grant", 2);
  ledger::Micros expiry = h_->node().clock().NowMicros() + 3'600'000'000LL;
  h_->Append(OneStream(to_team, ledger::kNoStream,
                       {Draft(EventType::AccessGranted,
                              testing::MakeAccessGranted({.record_id = incident_,
                                                          .grantee_kind = schema::GranteeKind::Team,
                                                          .grantee_id = "team-npt",
                                                          .expires_at = expiry}))},
                       As("user-carol", "org-council", "team-asb")));
  h_->Append(OneStream(to_org, ledger::kNoStream,
                       {Draft(EventType::AccessGranted,
                              testing::MakeAccessGranted(
                                  {.record_id = incident_,
                                   .grantee_kind = schema::GranteeKind::Organisation,
                                   .grantee_id = "org-council"}))},
                       As("user-carol", "org-council", "team-asb")));
  ASSERT_OK(h_->ApplyAll());
  EXPECT_TRUE(Sees(police_, incident_));
  EXPECT_TRUE(Sees(colleague_, incident_));
  // The grantee sees the grant; a third organisation sees neither grant nor record.
  EXPECT_TRUE(Sees(police_, to_team));
  EXPECT_FALSE(Sees(Who("user-x", "org-housing", "team-tenancy"), to_team));
  EXPECT_FALSE(Sees(Who("user-x", "org-housing", "team-tenancy"), incident_));

  h_->node().clock().Advance(2 * 3'600'000'000LL);
  EXPECT_FALSE(Sees(police_, incident_)) << "an expired grant shares nothing";

  h_->Append(OneStream(to_org, 1,
                       {Draft(EventType::AccessRevoked,
                              testing::MakeAccessRevoked({.record_id = incident_}))},
                       As("user-carol", "org-council", "team-asb")));
  ASSERT_OK(h_->ApplyAll());
  EXPECT_FALSE(Sees(colleague_, incident_)) << "revocation takes effect at once";
  EXPECT_TRUE(Sees(owner_, incident_));
}

TEST_F(RecordAccessTest, AGrantedAccessRequestSharesWithItsRequesterOnly) {
  std::string request = StreamId("accessrequest", 1);
  h_->Append(OneStream(request, ledger::kNoStream,
                       {Draft(EventType::AccessRequested,
                              testing::MakeAccessRequested({.record_id = incident_}))},
                       As("user-pc", "org-police", "team-npt")));
  ASSERT_OK(h_->ApplyAll());
  EXPECT_TRUE(Sees(police_, request)) << "the requester sees its request";
  EXPECT_TRUE(Sees(owner_, request)) << "the holder sees requests for its record";
  EXPECT_FALSE(Sees(colleague_, request));
  EXPECT_FALSE(Sees(police_, incident_)) << "a pending request shares nothing";
  auto pending = h_->projections().Scan(PendingRequestPrefix(incident_), 10);
  ASSERT_OK(pending);
  EXPECT_EQ(pending.value().size(), 1u);

  h_->Append(OneStream(request, 1,
                       {Draft(EventType::AccessRequestDecided,
                              testing::MakeAccessRequestDecided({.granted = true}))},
                       As("user-carol", "org-council", "team-asb")));
  ASSERT_OK(h_->ApplyAll());
  EXPECT_TRUE(Sees(police_, incident_));
  EXPECT_FALSE(Sees(Who("user-other-pc", "org-police", "team-npt-2"), incident_));
  pending = h_->projections().Scan(PendingRequestPrefix(incident_), 10);
  ASSERT_OK(pending);
  EXPECT_TRUE(pending.value().empty());

  h_->Append(OneStream(request, 2,
                       {Draft(EventType::AccessRevoked,
                              testing::MakeAccessRevoked({.record_id = incident_}))},
                       As("user-carol", "org-council", "team-asb")));
  ASSERT_OK(h_->ApplyAll());
  EXPECT_FALSE(Sees(police_, incident_));
}

TEST_F(RecordAccessTest, ARefusedRequestSharesNothing) {
  std::string request = StreamId("accessrequest", 2);
  h_->Append(OneStream(request, ledger::kNoStream,
                       {Draft(EventType::AccessRequested,
                              testing::MakeAccessRequested({.record_id = incident_}))},
                       As("user-pc", "org-police", "team-npt")));
  h_->Append(OneStream(request, 1,
                       {Draft(EventType::AccessRequestDecided,
                              testing::MakeAccessRequestDecided({.granted = false}))},
                       As("user-carol", "org-council", "team-asb")));
  ASSERT_OK(h_->ApplyAll());
  EXPECT_FALSE(Sees(police_, incident_));
  EXPECT_EQ(h_->View(request).at("status"), "refused");
}

TEST(NormaliseTest, NamesMatchAcrossPunctuationCaseAndSpacing) {
  EXPECT_EQ(ledger::NormaliseName(" Mary-Jane  o'neil "), "MARYJANE ONEIL");
  EXPECT_EQ(ledger::NormaliseName("MARY JANE O NEIL"), "MARY JANE O NEIL");
  EXPECT_EQ(ledger::NormaliseName(""), "");
}

TEST(NormaliseTest, PhoneticCodesAreSoundex) {
  EXPECT_EQ(ledger::PhoneticCode("Robert"), "R163");
  EXPECT_EQ(ledger::PhoneticCode("Rupert"), "R163");
  EXPECT_EQ(ledger::PhoneticCode("Ashcraft"), "A261");
  EXPECT_EQ(ledger::PhoneticCode("Tymczak"), "T522");
  EXPECT_EQ(ledger::PhoneticCode("Pfister"), "P236");
  EXPECT_EQ(ledger::PhoneticCode("Pilkington"), ledger::PhoneticCode("Pilkinton"));
  EXPECT_EQ(ledger::PhoneticCode("Lee"), "L000");
  EXPECT_EQ(ledger::PhoneticCode("123"), "");
}

class SearchIndexTest : public RecordAccessTest {};

TEST_F(SearchIndexTest, ACorrectionMovesThePersonToItsNewTerms) {
  std::string person = StreamId("person", 1);
  auto seal = [&](testing::PersonDetailsSpec spec) {
    return testing::SealOrFail(h_->personal_data(), person, testing::MakePersonDetails(spec));
  };
  h_->Append(OneStream(
      person, ledger::kNoStream,
      {Draft(EventType::PersonRecorded,
             testing::MakePersonRecorded({.details = seal({.names = {{"Fiona", "Pilkington"}},
                                                           .date_of_birth = "1967-03-02"})}))}));
  ASSERT_OK(h_->ApplyAll());
  auto find = [&](std::string_view index, std::string_view value) {
    auto term = QueryTerm(index, value);
    EXPECT_OK(term);
    auto ids = FindByTerm(h_->projections(), index, term.value(), 10);
    EXPECT_OK(ids);
    return ids.value();
  };
  EXPECT_EQ(find("name", "fiona pilkington"), std::vector<std::string>{person});
  EXPECT_EQ(find("phonetic", "Fiona Pilkinton"), std::vector<std::string>{person});
  EXPECT_EQ(find("dob", "1967-03-02"), std::vector<std::string>{person});

  h_->Append(OneStream(
      person, 1,
      {Draft(EventType::PersonCorrected,
             testing::MakePersonCorrected({.details = seal({.names = {{"Fiona", "Hardwick"}},
                                                            .date_of_birth = "1967-03-02"})}))}));
  ASSERT_OK(h_->ApplyAll());
  EXPECT_TRUE(find("name", "fiona pilkington").empty()) << "the old name no longer finds her";
  EXPECT_EQ(find("name", "FIONA HARDWICK"), std::vector<std::string>{person});
}

TEST_F(SearchIndexTest, IncidentsAreFoundByUprnAddressAndReference) {
  ASSERT_OK(h_->ApplyAll());
  auto view = h_->View(incident_);
  auto terms = IndexTermsOf(view.as_object());
  EXPECT_FALSE(terms.empty());
  for (const auto& [index, term] : terms) {
    auto ids = FindByTerm(h_->projections(), index, term, 10);
    ASSERT_OK(ids);
    EXPECT_EQ(ids.value(), std::vector<std::string>{incident_}) << index << " " << term;
  }
}

TEST(SearchQueryTest, AnUnknownIndexIsRefusedByName) {
  auto term = QueryTerm("shoe_size", "9");
  ASSERT_FALSE(term);
  EXPECT_EQ(term.error().field, "shoe_size");
}

}  // namespace
}  // namespace caseledger::projections
