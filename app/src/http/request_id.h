// Private: request ids. A client-supplied X-Request-Id is kept when it is 1 to 64 characters of
// [A-Za-z0-9._-] (so a proxy's id carries through); otherwise a random 128-bit hex id is made.
// Ids are for correlating logs only, never for security, so a per-thread generator seeded from
// std::random_device serves (no lock, no syscall per request).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace caseledger::app::http::internal {

std::string RequestIdFor(std::optional<std::string_view> client_supplied);

}  // namespace caseledger::app::http::internal
