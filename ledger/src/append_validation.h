// Checks an AppendRequest's shape before it reaches a backend's writer: shared by every EventLog
// backend so both refuse the same requests with the same errors.
#pragma once

#include <cstddef>

#include "ledger/envelope.h"
#include "ledger/event.h"
#include "ledger/result.h"

namespace caseledger::ledger {

// Stream ids: 1 to 200 characters of [A-Za-z0-9._:-].
bool IsValidStreamId(std::string_view stream_id);

// Errors: kInvalidArgument naming the field (e.g. "streams[1].events[0].payload") and the rule.
Result<void> ValidateAppendRequest(const AppendRequest& request, std::size_t max_bytes);

// The envelope of `draft` as the next event of `stream_id`, whose head is `head`: version, previous
// hash and hash filled in. Shared by every backend so all chain events the same way.
EnvelopeFields NextEnvelope(const EventDraft& draft, const std::string& stream_id,
                            const StreamHead& head, const CommandContext& context,
                            Micros recorded_at);

}  // namespace caseledger::ledger
