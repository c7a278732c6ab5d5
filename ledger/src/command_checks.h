// Validation helpers shared by the command planners. Each returns kInvalidArgument naming the
// field and the rule; none puts the offending value in the message (it may be personal data).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/clock.h"
#include "ledger/commands.h"
#include "ledger/result.h"

namespace caseledger::ledger {

// `value` has min..max bytes and no control characters other than newline and tab.
Result<void> CheckText(std::string_view value, std::string_view field, std::size_t min,
                       std::size_t max);
// As CheckText with min 0, but single-line.
Result<void> CheckLine(std::string_view value, std::string_view field, std::size_t max);

// "<kind>-<uuid>" of one of `kinds` (any known kind when empty).
Result<void> CheckRecordId(std::string_view value, std::string_view field,
                           std::initializer_list<std::string_view> kinds = {});

// Between 1900-01-01 and ten minutes after now. `required` refuses 0.
Result<void> CheckTime(Micros t, std::string_view field, bool required, const Clock& clock);

Result<void> CheckLocation(const LocationInput& location, std::string_view field);
Result<void> CheckCoordinates(const Coordinates& c, std::string_view field);
Result<void> CheckPersonDetails(const PersonDetailsInput& details, std::string_view field,
                                const Clock& clock);

template <class E>
Result<void> CheckEnumGiven(E value, std::string_view field) {
  if (static_cast<int>(value) == 0) return InvalidField(std::string(field), "is required");
  return Ok();
}

Error NotFoundField(std::string_view field);

}  // namespace caseledger::ledger
