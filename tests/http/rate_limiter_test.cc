#include "app/http/rate_limiter.h"

#include <gtest/gtest.h>

namespace caseledger::app::http {
namespace {

constexpr ledger::Micros kSecond = 1'000'000;

TEST(RateLimiterTest, AllowsTheBurstThenRefusesWithRetryAfter) {
  ledger::ManualClock clock(100 * kSecond);
  RateLimiter limiter({.requests_per_second = 0.5, .burst = 2}, clock);

  EXPECT_TRUE(limiter.Acquire("10.0.0.1").allowed);
  EXPECT_TRUE(limiter.Acquire("10.0.0.1").allowed);
  RateLimiter::Decision refused = limiter.Acquire("10.0.0.1");

  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 2);
}

TEST(RateLimiterTest, TokensRefillOverTime) {
  ledger::ManualClock clock(100 * kSecond);
  RateLimiter limiter({.requests_per_second = 10, .burst = 1}, clock);
  ASSERT_TRUE(limiter.Acquire("a").allowed);
  ASSERT_FALSE(limiter.Acquire("a").allowed);

  clock.Advance(kSecond / 10);

  EXPECT_TRUE(limiter.Acquire("a").allowed);
  EXPECT_FALSE(limiter.Acquire("a").allowed);
}

TEST(RateLimiterTest, ClientsHaveIndependentBuckets) {
  ledger::ManualClock clock(0);
  RateLimiter limiter({.requests_per_second = 1, .burst = 1}, clock);

  EXPECT_TRUE(limiter.Acquire("a").allowed);
  EXPECT_TRUE(limiter.Acquire("b").allowed);
  EXPECT_FALSE(limiter.Acquire("a").allowed);
  EXPECT_EQ(limiter.tracked_clients(), 2u);
}

TEST(RateLimiterTest, DisabledLimiterAlwaysAllows) {
  ledger::ManualClock clock(0);
  RateLimiter limiter({}, clock);

  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.Acquire("a").allowed);
  EXPECT_EQ(limiter.tracked_clients(), 0u);
}

TEST(RateLimiterTest, IdleClientsAreForgottenWhenTheTableIsFull) {
  ledger::ManualClock clock(0);
  RateLimiter limiter({.requests_per_second = 1, .burst = 1, .max_clients = 32}, clock);
  for (int i = 0; i < 200; ++i) limiter.Acquire("client-" + std::to_string(i));

  clock.Advance(10 * kSecond);
  for (int i = 0; i < 200; ++i) limiter.Acquire("later-" + std::to_string(i));

  EXPECT_LE(limiter.tracked_clients(), 64u);
}

}  // namespace
}  // namespace caseledger::app::http
