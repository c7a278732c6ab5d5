// The ledger's event types as C++ values: what a command hands the log (EventDraft, grouped in
// an AppendRequest) and what the log hands back (RecordedEvent: the stored envelope bytes and
// their position). The bytes are the FlatBuffer `caseledger.schema.Envelope` (schemas/envelope.fbs).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/clock.h"
#include "ledger/ids.h"
#include "schemas/envelope_generated.h"

namespace caseledger::ledger {

using schema::EventType;

// Where an event sits in the log. Embedded: partition 0, offsets 1..n. Kafka: the topic
// partition and its offset. Within one partition, a larger offset is later.
struct Position {
  std::uint32_t partition = 0;
  std::uint64_t offset = 0;

  std::string ToString() const;  // "0:42"
  // Accepts "P:O" or a bare "O" (partition 0). nullopt otherwise.
  static std::optional<Position> Parse(std::string_view text);
  auto operator<=>(const Position&) const = default;
};

struct Actor {
  std::string user_id;
  std::string organisation_id;
  std::string team_id;
};

// Expected-version sentinels for StreamAppend::expected_version.
inline constexpr std::uint64_t kNoStream = 0;                 // the stream must not exist yet
inline constexpr std::uint64_t kAnyVersion = ~std::uint64_t{0};  // no check

// One event as a command produced it: no version, hash, record time or position yet.
struct EventDraft {
  Uuid event_id;                      // assigned by the command, kept across retries
  EventType type = EventType::Unknown;
  std::uint16_t schema_version = 1;
  Micros occurred_at = 0;
  Micros source_recorded_at = 0;      // 0 = not migrated
  std::string payload;                // FlatBuffer of the table named by `type`
};

struct StreamAppend {
  std::string stream_id;
  std::uint64_t expected_version = kAnyVersion;
  std::vector<EventDraft> events;
};

// What every event of one command shares.
struct CommandContext {
  Actor actor;
  std::string purpose;
  Uuid correlation_id;
  Uuid causation_id;
  std::string idempotency_key;        // empty = none; scoped to actor.user_id
};

// All streams are appended atomically, or none.
struct AppendRequest {
  CommandContext context;
  std::vector<StreamAppend> streams;
  // Identifies the command as received (e.g. a hash of route and body), so a retry that makes new
  // ids still matches the first attempt. Empty: the log fingerprints the streams and payloads.
  std::string command_fingerprint;
};

struct CommittedEvent {
  Uuid event_id;
  std::string stream_id;
  std::uint64_t version = 0;
  Position position;
};

struct AppendResult {
  std::vector<CommittedEvent> events;
  bool deduplicated = false;          // an earlier command with the same idempotency key
  Position last_position() const { return events.empty() ? Position{} : events.back().position; }
};

// An event as stored: verified envelope bytes and where they sit.
struct RecordedEvent {
  Position position;
  std::string bytes;

  // Valid while `bytes` lives. Only call on events that came from the log (already verified).
  const schema::Envelope* envelope() const {
    return flatbuffers::GetRoot<schema::Envelope>(bytes.data());
  }
};

struct StreamHead {
  std::uint64_t version = 0;          // 0 = the stream does not exist
  std::string hash;                   // 32 bytes; empty when version is 0
  Position position;                  // of the head event
};

}  // namespace caseledger::ledger
