// Projecting links (readable from both ends) and access grants (projections/projector.h).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "projections/keys.h"
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

class ProjectorLinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_ = testing::ProjectionHarness::Open(dir_.Path("db"));
    ASSERT_NE(h_, nullptr);
  }

  void AddLink(const std::string& link, const std::string& from, const std::string& to,
               schema::LinkRole role = schema::LinkRole::Victim) {
    h_->Append(
        OneStream(link, kNoStream,
                  {Draft(EventType::LinkAdded,
                         testing::MakeLinkAdded({.from_id = from, .to_id = to, .role = role}))}));
  }

  std::vector<LinkEnd> Links(const std::string& record) {
    auto links = h_->projections().GetLinks(record);
    EXPECT_TRUE(links) << testing::Describe(links);
    return links ? links.value() : std::vector<LinkEnd>{};
  }

  // The grant entries of the active generation ("g <record>\0<grant>" keys).
  std::map<std::string, json::value> GrantEntries(const std::string& record) {
    std::map<std::string, json::value> out;
    std::string prefix = GrantPrefix(record);
    for (const auto& [key, value] : h_->Dump(h_->projections().active())) {
      if (key.starts_with(prefix)) out[key.substr(prefix.size())] = json::parse(value);
    }
    return out;
  }

  const std::string kIncident = StreamId("incident", 1);
  const std::string kPerson = StreamId("person", 2);
  const std::string kLink = StreamId("link", 3);
  testing::TempDir dir_;
  std::unique_ptr<testing::ProjectionHarness> h_;
};

TEST_F(ProjectorLinkTest, ALinkIsAViewAndReadableFromBothEnds) {
  AddLink(kLink, kIncident, kPerson);

  ASSERT_OK(h_->ApplyAll());

  json::object view = h_->View(kLink).as_object();
  EXPECT_EQ(view.at("kind"), "link");
  EXPECT_EQ(view.at("from_id"), json::value(kIncident));
  EXPECT_EQ(view.at("to_id"), json::value(kPerson));
  EXPECT_EQ(view.at("role"), "victim");
  EXPECT_EQ(view.at("note"), "named by the caller");
  EXPECT_EQ(view.at("active"), true);
  std::vector<LinkEnd> from = Links(kIncident);
  std::vector<LinkEnd> to = Links(kPerson);
  ASSERT_EQ(from.size(), 1u);
  ASSERT_EQ(to.size(), 1u);
  EXPECT_EQ(from[0].link_id, kLink);
  EXPECT_EQ(json::parse(from[0].json), json::parse(R"({"link_id": ")" + kLink + R"(",
      "other_id": ")" + kPerson + R"(", "role": "victim", "direction": "from"})"));
  EXPECT_EQ(to[0].link_id, kLink);
  EXPECT_EQ(json::parse(to[0].json), json::parse(R"({"link_id": ")" + kLink + R"(",
      "other_id": ")" + kIncident + R"(", "role": "victim", "direction": "to"})"));
}

TEST_F(ProjectorLinkTest, ARecordListsEveryLinkInLinkIdOrderAndNoneOfItsNeighbours) {
  const std::string other_person = StreamId("person", 20);
  AddLink(StreamId("link", 5), kIncident, other_person, schema::LinkRole::Witness);
  AddLink(StreamId("link", 4), kIncident, kPerson, schema::LinkRole::AllegedPerpetrator);
  AddLink(StreamId("link", 6), kIncident + "0", kPerson);  // an id that extends kIncident

  ASSERT_OK(h_->ApplyAll());

  std::vector<LinkEnd> links = Links(kIncident);
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].link_id, StreamId("link", 4));
  EXPECT_EQ(json::parse(links[0].json).at("role"), "alleged_perpetrator");
  EXPECT_EQ(links[1].link_id, StreamId("link", 5));
  EXPECT_EQ(json::parse(links[1].json).at("other_id"), json::value(other_person));
  EXPECT_EQ(Links(kPerson).size(), 2u);
  EXPECT_TRUE(Links(StreamId("case", 99)).empty());
}

TEST_F(ProjectorLinkTest, ARemovedLinkLeavesBothEndsButStaysAsAnInactiveView) {
  AddLink(kLink, kIncident, kPerson);
  AddLink(StreamId("link", 4), kIncident, StreamId("person", 5));
  ASSERT_OK(h_->ApplyAll());
  h_->Append(OneStream(
      kLink, 1,
      {Draft(EventType::LinkRemoved, testing::MakeLinkRemoved(), kTestEpoch + 60'000'000)}));

  ASSERT_OK(h_->ApplyAll());

  json::object view = h_->View(kLink).as_object();
  EXPECT_EQ(view.at("active"), false);
  EXPECT_EQ(view.at("removed_at"), "2026-01-01T00:01:00.000000Z");
  EXPECT_EQ(view.at("removal_reason"), "recorded against the wrong person");
  EXPECT_EQ(view.at("version"), 2);
  EXPECT_TRUE(Links(kPerson).empty());
  std::vector<LinkEnd> remaining = Links(kIncident);
  ASSERT_EQ(remaining.size(), 1u);
  EXPECT_EQ(remaining[0].link_id, StreamId("link", 4));
}

TEST_F(ProjectorLinkTest, AGrantIsAViewAndAnEntryOnItsRecordUntilRevoked) {
  const std::string grant = StreamId("grant", 7);
  h_->Append(
      OneStream(grant, kNoStream,
                {Draft(EventType::AccessGranted,
                       testing::MakeAccessGranted(
                           {.record_id = kIncident, .expires_at = kTestEpoch + 86'400'000'000}))}));
  ASSERT_OK(h_->ApplyAll());
  json::object granted = h_->View(grant).as_object();
  std::map<std::string, json::value> entries = GrantEntries(kIncident);
  h_->Append(OneStream(
      grant, 1,
      {Draft(EventType::AccessRevoked, testing::MakeAccessRevoked({.record_id = kIncident}))}));

  ASSERT_OK(h_->ApplyAll());

  EXPECT_EQ(granted.at("kind"), "grant");
  EXPECT_EQ(granted.at("record_id"), json::value(kIncident));
  EXPECT_EQ(granted.at("grantee_kind"), "team");
  EXPECT_EQ(granted.at("grantee_id"), "team-housing");
  EXPECT_EQ(granted.at("reason"), "joint case");
  EXPECT_EQ(granted.at("expires_at"), "2026-01-02T00:00:00.000000Z");
  EXPECT_EQ(granted.at("active"), true);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[grant], json::parse(R"({"grant_id": ")" + grant + R"(", "grantee_kind": "team",
      "grantee_id": "team-housing", "expires_at": "2026-01-02T00:00:00.000000Z"})"));
  json::object revoked = h_->View(grant).as_object();
  EXPECT_EQ(revoked.at("active"), false);
  EXPECT_EQ(revoked.at("revocation_reason"), "case closed");
  EXPECT_EQ(revoked.at("revoked_at"), "2026-01-01T00:00:00.000000Z");
  EXPECT_TRUE(GrantEntries(kIncident).empty());
}

TEST_F(ProjectorLinkTest, AddingAndRemovingInOneBatchOrTwoGivesTheSameGeneration) {
  AddLink(kLink, kIncident, kPerson);
  h_->Append(OneStream(kLink, 1, {Draft(EventType::LinkRemoved, testing::MakeLinkRemoved())}));
  auto one_batch = h_->projections().CreateGeneration();
  ASSERT_OK(one_batch);

  ASSERT_OK(h_->ApplyAll(/*batch=*/1));
  ASSERT_OK(h_->ApplyAll(one_batch.value(), 1000));

  EXPECT_TRUE(testing::SameDump(h_->Dump(h_->projections().active()), h_->Dump(one_batch.value())));
  EXPECT_TRUE(Links(kIncident).empty());
}

}  // namespace
}  // namespace caseledger::projections
