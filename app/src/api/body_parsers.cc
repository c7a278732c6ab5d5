#include "body_parsers.h"

#include "api_common.h"
#include "parsers.h"

namespace caseledger::app::api {
namespace {

using http::Method;

template <auto Parse>
ledger::Result<void> ParseAndDrop(const http::RequestContext& ctx) {
  auto command = Parse(ctx);
  if (!command) return command.error();
  return ledger::Ok();
}

template <auto Parse>
http::Handler CommandHandler(Node& node, int success_status) {
  return CommandRoute(node, success_status, Parse);
}

template <auto Parse>
constexpr BodyParser Write(Method method, std::string_view pattern, std::string_view action,
                           int success_status, std::string_view name) {
  return BodyParser{
      method, pattern, action, success_status, name, &ParseAndDrop<Parse>, &CommandHandler<Parse>};
}

// A write route registered elsewhere with a handler of its own: only its parser is listed.
template <auto Parse>
constexpr BodyParser ParserOnly(Method method, std::string_view pattern, std::string_view action,
                                int success_status, std::string_view name) {
  return BodyParser{method, pattern, action, success_status, name, &ParseAndDrop<Parse>, nullptr};
}

// Append new routes at the end: the fuzz seeds name their parser by position.
// clang-format off
constexpr BodyParser kBodyParsers[] = {
    Write<&ParseReportIncident>(Method::kPost, "/api/v1/incidents", "incident.record", 201, "ParseReportIncident"),
    Write<&ParseUpdateIncident>(Method::kPatch, "/api/v1/incidents/{id}", "incident.update", 200, "ParseUpdateIncident"),
    Write<&ParseClassifyIncident>(Method::kPost, "/api/v1/incidents/{id}/classification", "incident.classify", 200, "ParseClassifyIncident"),
    Write<&ParseAddNote>(Method::kPost, "/api/v1/incidents/{id}/notes", "incident.note", 200, "ParseAddNote"),
    Write<&ParseAssessRisk>(Method::kPost, "/api/v1/incidents/{id}/risk-assessments", "incident.assess_risk", 200, "ParseAssessRisk"),
    Write<&ParseRecordPerson>(Method::kPost, "/api/v1/people", "person.record", 201, "ParseRecordPerson"),
    Write<&ParseCorrectPerson>(Method::kPost, "/api/v1/people/{id}/corrections", "person.correct", 200, "ParseCorrectPerson"),
    Write<&ParseAddNote>(Method::kPost, "/api/v1/people/{id}/notes", "person.note", 200, "ParseAddNote"),
    Write<&ParseRecordAddress>(Method::kPost, "/api/v1/addresses", "address.record", 201, "ParseRecordAddress"),
    Write<&ParseRecordVehicle>(Method::kPost, "/api/v1/vehicles", "vehicle.record", 201, "ParseRecordVehicle"),
    Write<&ParseAddLink>(Method::kPost, "/api/v1/links", "link.add", 201, "ParseAddLink"),
    Write<&ParseRemoveLink>(Method::kPost, "/api/v1/links/{id}/removal", "link.remove", 200, "ParseRemoveLink"),
    Write<&ParseOpenCase>(Method::kPost, "/api/v1/cases", "case.open", 201, "ParseOpenCase"),
    Write<&ParseAssignCase>(Method::kPost, "/api/v1/cases/{id}/assignment", "case.assign", 200, "ParseAssignCase"),
    Write<&ParseCloseCase>(Method::kPost, "/api/v1/cases/{id}/closure", "case.close", 200, "ParseCloseCase"),
    Write<&ParseReopenCase>(Method::kPost, "/api/v1/cases/{id}/reopening", "case.reopen", 200, "ParseReopenCase"),
    Write<&ParseRecordCaseAction>(Method::kPost, "/api/v1/cases/{id}/actions", "case.record_action", 200, "ParseRecordCaseAction"),
    Write<&ParseCreateTask>(Method::kPost, "/api/v1/cases/{id}/tasks", "case.create_task", 200, "ParseCreateTask"),
    Write<&ParseCompleteTask>(Method::kPost, "/api/v1/cases/{id}/tasks/{task_id}/completion", "case.complete_task", 200, "ParseCompleteTask"),
    Write<&ParseAddNote>(Method::kPost, "/api/v1/cases/{id}/notes", "case.note", 200, "ParseAddNote"),
    Write<&ParseAssessRisk>(Method::kPost, "/api/v1/cases/{id}/risk-assessments", "case.assess_risk", 200, "ParseAssessRisk"),
    Write<&ParseGrantAccess>(Method::kPost, "/api/v1/grants", "grant.create", 201, "ParseGrantAccess"),
    Write<&ParseRevokeAccess>(Method::kPost, "/api/v1/grants/{id}/revocation", "grant.revoke", 200, "ParseRevokeAccess"),
};
// clang-format on

}  // namespace

std::span<const BodyParser> BodyParsers() { return kBodyParsers; }

}  // namespace caseledger::app::api
