// Ids of identity records derived from what makes them unique, so that uniqueness is simply a
// stream that must not exist yet (docs/identity.md): a user's id from its username, an API key's
// from the hash of its secret. Both work unchanged on the Kafka log, where no node holds a global
// index.
//
// Example:
//   UserIdForUsername("J.Smith") == UserIdForUsername("j.smith")   // "user-<uuid>"
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "ledger/result.h"

namespace caseledger::ledger {

// ASCII lower case: usernames compare without regard to case.
std::string NormaliseUsername(std::string_view username);

// 3 to 64 characters of a-z, A-Z, 0-9, '.', '_', '-', '@', starting with a letter or digit.
// Errors: kInvalidArgument naming `field` (the value is never repeated).
Result<void> CheckUsername(std::string_view username, std::string_view field = "username");

// "user-<uuid>": a version 8 UUID from BLAKE2b over the normalised username.
std::string UserIdForUsername(std::string_view username);

// "apikey-<uuid>": a version 8 UUID from BLAKE2b over the key's 32-byte hash.
std::string ApiKeyIdForHash(std::string_view key_hash);

}  // namespace caseledger::ledger
