#include "parsers.h"

namespace caseledger::app::api {

Result<ledger::AddLink> ParseAddLink(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"from_id", "to_id", "role", "note"}));
  ledger::AddLink c;
  BOOST_OUTCOME_TRY(c.from_id, http::RequireString(o, "from_id", 64));
  BOOST_OUTCOME_TRY(c.to_id, http::RequireString(o, "to_id", 64));
  BOOST_OUTCOME_TRY(c.role, RequireEnum<schema::LinkRole>(o, "role"));
  BOOST_OUTCOME_TRY(auto note, http::OptionalString(o, "note", 1000));
  c.note = note.value_or("");
  return c;
}

Result<ledger::RemoveLink> ParseRemoveLink(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"reason"}));
  ledger::RemoveLink c;
  c.link_id = ctx.PathParam("id");
  BOOST_OUTCOME_TRY(c.reason, http::RequireString(o, "reason", 1000));
  return c;
}

Result<ledger::OpenCase> ParseOpenCase(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"reference", "case_type", "title",
                                                      "lead_organisation_id", "lead_officer_id",
                                                      "summary", "opened_at"}));
  ledger::OpenCase c;
  BOOST_OUTCOME_TRY(auto reference, http::OptionalString(o, "reference", 64));
  c.reference = reference.value_or("");
  BOOST_OUTCOME_TRY(c.case_type, RequireEnum<schema::CaseType>(o, "case_type"));
  BOOST_OUTCOME_TRY(c.title, http::RequireString(o, "title", 200));
  BOOST_OUTCOME_TRY(auto org, http::OptionalString(o, "lead_organisation_id", 200));
  c.lead_organisation_id = org.value_or("");
  BOOST_OUTCOME_TRY(auto officer, http::OptionalString(o, "lead_officer_id", 200));
  c.lead_officer_id = officer.value_or("");
  BOOST_OUTCOME_TRY(auto summary, http::OptionalString(o, "summary", 20'000));
  c.summary = summary.value_or("");
  BOOST_OUTCOME_TRY(auto opened_at, OptionalTime(o, "opened_at"));
  c.opened_at = opened_at.value_or(0);
  return c;
}

Result<ledger::AssignCase> ParseAssignCase(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"lead_organisation_id", "lead_officer_id",
                                                      "team_id", "reason"}));
  ledger::AssignCase c;
  c.case_id = ctx.PathParam("id");
  BOOST_OUTCOME_TRY(auto org, http::OptionalString(o, "lead_organisation_id", 200));
  c.lead_organisation_id = org.value_or("");
  BOOST_OUTCOME_TRY(c.lead_officer_id, http::RequireString(o, "lead_officer_id", 200));
  BOOST_OUTCOME_TRY(auto team, http::OptionalString(o, "team_id", 200));
  c.team_id = team.value_or("");
  BOOST_OUTCOME_TRY(auto reason, http::OptionalString(o, "reason", 1000));
  c.reason = reason.value_or("");
  return c;
}

Result<ledger::CloseCase> ParseCloseCase(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"outcome", "signed_off_by", "reason"}));
  ledger::CloseCase c;
  c.case_id = ctx.PathParam("id");
  BOOST_OUTCOME_TRY(c.outcome, http::RequireString(o, "outcome", 2000));
  BOOST_OUTCOME_TRY(c.signed_off_by, http::RequireString(o, "signed_off_by", 200));
  BOOST_OUTCOME_TRY(auto reason, http::OptionalString(o, "reason", 1000));
  c.reason = reason.value_or("");
  return c;
}

Result<ledger::ReopenCase> ParseReopenCase(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"reason"}));
  ledger::ReopenCase c;
  c.case_id = ctx.PathParam("id");
  BOOST_OUTCOME_TRY(c.reason, http::RequireString(o, "reason", 1000));
  return c;
}

Result<ledger::RecordCaseAction> ParseRecordCaseAction(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"action", "subject_id", "taken_at",
                                                      "expires_at", "authorised_by",
                                                      "conviction_reference", "details",
                                                      "premises_id"}));
  ledger::RecordCaseAction c;
  c.case_id = ctx.PathParam("id");
  BOOST_OUTCOME_TRY(c.action, RequireEnum<schema::ActionType>(o, "action"));
  BOOST_OUTCOME_TRY(auto subject, http::OptionalString(o, "subject_id", 64));
  c.subject_id = subject.value_or("");
  BOOST_OUTCOME_TRY(auto taken_at, OptionalTime(o, "taken_at"));
  c.taken_at = taken_at.value_or(0);
  BOOST_OUTCOME_TRY(auto expires_at, OptionalTime(o, "expires_at"));
  c.expires_at = expires_at.value_or(0);
  BOOST_OUTCOME_TRY(auto authorised_by, http::OptionalString(o, "authorised_by", 200));
  c.authorised_by = authorised_by.value_or("");
  BOOST_OUTCOME_TRY(auto conviction, http::OptionalString(o, "conviction_reference", 100));
  c.conviction_reference = conviction.value_or("");
  BOOST_OUTCOME_TRY(auto details, http::OptionalString(o, "details", 20'000));
  c.details = details.value_or("");
  BOOST_OUTCOME_TRY(auto premises, http::OptionalString(o, "premises_id", 64));
  c.premises_id = premises.value_or("");
  return c;
}

Result<ledger::CreateTask> ParseCreateTask(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"title", "due_at", "assignee_id"}));
  ledger::CreateTask c;
  c.case_id = ctx.PathParam("id");
  BOOST_OUTCOME_TRY(c.title, http::RequireString(o, "title", 200));
  BOOST_OUTCOME_TRY(auto due_at, OptionalTime(o, "due_at"));
  c.due_at = due_at.value_or(0);
  BOOST_OUTCOME_TRY(auto assignee, http::OptionalString(o, "assignee_id", 200));
  c.assignee_id = assignee.value_or("");
  return c;
}

Result<ledger::CompleteTask> ParseCompleteTask(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"outcome"}));
  ledger::CompleteTask c;
  c.case_id = ctx.PathParam("id");
  c.task_id = ctx.PathParam("task_id");
  BOOST_OUTCOME_TRY(auto outcome, http::OptionalString(o, "outcome", 2000));
  c.outcome = outcome.value_or("");
  return c;
}

Result<ledger::AddNote> ParseAddNote(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"text"}));
  ledger::AddNote c;
  c.record_id = ctx.PathParam("id");
  BOOST_OUTCOME_TRY(c.text, http::RequireString(o, "text", 20'000));
  return c;
}

Result<ledger::AssessRisk> ParseAssessRisk(const http::RequestContext& ctx) {
  // The server computes score and level: a body that sends them is refused as unknown members.
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"subject_id", "instrument_id",
                                                      "instrument_version", "answers"}));
  ledger::AssessRisk c;
  c.record_id = ctx.PathParam("id");
  BOOST_OUTCOME_TRY(c.subject_id, http::RequireString(o, "subject_id", 64));
  BOOST_OUTCOME_TRY(auto instrument, http::OptionalString(o, "instrument_id", 64));
  c.instrument_id = instrument.value_or("");
  BOOST_OUTCOME_TRY(auto version, http::OptionalInt(o, "instrument_version", 1, 1'000'000));
  c.instrument_version = static_cast<std::uint32_t>(version.value_or(0));
  BOOST_OUTCOME_TRY(const boost::json::object* answers, http::OptionalObject(o, "answers"));
  if (answers != nullptr) {
    for (const auto& [question, value] : *answers) {
      std::string field = "answers." + std::string(question).substr(0, 64);
      if (!value.is_int64()) return ledger::InvalidField(field, "must be an integer");
      if (value.as_int64() < -1'000'000 || value.as_int64() > 1'000'000) {
        return ledger::InvalidField(field, "must be between -1000000 and 1000000");
      }
      c.answers.push_back({std::string(question), static_cast<std::int32_t>(value.as_int64())});
    }
  }
  return c;
}

Result<ledger::GrantAccess> ParseGrantAccess(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"record_id", "grantee_kind", "grantee_id",
                                                      "reason", "expires_at"}));
  ledger::GrantAccess c;
  BOOST_OUTCOME_TRY(c.record_id, http::RequireString(o, "record_id", 64));
  BOOST_OUTCOME_TRY(c.grantee_kind, RequireEnum<schema::GranteeKind>(o, "grantee_kind"));
  BOOST_OUTCOME_TRY(c.grantee_id, http::RequireString(o, "grantee_id", 200));
  BOOST_OUTCOME_TRY(c.reason, http::RequireString(o, "reason", 1000));
  BOOST_OUTCOME_TRY(auto expires_at, OptionalTime(o, "expires_at"));
  c.expires_at = expires_at.value_or(0);
  return c;
}

Result<ledger::RevokeAccess> ParseRevokeAccess(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"reason"}));
  ledger::RevokeAccess c;
  c.grant_id = ctx.PathParam("id");
  BOOST_OUTCOME_TRY(c.reason, http::RequireString(o, "reason", 1000));
  return c;
}

}  // namespace caseledger::app::api
