#include "ledger/command_service.h"

#include <boost/asio/post.hpp>

#include "command_checks.h"
#include "command_impl.h"
#include "ledger/envelope.h"
#include "ledger/stream_grammar.h"
#include "schemas/events_generated.h"

namespace caseledger::ledger {
namespace {

constexpr int kMaxAttempts = 4;

// The id of the item a change created inside its record (a task, an action, a note, an
// assessment), read from the event itself so a deduplicated answer carries it too.
std::string ItemIdOf(const schema::Envelope& e) {
  auto str = [](const flatbuffers::String* s) { return s == nullptr ? std::string() : s->str(); };
  const auto* data = e.payload()->data();
  switch (e.event_type()) {
    case EventType::TaskCreated: return str(flatbuffers::GetRoot<schema::TaskCreated>(data)->task_id());
    case EventType::CaseActionRecorded:
      return str(flatbuffers::GetRoot<schema::CaseActionRecorded>(data)->action_id());
    case EventType::NoteAdded: return str(flatbuffers::GetRoot<schema::NoteAdded>(data)->note_id());
    case EventType::RiskAssessed:
      return str(flatbuffers::GetRoot<schema::RiskAssessed>(data)->assessment_id());
    case EventType::DocumentAttached:
      return str(flatbuffers::GetRoot<schema::DocumentAttached>(data)->document_id());
    case EventType::MeetingScheduled:
      return str(flatbuffers::GetRoot<schema::MeetingScheduled>(data)->meeting_id());
    case EventType::MeetingActionAssigned:
      return str(flatbuffers::GetRoot<schema::MeetingActionAssigned>(data)->task_id());
    case EventType::RiskInstrumentPublished:
      return std::to_string(flatbuffers::GetRoot<schema::RiskInstrumentPublished>(data)->version());
    default: return {};
  }
}

CommandResult ResultFrom(const AppendResult& appended, std::string record_id) {
  CommandResult result;
  result.deduplicated = appended.deduplicated;
  result.position = appended.last_position();
  if (record_id.empty() && !appended.events.empty()) record_id = appended.events.front().stream_id;
  for (const auto& e : appended.events) {
    if (e.stream_id == record_id) result.version = std::max(result.version, e.version);
  }
  result.record_id = std::move(record_id);
  return result;
}

}  // namespace

void CommandService::Impl::Run(const CommandMeta& meta, std::function<Result<Plan>()> planner,
                               Done done, int attempt) {
  if (!meta.idempotency_key.empty() && attempt == 0) {
    auto found = log.FindIdempotent(meta.actor.user_id, meta.idempotency_key);
    if (!found) return done(found.error());
    if (found.value()) {
      std::string fingerprint =
          meta.fingerprint.empty() ? Fingerprint({meta.idempotency_key}) : meta.fingerprint;
      if (found.value()->fingerprint != fingerprint) {
        return done(MakeError(Code::kIdempotencyMismatch,
                              "the idempotency key was already used for a different command"));
      }
      AppendResult first = std::move(found.value()->result);
      first.deduplicated = true;
      CommandResult result = ResultFrom(first, {});
      auto events = log.ReadStream(result.record_id, result.version, 1);
      if (events && events.value().size() == 1) {
        const RecordedEvent& event = events.value().front();
        std::string_view payload(reinterpret_cast<const char*>(event.envelope()->payload()->data()),
                                 event.envelope()->payload()->size());
        if (VerifyPayload(event.envelope()->event_type(), payload)) {
          result.item_id = ItemIdOf(*event.envelope());
        }
      }
      return done(std::move(result));
    }
  }
  auto plan = planner();
  if (!plan) return done(plan.error());
  for (const StreamAppend& s : plan.value().streams) {
    if (s.expected_version == kAnyVersion) continue;
    for (std::size_t k = 0; k < s.events.size(); ++k) {
      if (auto fits = CheckStreamGrammar(s.stream_id, s.expected_version + 1 + k,
                                         s.events[k].type, "plan");
          !fits) {
        return done(MakeError(Code::kInternal, "a command planned an event its stream cannot "
                                               "hold: " + fits.error().rule));
      }
    }
  }
  AppendRequest request;
  request.context.actor = meta.actor;
  request.context.purpose = meta.purpose;
  request.context.correlation_id = meta.correlation_id;
  request.context.idempotency_key = meta.idempotency_key;
  request.command_fingerprint =
      meta.fingerprint.empty() && !meta.idempotency_key.empty() ? Fingerprint({meta.idempotency_key})
                                                                : meta.fingerprint;
  request.streams = std::move(plan.value().streams);
  std::string record_id = std::move(plan.value().record_id);
  std::string item_id = std::move(plan.value().item_id);
  log.AppendAsync(std::move(request), [this, meta, planner = std::move(planner), done, attempt,
                                       record_id, item_id](Result<AppendResult> appended) mutable {
    if (!appended && appended.error().code == Code::kVersionConflict && !meta.expected_version &&
        attempt + 1 < kMaxAttempts) {
      // Lost a race with another writer: plan again against the new state, off the log's thread.
      boost::asio::post(retries, [this, meta, planner = std::move(planner), done, attempt] {
        Run(meta, planner, done, attempt + 1);
      });
      return;
    }
    if (!appended) return done(appended.error());
    CommandResult result = ResultFrom(appended.value(), record_id);
    if (!result.deduplicated) result.item_id = item_id;
    done(std::move(result));
  });
}

std::string CommandService::Impl::NewRecordId(std::string_view kind, const CommandMeta& meta) {
  if (!meta.idempotency_key.empty()) {
    // Derived from the key, so a retry names the same record; among the candidates, the first
    // this node writes (always the first with one writer for every partition).
    std::string id = RecordId(kind, Uuid::FromDigest(Fingerprint({"caseledger.record-id.v1",
                                                                   meta.actor.user_id,
                                                                   meta.idempotency_key, kind})));
    for (int n = 1; n < 10'000 && !log.Owns(id); ++n) {
      id = RecordId(kind, Uuid::FromDigest(Fingerprint({"caseledger.record-id.v1",
                                                        meta.actor.user_id, meta.idempotency_key,
                                                        kind, std::to_string(n)})));
    }
    return id;
  }
  std::string id = RecordId(kind, ids.Next());
  for (int tries = 0; tries < 10'000 && !log.Owns(id); ++tries) id = RecordId(kind, ids.Next());
  return id;
}

EventDraft CommandService::Impl::Draft(EventType type, const flatbuffers::FlatBufferBuilder& b,
                                       Micros occurred_at, const CommandMeta& meta) {
  EventDraft draft;
  draft.event_id = ids.Next();
  draft.type = type;
  draft.schema_version = 1;
  draft.occurred_at = occurred_at != 0 ? occurred_at : clock.NowMicros();
  draft.source_recorded_at = meta.source_recorded_at;
  draft.payload.assign(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
  return draft;
}

Result<StreamState> CommandService::Impl::Target(std::string_view record_id,
                                                 std::string_view field, const CommandMeta& meta) {
  BOOST_OUTCOME_TRY(auto state, states.Load(record_id));
  if (state.version == 0) return NotFoundField(field);
  if (meta.expected_version && *meta.expected_version != state.version) {
    return Conflict(state.version, *meta.expected_version);
  }
  return state;
}

Result<StreamState> CommandService::Impl::Referenced(std::string_view record_id,
                                                     std::string_view field) {
  BOOST_OUTCOME_TRY(auto state, states.Load(record_id));
  if (state.version == 0) return NotFoundField(field);
  return state;
}

Result<flatbuffers::Offset<schema::Sealed>> CommandService::Impl::Seal(
    flatbuffers::FlatBufferBuilder& outer, std::string_view subject,
    const flatbuffers::FlatBufferBuilder& inner) {
  std::string_view plaintext(reinterpret_cast<const char*>(inner.GetBufferPointer()),
                             inner.GetSize());
  BOOST_OUTCOME_TRY(auto sealed, personal_data.Seal(subject, plaintext));
  auto subject_id = outer.CreateString(sealed.subject_id);
  auto nonce = outer.CreateVector(reinterpret_cast<const std::uint8_t*>(sealed.nonce.data()),
                                  sealed.nonce.size());
  auto ciphertext = outer.CreateVector(
      reinterpret_cast<const std::uint8_t*>(sealed.ciphertext.data()), sealed.ciphertext.size());
  return schema::CreateSealed(outer, subject_id, sealed.key_version, nonce, ciphertext);
}

StreamAppend CommandService::Impl::Single(std::string stream, std::uint64_t expected,
                                          EventDraft draft) {
  StreamAppend append;
  append.stream_id = std::move(stream);
  append.expected_version = expected;
  append.events.push_back(std::move(draft));
  return append;
}

flatbuffers::Offset<schema::Owner> OwnerOf(flatbuffers::FlatBufferBuilder& b, const Actor& actor) {
  return schema::CreateOwnerDirect(b, actor.organisation_id.c_str(), actor.team_id.c_str());
}

CommandService::CommandService(EventLog& log, PersonalData& personal_data, IdGenerator& ids,
                               const Clock& clock)
    : impl_(std::make_unique<Impl>(log, personal_data, ids, clock)) {}

CommandService::~CommandService() { impl_->retries.join(); }

#define CASELEDGER_EXECUTE(Command)                                                       \
  void CommandService::Execute(const CommandMeta& meta, Command command, Done done) {     \
    impl_->Run(                                                                           \
        meta,                                                                             \
        [impl = impl_.get(), meta, command = std::move(command)] {                        \
          return PlanCommand(*impl, meta, command);                                       \
        },                                                                                \
        std::move(done));                                                                 \
  }

CASELEDGER_EXECUTE(ReportIncident)
CASELEDGER_EXECUTE(UpdateIncident)
CASELEDGER_EXECUTE(ClassifyIncident)
CASELEDGER_EXECUTE(RecordPerson)
CASELEDGER_EXECUTE(CorrectPerson)
CASELEDGER_EXECUTE(RecordAddress)
CASELEDGER_EXECUTE(RecordVehicle)
CASELEDGER_EXECUTE(AddLink)
CASELEDGER_EXECUTE(RemoveLink)
CASELEDGER_EXECUTE(OpenCase)
CASELEDGER_EXECUTE(AssignCase)
CASELEDGER_EXECUTE(CloseCase)
CASELEDGER_EXECUTE(ReopenCase)
CASELEDGER_EXECUTE(RecordCaseAction)
CASELEDGER_EXECUTE(CreateTask)
CASELEDGER_EXECUTE(CompleteTask)
CASELEDGER_EXECUTE(AddNote)
CASELEDGER_EXECUTE(AssessRisk)
CASELEDGER_EXECUTE(GrantAccess)
CASELEDGER_EXECUTE(RevokeAccess)
CASELEDGER_EXECUTE(RequestAccess)
CASELEDGER_EXECUTE(DecideAccessRequest)
CASELEDGER_EXECUTE(CreateOrganisation)
CASELEDGER_EXECUTE(ChangeOrganisationSettings)
CASELEDGER_EXECUTE(CreateTeam)
CASELEDGER_EXECUTE(CreateUser)
CASELEDGER_EXECUTE(ChangeUserRoles)
CASELEDGER_EXECUTE(DeactivateUser)
CASELEDGER_EXECUTE(ReactivateUser)
CASELEDGER_EXECUTE(ChangeUserPassword)
CASELEDGER_EXECUTE(IssueApiKey)
CASELEDGER_EXECUTE(RevokeApiKey)
CASELEDGER_EXECUTE(AttachDocument)
CASELEDGER_EXECUTE(ScheduleMeeting)
CASELEDGER_EXECUTE(RecordMinutes)
CASELEDGER_EXECUTE(AssignMeetingAction)
CASELEDGER_EXECUTE(PublishRiskInstrument)
#undef CASELEDGER_EXECUTE

}  // namespace caseledger::ledger
