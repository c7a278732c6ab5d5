// Failed-login throttling (docs/identity.md "Throttling"): five failures per username, then an
// exponential wait; twenty per address; a success clears the username.
#include <gtest/gtest.h>

#include "app/identity/login_throttle.h"

namespace caseledger::app::identity {
namespace {

constexpr ledger::Micros kSecond = 1'000'000;

class LoginThrottleTest : public ::testing::Test {
 protected:
  // Admits and fails `n` attempts of `user` from `address`; all must be admitted.
  void Fail(int n, const std::string& user, const std::string& address = "10.0.0.1") {
    for (int i = 0; i < n; ++i) ASSERT_EQ(throttle_.Admit(user, address), std::nullopt) << i;
  }

  ledger::ManualClock clock_{1'767'225'600'000'000};
  LoginThrottle throttle_{clock_};
};

TEST_F(LoginThrottleTest, FiveFailuresThenTheSixthWaitsOneSecond) {
  Fail(5, "u1");

  EXPECT_EQ(throttle_.Admit("u1", "10.0.0.1"), 1);
  clock_.Advance(kSecond);
  EXPECT_EQ(throttle_.Admit("u1", "10.0.0.1"), std::nullopt);
}

TEST_F(LoginThrottleTest, TheWaitDoublesWithEachFurtherFailure) {
  Fail(5, "u1");
  clock_.Advance(kSecond);
  Fail(1, "u1");  // sixth failure: two seconds

  EXPECT_EQ(throttle_.Admit("u1", "10.0.0.1"), 2);
  clock_.Advance(2 * kSecond);
  Fail(1, "u1");  // seventh: four seconds
  EXPECT_EQ(throttle_.Admit("u1", "10.0.0.1"), 4);
}

TEST_F(LoginThrottleTest, TheWaitIsCappedAtFifteenMinutes) {
  Fail(5, "u1");
  for (int i = 0; i < 20; ++i) {
    auto wait = throttle_.Admit("u1", "10.0.0.1");
    if (wait) clock_.Advance(*wait * kSecond);
    throttle_.Admit("u1", "10.0.0.1");
  }

  auto wait = throttle_.Admit("u1", "10.0.0.1");
  ASSERT_TRUE(wait.has_value());
  EXPECT_LE(*wait, 15 * 60);
}

TEST_F(LoginThrottleTest, ASuccessClearsTheUsername) {
  Fail(4, "u1");
  ASSERT_EQ(throttle_.Admit("u1", "10.0.0.1"), std::nullopt);
  throttle_.Succeeded("u1", "10.0.0.1");

  Fail(4, "u1");
  EXPECT_EQ(throttle_.Admit("u1", "10.0.0.1"), std::nullopt);
}

TEST_F(LoginThrottleTest, OneUsernameDoesNotThrottleAnother) {
  Fail(5, "u1");

  EXPECT_EQ(throttle_.Admit("u2", "10.0.0.1"), std::nullopt);
}

TEST_F(LoginThrottleTest, AnAddressGuessingManyUsernamesIsThrottledAfterTwenty) {
  for (int i = 0; i < 20; ++i) Fail(1, "user" + std::to_string(i), "10.9.9.9");

  EXPECT_EQ(throttle_.Admit("another", "10.9.9.9"), 1);
  EXPECT_EQ(throttle_.Admit("another", "10.0.0.2"), std::nullopt);
}

TEST_F(LoginThrottleTest, FailuresAreForgottenAfterADay) {
  Fail(5, "u1");
  clock_.Advance(24 * 3600 * kSecond);

  Fail(4, "u1");
  EXPECT_EQ(throttle_.Admit("u1", "10.0.0.1"), std::nullopt);
}

}  // namespace
}  // namespace caseledger::app::identity
