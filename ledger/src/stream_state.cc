#include "stream_state.h"

#include "ledger/envelope.h"
#include "schemas/events_generated.h"

namespace caseledger::ledger {
namespace {

template <class T>
const T* Payload(const schema::Envelope& e) {
  return flatbuffers::GetRoot<T>(e.payload()->data());
}

std::string Str(const flatbuffers::String* s) { return s == nullptr ? std::string() : s->str(); }

std::optional<SealedValue> SealedOf(const schema::Sealed* sealed) {
  if (sealed == nullptr) return std::nullopt;
  SealedValue out;
  out.subject_id = Str(sealed->subject_id());
  out.key_version = sealed->key_version();
  if (sealed->nonce() != nullptr) {
    out.nonce.assign(reinterpret_cast<const char*>(sealed->nonce()->data()),
                     sealed->nonce()->size());
  }
  if (sealed->ciphertext() != nullptr) {
    out.ciphertext.assign(reinterpret_cast<const char*>(sealed->ciphertext()->data()),
                          sealed->ciphertext()->size());
  }
  return out;
}

void FoldAction(const schema::CaseActionRecorded& p, StreamState& state) {
  ++state.actions;
  state.action_facts.push_back({p.action(), Str(p.subject_id()), Str(p.premises_id()),
                                p.taken_at(), p.expires_at()});
}

void FoldMeeting(const schema::MeetingScheduled& p, StreamState& state) {
  auto& attendees = state.meetings[Str(p.meeting_id())];
  if (p.attendees() == nullptr) return;
  for (const auto* a : *p.attendees()) attendees.insert(a->str());
}

}  // namespace

void FoldEvent(const schema::Envelope& e, StreamState& state) {
  state.version = e.stream_version();
  switch (e.event_type()) {
    case EventType::CaseClosed: state.closed = true; break;
    case EventType::CaseReopened: state.closed = false; break;
    case EventType::CaseOpened:
      state.case_type = Payload<schema::CaseOpened>(e)->case_type();
      break;
    case EventType::CaseActionRecorded: FoldAction(*Payload<schema::CaseActionRecorded>(e), state); break;
    case EventType::TaskCreated: {
      std::string id = Str(Payload<schema::TaskCreated>(e)->task_id());
      state.tasks.insert(id);
      state.open_tasks.insert(id);
      break;
    }
    case EventType::TaskCompleted:
      state.open_tasks.erase(Str(Payload<schema::TaskCompleted>(e)->task_id()));
      break;
    case EventType::MeetingActionAssigned: {
      std::string id = Str(Payload<schema::MeetingActionAssigned>(e)->task_id());
      state.tasks.insert(id);
      state.open_tasks.insert(id);
      break;
    }
    case EventType::MeetingScheduled: FoldMeeting(*Payload<schema::MeetingScheduled>(e), state); break;
    case EventType::DocumentAttached:
      state.documents.insert(Str(Payload<schema::DocumentAttached>(e)->document_id()));
      break;
    case EventType::PersonRecorded:
      state.person_details = SealedOf(Payload<schema::PersonRecorded>(e)->details());
      break;
    case EventType::PersonCorrected:
      state.person_details = SealedOf(Payload<schema::PersonCorrected>(e)->details());
      break;
    case EventType::RiskInstrumentPublished:
      state.instrument_version = Payload<schema::RiskInstrumentPublished>(e)->version();
      break;
    case EventType::LinkAdded: state.active = true; break;
    case EventType::LinkRemoved: state.active = false; break;
    case EventType::AccessGranted:
      state.active = true;
      state.record_id = Str(Payload<schema::AccessGranted>(e)->record_id());
      break;
    case EventType::AccessRevoked: state.active = false; break;
    case EventType::AccessRequested:
      state.record_id = Str(Payload<schema::AccessRequested>(e)->record_id());
      break;
    case EventType::AccessRequestDecided:
      state.decided = true;
      state.active = Payload<schema::AccessRequestDecided>(e)->granted();
      break;
    case EventType::TeamCreated:
      state.organisation_id = Str(Payload<schema::TeamCreated>(e)->organisation_id());
      break;
    case EventType::UserCreated:
      state.active = true;
      state.organisation_id = Str(Payload<schema::UserCreated>(e)->organisation_id());
      break;
    case EventType::UserDeactivated: state.active = false; break;
    case EventType::UserReactivated: state.active = true; break;
    case EventType::ApiKeyIssued: state.active = true; break;
    case EventType::ApiKeyRevoked: state.active = false; break;
    default: break;
  }
}

Result<StreamState> StreamStates::Load(std::string_view stream_id) {
  StreamState state;
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(std::string(stream_id));
    if (it != cache_.end()) state = it->second;
  }
  constexpr std::size_t kPage = 256;
  for (;;) {
    BOOST_OUTCOME_TRY(auto events, log_.ReadStream(stream_id, state.version + 1, kPage));
    for (const auto& event : events) {
      const schema::Envelope* e = event.envelope();
      std::string_view payload(reinterpret_cast<const char*>(e->payload()->data()),
                               e->payload()->size());
      BOOST_OUTCOME_TRY(VerifyPayload(e->event_type(), payload));
      FoldEvent(*e, state);
    }
    if (events.size() < kPage) break;
  }
  if (state.version > 0) {
    std::lock_guard lock(mu_);
    if (cache_.size() >= max_cached_) cache_.clear();
    auto& cached = cache_[std::string(stream_id)];
    if (cached.version < state.version) cached = state;
  }
  return state;
}

}  // namespace caseledger::ledger
