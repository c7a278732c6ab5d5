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

}  // namespace

void FoldEvent(const schema::Envelope& e, StreamState& state) {
  state.version = e.stream_version();
  switch (e.event_type()) {
    case EventType::CaseClosed: state.closed = true; break;
    case EventType::CaseReopened: state.closed = false; break;
    case EventType::CaseActionRecorded: ++state.actions; break;
    case EventType::TaskCreated: {
      std::string id = Str(Payload<schema::TaskCreated>(e)->task_id());
      state.tasks.insert(id);
      state.open_tasks.insert(id);
      break;
    }
    case EventType::TaskCompleted:
      state.open_tasks.erase(Str(Payload<schema::TaskCompleted>(e)->task_id()));
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
