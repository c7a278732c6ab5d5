// JSON renderers of the events on cases and on any record: case lifecycle, actions, tasks, notes,
// risk assessments and access grants.
#include "ledger/enum_names.h"
#include "ledger/event_json.h"

namespace caseledger::ledger::event_json {
namespace {

namespace json = boost::json;

json::array RiskAnswers(const flatbuffers::Vector<flatbuffers::Offset<schema::RiskAnswer>>* v) {
  json::array out;
  if (v == nullptr) return out;
  out.reserve(v->size());
  for (const schema::RiskAnswer* answer : *v) {
    json::object a;
    a["question_id"] = Str(answer->question_id());
    a["value"] = answer->value();
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

Rendered CaseOpened(const schema::CaseOpened& p, PersonalData* pd) {
  BOOST_OUTCOME_TRY(json::value summary, Sealed(p.summary(), Plaintext::kNoteBody, pd));
  json::object out;
  out["reference"] = Str(p.reference());
  out["owner"] = Owner(p.owner());
  out["case_type"] = EnumToString(p.case_type());
  out["title"] = Str(p.title());
  out["lead_organisation_id"] = Str(p.lead_organisation_id());
  out["lead_officer_id"] = Str(p.lead_officer_id());
  out["summary"] = std::move(summary);
  return out;
}

Rendered CaseAssigned(const schema::CaseAssigned& p, PersonalData*) {
  json::object out;
  out["lead_organisation_id"] = Str(p.lead_organisation_id());
  out["lead_officer_id"] = Str(p.lead_officer_id());
  out["team_id"] = Str(p.team_id());
  out["reason"] = Str(p.reason());
  return out;
}

Rendered CaseClosed(const schema::CaseClosed& p, PersonalData*) {
  json::object out;
  out["outcome"] = Str(p.outcome());
  out["signed_off_by"] = Str(p.signed_off_by());
  out["reason"] = Str(p.reason());
  return out;
}

Rendered CaseReopened(const schema::CaseReopened& p, PersonalData*) {
  json::object out;
  out["reason"] = Str(p.reason());
  return out;
}

Rendered CaseActionRecorded(const schema::CaseActionRecorded& p, PersonalData* pd) {
  BOOST_OUTCOME_TRY(json::value details, Sealed(p.details(), Plaintext::kNoteBody, pd));
  json::object out;
  out["action_id"] = Str(p.action_id());
  out["action"] = EnumToString(p.action());
  out["subject_id"] = Str(p.subject_id());
  out["taken_at"] = Time(p.taken_at());
  out["expires_at"] = Time(p.expires_at());
  out["authorised_by"] = Str(p.authorised_by());
  out["conviction_reference"] = Str(p.conviction_reference());
  out["details"] = std::move(details);
  out["premises_id"] = Str(p.premises_id());
  return out;
}

Rendered TaskCreated(const schema::TaskCreated& p, PersonalData*) {
  json::object out;
  out["task_id"] = Str(p.task_id());
  out["title"] = Str(p.title());
  out["due_at"] = Time(p.due_at());
  out["assignee_id"] = Str(p.assignee_id());
  return out;
}

Rendered TaskCompleted(const schema::TaskCompleted& p, PersonalData*) {
  json::object out;
  out["task_id"] = Str(p.task_id());
  out["outcome"] = Str(p.outcome());
  return out;
}

Rendered NoteAdded(const schema::NoteAdded& p, PersonalData* pd) {
  BOOST_OUTCOME_TRY(json::value body, Sealed(p.body(), Plaintext::kNoteBody, pd));
  json::object out;
  out["note_id"] = Str(p.note_id());
  out["body"] = std::move(body);
  return out;
}

Rendered RiskAssessed(const schema::RiskAssessed& p, PersonalData*) {
  json::object out;
  out["assessment_id"] = Str(p.assessment_id());
  out["subject_id"] = Str(p.subject_id());
  out["instrument_id"] = Str(p.instrument_id());
  out["instrument_version"] = p.instrument_version();
  out["answers"] = RiskAnswers(p.answers());
  out["score"] = p.score();
  out["level"] = EnumToString(p.level());
  out["next_review_at"] = Time(p.next_review_at());
  out["referral_score"] = p.referral_score();
  out["referred_to_support"] = p.referred_to_support();
  return out;
}

Rendered AccessGranted(const schema::AccessGranted& p, PersonalData*) {
  json::object out;
  out["record_id"] = Str(p.record_id());
  out["grantee_kind"] = EnumToString(p.grantee_kind());
  out["grantee_id"] = Str(p.grantee_id());
  out["reason"] = Str(p.reason());
  out["expires_at"] = Time(p.expires_at());
  return out;
}

Rendered AccessRevoked(const schema::AccessRevoked& p, PersonalData*) {
  json::object out;
  out["record_id"] = Str(p.record_id());
  out["reason"] = Str(p.reason());
  return out;
}

Rendered AccessRequested(const schema::AccessRequested& p, PersonalData*) {
  json::object out;
  out["record_id"] = Str(p.record_id());
  out["reason"] = Str(p.reason());
  return out;
}

Rendered AccessRequestDecided(const schema::AccessRequestDecided& p, PersonalData*) {
  json::object out;
  out["granted"] = p.granted();
  out["reason"] = Str(p.reason());
  out["expires_at"] = Time(p.expires_at());
  return out;
}

Rendered RecordConsulted(const schema::RecordConsulted& p, PersonalData*) {
  json::object out;
  out["action"] = Str(p.action());
  out["request_id"] = Str(p.request_id());
  return out;
}

Rendered RecordDisclosed(const schema::RecordDisclosed& p, PersonalData*) {
  json::object out;
  json::array recipients;
  if (p.recipients() != nullptr) {
    for (const auto* r : *p.recipients()) recipients.push_back(json::value(r->string_view()));
  }
  out["recipients"] = std::move(recipients);
  out["legal_basis"] = Str(p.legal_basis());
  out["details"] = Str(p.details());
  out["request_id"] = Str(p.request_id());
  return out;
}

}  // namespace caseledger::ledger::event_json
