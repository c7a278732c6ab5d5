#include "append_validation.h"

#include <cstring>

#include <fmt/format.h>

#include <set>

#include "ledger/envelope.h"

namespace caseledger::ledger {

bool IsValidStreamId(std::string_view id) {
  if (id.empty() || id.size() > 200) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<void> ValidateAppendRequest(const AppendRequest& request, std::size_t max_bytes) {
  if (request.streams.empty()) return InvalidField("streams", "must name at least one stream");
  const auto& key = request.context.idempotency_key;
  if (key.size() > 200) return InvalidField("idempotency_key", "must be at most 200 characters");
  for (char c : key) {
    if (c < 0x21 || c > 0x7e) {
      return InvalidField("idempotency_key", "must be printable ASCII without spaces");
    }
  }
  std::set<std::string_view> streams;
  std::set<Uuid> event_ids;
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < request.streams.size(); ++i) {
    const StreamAppend& s = request.streams[i];
    std::string where = fmt::format("streams[{}]", i);
    if (!IsValidStreamId(s.stream_id)) {
      return InvalidField(where + ".stream_id", "must be 1 to 200 characters of [A-Za-z0-9._:-]");
    }
    if (!streams.insert(s.stream_id).second) {
      return InvalidField(where + ".stream_id", "must not repeat a stream of the same append");
    }
    if (s.events.empty()) return InvalidField(where + ".events", "must hold at least one event");
    for (std::size_t j = 0; j < s.events.size(); ++j) {
      const EventDraft& e = s.events[j];
      std::string at = fmt::format("{}.events[{}]", where, j);
      if (e.event_id.IsNil()) return InvalidField(at + ".event_id", "must not be nil");
      if (!event_ids.insert(e.event_id).second) {
        return InvalidField(at + ".event_id", "must be unique within the append");
      }
      if (EventTypeName(e.type) == "unknown") {
        return InvalidField(at + ".type", "must be a known event type");
      }
      if (e.schema_version == 0) return InvalidField(at + ".schema_version", "must be at least 1");
      if (auto ok = VerifyPayload(e.type, e.payload); !ok) {
        return InvalidField(at + ".payload", "must be a valid FlatBuffer of its event type");
      }
      bytes += e.payload.size() + 256;
    }
  }
  if (bytes > max_bytes) {
    return InvalidField("streams", fmt::format("must total at most {} bytes", max_bytes));
  }
  return Ok();
}

EnvelopeFields NextEnvelope(const EventDraft& draft, const std::string& stream_id,
                            const StreamHead& head, const CommandContext& context,
                            Micros recorded_at) {
  EnvelopeFields f;
  f.event_id = draft.event_id;
  f.stream_id = stream_id;
  f.stream_version = head.version + 1;
  f.event_type = draft.type;
  f.schema_version = draft.schema_version;
  f.occurred_at = draft.occurred_at;
  f.recorded_at = recorded_at;
  f.source_recorded_at = draft.source_recorded_at;
  f.actor = context.actor;
  f.purpose = context.purpose;
  f.correlation_id = context.correlation_id;
  f.causation_id = context.causation_id;
  f.idempotency_key = context.idempotency_key;
  if (head.version > 0) std::memcpy(f.prev_hash.data(), head.hash.data(), kHashSize);
  f.payload = draft.payload;
  f.hash = ComputeEventHash(f);
  return f;
}

}  // namespace caseledger::ledger
