#include "app/http/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

namespace caseledger::app::http {

namespace {

struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
};

struct Bucket {
  double tokens = 0;
  ledger::Micros updated = 0;
};

}  // namespace

struct RateLimiter::Shard {
  std::mutex mu;
  std::unordered_map<std::string, Bucket, TransparentHash, std::equal_to<>> buckets;
};

RateLimiter::RateLimiter(RateLimitOptions options, const ledger::Clock& clock)
    : options_(options),
      burst_(options.burst > 0 ? options.burst : std::max(1.0, options.requests_per_second)),
      clock_(clock),
      shards_(std::make_unique<std::array<Shard, kShards>>()) {}

RateLimiter::~RateLimiter() = default;

RateLimiter::Decision RateLimiter::Acquire(std::string_view client) {
  if (!options_.enabled()) return {};
  const double rate = options_.requests_per_second;
  const ledger::Micros now = clock_.NowMicros();
  const std::size_t per_shard_limit = std::max<std::size_t>(1, options_.max_clients / kShards);
  Shard& shard = (*shards_)[std::hash<std::string_view>{}(client) % kShards];

  std::lock_guard lock(shard.mu);
  auto it = shard.buckets.find(client);
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= per_shard_limit) {
      // Drop clients whose bucket has refilled: forgetting them changes nothing.
      std::erase_if(shard.buckets, [&](const auto& entry) {
        double elapsed = static_cast<double>(now - entry.second.updated) / 1e6;
        return entry.second.tokens + elapsed * rate >= burst_;
      });
      if (shard.buckets.size() >= per_shard_limit) shard.buckets.clear();
    }
    it = shard.buckets.emplace(std::string(client), Bucket{burst_, now}).first;
  }
  Bucket& bucket = it->second;
  double elapsed = std::max<double>(0, static_cast<double>(now - bucket.updated) / 1e6);
  bucket.tokens = std::min(burst_, bucket.tokens + elapsed * rate);
  bucket.updated = std::max(bucket.updated, now);
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return {};
  }
  double wait_seconds = (1.0 - bucket.tokens) / rate;
  return {.allowed = false,
          .retry_after_seconds = std::max(1, static_cast<int>(std::ceil(wait_seconds)))};
}

std::size_t RateLimiter::tracked_clients() const {
  std::size_t total = 0;
  for (Shard& shard : *shards_) {
    std::lock_guard lock(shard.mu);
    total += shard.buckets.size();
  }
  return total;
}

}  // namespace caseledger::app::http
