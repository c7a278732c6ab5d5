// A node opened over existing data: projections built by another projection code version are
// rebuilt before the node serves, and come out the same as before.
#include <gtest/gtest.h>

#include <rocksdb/db.h>

#include "app/node.h"
#include "ledger/rocksdb_util.h"
#include "projections/keys.h"
#include "support/result_assertions.h"
#include "support/temp_dir.h"

namespace caseledger::app {
namespace {

void RecordSomePeople(Node& node, int n) {
  ledger::CommandMeta meta;
  meta.actor = {"user-node", "org-node", "team-node"};
  for (int i = 0; i < n; ++i) {
    ledger::RecordPerson person;
    person.details.names = {{"Alex", "Person" + std::to_string(i)}};
    ASSERT_OK(node.commands().Run(meta, person));
  }
}

TEST(NodeTest, ProjectionsOfAnotherCodeVersionAreRebuiltOnOpen) {
  testing::TempDir dir;
  NodeConfig config;
  config.data_dir = dir.Path("data");
  std::vector<std::pair<std::string, std::string>> before;
  std::uint32_t generation = 0;
  {
    auto node = Node::Open(config);
    ASSERT_OK(node);
    RecordSomePeople(*node.value(), 20);
    ASSERT_OK(node.value()->StartRunner());
    auto end = node.value()->log().EndOffset(0);
    ASSERT_TRUE(node.value()->runner().WaitFor({0, end.value()}, std::chrono::seconds(10)));
    node.value()->runner().Stop();
    auto& projections = node.value()->projections();
    generation = projections.active().number;
    before = projections.Dump(projections.active()).value();
    std::string old_version;
    ledger::AppendBigEndian32(old_version, projections::kProjectionCodeVersion + 1);
    ASSERT_TRUE(node.value()->store().db()->Put(rocksdb::WriteOptions(),
                                                projections.active().family,
                                                projections::kCodeVersionKey, old_version).ok());
  }
  std::uint64_t progress_calls = 0;
  config.rebuild_progress = [&](std::uint64_t, std::uint64_t) { ++progress_calls; };

  auto reopened = Node::Open(config);

  ASSERT_OK(reopened);
  auto& projections = reopened.value()->projections();
  EXPECT_GT(projections.active().number, generation);
  EXPECT_EQ(projections.CodeVersion().value(), projections::kProjectionCodeVersion);
  EXPECT_GT(progress_calls, 0u);
  EXPECT_TRUE(projections.Dump(projections.active()).value() == before);
}

TEST(NodeTest, ProjectionsOfTheCurrentCodeVersionAreKeptOnOpen) {
  testing::TempDir dir;
  NodeConfig config;
  config.data_dir = dir.Path("data");
  std::uint32_t generation = 0;
  {
    auto node = Node::Open(config);
    ASSERT_OK(node);
    RecordSomePeople(*node.value(), 3);
    generation = node.value()->projections().active().number;
  }

  auto reopened = Node::Open(config);

  ASSERT_OK(reopened);
  EXPECT_EQ(reopened.value()->projections().active().number, generation);
}

TEST(NodeTest, ASecondNodeOnTheSameDataDirectoryIsRefused) {
  testing::TempDir dir;
  NodeConfig config;
  config.data_dir = dir.Path("data");
  auto first = Node::Open(config);
  ASSERT_OK(first);

  auto second = Node::Open(config);

  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ledger::Code::kIOError);
}

}  // namespace
}  // namespace caseledger::app
