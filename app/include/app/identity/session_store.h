// Login sessions: bearer tokens that expire (docs/identity.md).
//
// A token is "cs_" followed by 32 random bytes in unpadded base64url. Only its BLAKE2b-256 hash
// is kept, in memory and in the node's "sessions" column family, so a copy of the database does
// not hold usable tokens. Sessions survive a restart of the node (not a move to another node:
// they are not events and are not replicated). Revocation (logout, deactivation, password change)
// is synced to disk before it returns, so a revoked token never comes back after a crash.
//
// Thread safety: all methods are thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ledger/clock.h"
#include "ledger/ids.h"
#include "ledger/result.h"
#include "ledger/store.h"

namespace caseledger::app::identity {

inline constexpr std::string_view kSessionTokenPrefix = "cs_";
inline constexpr std::string_view kSessionsFamily = "sessions";

struct Session {
  std::string user_id;
  ledger::Micros created_at = 0;
  ledger::Micros expires_at = 0;
};

class SessionStore {
 public:
  // Loads the sessions kept in `store` (dropping expired ones). `store` may be null: sessions then
  // live in memory only. `store`, `clock` and `random` must outlive the SessionStore.
  // Errors: kIOError, kCorruption.
  static ledger::Result<std::unique_ptr<SessionStore>> Open(ledger::Store* store,
                                                            const ledger::Clock& clock,
                                                            ledger::RandomSource& random);

  struct Issued {
    std::string token;  // shown to the client once
    Session session;
  };
  // A new session of `user_id` lasting `ttl`. Errors: kIOError.
  ledger::Result<Issued> Create(std::string user_id, ledger::Micros ttl);

  // The live session of `token`; nullopt when unknown, revoked or expired.
  std::optional<Session> Find(std::string_view token);

  // Ends the session of `token` (no error if there is none). Errors: kIOError.
  ledger::Result<void> Revoke(std::string_view token);
  // Ends every session of `user_id`. Errors: kIOError.
  ledger::Result<void> RevokeUser(std::string_view user_id);

  std::size_t size();

 private:
  SessionStore(ledger::Store* store, const ledger::Clock& clock, ledger::RandomSource& random)
      : store_(store), clock_(clock), random_(random) {}
  ledger::Result<void> Erase(const std::string& hash);

  ledger::Store* store_;
  const ledger::Clock& clock_;
  ledger::RandomSource& random_;
  std::mutex mu_;
  std::unordered_map<std::string, Session> sessions_;  // by token hash
};

// BLAKE2b-256 of a token or key, as raw bytes.
std::string TokenHash(std::string_view token);

// Unpadded base64url of `bytes`.
std::string Base64Url(std::string_view bytes);

}  // namespace caseledger::app::identity
