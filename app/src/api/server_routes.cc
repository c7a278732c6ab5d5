#include "server_routes.h"

#include <boost/json/object.hpp>

#include "app/http/builtin_handlers.h"
#include "app/http/response.h"
#include "identity_routes.h"
#include "openapi.h"

namespace caseledger::app::api {
namespace {

// 200 while the projections keep up without error; 503 naming the problem otherwise.
http::Handler HealthHandler(Node& node) {
  return [&node](http::RequestContext, http::Responder respond) {
    std::string error = node.runner().LastError();
    boost::json::object body{{"status", error.empty() ? "ok" : "degraded"},
                             {"projection_lag_events", node.runner().Lag()}};
    if (!error.empty()) body["projection_error"] = error;
    respond(http::JsonResponse(error.empty() ? 200 : 503, body));
  };
}

}  // namespace

ledger::Result<void> RegisterServerRoutes(http::Router& router, Node& node, Identity& identity,
                                          const http::MetricsRegistry& metrics,
                                          ApiOptions options) {
  using http::Method;
  using http::Policy;
  BOOST_OUTCOME_TRY(router.Add(Method::kGet, "/healthz", Policy::Public(), HealthHandler(node)));
  BOOST_OUTCOME_TRY(
      router.Add(Method::kGet, "/metrics", Policy::Public(), http::MetricsHandler(metrics)));
  BOOST_OUTCOME_TRY(
      router.Add(Method::kGet, "/api/v1/openapi.json", Policy::Public(), OpenApiHandler()));
  BOOST_OUTCOME_TRY(RegisterIdentityRoutes(router, node, identity, options));
  return RegisterApiV1(router, node, options);
}

}  // namespace caseledger::app::api
