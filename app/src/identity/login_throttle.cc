#include "app/identity/login_throttle.h"

#include <algorithm>
#include <vector>

namespace caseledger::app::identity {

ledger::Micros LoginThrottle::Wait(const Entry& entry, const ThrottleRule& rule,
                                   ledger::Micros now) const {
  if (entry.failures < rule.threshold) return 0;
  if (now - entry.last_failure >= options_.forget_after) return 0;
  std::uint32_t doublings = std::min<std::uint32_t>(entry.failures - rule.threshold, 30);
  ledger::Micros delay = rule.base_delay;
  for (std::uint32_t i = 0; i < doublings && delay < rule.max_delay; ++i) delay *= 2;
  delay = std::min(delay, rule.max_delay);
  return std::max<ledger::Micros>(0, entry.last_failure + delay - now);
}

std::optional<std::int64_t> LoginThrottle::Admit(std::string_view username_key,
                                                 std::string_view address) {
  const ledger::Micros now = clock_.NowMicros();
  std::lock_guard lock(mu_);
  if (usernames_.size() + addresses_.size() > options_.max_keys) Prune(now);
  Entry& user = usernames_[std::string(username_key)];
  Entry& peer = addresses_[std::string(address)];
  for (Entry* e : {&user, &peer}) {
    if (e->failures > 0 && now - e->last_failure >= options_.forget_after) *e = Entry{};
  }
  ledger::Micros wait = std::max(Wait(user, options_.per_username, now),
                                 Wait(peer, options_.per_address, now));
  if (wait > 0) return std::max<std::int64_t>(1, (wait + 999'999) / 1'000'000);
  for (Entry* e : {&user, &peer}) {
    ++e->failures;
    e->last_failure = now;
  }
  return std::nullopt;
}

void LoginThrottle::Succeeded(std::string_view username_key, std::string_view address) {
  std::lock_guard lock(mu_);
  usernames_.erase(std::string(username_key));
  auto peer = addresses_.find(std::string(address));
  if (peer != addresses_.end() && peer->second.failures > 0) --peer->second.failures;
}

void LoginThrottle::Prune(ledger::Micros now) {
  for (auto* map : {&usernames_, &addresses_}) {
    std::erase_if(*map, [&](const auto& item) {
      return now - item.second.last_failure >= options_.forget_after;
    });
  }
  // Still too many (a flood of distinct names): forget the least recent half.
  if (usernames_.size() + addresses_.size() > options_.max_keys) {
    for (auto* map : {&usernames_, &addresses_}) {
      std::vector<ledger::Micros> times;
      for (const auto& [key, entry] : *map) times.push_back(entry.last_failure);
      if (times.empty()) continue;
      auto middle = times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2);
      std::nth_element(times.begin(), middle, times.end());
      ledger::Micros cutoff = *middle;
      std::erase_if(*map, [&](const auto& item) { return item.second.last_failure < cutoff; });
    }
  }
}

}  // namespace caseledger::app::identity
