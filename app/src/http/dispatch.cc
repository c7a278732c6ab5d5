#include "http/dispatch.h"

#include <exception>
#include <string>

namespace caseledger::app::http::internal {

namespace {

using ledger::Code;

Response MethodNotAllowed(const std::string& allow) {
  Response response = ErrorResponse(ledger::InvalidField("method", "must be one of " + allow));
  response.status = 405;
  response.headers.emplace_back("Allow", allow);
  return response;
}

// Authenticates and authorises; an error is the response to send instead of running the handler.
ledger::Result<Principal> Admit(ServerCore& core, const RouteMatch& match, const Request& request) {
  const Policy& policy = match.route->policy;
  ledger::Result<Principal> authenticated = core.authorizer.Authenticate(request);
  Principal principal;
  if (authenticated) {
    principal = std::move(authenticated).value();
  } else if (policy.allow_anonymous && authenticated.error().code == Code::kUnauthenticated) {
    principal = Principal::Anonymous();
  } else {
    return authenticated.error();
  }
  BOOST_OUTCOME_TRY(core.authorizer.Authorize(principal, policy, match, request));
  return principal;
}

// Admits the request and runs its route's handler; anything they throw becomes a 500.
void AdmitAndRun(ServerCore& core, RouteMatch match, Request request, Responder respond) {
  const RouteInfo* route = match.route;
  try {
    ledger::Result<Principal> principal = Admit(core, match, request);
    if (!principal) return respond(principal.error());
    RequestContext context{.request = std::move(request),
                           .principal = std::move(principal).value(),
                           .path_params = std::move(match.params),
                           .route = route};
    core.router.handler(*route)(std::move(context), std::move(respond));
  } catch (const std::exception&) {
    core.Log("handler or authorizer threw an exception on route " + route->pattern);
  } catch (...) {
    core.Log("handler or authorizer threw a non-standard exception on route " + route->pattern);
  }
  if (respond.pending()) respond(ledger::MakeError(Code::kInternal, "handler failed"));
}

}  // namespace

const RouteInfo* Dispatch(ServerCore& core, BuiltRequest built, Responder respond) {
  Request& request = built.request;
  RouteLookup lookup = core.router.Match(request.method, built.encoded_path);
  if (lookup.outcome == RouteLookup::Outcome::kNotFound) {
    respond(ErrorResponse(ledger::MakeError(Code::kNotFound, "no route for this path")));
    return nullptr;
  }
  if (lookup.outcome == RouteLookup::Outcome::kMethodNotAllowed) {
    respond(MethodNotAllowed(lookup.allow));
    return nullptr;
  }
  const RouteInfo* route = lookup.match.route;

  if (core.options.rate_limit.enabled()) {
    RateLimiter::Decision decision = core.rate_limiter.Acquire(request.remote_address);
    if (!decision.allowed) {
      respond(RateLimitedResponse(decision.retry_after_seconds));
      return route;
    }
  }

  if (core.authorizer.ReadyToJudge(request)) {
    AdmitAndRun(core, std::move(lookup.match), std::move(request), std::move(respond));
    return route;
  }
  // Judged once what the request waits for has happened, on whichever thread sees it.
  struct Waiting {
    RouteMatch match;
    Request request;
    Responder respond;
  };
  auto waiting = std::make_shared<Waiting>(
      Waiting{std::move(lookup.match), std::move(request), std::move(respond)});
  const Request& waiting_request = waiting->request;
  core.authorizer.AwaitJudgement(waiting_request, [&core, waiting](std::optional<Response> instead) {
    if (instead) return waiting->respond(std::move(*instead));
    AdmitAndRun(core, std::move(waiting->match), std::move(waiting->request),
                std::move(waiting->respond));
  });
  return route;
}

}  // namespace caseledger::app::http::internal
