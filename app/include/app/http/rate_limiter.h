// Per-client token buckets: each client may make `burst` requests at once and
// `requests_per_second` on average. Buckets are sharded by client key, so concurrent calls for
// different clients rarely contend; there is no global lock.
//
// Example:
//   RateLimiter limiter({.requests_per_second = 50, .burst = 100}, SystemClock::Instance());
//   RateLimiter::Decision d = limiter.Acquire(request.remote_address);
//   if (!d.allowed) return RateLimitedResponse(d.retry_after_seconds);
//
// Memory: at most about `max_clients` buckets. When a shard is full, buckets that have refilled
// (idle clients) are dropped; if that is not enough the shard is cleared.
//
// Thread safety: thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <string_view>

#include "ledger/clock.h"

namespace caseledger::app::http {

struct RateLimitOptions {
  double requests_per_second = 0;  // 0: no limit
  double burst = 0;                // bucket size; 0: max(1, requests_per_second)
  std::size_t max_clients = 100'000;

  bool enabled() const { return requests_per_second > 0; }
};

class RateLimiter {
 public:
  RateLimiter(RateLimitOptions options, const ledger::Clock& clock);
  ~RateLimiter();

  struct Decision {
    bool allowed = true;
    int retry_after_seconds = 0;  // when !allowed: whole seconds until a token is free, >= 1
  };

  // Takes a token from `client`'s bucket (created full on first sight). Always allows when the
  // limiter is disabled.
  Decision Acquire(std::string_view client);

  std::size_t tracked_clients() const;

 private:
  struct Shard;
  static constexpr std::size_t kShards = 32;

  RateLimitOptions options_;
  double burst_;
  const ledger::Clock& clock_;
  std::unique_ptr<std::array<Shard, kShards>> shards_;
};

}  // namespace caseledger::app::http
