// RFC 3339 timestamps <-> microseconds since the Unix epoch (UTC).
//
// Example:
//   Result<Micros> t = ParseTimestamp("2026-11-26T20:22:04.5Z");   // 1795724524500000
//   FormatTimestamp(t.value()) == "2026-11-26T20:22:04.500000Z"
#pragma once

#include <string>
#include <string_view>

#include "ledger/clock.h"
#include "ledger/result.h"

namespace caseledger::ledger {

// Accepts "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)" (T or space), years 1900..9999.
// Errors: kInvalidArgument with field `field` and a rule stating the format.
Result<Micros> ParseTimestamp(std::string_view text, std::string_view field = "timestamp");

// Always "YYYY-MM-DDTHH:MM:SS.ffffffZ".
std::string FormatTimestamp(Micros t);

// Accepts "YYYY-MM-DD" with a real calendar date. Returns days since the epoch.
Result<std::int32_t> ParseDate(std::string_view text, std::string_view field = "date");

}  // namespace caseledger::ledger
