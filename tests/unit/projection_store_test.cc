// Projection generations (projections/projection_store.h): creating, activating, abandoning,
// dropping leftovers on open, and the active generation surviving a reopen.
#include "projections/projection_store.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "ledger/rocksdb_util.h"
#include "projections/keys.h"
#include "support/appends.h"
#include "support/event_builders.h"
#include "support/projection_harness.h"
#include "support/result_assertions.h"
#include "support/temp_dir.h"

namespace caseledger::projections {
namespace {

using ledger::Code;
using ledger::EventType;
using ledger::kNoStream;
using testing::Draft;
using testing::OneStream;
using testing::StreamId;

bool HasFamily(ledger::Store& store, std::string_view name) {
  auto names = store.FamilyNames();
  return std::find(names.begin(), names.end(), name) != names.end();
}

class ProjectionStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    h_.reset();
    h_ = testing::ProjectionHarness::Open(dir_.Path("db"));
    ASSERT_NE(h_, nullptr);
  }

  ProjectionStore& projections() { return h_->projections(); }
  ledger::Store& store() { return h_->node().store(); }

  testing::TempDir dir_;
  std::unique_ptr<testing::ProjectionHarness> h_;
};

TEST_F(ProjectionStoreTest, ANewStoreStartsWithGenerationOneStampedWithTheCodeVersion) {
  Generation active = projections().active();

  EXPECT_EQ(active.number, 1u);
  EXPECT_NE(active.family, nullptr);
  EXPECT_TRUE(HasFamily(store(), "proj.1"));
  EXPECT_EQ(GenerationFamilyName(1), "proj.1");
  ASSERT_OK(projections().CodeVersion());
  EXPECT_EQ(projections().CodeVersion().value(), kProjectionCodeVersion);
  EXPECT_EQ(projections().AppliedOffset(active, 0).value(), 0u);
  auto dump = projections().Dump(active);
  ASSERT_OK(dump);
  ASSERT_EQ(dump.value().size(), 1u);
  EXPECT_EQ(dump.value()[0].first, kCodeVersionKey);
  EXPECT_EQ(ledger::ReadBigEndian32(dump.value()[0].second), kProjectionCodeVersion);
}

TEST_F(ProjectionStoreTest, ACreatedGenerationIsEmptyStampedAndNotActive) {
  auto created = projections().CreateGeneration();

  ASSERT_OK(created);
  EXPECT_EQ(created.value().number, 2u);
  EXPECT_TRUE(HasFamily(store(), "proj.2"));
  EXPECT_EQ(projections().active().number, 1u);
  EXPECT_EQ(projections().Dump(created.value()).value().size(), 1u);
}

TEST_F(ProjectionStoreTest, ActivateSwitchesQueriesAndDropsThePreviousGeneration) {
  h_->Append(OneStream(StreamId("case", 1), kNoStream,
                       {Draft(EventType::CaseOpened, testing::MakeCaseOpened())}));
  auto next = projections().CreateGeneration();
  ASSERT_OK(next);
  ASSERT_OK(h_->ApplyAll(next.value(), 100));
  EXPECT_EQ(h_->View(StreamId("case", 1)), nullptr);  // still reading generation 1

  ASSERT_OK(projections().Activate(next.value()));

  EXPECT_EQ(projections().active().number, 2u);
  EXPECT_NE(h_->View(StreamId("case", 1)), nullptr);
  EXPECT_FALSE(HasFamily(store(), "proj.1"));
  EXPECT_EQ(projections().AppliedOffset(projections().active(), 0).value(), 1u);
}

TEST_F(ProjectionStoreTest, AbandonDropsAnInactiveGenerationButRefusesTheActiveOne) {
  auto abandoned = projections().CreateGeneration();
  ASSERT_OK(abandoned);

  auto dropped = projections().Abandon(abandoned.value());
  auto refused = projections().Abandon(projections().active());

  EXPECT_OK(dropped);
  EXPECT_FALSE(HasFamily(store(), "proj.2"));
  EXPECT_ERROR_CODE(refused, Code::kInternal);
  EXPECT_TRUE(HasFamily(store(), "proj.1"));
}

TEST_F(ProjectionStoreTest, OpenDropsGenerationsLeftByAnInterruptedRebuild) {
  ASSERT_OK(projections().CreateGeneration());
  ASSERT_OK(projections().CreateGeneration());

  Reopen();

  EXPECT_EQ(projections().active().number, 1u);
  EXPECT_TRUE(HasFamily(store(), "proj.1"));
  EXPECT_FALSE(HasFamily(store(), "proj.2"));
  EXPECT_FALSE(HasFamily(store(), "proj.3"));
}

TEST_F(ProjectionStoreTest, GenerationNumbersAreNeverReused) {
  ASSERT_OK(projections().CreateGeneration());  // 2, abandoned by the reopen
  Reopen();

  auto next = projections().CreateGeneration();

  ASSERT_OK(next);
  EXPECT_EQ(next.value().number, 3u);
}

TEST_F(ProjectionStoreTest, TheActiveGenerationAndItsViewsSurviveAReopen) {
  h_->Append(OneStream(StreamId("case", 1), kNoStream,
                       {Draft(EventType::CaseOpened, testing::MakeCaseOpened())}));
  auto next = projections().CreateGeneration();
  ASSERT_OK(next);
  ASSERT_OK(h_->ApplyAll(next.value(), 100));
  ASSERT_OK(projections().Flush(next.value()));
  ASSERT_OK(projections().Activate(next.value()));

  Reopen();

  EXPECT_EQ(projections().active().number, 2u);
  EXPECT_EQ(h_->View(StreamId("case", 1)).at("kind"), "case");
  EXPECT_EQ(projections().AppliedOffset(projections().active(), 0).value(), 1u);
  EXPECT_EQ(projections().CodeVersion().value(), kProjectionCodeVersion);
}

// GetView and Get answer repeated reads from memory until the projections change: each projected
// batch makes the next read go back to RocksDB, for a record that had no view as for one changed.
TEST_F(ProjectionStoreTest, ReadsAfterAProjectedEventSeeItAlthoughTheSameKeysWereReadBefore) {
  std::string incident = StreamId("incident", 1);
  ASSERT_OK_AND_ASSIGN(auto before, projections().GetView(incident));
  EXPECT_FALSE(before.has_value());
  ASSERT_OK_AND_ASSIGN(auto acl_before, projections().Get(AclKey(incident)));
  EXPECT_FALSE(acl_before.has_value());

  h_->Append(OneStream(incident, kNoStream,
                       {Draft(EventType::IncidentReported, testing::MakeIncidentReported())}));
  ASSERT_OK(h_->ApplyAll());

  ASSERT_OK_AND_ASSIGN(auto reported, projections().GetView(incident));
  ASSERT_TRUE(reported.has_value());
  EXPECT_EQ(reported, projections().GetView(incident).value());  // read again: the same
  ASSERT_OK_AND_ASSIGN(auto acl, projections().Get(AclKey(incident)));
  EXPECT_TRUE(acl.has_value());

  h_->Append(OneStream(incident, 1,
                       {Draft(EventType::IncidentUpdated,
                              testing::MakeIncidentUpdated({.reason = "a second caller"}))}));
  ASSERT_OK(h_->ApplyAll());

  EXPECT_EQ(h_->View(incident).at("update_reason"), "a second caller");
}

TEST_F(ProjectionStoreTest, OpenRefusesAStoreWhoseActiveGenerationIsMissing) {
  ASSERT_OK(store().PutMeta("projections.active", "7", true));

  auto reopened = ProjectionStore::Open(store());

  EXPECT_ERROR_CODE(reopened, Code::kCorruption);
}

TEST_F(ProjectionStoreTest, QueriesOnAnEmptyGenerationFindNothing) {
  auto view = projections().GetView(StreamId("case", 1));
  auto links = projections().GetLinks(StreamId("case", 1));

  ASSERT_OK(view);
  EXPECT_FALSE(view.value().has_value());
  ASSERT_OK(links);
  EXPECT_TRUE(links.value().empty());
}

}  // namespace
}  // namespace caseledger::projections
