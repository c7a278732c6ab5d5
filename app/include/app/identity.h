// Who is calling: login sessions, API keys and the principal they stand for (docs/identity.md).
//
// Credentials, both sent as `Authorization: Bearer <token>`:
//   - session tokens "cs_…" from POST /api/v1/sessions, expiring after `session_ttl`;
//   - API keys "ck_…" from POST /api/v1/api-keys, acting as the user they were issued for.
// The principal is built on every request from the user's stream (Directory), so a
// deactivation, a role change, a revoked key or a password change counts at once.
//
// Password work (argon2id) never runs on an io thread: VerifyLogin and HashPasswordAsync run on
// a small worker pool of this object and answer from there.
//
// Example:
//   auto identity = Identity::Open(node, IdentityOptions{});
//   IdentityAuthorizer authorizer(*identity.value());
//   HttpServer server(options, std::move(router), authorizer, metrics);
//
// Thread safety: all methods are thread-safe. The node must outlive the Identity; destroy the
// Identity (which waits for its pool) before the node.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/http/authorizer.h"
#include "app/identity/directory.h"
#include "app/identity/login_throttle.h"
#include "app/identity/passwords.h"
#include "app/identity/session_store.h"
#include "app/node.h"

namespace caseledger::app {

inline constexpr std::string_view kApiKeyPrefix = "ck_";

struct IdentityOptions {
  ledger::Micros session_ttl = 8 * 3600'000'000LL;  // 8 hours
  identity::PasswordParams password{};
  identity::ThrottleOptions throttle{};
  int worker_threads = 2;        // argon2id hashing and verification
  bool persist_sessions = true;  // keep sessions in the node's "sessions" family
};

class Identity {
 public:
  // Errors: those of SessionStore::Open.
  static Result<std::unique_ptr<Identity>> Open(Node& node, IdentityOptions options = {});
  ~Identity();

  // The principal of `Authorization: Bearer <session token or API key>`. Never blocks on
  // password work. Errors: kUnauthenticated (missing, malformed, unknown, expired, revoked,
  // logged out; the user deactivated or their password changed since), kIOError, kUnavailable.
  ledger::Result<http::Principal> Authenticate(const http::Request& request);

  // The principal of an active user, read from the directory. Errors: kUnauthenticated when
  // the user does not exist or is deactivated.
  ledger::Result<http::Principal> PrincipalOf(std::string_view user_id);

  // Throttling of failed logins (docs/identity.md): nullopt when an attempt for `username` from
  // `address` may go ahead (it is then counted until it succeeds), else seconds to wait.
  std::optional<std::int64_t> AdmitLogin(std::string_view username, std::string_view address);

  // Clears what AdmitLogin counted once the attempt succeeded (VerifyLogin does it itself).
  void ClearLoginFailures(std::string_view username, std::string_view address);

  struct Login {
    std::string token;
    ledger::Micros expires_at = 0;
    http::Principal principal;
  };
  // Checks the password on the worker pool and, when it matches an active user, opens a
  // session. `done` runs once on a pool thread. Call AdmitLogin first.
  // Errors: kUnauthenticated ("username or password is wrong", the same for every cause).
  void VerifyLogin(std::string username, std::string password, std::string address,
                   std::function<void(ledger::Result<Login>)> done);

  // Ends the session whose token `request` carries. Errors: kInvalidArgument (field
  // "Authorization") when it carries an API key or no session token.
  ledger::Result<void> Logout(const http::Request& request);
  // Ends every session of the user (deactivation, password change).
  ledger::Result<void> EndSessionsOf(std::string_view user_id);

  // Hashes `password` with the configured argon2id parameters on the worker pool.
  void HashPasswordAsync(std::string password, std::function<void(ledger::Result<std::string>)> done);
  // Runs `work` on the worker pool (for handlers that verify a password themselves).
  void Post(std::function<void()> work);
  // Blocking: whether `password` is the user's current password (call on the pool).
  bool CheckUserPassword(std::string_view user_id, std::string_view password);

  // Whether the organisation's users must give X-Purpose (false for an unknown organisation).
  ledger::Result<bool> JustificationRequired(std::string_view organisation_id);

  struct NewApiKey {
    std::string key;       // "ck_" + 43 characters; shown once
    std::string key_hash;  // 32 bytes: what the ledger keeps
  };
  static NewApiKey GenerateApiKey();

  identity::Directory& directory() { return directory_; }
  identity::SessionStore& sessions() { return *sessions_; }
  const IdentityOptions& options() const { return options_; }

 private:
  Identity(Node& node, IdentityOptions options);
  ledger::Result<http::Principal> FromSession(std::string_view token);
  ledger::Result<http::Principal> FromApiKey(std::string_view key);
  // The password hash of a user record, opened; nullopt when there is none or it cannot be read.
  std::optional<std::string> PasswordHashOf(const identity::IdentityRecord& user);

  Node& node_;
  const IdentityOptions options_;
  identity::Directory directory_;
  identity::LoginThrottle throttle_;
  std::unique_ptr<identity::SessionStore> sessions_;
  struct Pool;  // a Boost.Asio thread pool (kept out of this header)
  std::unique_ptr<Pool> pool_;
};

// The Authorizer of `caseledger serve`: Identity::Authenticate, then RolePermits
// (app/http/role_policy.h).
class IdentityAuthorizer : public http::Authorizer {
 public:
  explicit IdentityAuthorizer(Identity& identity) : identity_(identity) {}

  ledger::Result<http::Principal> Authenticate(const http::Request& request) override;
  ledger::Result<void> Authorize(const http::Principal& principal, const http::Policy& policy,
                                 const http::RouteMatch& match,
                                 const http::Request& request) override;

 private:
  Identity& identity_;
};

}  // namespace caseledger::app
