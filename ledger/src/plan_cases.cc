#include "command_checks.h"
#include "command_impl.h"
#include "power_checks.h"
#include "schemas/events_generated.h"

namespace caseledger::ledger {
namespace {

namespace fb = flatbuffers;

Plan One(const std::string& id, std::uint64_t expected, EventDraft draft,
         std::string item_id = {}) {
  return OneEventPlan(id, expected, std::move(draft), std::move(item_id));
}

// The subject's date of birth, opened from their person record's sealed details: nullopt when
// not recorded or when the person's data was disposed of. Used only for a power's age check and
// never stored or repeated.
Result<std::optional<std::string>> SubjectDateOfBirth(CommandService::Impl& impl,
                                                      std::string_view subject_id) {
  BOOST_OUTCOME_TRY(auto person, impl.Referenced(subject_id, "subject_id"));
  if (!person.person_details) return std::optional<std::string>();
  Result<std::string> plaintext = impl.personal_data.Open(*person.person_details);
  if (!plaintext && plaintext.error().code == Code::kNotFound) return std::optional<std::string>();
  if (!plaintext) return plaintext.error();
  const auto* data = reinterpret_cast<const std::uint8_t*>(plaintext.value().data());
  fb::Verifier verifier(data, plaintext.value().size());
  if (!verifier.VerifyBuffer<schema::PersonDetails>(nullptr)) {
    return MakeError(Code::kCorruption, "person details: not a valid PersonDetails FlatBuffer");
  }
  const auto* details = fb::GetRoot<schema::PersonDetails>(data);
  if (details->date_of_birth() == nullptr || details->date_of_birth()->size() == 0) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(details->date_of_birth()->str());
}

}  // namespace

Result<fb::Offset<schema::Sealed>> SealNote(CommandService::Impl& impl, fb::FlatBufferBuilder& b,
                                            std::string_view subject, std::string_view text) {
  fb::FlatBufferBuilder inner(256);
  inner.Finish(schema::CreateNoteBodyDirect(inner, std::string(text).c_str()));
  return impl.Seal(b, subject, inner);
}

Result<StreamState> OpenCaseState(CommandService::Impl& impl, const CommandMeta& meta,
                                  const std::string& case_id) {
  BOOST_OUTCOME_TRY(CheckRecordId(case_id, "case_id", {"case"}));
  BOOST_OUTCOME_TRY(auto state, impl.Target(case_id, "case_id", meta));
  if (state.closed) return InvalidField("case_id", "must name an open case (reopen it first)");
  return state;
}

Plan OneEventPlan(const std::string& id, std::uint64_t expected, EventDraft draft,
                  std::string item_id) {
  Plan plan{id, {}, std::move(item_id)};
  plan.streams.push_back(CommandService::Impl::Single(id, expected, std::move(draft)));
  return plan;
}

Result<void> CheckSupervisorSignOff(CommandService::Impl&, const CommandMeta&,
                                    std::string_view signed_off_by) {
  if (signed_off_by.empty()) {
    return InvalidField("signed_off_by", "is required: a supervisor must sign the closure off");
  }
  return Ok();
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta, const OpenCase& c) {
  BOOST_OUTCOME_TRY(CheckLine(c.reference, "reference", 64));
  BOOST_OUTCOME_TRY(CheckEnumGiven(c.case_type, "case_type"));
  BOOST_OUTCOME_TRY(CheckText(c.title, "title", 1, 200));
  BOOST_OUTCOME_TRY(CheckLine(c.lead_organisation_id, "lead_organisation_id", 200));
  BOOST_OUTCOME_TRY(CheckLine(c.lead_officer_id, "lead_officer_id", 200));
  BOOST_OUTCOME_TRY(CheckText(c.summary, "summary", 0, 20'000));
  BOOST_OUTCOME_TRY(CheckTime(c.opened_at, "opened_at", false, impl.clock));
  std::string id = impl.NewRecordId("case", meta);
  fb::FlatBufferBuilder b(512);
  fb::Offset<schema::Sealed> summary = 0;
  if (!c.summary.empty()) {
    BOOST_OUTCOME_TRY(summary, SealNote(impl, b, id, c.summary));
  }
  auto reference = b.CreateString(c.reference);
  auto owner = OwnerOf(b, meta.actor);
  auto title = b.CreateString(c.title);
  auto lead_org = b.CreateString(c.lead_organisation_id.empty() ? meta.actor.organisation_id
                                                                : c.lead_organisation_id);
  auto lead_officer =
      b.CreateString(c.lead_officer_id.empty() ? meta.actor.user_id : c.lead_officer_id);
  b.Finish(schema::CreateCaseOpened(b, reference, owner, c.case_type, title, lead_org,
                                    lead_officer, summary));
  return One(id, kNoStream, impl.Draft(EventType::CaseOpened, b, c.opened_at, meta));
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const AssignCase& c) {
  BOOST_OUTCOME_TRY(CheckLine(c.lead_organisation_id, "lead_organisation_id", 200));
  BOOST_OUTCOME_TRY(CheckLine(c.lead_officer_id, "lead_officer_id", 200));
  if (c.lead_officer_id.empty()) return InvalidField("lead_officer_id", "is required");
  BOOST_OUTCOME_TRY(CheckLine(c.team_id, "team_id", 200));
  BOOST_OUTCOME_TRY(CheckText(c.reason, "reason", 0, 1000));
  BOOST_OUTCOME_TRY(auto state, OpenCaseState(impl, meta, c.case_id));
  fb::FlatBufferBuilder b(256);
  std::string org = c.lead_organisation_id.empty() ? meta.actor.organisation_id : c.lead_organisation_id;
  b.Finish(schema::CreateCaseAssignedDirect(b, org.c_str(), c.lead_officer_id.c_str(),
                                            c.team_id.c_str(), c.reason.c_str()));
  return One(c.case_id, state.version, impl.Draft(EventType::CaseAssigned, b, 0, meta));
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta, const CloseCase& c) {
  BOOST_OUTCOME_TRY(CheckText(c.outcome, "outcome", 1, 2000));
  BOOST_OUTCOME_TRY(CheckLine(c.signed_off_by, "signed_off_by", 200));
  BOOST_OUTCOME_TRY(CheckText(c.reason, "reason", 0, 1000));
  BOOST_OUTCOME_TRY(auto state, OpenCaseState(impl, meta, c.case_id));
  if (state.actions == 0) {
    return InvalidField("case_id", "must have a recorded action before it can close");
  }
  BOOST_OUTCOME_TRY(CheckSupervisorSignOff(impl, meta, c.signed_off_by));
  fb::FlatBufferBuilder b(256);
  b.Finish(schema::CreateCaseClosedDirect(b, c.outcome.c_str(), c.signed_off_by.c_str(),
                                          c.reason.c_str()));
  return One(c.case_id, state.version, impl.Draft(EventType::CaseClosed, b, 0, meta));
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const ReopenCase& c) {
  BOOST_OUTCOME_TRY(CheckRecordId(c.case_id, "case_id", {"case"}));
  BOOST_OUTCOME_TRY(CheckText(c.reason, "reason", 1, 1000));
  BOOST_OUTCOME_TRY(auto state, impl.Target(c.case_id, "case_id", meta));
  if (!state.closed) return InvalidField("case_id", "must name a closed case");
  fb::FlatBufferBuilder b(128);
  b.Finish(schema::CreateCaseReopenedDirect(b, c.reason.c_str()));
  return One(c.case_id, state.version, impl.Draft(EventType::CaseReopened, b, 0, meta));
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const RecordCaseAction& c) {
  BOOST_OUTCOME_TRY(CheckEnumGiven(c.action, "action"));
  if (!c.subject_id.empty()) {
    BOOST_OUTCOME_TRY(CheckRecordId(c.subject_id, "subject_id", {"person"}));
  }
  BOOST_OUTCOME_TRY(CheckTime(c.taken_at, "taken_at", false, impl.clock));
  if (c.expires_at != 0 && c.expires_at <= (c.taken_at != 0 ? c.taken_at : impl.clock.NowMicros())) {
    return InvalidField("expires_at", "must be after taken_at");
  }
  BOOST_OUTCOME_TRY(CheckLine(c.authorised_by, "authorised_by", 200));
  BOOST_OUTCOME_TRY(CheckLine(c.conviction_reference, "conviction_reference", 100));
  BOOST_OUTCOME_TRY(CheckText(c.details, "details", 0, 20'000));
  if (!c.premises_id.empty()) {
    BOOST_OUTCOME_TRY(CheckRecordId(c.premises_id, "premises_id", {"address"}));
  }
  BOOST_OUTCOME_TRY(auto state, OpenCaseState(impl, meta, c.case_id));
  if (!c.subject_id.empty()) {
    BOOST_OUTCOME_TRY(impl.Referenced(c.subject_id, "subject_id"));
  }
  if (!c.premises_id.empty()) {
    BOOST_OUTCOME_TRY(impl.Referenced(c.premises_id, "premises_id"));
  }
  Micros taken_at = c.taken_at != 0 ? c.taken_at : impl.clock.NowMicros();
  PowerFacts facts{taken_at, &state.action_facts, std::nullopt};
  if (NeedsSubjectAge(c.action) && !c.subject_id.empty()) {
    BOOST_OUTCOME_TRY(facts.subject_date_of_birth, SubjectDateOfBirth(impl, c.subject_id));
  }
  BOOST_OUTCOME_TRY(CheckPower(c, facts));
  fb::FlatBufferBuilder b(512);
  fb::Offset<schema::Sealed> details = 0;
  if (!c.details.empty()) {
    BOOST_OUTCOME_TRY(details, SealNote(impl, b, c.case_id, c.details));
  }
  std::string action_id_text = impl.ids.Next().ToString();
  auto action_id = b.CreateString(action_id_text);
  auto subject = b.CreateString(c.subject_id);
  auto authorised_by = b.CreateString(c.authorised_by);
  auto conviction = b.CreateString(c.conviction_reference);
  auto premises =
      c.premises_id.empty() ? fb::Offset<fb::String>() : b.CreateString(c.premises_id);
  b.Finish(schema::CreateCaseActionRecorded(b, action_id, c.action, subject, taken_at,
                                            c.expires_at, authorised_by, conviction, details,
                                            premises));
  return One(c.case_id, state.version, impl.Draft(EventType::CaseActionRecorded, b, taken_at, meta),
             action_id_text);
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const CreateTask& c) {
  BOOST_OUTCOME_TRY(CheckText(c.title, "title", 1, 200));
  BOOST_OUTCOME_TRY(CheckLine(c.assignee_id, "assignee_id", 200));
  BOOST_OUTCOME_TRY(auto state, OpenCaseState(impl, meta, c.case_id));
  fb::FlatBufferBuilder b(256);
  std::string task_id = impl.ids.Next().ToString();
  b.Finish(schema::CreateTaskCreatedDirect(b, task_id.c_str(), c.title.c_str(), c.due_at,
                                           c.assignee_id.c_str()));
  return One(c.case_id, state.version, impl.Draft(EventType::TaskCreated, b, 0, meta), task_id);
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const CompleteTask& c) {
  BOOST_OUTCOME_TRY(CheckText(c.outcome, "outcome", 0, 2000));
  BOOST_OUTCOME_TRY(auto state, OpenCaseState(impl, meta, c.case_id));
  if (state.tasks.count(c.task_id) == 0) return NotFoundField("task_id");
  if (state.open_tasks.count(c.task_id) == 0) {
    return InvalidField("task_id", "must name a task that is not completed");
  }
  fb::FlatBufferBuilder b(256);
  b.Finish(schema::CreateTaskCompletedDirect(b, c.task_id.c_str(), c.outcome.c_str()));
  return One(c.case_id, state.version, impl.Draft(EventType::TaskCompleted, b, 0, meta));
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta, const AddNote& c) {
  BOOST_OUTCOME_TRY(CheckRecordId(c.record_id, "record_id", {"incident", "person", "case"}));
  BOOST_OUTCOME_TRY(CheckText(c.text, "text", 1, 20'000));
  BOOST_OUTCOME_TRY(auto state, impl.Target(c.record_id, "record_id", meta));
  fb::FlatBufferBuilder b(512);
  BOOST_OUTCOME_TRY(auto body, SealNote(impl, b, c.record_id, c.text));
  std::string note_id = impl.ids.Next().ToString();
  b.Finish(schema::CreateNoteAdded(b, b.CreateString(note_id), body));
  return One(c.record_id, state.version, impl.Draft(EventType::NoteAdded, b, 0, meta), note_id);
}

}  // namespace caseledger::ledger
