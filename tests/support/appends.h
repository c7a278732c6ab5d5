// Small constructors for append requests, so a test states only what it is about.
//
// Example:
//   auto request = OneStream(StreamId("incident", 1), ledger::kNoStream,
//                            {Draft(EventType::IncidentReported, MakeIncidentReported())});
//   request.context = Context("user-alice", "key-1");
//
// Thread safety: all functions are thread-safe.
#pragma once

#include <cstdint>
#include <future>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/event.h"
#include "ledger/event_log.h"
#include "support/test_ledger.h"

namespace caseledger::testing {

// A deterministic UUIDv7-shaped id: 01900000-0000-7000-8000-<n as 12 hex digits>. Never nil.
ledger::Uuid TestUuid(std::uint64_t n);

// An event id no other call in this process returns.
ledger::Uuid NewEventId();

// "<kind>-" + TestUuid(n): a valid record (stream) id.
std::string StreamId(std::string_view kind, std::uint64_t n);

// The command context tests append with: actor user `user_id` of org-test / team-test.
ledger::CommandContext Context(std::string user_id = "user-alice",
                               std::string idempotency_key = "");

// An event of `type` with a fresh id.
ledger::EventDraft Draft(ledger::EventType type, std::string payload,
                         ledger::Micros occurred_at = kTestEpoch);

// A request appending `events` to one stream.
ledger::AppendRequest OneStream(std::string stream_id, std::uint64_t expected_version,
                                std::vector<ledger::EventDraft> events,
                                ledger::CommandContext context = Context());

// Submits `request` with AppendAsync; the future holds the answer once the log gives it.
std::future<ledger::Result<ledger::AppendResult>> AppendFuture(ledger::EventLog& log,
                                                               ledger::AppendRequest request);

}  // namespace caseledger::testing
