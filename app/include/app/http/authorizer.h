// The one authorisation path. For every routed request the server calls Authenticate, then
// Authorize, then (only if both succeed) the handler; an error from either becomes the JSON
// error response. Routes with Policy::allow_anonymous get Principal::Anonymous() when
// Authenticate fails with kUnauthenticated, and still pass through Authorize.
//
// Implementations: DevAuthorizer (below, development only); bearer-token and API-key
// authorizers replace it without touching the server or the handlers.
//
// Thread safety: both methods are called concurrently from every io thread and must be
// thread-safe. They run on an io thread, so they must not block on I/O; cache what they need.
#pragma once

#include <functional>
#include <optional>

#include "app/http/policy.h"
#include "app/http/principal.h"
#include "app/http/request.h"
#include "app/http/response.h"
#include "app/http/router.h"
#include "ledger/result.h"

namespace caseledger::app::http {

class Authorizer {
 public:
  virtual ~Authorizer() = default;

  // Establishes who sent `request`.
  // Errors: kUnauthenticated (no or bad credentials), kUnavailable (identity store down).
  virtual ledger::Result<Principal> Authenticate(const Request& request) = 0;

  // Decides whether `principal` may perform `policy.action` on the route `match` bound.
  // Errors: kPermissionDenied, kUnauthenticated (anonymous caller on a non-public route).
  virtual ledger::Result<void> Authorize(const Principal& principal, const Policy& policy,
                                         const RouteMatch& match, const Request& request) = 0;

  // Called before Authenticate. Returns true when `request` can be judged now (the default);
  // false when it must first wait for something (a read naming the log position it has to
  // see): the server then calls AwaitJudgement instead of blocking the io thread.
  virtual bool ReadyToJudge(const Request& /*request*/) { return true; }

  // Calls `then(nullopt)`, from any thread and at most once, when `request` can be judged, or
  // `then(response)` with the response to send instead (503 when the wait timed out).
  virtual void AwaitJudgement(const Request& /*request*/,
                              std::function<void(std::optional<Response>)> then) {
    then(std::nullopt);
  }
};

// Development only. Authenticates every request as user "dev-user" of organisation "dev-org",
// team "dev-team", role "partnership_admin"; header `X-Caseledger-User: <id>` replaces the user
// id (1 to 128 printable ASCII characters, else kUnauthenticated). Authorises everything.
class DevAuthorizer final : public Authorizer {
 public:
  static constexpr std::string_view kUserHeader = "X-Caseledger-User";

  ledger::Result<Principal> Authenticate(const Request& request) override;
  ledger::Result<void> Authorize(const Principal& principal, const Policy& policy,
                                 const RouteMatch& match, const Request& request) override;
};

}  // namespace caseledger::app::http
