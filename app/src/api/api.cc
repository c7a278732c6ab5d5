#include "api.h"

#include "api_common.h"
#include "case_item_routes.h"
#include "ledger/event_json.h"
#include "ledger/time_format.h"
#include "ledger/verify.h"
#include "parsers.h"

namespace caseledger::app::api {
namespace {

namespace json = boost::json;
using http::Method;
using http::Policy;

// A write route: parse the request into a command, run it, answer its result.
template <class Command>
http::Handler CommandRoute(Node& node, int status,
                           Result<Command> (*parse)(const http::RequestContext&)) {
  return [&node, status, parse](http::RequestContext ctx, http::Responder respond) {
    auto meta = MetaFrom(ctx);
    if (!meta) return respond(meta.error());
    auto command = parse(ctx);
    if (!command) return respond(command.error());
    Submit(node, meta.value(), std::move(command).value(), status, std::move(respond));
  };
}

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
      {Method::kPost, "/api/v1/incidents", "incident.record", CommandRoute(node, 201, &ParseReportIncident)},
      {Method::kGet, "/api/v1/incidents/{id}", "incident.read", ViewRoute(node, options, "incident")},
      {Method::kPatch, "/api/v1/incidents/{id}", "incident.update", CommandRoute(node, 200, &ParseUpdateIncident)},
      {Method::kPost, "/api/v1/incidents/{id}/classification", "incident.classify", CommandRoute(node, 200, &ParseClassifyIncident)},
      {Method::kPost, "/api/v1/incidents/{id}/notes", "incident.note", CommandRoute(node, 200, &ParseAddNote)},
      {Method::kPost, "/api/v1/incidents/{id}/risk-assessments", "incident.assess_risk", AssessRiskRoute(node, options)},
      {Method::kPost, "/api/v1/people", "person.record", CommandRoute(node, 201, &ParseRecordPerson)},
      {Method::kGet, "/api/v1/people/{id}", "person.read", ViewRoute(node, options, "person")},
      {Method::kPost, "/api/v1/people/{id}/corrections", "person.correct", CommandRoute(node, 200, &ParseCorrectPerson)},
      {Method::kPost, "/api/v1/people/{id}/notes", "person.note", CommandRoute(node, 200, &ParseAddNote)},
      {Method::kPost, "/api/v1/addresses", "address.record", CommandRoute(node, 201, &ParseRecordAddress)},
      {Method::kGet, "/api/v1/addresses/{id}", "address.read", ViewRoute(node, options, "address")},
      {Method::kPost, "/api/v1/vehicles", "vehicle.record", CommandRoute(node, 201, &ParseRecordVehicle)},
      {Method::kGet, "/api/v1/vehicles/{id}", "vehicle.read", ViewRoute(node, options, "vehicle")},
      {Method::kPost, "/api/v1/links", "link.add", CommandRoute(node, 201, &ParseAddLink)},
      {Method::kGet, "/api/v1/links/{id}", "link.read", ViewRoute(node, options, "link")},
      {Method::kPost, "/api/v1/links/{id}/removal", "link.remove", CommandRoute(node, 200, &ParseRemoveLink)},
      {Method::kPost, "/api/v1/cases", "case.open", CommandRoute(node, 201, &ParseOpenCase)},
      {Method::kGet, "/api/v1/cases/{id}", "case.read", ViewRoute(node, options, "case")},
      {Method::kPost, "/api/v1/cases/{id}/assignment", "case.assign", CommandRoute(node, 200, &ParseAssignCase)},
      {Method::kPost, "/api/v1/cases/{id}/closure", "case.close", CommandRoute(node, 200, &ParseCloseCase)},
      {Method::kPost, "/api/v1/cases/{id}/reopening", "case.reopen", CommandRoute(node, 200, &ParseReopenCase)},
      {Method::kPost, "/api/v1/cases/{id}/actions", "case.record_action", CommandRoute(node, 200, &ParseRecordCaseAction)},
      {Method::kPost, "/api/v1/cases/{id}/tasks", "case.create_task", CommandRoute(node, 200, &ParseCreateTask)},
      {Method::kPost, "/api/v1/cases/{id}/tasks/{task_id}/completion", "case.complete_task", CommandRoute(node, 200, &ParseCompleteTask)},
      {Method::kPost, "/api/v1/cases/{id}/notes", "case.note", CommandRoute(node, 200, &ParseAddNote)},
      {Method::kPost, "/api/v1/cases/{id}/risk-assessments", "case.assess_risk", AssessRiskRoute(node, options)},
      {Method::kPost, "/api/v1/cases/{id}/documents", "case.attach_document", CommandRoute(node, 200, &ParseAttachDocument)},
      {Method::kGet, "/api/v1/cases/{id}/documents/{document_id}", "case.read_document", DocumentRoute(node)},
      {Method::kPost, "/api/v1/cases/{id}/meetings", "case.schedule_meeting", CommandRoute(node, 200, &ParseScheduleMeeting)},
      {Method::kPost, "/api/v1/cases/{id}/meetings/{meeting_id}/minutes", "case.record_minutes", CommandRoute(node, 200, &ParseRecordMinutes)},
      {Method::kPost, "/api/v1/cases/{id}/meetings/{meeting_id}/actions", "case.assign_meeting_action", CommandRoute(node, 200, &ParseAssignMeetingAction)},
      {Method::kPost, "/api/v1/risk-instruments", "risk.publish_instrument", CommandRoute(node, 201, &ParsePublishRiskInstrument)},
      {Method::kGet, "/api/v1/risk-instruments/{instrument_id}", "risk.read_instrument", InstrumentRoute(node)},
      {Method::kGet, "/api/v1/work-queue/risk-reviews", "risk.read_work_queue", RiskReviewQueueRoute(node, options)},
      {Method::kPost, "/api/v1/grants", "grant.create", CommandRoute(node, 201, &ParseGrantAccess)},
      {Method::kGet, "/api/v1/grants/{id}", "grant.read", ViewRoute(node, options, "grant")},
      {Method::kPost, "/api/v1/grants/{id}/revocation", "grant.revoke", CommandRoute(node, 200, &ParseRevokeAccess)},
      {Method::kGet, "/api/v1/records/{id}", "record.read", ViewRoute(node, options, "")},
      {Method::kGet, "/api/v1/records/{id}/links", "record.read_links", LinksRoute(node, options)},
      {Method::kGet, "/api/v1/records/{id}/events", "record.read_history", EventsRoute(node)},
  };
  for (const auto& r : routes) {
    BOOST_OUTCOME_TRY(router.Add(r.method, r.pattern, Policy{.action = r.action}, r.handler));
  }
  return ledger::Ok();
}

}  // namespace caseledger::app::api
