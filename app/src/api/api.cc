#include "api.h"

#include "api_common.h"
#include "body_parsers.h"
#include "ledger/event_json.h"
#include "ledger/time_format.h"
#include "ledger/verify.h"

namespace caseledger::app::api {
namespace {

namespace json = boost::json;
using http::Method;
using http::Policy;

// A read route for one kind of record ("" = any kind).
http::Handler ViewRoute(Node& node, const ApiOptions& options, std::string kind) {
  return [&node, options, kind](http::RequestContext ctx, http::Responder respond) {
    std::string id(ctx.PathParam("id"));
    RespondWithView(node, options, std::move(ctx), std::move(id), kind, std::move(respond));
  };
}

http::Handler LinksRoute(Node& node, const ApiOptions& options) {
  return [&node, options](http::RequestContext ctx, http::Responder respond) {
    std::string id(ctx.PathParam("id"));
    AfterMinPosition(node, options, ctx.request, std::move(respond),
                     [&node, id](http::Responder respond) {
                       auto view = node.projections().GetView(id);
                       if (!view) return respond(view.error());
                       if (!view.value()) {
                         return respond(ledger::MakeError(ledger::Code::kNotFound, "no such record"));
                       }
                       auto links = node.projections().GetLinks(id);
                       if (!links) return respond(links.error());
                       json::array items;
                       for (const auto& link : links.value()) items.push_back(json::parse(link.json));
                       respond(http::JsonResponse(200, json::object{{"record_id", id},
                                                                    {"links", std::move(items)}}));
                     });
  };
}

// The record's history: every event of its stream, optionally as known at ?as_of.
http::Handler EventsRoute(Node& node) {
  return [&node](http::RequestContext ctx, http::Responder respond) {
    std::string id(ctx.PathParam("id"));
    std::optional<ledger::Micros> as_of;
    if (auto text = ctx.request.QueryParam("as_of")) {
      auto t = ledger::ParseTimestamp(*text, "as_of");
      if (!t) return respond(t.error());
      as_of = t.value();
    }
    auto events = ledger::ReplayStream(node.log(), id, as_of);
    if (!events) return respond(events.error());
    if (events.value().empty()) {
      return respond(ledger::MakeError(ledger::Code::kNotFound, "no such record"));
    }
    json::array items;
    for (const auto& event : events.value()) {
      auto rendered = ledger::EventToJson(*event.envelope(), &node.personal_data(), event.position);
      if (!rendered) return respond(rendered.error());
      items.push_back(std::move(rendered).value());
    }
    respond(http::JsonResponse(200, json::object{{"record_id", id}, {"events", std::move(items)}}));
  };
}

}  // namespace

ledger::Result<void> RegisterApiV1(http::Router& router, Node& node, ApiOptions options) {
  struct Route {
    Method method;
    const char* pattern;
    const char* action;
    http::Handler handler;
  };
  const Route routes[] = {
      {Method::kGet, "/api/v1/incidents/{id}", "incident.read", ViewRoute(node, options, "incident")},
      {Method::kGet, "/api/v1/people/{id}", "person.read", ViewRoute(node, options, "person")},
      {Method::kGet, "/api/v1/addresses/{id}", "address.read", ViewRoute(node, options, "address")},
      {Method::kGet, "/api/v1/vehicles/{id}", "vehicle.read", ViewRoute(node, options, "vehicle")},
      {Method::kGet, "/api/v1/links/{id}", "link.read", ViewRoute(node, options, "link")},
      {Method::kGet, "/api/v1/cases/{id}", "case.read", ViewRoute(node, options, "case")},
      {Method::kGet, "/api/v1/grants/{id}", "grant.read", ViewRoute(node, options, "grant")},
      {Method::kGet, "/api/v1/records/{id}", "record.read", ViewRoute(node, options, "")},
      {Method::kGet, "/api/v1/records/{id}/links", "record.read_links", LinksRoute(node, options)},
      {Method::kGet, "/api/v1/records/{id}/events", "record.read_history", EventsRoute(node)},
  };
  for (const auto& r : routes) {
    BOOST_OUTCOME_TRY(router.Add(r.method, r.pattern, Policy{.action = r.action}, r.handler));
  }
  // Write routes: body_parsers.cc, the one table the fuzzer and the document tests read too.
  for (const BodyParser& w : BodyParsers()) {
    if (w.handler == nullptr) continue;  // registered by its own module
    BOOST_OUTCOME_TRY(router.Add(w.method, w.pattern, Policy{.action = std::string(w.action)},
                                 w.handler(node, w.success_status)));
  }
  return ledger::Ok();
}

}  // namespace caseledger::app::api
