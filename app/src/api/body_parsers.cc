#include "body_parsers.h"

#include "api_common.h"
#include "access_routes.h"
#include "parse_identity.h"
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
constexpr BodyParser Entry(Method method, std::string_view pattern, std::string_view action,
                           int success_status, std::string_view name) {
  return BodyParser{method, pattern, action, success_status, name, &ParseAndDrop<Parse>};
}

// Append new routes at the end: the fuzz seeds name their parser by position.
// clang-format off
constexpr BodyParser kBodyParsers[] = {
    Entry<&ParseReportIncident>(Method::kPost, "/api/v1/incidents", "incident.record", 201, "ParseReportIncident"),
    Entry<&ParseUpdateIncident>(Method::kPatch, "/api/v1/incidents/{id}", "incident.update", 200, "ParseUpdateIncident"),
    Entry<&ParseClassifyIncident>(Method::kPost, "/api/v1/incidents/{id}/classification", "incident.classify", 200, "ParseClassifyIncident"),
    Entry<&ParseAddNote>(Method::kPost, "/api/v1/incidents/{id}/notes", "incident.note", 200, "ParseAddNote"),
    Entry<&ParseAssessRisk>(Method::kPost, "/api/v1/incidents/{id}/risk-assessments", "incident.assess_risk", 200, "ParseAssessRisk"),
    Entry<&ParseRecordPerson>(Method::kPost, "/api/v1/people", "person.record", 201, "ParseRecordPerson"),
    Entry<&ParseCorrectPerson>(Method::kPost, "/api/v1/people/{id}/corrections", "person.correct", 200, "ParseCorrectPerson"),
    Entry<&ParseAddNote>(Method::kPost, "/api/v1/people/{id}/notes", "person.note", 200, "ParseAddNote"),
    Entry<&ParseRecordAddress>(Method::kPost, "/api/v1/addresses", "address.record", 201, "ParseRecordAddress"),
    Entry<&ParseRecordVehicle>(Method::kPost, "/api/v1/vehicles", "vehicle.record", 201, "ParseRecordVehicle"),
    Entry<&ParseAddLink>(Method::kPost, "/api/v1/links", "link.add", 201, "ParseAddLink"),
    Entry<&ParseRemoveLink>(Method::kPost, "/api/v1/links/{id}/removal", "link.remove", 200, "ParseRemoveLink"),
    Entry<&ParseOpenCase>(Method::kPost, "/api/v1/cases", "case.open", 201, "ParseOpenCase"),
    Entry<&ParseAssignCase>(Method::kPost, "/api/v1/cases/{id}/assignment", "case.assign", 200, "ParseAssignCase"),
    Entry<&ParseCloseCase>(Method::kPost, "/api/v1/cases/{id}/closure", "case.close", 200, "ParseCloseCase"),
    Entry<&ParseReopenCase>(Method::kPost, "/api/v1/cases/{id}/reopening", "case.reopen", 200, "ParseReopenCase"),
    Entry<&ParseRecordCaseAction>(Method::kPost, "/api/v1/cases/{id}/actions", "case.record_action", 200, "ParseRecordCaseAction"),
    Entry<&ParseCreateTask>(Method::kPost, "/api/v1/cases/{id}/tasks", "case.create_task", 200, "ParseCreateTask"),
    Entry<&ParseCompleteTask>(Method::kPost, "/api/v1/cases/{id}/tasks/{task_id}/completion", "case.complete_task", 200, "ParseCompleteTask"),
    Entry<&ParseAddNote>(Method::kPost, "/api/v1/cases/{id}/notes", "case.note", 200, "ParseAddNote"),
    Entry<&ParseAssessRisk>(Method::kPost, "/api/v1/cases/{id}/risk-assessments", "case.assess_risk", 200, "ParseAssessRisk"),
    Entry<&ParseGrantAccess>(Method::kPost, "/api/v1/grants", "grant.create", 201, "ParseGrantAccess"),
    Entry<&ParseRevokeAccess>(Method::kPost, "/api/v1/grants/{id}/revocation", "grant.revoke", 200, "ParseRevokeAccess"),
    Entry<&ParseAttachDocument>(Method::kPost, "/api/v1/cases/{id}/documents", "case.attach_document", 200, "ParseAttachDocument"),
    Entry<&ParseScheduleMeeting>(Method::kPost, "/api/v1/cases/{id}/meetings", "case.schedule_meeting", 200, "ParseScheduleMeeting"),
    Entry<&ParseRecordMinutes>(Method::kPost, "/api/v1/cases/{id}/meetings/{meeting_id}/minutes", "case.record_minutes", 200, "ParseRecordMinutes"),
    Entry<&ParseAssignMeetingAction>(Method::kPost, "/api/v1/cases/{id}/meetings/{meeting_id}/actions", "case.assign_meeting_action", 200, "ParseAssignMeetingAction"),
    Entry<&ParsePublishRiskInstrument>(Method::kPost, "/api/v1/risk-instruments", "risk.publish_instrument", 201, "ParsePublishRiskInstrument"),
    Entry<&ParseDisclosure>(Method::kPost, "/api/v1/records/{id}/disclosures", "record.disclose", 201, "ParseDisclosure"),
    Entry<&ParseRequestAccess>(Method::kPost, "/api/v1/access-requests", "access_request.create", 201, "ParseRequestAccess"),
    Entry<&ParseDecideAccessRequest>(Method::kPost, "/api/v1/access-requests/{id}/decision", "access_request.decide", 200, "ParseDecideAccessRequest"),
    Entry<&ParseLogin>(Method::kPost, "/api/v1/sessions", "session.create", 201, "ParseLogin"),
    Entry<&ParseCreateOrganisation>(Method::kPost, "/api/v1/organisations", "organisation.create", 201, "ParseCreateOrganisation"),
    Entry<&ParseChangeOrganisationSettings>(Method::kPost, "/api/v1/organisations/{id}/settings", "organisation.change_settings", 200, "ParseChangeOrganisationSettings"),
    Entry<&ParseCreateTeam>(Method::kPost, "/api/v1/teams", "team.create", 201, "ParseCreateTeam"),
    Entry<&ParseCreateUser>(Method::kPost, "/api/v1/users", "user.create", 201, "ParseCreateUser"),
    Entry<&ParseChangeUserRoles>(Method::kPost, "/api/v1/users/{id}/roles", "user.change_roles", 200, "ParseChangeUserRoles"),
    Entry<&ParseDeactivateUser>(Method::kPost, "/api/v1/users/{id}/deactivation", "user.deactivate", 200, "ParseDeactivateUser"),
    Entry<&ParseReactivateUser>(Method::kPost, "/api/v1/users/{id}/reactivation", "user.reactivate", 200, "ParseReactivateUser"),
    Entry<&ParseChangeUserPassword>(Method::kPost, "/api/v1/users/{id}/password", "user.change_password", 200, "ParseChangeUserPassword"),
    Entry<&ParseIssueApiKey>(Method::kPost, "/api/v1/api-keys", "apikey.create", 201, "ParseIssueApiKey"),
    Entry<&ParseRevokeApiKey>(Method::kPost, "/api/v1/api-keys/{id}/revocation", "apikey.revoke", 200, "ParseRevokeApiKey"),
};
// clang-format on

constexpr BodilessWriteRoute kBodilessWriteRoutes[] = {
    {Method::kDelete, "/api/v1/sessions/current"},
};

}  // namespace

std::span<const BodyParser> BodyParsers() { return kBodyParsers; }

std::span<const BodilessWriteRoute> BodilessWriteRoutes() { return kBodilessWriteRoutes; }

}  // namespace caseledger::app::api
