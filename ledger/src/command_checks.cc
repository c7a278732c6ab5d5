#include "command_checks.h"

#include <fmt/format.h>

#include "ledger/ids.h"
#include "ledger/time_format.h"

namespace caseledger::ledger {
namespace {

constexpr Micros kEarliest = -2'208'988'800'000'000;  // 1900-01-01T00:00:00Z
constexpr Micros kFutureSlack = 10 * 60 * 1'000'000LL;

}  // namespace

Result<void> CheckText(std::string_view value, std::string_view field, std::size_t min,
                       std::size_t max) {
  if (value.size() < min || value.size() > max) {
    return InvalidField(std::string(field),
                        min == 0 ? fmt::format("must be at most {} bytes", max)
                                 : fmt::format("must be {} to {} bytes", min, max));
  }
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n' && c != '\t' && c != '\r') || u == 0x7f) {
      return InvalidField(std::string(field), "must not contain control characters");
    }
  }
  return Ok();
}

Result<void> CheckLine(std::string_view value, std::string_view field, std::size_t max) {
  BOOST_OUTCOME_TRY(CheckText(value, field, 0, max));
  if (value.find_first_of("\r\n") != std::string_view::npos) {
    return InvalidField(std::string(field), "must be a single line");
  }
  return Ok();
}

Result<void> CheckRecordId(std::string_view value, std::string_view field,
                           std::initializer_list<std::string_view> kinds) {
  if (value.empty()) return InvalidField(std::string(field), "is required");
  if (!IsRecordId(value)) {
    return InvalidField(std::string(field), "must be a record id such as incident-<uuid>");
  }
  if (kinds.size() == 0) return Ok();
  std::string_view kind = RecordKind(value);
  std::string allowed;
  for (std::string_view k : kinds) {
    if (k == kind) return Ok();
    if (!allowed.empty()) allowed += ", ";
    allowed += k;
  }
  return InvalidField(std::string(field), "must be the id of a record of kind " + allowed);
}

Result<void> CheckTime(Micros t, std::string_view field, bool required, const Clock& clock) {
  if (t == 0) {
    if (required) return InvalidField(std::string(field), "is required");
    return Ok();
  }
  if (t < kEarliest) return InvalidField(std::string(field), "must not be before 1900");
  if (t > clock.NowMicros() + kFutureSlack) {
    return InvalidField(std::string(field), "must not be in the future");
  }
  return Ok();
}

Result<void> CheckCoordinates(const Coordinates& c, std::string_view field) {
  if (!(c.latitude >= -90 && c.latitude <= 90)) {
    return InvalidField(std::string(field) + ".latitude", "must be between -90 and 90");
  }
  if (!(c.longitude >= -180 && c.longitude <= 180)) {
    return InvalidField(std::string(field) + ".longitude", "must be between -180 and 180");
  }
  return Ok();
}

Result<void> CheckLocation(const LocationInput& l, std::string_view field) {
  std::string f(field);
  if (l.uprn == 0 && l.address_id.empty() && l.text.empty() && !l.coordinates) {
    return InvalidField(f, "must give a uprn, an address_id, coordinates or text");
  }
  if (l.uprn > 999'999'999'999ULL) return InvalidField(f + ".uprn", "must be 1 to 12 digits");
  if (!l.address_id.empty()) {
    BOOST_OUTCOME_TRY(CheckRecordId(l.address_id, f + ".address_id", {"address"}));
  }
  BOOST_OUTCOME_TRY(CheckLine(l.text, f + ".text", 500));
  if (l.coordinates) {
    BOOST_OUTCOME_TRY(CheckCoordinates(*l.coordinates, f + ".coordinates"));
  }
  return Ok();
}

Result<void> CheckPersonDetails(const PersonDetailsInput& d, std::string_view field,
                                const Clock& clock) {
  std::string f(field);
  if (d.names.empty()) return InvalidField(f + "names", "must hold at least one name");
  if (d.names.size() > 20) return InvalidField(f + "names", "must hold at most 20 names");
  for (std::size_t i = 0; i < d.names.size(); ++i) {
    std::string at = fmt::format("{}names[{}]", f, i);
    if (d.names[i].given.empty() && d.names[i].family.empty()) {
      return InvalidField(at, "must give a given or a family name");
    }
    BOOST_OUTCOME_TRY(CheckLine(d.names[i].given, at + ".given", 100));
    BOOST_OUTCOME_TRY(CheckLine(d.names[i].family, at + ".family", 100));
  }
  if (d.aliases.size() > 20) return InvalidField(f + "aliases", "must hold at most 20 aliases");
  for (std::size_t i = 0; i < d.aliases.size(); ++i) {
    BOOST_OUTCOME_TRY(CheckText(d.aliases[i], fmt::format("{}aliases[{}]", f, i), 1, 100));
  }
  if (!d.date_of_birth.empty()) {
    BOOST_OUTCOME_TRY(auto days, ParseDate(d.date_of_birth, f + "date_of_birth"));
    if (Micros{days} * 86'400'000'000LL > clock.NowMicros()) {
      return InvalidField(f + "date_of_birth", "must not be in the future");
    }
  }
  BOOST_OUTCOME_TRY(CheckLine(d.phone, f + "phone", 32));
  for (char c : d.phone) {
    if (!((c >= '0' && c <= '9') || c == '+' || c == ' ' || c == '(' || c == ')' || c == '-')) {
      return InvalidField(f + "phone", "must hold only digits, spaces and + ( ) -");
    }
  }
  BOOST_OUTCOME_TRY(CheckLine(d.email, f + "email", 254));
  if (!d.email.empty() && (d.email.find('@') == std::string::npos || d.email.front() == '@' ||
                           d.email.back() == '@')) {
    return InvalidField(f + "email", "must be an email address");
  }
  BOOST_OUTCOME_TRY(CheckLine(d.address_text, f + "address_text", 500));
  if (d.vulnerabilities.size() > 50) {
    return InvalidField(f + "vulnerabilities", "must hold at most 50 entries");
  }
  for (std::size_t i = 0; i < d.vulnerabilities.size(); ++i) {
    BOOST_OUTCOME_TRY(
        CheckText(d.vulnerabilities[i], fmt::format("{}vulnerabilities[{}]", f, i), 1, 200));
  }
  return Ok();
}

Error NotFoundField(std::string_view field) {
  Error e = MakeError(Code::kNotFound, std::string(field) + " names no record you can see");
  e.field = field;
  e.rule = "must name an existing record";
  return e;
}

}  // namespace caseledger::ledger
