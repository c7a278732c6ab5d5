// Throttles repeated failed logins, per username and per client address (docs/identity.md).
//
// Every attempt is counted as a failure when admitted (so parallel guesses cannot slip through
// before the first result is known) and un-counted when it succeeds. Once a key has `threshold`
// failures, each further attempt must wait base_delay * 2^(failures - threshold), capped at
// max_delay, after the last failure; an attempt that comes earlier is refused (429 with
// Retry-After) without being counted or checked. A success clears the username's count; a key
// with no failure for `forget_after` starts again from zero.
//
// Keys are opaque strings: callers pass a hash of the username, never the username itself.
// Memory is bounded: past `max_keys`, keys idle longer than `forget_after` are dropped, and if
// that is not enough the oldest are.
//
// Thread safety: all methods are thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ledger/clock.h"

namespace caseledger::app::identity {

struct ThrottleRule {
  std::uint32_t threshold = 5;
  ledger::Micros base_delay = 1'000'000;         // 1 s
  ledger::Micros max_delay = 15 * 60'000'000LL;  // 15 min
};

struct ThrottleOptions {
  ThrottleRule per_username{};
  ThrottleRule per_address{.threshold = 20};
  ledger::Micros forget_after = 24 * 3600'000'000LL;
  std::size_t max_keys = 100'000;
};

class LoginThrottle {
 public:
  LoginThrottle(const ledger::Clock& clock, ThrottleOptions options = {})
      : clock_(clock), options_(options) {}

  // Admits an attempt for (username key, address) and counts it as a failure, or returns the
  // seconds (at least 1) the caller must wait.
  std::optional<std::int64_t> Admit(std::string_view username_key, std::string_view address);

  // The admitted attempt succeeded: clears the username's failures and un-counts the address's.
  void Succeeded(std::string_view username_key, std::string_view address);

 private:
  struct Entry {
    std::uint32_t failures = 0;
    ledger::Micros last_failure = 0;
  };
  // Microseconds `entry` must still wait under `rule` (0: may try now).
  ledger::Micros Wait(const Entry& entry, const ThrottleRule& rule, ledger::Micros now) const;
  void Prune(ledger::Micros now);

  const ledger::Clock& clock_;
  const ThrottleOptions options_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> usernames_;
  std::unordered_map<std::string, Entry> addresses_;
};

}  // namespace caseledger::app::identity
