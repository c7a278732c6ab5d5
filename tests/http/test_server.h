// Fixtures shared by the HTTP tests: quick server options, a counting authorizer and a
// harness that starts a server on a free loopback port.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "app/http/authorizer.h"
#include "app/http/metrics.h"
#include "app/http/router.h"
#include "app/http/server.h"

namespace caseledger::app::http::testing {

// Port 0 on 127.0.0.1, 2 threads, timeouts of a few seconds, server log lines captured.
ServerOptions QuickOptions();

// Authenticates like DevAuthorizer and counts every call. `deny_action` makes Authorize refuse
// that action (kPermissionDenied); a request with header "X-Test-Anonymous: 1" fails
// authentication (kUnauthenticated).
class CountingAuthorizer final : public Authorizer {
 public:
  ledger::Result<Principal> Authenticate(const Request& request) override;
  ledger::Result<void> Authorize(const Principal& principal, const Policy& policy,
                                 const RouteMatch& match, const Request& request) override;

  std::atomic<int> authenticate_calls{0};
  std::atomic<int> authorize_calls{0};
  std::string deny_action;

  std::vector<std::string> AuthorizedPatterns() const;
  bool last_principal_anonymous() const { return last_anonymous_.load(); }

 private:
  DevAuthorizer dev_;
  mutable std::mutex mu_;
  std::vector<std::string> authorized_patterns_;
  std::atomic<bool> last_anonymous_{false};
};

// A started server. Fails the current test (and leaves `server` null) if Start fails.
class ServerHarness {
 public:
  explicit ServerHarness(Router router, ServerOptions options = QuickOptions(),
                         Authorizer* authorizer = nullptr);
  ~ServerHarness();

  std::uint16_t port() const { return server ? server->port() : 0; }

  MetricsRegistry metrics;
  CountingAuthorizer counting_authorizer;
  std::unique_ptr<HttpServer> server;
};

// Adds a route and fails the test if the router refuses it.
void MustAdd(Router& router, Method method, std::string_view pattern, Policy policy,
             Handler handler);

// A handler answering 200 {"ok":true}.
Handler OkHandler();

}  // namespace caseledger::app::http::testing
