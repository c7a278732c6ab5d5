// Building, verifying and hashing event envelopes.
//
// The hash of an event is BLAKE2b-256 over a canonical encoding of every envelope field except
// `hash` itself, including the payload bytes as stored and the stream's previous hash, so
// changing, removing or reordering any event of a stream breaks the chain (docs/hash-chain.md).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/event.h"
#include "ledger/result.h"

namespace caseledger::ledger {

inline constexpr std::size_t kHashSize = 32;
using Hash = std::array<std::uint8_t, kHashSize>;

// Every field of an envelope, as plain values.
struct EnvelopeFields {
  Uuid event_id;
  std::string stream_id;
  std::uint64_t stream_version = 0;
  EventType event_type = EventType::Unknown;
  std::uint16_t schema_version = 1;
  Micros occurred_at = 0;
  Micros recorded_at = 0;
  Micros source_recorded_at = 0;
  Actor actor;
  std::string purpose;
  Uuid correlation_id;
  Uuid causation_id;
  std::string idempotency_key;
  Hash prev_hash{};
  Hash hash{};
  std::string payload;
};

// The hash `fields.hash` must hold, from every other field.
Hash ComputeEventHash(const EnvelopeFields& fields);

// Serialises `fields` (with `fields.hash` as given) as a FlatBuffer envelope.
std::string EncodeEnvelope(const EnvelopeFields& fields);

// Runs the FlatBuffers verifier and checks the identifier and required fields. Never trusts the
// buffer: anything malformed is kCorruption naming what failed.
Result<const schema::Envelope*> VerifyEnvelope(std::string_view bytes);

// Verifies the payload FlatBuffer against the table its event type names. Unknown types (written
// by a newer version) pass: readers skip what they do not understand.
Result<void> VerifyPayload(EventType type, std::string_view payload);

// Copies a verified envelope into plain values.
EnvelopeFields DecodeEnvelope(const schema::Envelope& envelope);

// Recomputes the hash of a verified envelope and compares it with the stored one.
bool HashMatches(const schema::Envelope& envelope);

std::string_view EventTypeName(EventType type);  // "incident_reported"; "unknown" otherwise
std::optional<EventType> EventTypeFromName(std::string_view name);

// Lower-case hex of a byte string.
std::string ToHex(std::string_view bytes);

}  // namespace caseledger::ledger
