#include "api.h"

#include "access_routes.h"
#include "api_common.h"
#include "intake.h"
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

// What intake adds to a command's answer (intake.h), computed once the projections hold the
// command's own events, so the history includes the record just written.
using Enrich = std::function<Result<json::object>(Node&, const http::Principal&,
                                                  const ledger::CommandResult&,
                                                  std::vector<std::string>& consulted)>;

// A write route whose answer carries intake's matches and history. The matched records the
// caller may see are logged as consulted before the answer goes out.
template <class Command>
http::Handler IntakeRoute(Node& node, const ApiOptions& options, int status,
                          Result<Command> (*parse)(const http::RequestContext&),
                          std::function<Enrich(const Command&)> enrich_for) {
  return [&node, options, status, parse, enrich_for](http::RequestContext ctx,
                                                     http::Responder respond) {
    auto meta = MetaFrom(ctx);
    if (!meta) return respond(meta.error());
    auto command = parse(ctx);
    if (!command) return respond(command.error());
    if (auto ok = CheckNamedRecords(node, ctx.principal, RecordsNamedBy(command.value())); !ok) {
      return respond(ok.error());
    }
    Enrich enrich = enrich_for(command.value());
    auto shared_ctx = std::make_shared<http::RequestContext>(std::move(ctx));
    auto shared_respond = std::make_shared<http::Responder>(std::move(respond));
    node.commands().Execute(
        meta.value(), std::move(command).value(),
        [&node, options, status, enrich, shared_ctx, shared_respond](
            Result<ledger::CommandResult> result) {
          if (!result) return (*shared_respond)(result.error());
          ledger::CommandResult done = result.value();
          node.runner().WhenApplied(
              done.position, std::chrono::steady_clock::now() + options.max_read_wait,
              [&node, status, enrich, shared_ctx, shared_respond, done](bool reached) {
                http::Response plain = CommandResponse(done, status);
                if (!reached || !enrich) return (*shared_respond)(std::move(plain));
                std::vector<std::string> consulted;
                auto extra = enrich(node, shared_ctx->principal, done, consulted);
                if (!extra) return (*shared_respond)(extra.error());
                json::object body = json::parse(plain.body).as_object();
                for (auto& [key, value] : extra.value()) body[key] = std::move(value);
                http::Response r = http::JsonResponse(status, body);
                r.headers = plain.headers;
                std::sort(consulted.begin(), consulted.end());
                consulted.erase(std::unique(consulted.begin(), consulted.end()), consulted.end());
                std::erase(consulted, done.record_id);
                node.access().AnswerLogged(*shared_ctx,
                                           {std::move(consulted), "intake.match", {}, {}, {}},
                                           std::move(r), std::move(*shared_respond));
              });
        });
  };
}

// {"proposed_matches": `matches`} without the record just written.
json::object ProposedMatches(json::array matches, const std::string& written) {
  json::array others;
  for (auto& m : matches) {
    if (m.as_object()["record_id"].as_string() != written) others.push_back(std::move(m));
  }
  return json::object{{"proposed_matches", std::move(others)}};
}

Enrich PersonIntake(const ledger::RecordPerson& c) {
  ledger::PersonDetailsInput details = c.details;
  return [details](Node& node, const http::Principal& principal, const ledger::CommandResult& done,
                   std::vector<std::string>& consulted) -> Result<json::object> {
    BOOST_OUTCOME_TRY(auto matches, PersonMatches(node, principal, details, consulted));
    return ProposedMatches(std::move(matches), done.record_id);
  };
}

// Recording an address or a vehicle proposes the records it probably duplicates.
Enrich AddressIntake(const ledger::RecordAddress& c) {
  ledger::LocationInput location;
  location.uprn = c.uprn;
  location.text = c.text;
  return [location](Node& node, const http::Principal& principal,
                    const ledger::CommandResult& done,
                    std::vector<std::string>& consulted) -> Result<json::object> {
    BOOST_OUTCOME_TRY(auto matches, LocationMatches(node, principal, location, consulted));
    return ProposedMatches(std::move(matches), done.record_id);
  };
}

Enrich VehicleIntake(const ledger::RecordVehicle& c) {
  std::string registration = c.registration;
  return [registration](Node& node, const http::Principal& principal,
                        const ledger::CommandResult& done,
                        std::vector<std::string>& consulted) -> Result<json::object> {
    BOOST_OUTCOME_TRY(auto matches, VehicleMatches(node, principal, registration, consulted));
    return ProposedMatches(std::move(matches), done.record_id);
  };
}

Enrich IncidentIntake(const ledger::ReportIncident& c, IntakeOptions intake) {
  ledger::LocationInput location = c.location;
  RecordedIncident recorded;
  recorded.occurred_at = c.occurred_at;
  recorded.hate_incident = c.hate_incident;
  return [location, recorded, intake](Node& node, const http::Principal& principal,
                                      const ledger::CommandResult& done,
                                      std::vector<std::string>& consulted) -> Result<json::object> {
    RecordedIncident written = recorded;
    written.id = done.record_id;
    return RecordedIncidentIntake(node, principal, location, written, intake, consulted);
  };
}

// Linking a person to an incident answers with the incident's whole history (victims, alleged
// perpetrators, location) and its flags.
Enrich LinkIntake(const ledger::AddLink& c, IntakeOptions intake) {
  std::string incident;
  if (ledger::RecordKind(c.from_id) == "incident") incident = c.from_id;
  if (ledger::RecordKind(c.to_id) == "incident") incident = c.to_id;
  if (incident.empty()) return nullptr;
  return [incident, intake](Node& node, const http::Principal& principal,
                            const ledger::CommandResult&,
                            std::vector<std::string>& consulted) -> Result<json::object> {
    BOOST_OUTCOME_TRY(auto history, IncidentHistory(node, principal, incident, intake, consulted));
    return json::object{{"history", std::move(history)}};
  };
}

http::Handler IncidentHistoryRoute(Node& node, const ApiOptions& options) {
  return [&node, options](http::RequestContext ctx, http::Responder respond) {
    std::string id(ctx.PathParam("id"));
    if (ledger::RecordKind(id) != "incident") {
      return respond(ledger::MakeError(ledger::Code::kNotFound, "no such record"));
    }
    auto shared = std::make_shared<http::RequestContext>(std::move(ctx));
    AfterMinPosition(node, options, shared->request, std::move(respond),
                     [&node, options, shared, id](http::Responder respond) {
                       std::vector<std::string> consulted{id};
                       auto history =
                           IncidentHistory(node, shared->principal, id, options.intake, consulted);
                       if (!history) return respond(history.error());
                       std::sort(consulted.begin(), consulted.end());
                       consulted.erase(std::unique(consulted.begin(), consulted.end()),
                                       consulted.end());
                       node.access().AnswerLogged(
                           *shared, {std::move(consulted), ActionOf(*shared), {}, {}, {}},
                           http::JsonResponse(200, std::move(history).value()), std::move(respond));
                     });
  };
}


// A record's links, as far as the caller may see them: a link is listed when the caller may
// see the link and the record at its other end; `hidden` counts the others.
http::Handler LinksRoute(Node& node, const ApiOptions& options) {
  return [&node, options](http::RequestContext ctx, http::Responder respond) {
    std::string id(ctx.PathParam("id"));
    auto shared = std::make_shared<http::RequestContext>(std::move(ctx));
    AfterMinPosition(node, options, shared->request, std::move(respond),
                     [&node, id, shared](http::Responder respond) {
                       auto view = node.projections().GetView(id);
                       if (!view) return respond(view.error());
                       if (!view.value()) {
                         return respond(ledger::MakeError(ledger::Code::kNotFound, "no such record"));
                       }
                       auto links = node.projections().GetLinks(id);
                       if (!links) return respond(links.error());
                       json::array items;
                       std::size_t hidden = 0;
                       for (const auto& link : links.value()) {
                         json::value end = json::parse(link.json);
                         std::string other(end.as_object()["other_id"].as_string());
                         auto link_visible = node.access().CanSee(shared->principal, link.link_id);
                         if (!link_visible) return respond(link_visible.error());
                         auto other_visible = node.access().CanSee(shared->principal, other);
                         if (!other_visible) return respond(other_visible.error());
                         if (!link_visible.value() || !other_visible.value()) {
                           ++hidden;
                           continue;
                         }
                         items.push_back(std::move(end));
                       }
                       node.access().AnswerLogged(
                           *shared, {{id}, ActionOf(*shared), {}, {}, {}},
                           http::JsonResponse(200, json::object{{"record_id", id},
                                                                {"links", std::move(items)},
                                                                {"hidden", hidden}}),
                           std::move(respond));
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
    node.access().AnswerLogged(
        ctx, {{id}, ActionOf(ctx), {}, {}, {}},
        http::JsonResponse(200, json::object{{"record_id", id}, {"events", std::move(items)}}),
        std::move(respond));
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
      {Method::kPost, "/api/v1/incidents", "incident.record",
       IntakeRoute<ledger::ReportIncident>(node, options, 201, &ParseReportIncident,
                                           [intake = options.intake](const ledger::ReportIncident& c) {
                                             return IncidentIntake(c, intake);
                                           })},
      {Method::kGet, "/api/v1/incidents/{id}/history", "incident.read_history", IncidentHistoryRoute(node, options)},
      {Method::kGet, "/api/v1/incidents/{id}", "incident.read", ViewRoute(node, options, "incident")},
      {Method::kPatch, "/api/v1/incidents/{id}", "incident.update", CommandRoute(node, 200, &ParseUpdateIncident)},
      {Method::kPost, "/api/v1/incidents/{id}/classification", "incident.classify", CommandRoute(node, 200, &ParseClassifyIncident)},
      {Method::kPost, "/api/v1/incidents/{id}/notes", "incident.note", CommandRoute(node, 200, &ParseAddNote)},
      {Method::kPost, "/api/v1/incidents/{id}/risk-assessments", "incident.assess_risk", AssessRiskRoute(node, options)},
      {Method::kPost, "/api/v1/people", "person.record",
       IntakeRoute<ledger::RecordPerson>(node, options, 201, &ParseRecordPerson, &PersonIntake)},
      {Method::kGet, "/api/v1/people/{id}", "person.read", ViewRoute(node, options, "person")},
      {Method::kPost, "/api/v1/people/{id}/corrections", "person.correct", CommandRoute(node, 200, &ParseCorrectPerson)},
      {Method::kPost, "/api/v1/people/{id}/notes", "person.note", CommandRoute(node, 200, &ParseAddNote)},
      {Method::kPost, "/api/v1/addresses", "address.record",
       IntakeRoute<ledger::RecordAddress>(node, options, 201, &ParseRecordAddress, &AddressIntake)},
      {Method::kGet, "/api/v1/addresses/{id}", "address.read", ViewRoute(node, options, "address")},
      {Method::kPost, "/api/v1/vehicles", "vehicle.record",
       IntakeRoute<ledger::RecordVehicle>(node, options, 201, &ParseRecordVehicle, &VehicleIntake)},
      {Method::kGet, "/api/v1/vehicles/{id}", "vehicle.read", ViewRoute(node, options, "vehicle")},
      {Method::kPost, "/api/v1/links", "link.add",
       IntakeRoute<ledger::AddLink>(node, options, 201, &ParseAddLink,
                                    [intake = options.intake](const ledger::AddLink& c) {
                                      return LinkIntake(c, intake);
                                    })},
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
      {Method::kGet, "/api/v1/records/{id}/access-log", "audit.read_access_log", AccessLogRoute(node)},
      {Method::kPost, "/api/v1/records/{id}/disclosures", "record.disclose", DisclosureRoute(node)},
      {Method::kGet, "/api/v1/records/{id}/access-requests", "access_request.list", PendingRequestsRoute(node)},
      {Method::kGet, "/api/v1/search", "search.records", SearchRoute(node)},
      {Method::kPost, "/api/v1/access-requests", "access_request.create", CommandRoute(node, 201, &ParseRequestAccess)},
      {Method::kGet, "/api/v1/access-requests/{id}", "access_request.read", ViewRoute(node, options, "accessrequest")},
      {Method::kPost, "/api/v1/access-requests/{id}/decision", "access_request.decide", CommandRoute(node, 200, &ParseDecideAccessRequest)},
  };
  for (const auto& r : routes) {
    BOOST_OUTCOME_TRY(router.Add(r.method, r.pattern, Policy{.action = r.action},
                                 r.method == Method::kGet ? AtMinPosition(node, options, r.handler)
                                                          : r.handler));
  }
  return ledger::Ok();
}

}  // namespace caseledger::app::api
