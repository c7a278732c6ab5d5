// Request → command parsers, one per write route. Each refuses unknown members and names the
// field and the rule of the first problem; path parameters fill the record ids.
#pragma once

#include <charconv>

#include "api_common.h"

namespace caseledger::app::api {

Result<ledger::ReportIncident> ParseReportIncident(const http::RequestContext& ctx);
Result<ledger::UpdateIncident> ParseUpdateIncident(const http::RequestContext& ctx);
Result<ledger::ClassifyIncident> ParseClassifyIncident(const http::RequestContext& ctx);
Result<ledger::RecordPerson> ParseRecordPerson(const http::RequestContext& ctx);
Result<ledger::CorrectPerson> ParseCorrectPerson(const http::RequestContext& ctx);
Result<ledger::RecordAddress> ParseRecordAddress(const http::RequestContext& ctx);
Result<ledger::RecordVehicle> ParseRecordVehicle(const http::RequestContext& ctx);
Result<ledger::AddLink> ParseAddLink(const http::RequestContext& ctx);
Result<ledger::RemoveLink> ParseRemoveLink(const http::RequestContext& ctx);
Result<ledger::OpenCase> ParseOpenCase(const http::RequestContext& ctx);
Result<ledger::AssignCase> ParseAssignCase(const http::RequestContext& ctx);
Result<ledger::CloseCase> ParseCloseCase(const http::RequestContext& ctx);
Result<ledger::ReopenCase> ParseReopenCase(const http::RequestContext& ctx);
Result<ledger::RecordCaseAction> ParseRecordCaseAction(const http::RequestContext& ctx);
Result<ledger::CreateTask> ParseCreateTask(const http::RequestContext& ctx);
Result<ledger::CompleteTask> ParseCompleteTask(const http::RequestContext& ctx);
Result<ledger::AddNote> ParseAddNote(const http::RequestContext& ctx);
Result<ledger::AssessRisk> ParseAssessRisk(const http::RequestContext& ctx);
Result<ledger::GrantAccess> ParseGrantAccess(const http::RequestContext& ctx);
Result<ledger::RevokeAccess> ParseRevokeAccess(const http::RequestContext& ctx);
Result<ledger::AttachDocument> ParseAttachDocument(const http::RequestContext& ctx);
Result<ledger::ScheduleMeeting> ParseScheduleMeeting(const http::RequestContext& ctx);
Result<ledger::RecordMinutes> ParseRecordMinutes(const http::RequestContext& ctx);
Result<ledger::AssignMeetingAction> ParseAssignMeetingAction(const http::RequestContext& ctx);
Result<ledger::PublishRiskInstrument> ParsePublishRiskInstrument(const http::RequestContext& ctx);

}  // namespace caseledger::app::api
