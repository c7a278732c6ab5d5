// Login sessions (docs/identity.md "Sessions"): tokens that expire, end at logout or for every
// session of a user at once, are kept only as hashes, and survive a restart of the node.
#include <gtest/gtest.h>

#include <rocksdb/db.h>

#include "app/identity/session_store.h"
#include "support/result_assertions.h"
#include "support/temp_dir.h"

namespace caseledger::app::identity {
namespace {

constexpr ledger::Micros kHour = 3600'000'000LL;

class SessionStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<SessionStore> Open(ledger::Store* store = nullptr) {
    auto sessions = SessionStore::Open(store, clock_, random_);
    EXPECT_TRUE(sessions) << sessions.error().ToString();
    return sessions ? std::move(sessions).value() : nullptr;
  }

  ledger::ManualClock clock_{1'767'225'600'000'000};
  ledger::SeededRandom random_{7};
};

TEST_F(SessionStoreTest, ATokenIsThirtyTwoRandomBytesInBase64Url) {
  auto sessions = Open();
  ASSERT_OK_AND_ASSIGN(auto issued, sessions->Create("user-a", 8 * kHour));

  EXPECT_EQ(issued.token.rfind("cs_", 0), 0u);
  EXPECT_EQ(issued.token.size(), 3u + 43u);
  EXPECT_EQ(issued.session.expires_at, clock_.NowMicros() + 8 * kHour);
}

TEST_F(SessionStoreTest, ATokenFindsItsSessionUntilItExpires) {
  auto sessions = Open();
  ASSERT_OK_AND_ASSIGN(auto issued, sessions->Create("user-a", kHour));

  ASSERT_TRUE(sessions->Find(issued.token).has_value());
  EXPECT_EQ(sessions->Find(issued.token)->user_id, "user-a");
  clock_.Advance(kHour - 1);
  EXPECT_TRUE(sessions->Find(issued.token).has_value());
  clock_.Advance(1);
  EXPECT_FALSE(sessions->Find(issued.token).has_value());
}

TEST_F(SessionStoreTest, UnknownAndMalformedTokensFindNothing) {
  auto sessions = Open();
  ASSERT_OK_AND_ASSIGN(auto issued, sessions->Create("user-a", kHour));

  EXPECT_FALSE(sessions->Find(issued.token + "x").has_value());
  EXPECT_FALSE(sessions->Find("cs_").has_value());
  EXPECT_FALSE(sessions->Find(issued.token.substr(3)).has_value());
}

TEST_F(SessionStoreTest, RevokeEndsOneSessionAndRevokeUserEndsAllOfThem) {
  auto sessions = Open();
  ASSERT_OK_AND_ASSIGN(auto a1, sessions->Create("user-a", kHour));
  ASSERT_OK_AND_ASSIGN(auto a2, sessions->Create("user-a", kHour));
  ASSERT_OK_AND_ASSIGN(auto b, sessions->Create("user-b", kHour));

  ASSERT_OK(sessions->Revoke(a1.token));
  EXPECT_FALSE(sessions->Find(a1.token).has_value());
  EXPECT_TRUE(sessions->Find(a2.token).has_value());
  ASSERT_OK(sessions->RevokeUser("user-a"));
  EXPECT_FALSE(sessions->Find(a2.token).has_value());
  EXPECT_TRUE(sessions->Find(b.token).has_value());
}

TEST_F(SessionStoreTest, SessionsSurviveARestartButRevokedAndExpiredOnesDoNot) {
  testing::TempDir dir;
  std::string live, revoked, expiring;
  {
    ASSERT_OK_AND_ASSIGN(auto store, ledger::Store::Open({.path = dir.Path("db")}));
    auto sessions = Open(store.get());
    ASSERT_OK_AND_ASSIGN(auto a, sessions->Create("user-a", 8 * kHour));
    ASSERT_OK_AND_ASSIGN(auto b, sessions->Create("user-b", 8 * kHour));
    ASSERT_OK_AND_ASSIGN(auto c, sessions->Create("user-c", kHour));
    ASSERT_OK(sessions->Revoke(b.token));
    live = a.token;
    revoked = b.token;
    expiring = c.token;
  }
  clock_.Advance(2 * kHour);

  ASSERT_OK_AND_ASSIGN(auto store, ledger::Store::Open({.path = dir.Path("db")}));
  auto sessions = Open(store.get());
  EXPECT_TRUE(sessions->Find(live).has_value());
  EXPECT_FALSE(sessions->Find(revoked).has_value());
  EXPECT_FALSE(sessions->Find(expiring).has_value());
  EXPECT_EQ(sessions->size(), 1u);
}

TEST_F(SessionStoreTest, TheStoreHoldsOnlyHashesOfTokens) {
  testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto store, ledger::Store::Open({.path = dir.Path("db")}));
  auto sessions = Open(store.get());
  ASSERT_OK_AND_ASSIGN(auto issued, sessions->Create("user-a", kHour));

  std::string value;
  auto* family = store->family(kSessionsFamily);
  ASSERT_NE(family, nullptr);
  EXPECT_TRUE(store->db()->Get(rocksdb::ReadOptions(), family, TokenHash(issued.token), &value).ok());
  EXPECT_TRUE(store->db()->Get(rocksdb::ReadOptions(), family, issued.token, &value).IsNotFound());
}

}  // namespace
}  // namespace caseledger::app::identity
