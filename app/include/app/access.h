// Record-level access and the access log, for every /api/v1 route (docs/access.md).
//
// AccessService answers, for one caller and one record, whether the caller may see it
// (projections::RecordAccess), and writes the access log: one RecordConsulted event per record
// whose content a response carries, one RecordDisclosed per disclosure, made durable before the
// response is sent (Data Protection Act 2018 s.62).
//
// AccessAuthorizer is the server's one Authorizer: it authenticates through another Authorizer
// (the identity service, or the development identity) and authorises every routed request in
// the same order: anonymous callers only on public routes; the role table (http::RolePermits); the
// organisation's mandatory justification; then, for a route whose {id} names a locked-down
// record, that the caller can see it. A record the caller may not see answers exactly as one that
// does not exist: 404 not_found "no such record".
//
// Thread safety: all methods are thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "app/http/authorizer.h"
#include "app/http/handler.h"
#include "ledger/event_log.h"
#include "projections/access.h"

namespace caseledger::app {

class Node;

// What the access log says of one response.
struct AccessLogEntry {
  std::vector<std::string> record_ids{};  // each record whose content the response carries
  std::string action{};                   // the route's action ("case.read", "search", ...)
  std::vector<std::string> recipients{};  // a disclosure's recipients (empty: a consultation)
  std::string legal_basis{};              // disclosures only
  std::string details{};                  // disclosures only
};

class AccessService {
 public:
  explicit AccessService(Node& node);

  // The caller as the access rules see it (roles widen what it sees: access.h).
  static projections::Viewer ViewerOf(const http::Principal& principal);

  // Ok when `principal` may see `record_id`; else kNotFound "no such record", exactly as for a
  // record that does not exist. Kinds that are not locked down pass.
  ledger::Result<void> CheckRecord(const http::Principal& principal, std::string_view record_id);

  // True when `principal` may see `record_id` (false when it does not exist).
  ledger::Result<bool> CanSee(const http::Principal& principal, std::string_view record_id);
  ledger::Result<bool> CanSeeHolder(const http::Principal& principal,
                                    const projections::Holder& holder);

  // True when `principal` holds `record_id`: its team owns it, or it supervises the owning
  // organisation. For a grant or an access request: holds the record it concerns. Sharing a
  // record and deciding requests for it need this; seeing it through a grant is not enough.
  ledger::Result<bool> Holds(const http::Principal& principal, std::string_view record_id);

  // Who holds `record_id` (organisation, team, contact officer), whether or not the caller may
  // see it; nullopt when there is no such record. For search's "a match exists" answers.
  ledger::Result<std::optional<projections::Holder>> HolderOf(std::string_view record_id);

  // Appends `entry` to the access log (one event per record, all in one atomic append) as
  // `ctx`'s principal with its X-Purpose and X-Request-Id, then calls `then` with the outcome
  // once durable, on a log thread. An entry without records calls `then` at once.
  void Log(const http::RequestContext& ctx, AccessLogEntry entry,
           std::function<void(ledger::Result<void>)> then);

  // Runs `respond_with` and sends what it returns only once `entry` is durable in the access
  // log; if the log cannot take it, answers its error instead (the content is never sent
  // unlogged).
  void AnswerLogged(const http::RequestContext& ctx, AccessLogEntry entry,
                    http::Response response, http::Responder respond);

  // Calls `then(true)` once the projections have applied `position`, `then(false)` when
  // `max_wait` passes first; inline when already applied, else on a runner thread.
  void WhenApplied(const ledger::Position& position, std::chrono::milliseconds max_wait,
                   std::function<void(bool)> then);

  ledger::EventLog& log() { return log_; }

 private:
  Node& node_;
  ledger::EventLog& log_;
  projections::RecordAccess records_;
};

// 503 with Retry-After: a read's ?min_position was not applied within the longest wait.
http::Response MinPositionNotReached();

class AccessAuthorizer final : public http::Authorizer {
 public:
  // `sign_in` authenticates and applies the role table (IdentityAuthorizer; DevAuthorizer only
  // with --insecure-dev-identity). A read naming ?min_position is judged once the projections
  // reach that position (so a record just created or shared, perhaps through another node, is
  // judged as it now is), waiting at most `max_read_wait` without holding an io thread.
  AccessAuthorizer(http::Authorizer& sign_in, AccessService& access,
                   std::chrono::milliseconds max_read_wait = std::chrono::milliseconds(5000))
      : sign_in_(sign_in), access_(access), max_read_wait_(max_read_wait) {}

  ledger::Result<http::Principal> Authenticate(const http::Request& request) override {
    return sign_in_.Authenticate(request);
  }
  ledger::Result<void> Authorize(const http::Principal& principal, const http::Policy& policy,
                                 const http::RouteMatch& match,
                                 const http::Request& request) override;
  bool ReadyToJudge(const http::Request& request) override;
  void AwaitJudgement(const http::Request& request,
                      std::function<void(std::optional<http::Response>)> then) override;

 private:
  http::Authorizer& sign_in_;
  AccessService& access_;
  std::chrono::milliseconds max_read_wait_;
};

}  // namespace caseledger::app
