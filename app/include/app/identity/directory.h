// The identity records as authentication needs them, folded straight from their streams in the
// event log (not from projections), so a deactivation, a role change or a revoked key counts
// from the moment its append is durable. Each lookup checks the stream's head and reads only
// the events after the cached version.
//
// Thread safety: all methods are thread-safe. The log must outlive the Directory.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ledger/event_log.h"
#include "ledger/personal_data.h"

namespace caseledger::app::identity {

// One organisation, team, user or API key; only the fields of its kind are set.
struct IdentityRecord {
  std::string id;
  std::uint64_t version = 0;
  std::string name;                     // organisation, team, API key
  bool justification_required = false;  // organisation
  std::string organisation_id;          // team, user
  std::string username;                 // user
  std::string team_id;                  // user
  std::vector<std::string> roles;       // user: "case_worker", ...
  bool active = false;                  // user: not deactivated; API key: not revoked
  std::optional<ledger::SealedValue> credential;  // user: the sealed password hash
  ledger::Micros credential_changed_at = 0;       // user: recorded_at of the last password event
  std::string user_id;                  // API key: whom it acts as
  std::string key_hash;                 // API key: 32 bytes
  ledger::Micros expires_at = 0;        // API key: 0 = never
};

class Directory {
 public:
  explicit Directory(ledger::EventLog& log, std::size_t max_cached = 100'000)
      : log_(log), max_cached_(max_cached) {}

  // The record `id` ("organisation-…", "team-…", "user-…", "apikey-…"); null if its stream
  // does not exist. Shared, not copied: every signed-in request reads its user and organisation.
  // Errors: those of EventLog::Head and ReadStream (kIOError, kCorruption, kUnavailable).
  ledger::Result<std::shared_ptr<const IdentityRecord>> Find(std::string_view id);

 private:
  ledger::EventLog& log_;
  const std::size_t max_cached_;
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const IdentityRecord>> cache_;
};

// Folds one verified identity event into `record`.
void FoldIdentityEvent(const schema::Envelope& envelope, IdentityRecord& record);

}  // namespace caseledger::app::identity
