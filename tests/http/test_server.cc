#include "http/test_server.h"

namespace caseledger::app::http::testing {

ServerOptions QuickOptions() {
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.threads = 2;
  options.read_timeout = std::chrono::seconds(5);
  options.idle_timeout = std::chrono::seconds(5);
  options.handler_timeout = std::chrono::seconds(5);
  options.shutdown_timeout = std::chrono::seconds(2);
  options.log = [](std::string_view) {};
  return options;
}

ledger::Result<Principal> CountingAuthorizer::Authenticate(const Request& request) {
  authenticate_calls.fetch_add(1);
  if (request.Header("X-Test-Anonymous")) {
    return ledger::MakeError(ledger::Code::kUnauthenticated, "no credentials");
  }
  return dev_.Authenticate(request);
}

ledger::Result<void> CountingAuthorizer::Authorize(const Principal& principal, const Policy& policy,
                                                   const RouteMatch& match,
                                                   const Request& /*request*/) {
  authorize_calls.fetch_add(1);
  last_anonymous_.store(principal.anonymous);
  {
    std::lock_guard lock(mu_);
    authorized_patterns_.push_back(match.route->pattern);
  }
  if (!deny_action.empty() && policy.action.name() == deny_action) {
    return ledger::MakeError(ledger::Code::kPermissionDenied, "not allowed");
  }
  if (principal.anonymous && !policy.allow_anonymous) {
    return ledger::MakeError(ledger::Code::kUnauthenticated, "sign in first");
  }
  return ledger::Ok();
}

std::vector<std::string> CountingAuthorizer::AuthorizedPatterns() const {
  std::lock_guard lock(mu_);
  return authorized_patterns_;
}

ServerHarness::ServerHarness(Router router, ServerOptions options, Authorizer* authorizer) {
  server = std::make_unique<HttpServer>(std::move(options), std::move(router),
                                        authorizer != nullptr ? *authorizer : counting_authorizer,
                                        metrics);
  ledger::Result<void> started = server->Start();
  if (!started) {
    ADD_FAILURE() << "server did not start: " << started.error().ToString();
    server.reset();
  }
}

ServerHarness::~ServerHarness() {
  if (server) server->Stop();
}

void MustAdd(Router& router, Method method, std::string_view pattern, Policy policy,
             Handler handler) {
  ledger::Result<void> added = router.Add(method, pattern, std::move(policy), std::move(handler));
  if (!added) ADD_FAILURE() << "route " << pattern << ": " << added.error().ToString();
}

Handler OkHandler() {
  return [](RequestContext, Responder respond) {
    respond(JsonResponse(200, boost::json::object{{"ok", true}}));
  };
}

}  // namespace caseledger::app::http::testing
