// What a command needs to know about a record before it changes it, folded from the record's
// stream: whether it exists, and the few facts the domain rules look at (a case's status, its
// actions and open tasks; whether a link or grant is still active). States are cached and brought
// up to date by reading only the events after the cached version.
//
// Thread safety: thread-safe.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ledger/event_log.h"

namespace caseledger::ledger {

struct StreamState {
  std::uint64_t version = 0;  // 0 = the record does not exist
  // cases
  bool closed = false;
  std::uint32_t actions = 0;
  std::set<std::string> tasks;
  std::set<std::string> open_tasks;
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
