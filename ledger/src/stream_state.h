// What a command needs to know about a record before it changes it, folded from the record's
// stream: whether it exists, and the few facts the domain rules look at (a case's status, its
// actions and open tasks; whether a link or grant is still active). States are cached and brought
// up to date by reading only the events after the cached version.
//
// Thread safety: thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <vector>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ledger/event_log.h"
#include "ledger/personal_data.h"
#include "schemas/events_generated.h"

namespace caseledger::ledger {

// An action or power recorded on a case, as the statutory checks of later ones need it.
struct ActionFact {
  schema::ActionType action = schema::ActionType::Unspecified;
  std::string subject_id;
  std::string premises_id;
  Micros taken_at = 0;
  Micros expires_at = 0;
};

struct StreamState {
  std::uint64_t version = 0;  // 0 = the record does not exist
  // cases
  schema::CaseType case_type = schema::CaseType::Unspecified;
  bool closed = false;
  std::uint32_t actions = 0;
  std::vector<ActionFact> action_facts;              // in the order recorded
  std::set<std::string> tasks;                       // tasks and meeting actions
  std::set<std::string> open_tasks;
  std::set<std::string> documents;                   // document ids
  std::map<std::string, std::set<std::string>> meetings;  // meeting id -> attendees
  // people: the sealed details of the latest PersonRecorded or PersonCorrected
  std::optional<SealedValue> person_details;
  // risk instruments: the versions published on this stream
  std::uint32_t instrument_version = 0;
  // links and grants
  bool active = false;
  std::string record_id;      // a grant's or an access request's record
  // access requests
  bool decided = false;
  // identity: users and API keys use `active` too
  std::string organisation_id;  // a team's or a user's organisation
};

class StreamStates {
 public:
  explicit StreamStates(EventLog& log, std::size_t max_cached = 100'000)
      : log_(log), max_cached_(max_cached) {}

  // The current state of `stream_id`. Errors: those of EventLog::ReadStream.
  Result<StreamState> Load(std::string_view stream_id);

 private:
  EventLog& log_;
  const std::size_t max_cached_;
  std::mutex mu_;
  std::unordered_map<std::string, StreamState> cache_;
};

// Folds one event into `state`.
void FoldEvent(const schema::Envelope& envelope, StreamState& state);

}  // namespace caseledger::ledger
