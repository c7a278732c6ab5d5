// Idempotency records: what an append with an idempotency key answered the first time, so a
// retry gets the same answer and appends nothing. Keys are scoped to the acting user.
#pragma once

#include <string>
#include <string_view>

#include "ledger/event.h"
#include "ledger/result.h"

namespace caseledger::ledger {

struct IdempotencyRecord {
  std::string fingerprint;  // of the command as received (AppendRequest::command_fingerprint)
  AppendResult result;
};

// "<user>\n<key>": the key under which a record is stored.
std::string IdempotencyScope(std::string_view user_id, std::string_view key);

std::string EncodeIdempotencyRecord(const IdempotencyRecord& record);
// Errors: kCorruption when `bytes` is not a record this codec wrote.
Result<IdempotencyRecord> DecodeIdempotencyRecord(std::string_view bytes);

// BLAKE2b-256 of `parts`, each length-prefixed: a command fingerprint from its raw inputs.
std::string Fingerprint(std::initializer_list<std::string_view> parts);

// The fingerprint of an append's content, for callers that give none.
std::string FingerprintOf(const AppendRequest& request);

}  // namespace caseledger::ledger
