// Parsing request bodies and reading their fields with errors that name the field and the rule.
// No error ever quotes the body or a field's value (it may be personal data).
//
// Example:
//   BOOST_OUTCOME_TRY(auto body, ParseJsonBody(ctx.request, JsonLimits{}));
//   const boost::json::object& obj = body.as_object();
//   BOOST_OUTCOME_TRY(RejectUnknownFields(obj, {"description", "occurred_at", "priority"}));
//   BOOST_OUTCOME_TRY(auto description, RequireString(obj, "description", 4000));
//   BOOST_OUTCOME_TRY(auto priority, OptionalInt(obj, "priority", 1, 5));
//   // nested: WithFieldPrefix(error, "location") turns field "uprn" into "location.uprn"
//
// Thread safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "app/http/request.h"
#include "ledger/result.h"

namespace caseledger::app::http {

struct JsonLimits {
  std::size_t max_depth = 32;       // arrays and objects nested deeper fail
  std::size_t max_bytes = 1 << 20;  // bigger bodies fail with kResourceExhausted (→ 413)
  bool require_object = true;       // the top level must be an object
};

// Parses request.body. Errors (field "body"):
//   kInvalidArgument rule "must be valid JSON (<reason>)", e.g. "(syntax error at byte 17)",
//     "(empty body)", "(nested deeper than 32 levels)";
//   kInvalidArgument rule "must be a JSON object" when require_object and it is not;
//   kResourceExhausted rule "must be at most N bytes".
ledger::Result<boost::json::value> ParseJsonBody(const Request& request, JsonLimits limits);

// Strings are measured in Unicode code points and must be valid UTF-8 (the JSON parser
// guarantees this). Required strings must be non-empty.
// Errors (kInvalidArgument, field `name`): "is required", "must be a string",
// "must not be empty", "must be at most N characters".
ledger::Result<std::string> RequireString(const boost::json::object& obj, std::string_view name,
                                          std::size_t max_len);
// Absent or null → nullopt. Empty strings are allowed.
ledger::Result<std::optional<std::string>> OptionalString(const boost::json::object& obj,
                                                          std::string_view name,
                                                          std::size_t max_len);

// Integers (a JSON number with no fraction or exponent part that fits), within [min, max].
// Errors: "is required", "must be an integer", "must be between MIN and MAX".
ledger::Result<std::int64_t> RequireInt(
    const boost::json::object& obj, std::string_view name,
    std::int64_t min = std::numeric_limits<std::int64_t>::min(),
    std::int64_t max = std::numeric_limits<std::int64_t>::max());
ledger::Result<std::optional<std::int64_t>> OptionalInt(
    const boost::json::object& obj, std::string_view name,
    std::int64_t min = std::numeric_limits<std::int64_t>::min(),
    std::int64_t max = std::numeric_limits<std::int64_t>::max());

// Errors: "must be a boolean".
ledger::Result<std::optional<bool>> OptionalBool(const boost::json::object& obj,
                                                 std::string_view name);

// A nested object. Errors: "is required", "must be an object".
ledger::Result<const boost::json::object*> RequireObject(const boost::json::object& obj,
                                                         std::string_view name);
// Absent or null → nullptr.
ledger::Result<const boost::json::object*> OptionalObject(const boost::json::object& obj,
                                                          std::string_view name);

// Fails on the first member (in body order) whose name is not in `allowed`:
// kInvalidArgument field "<name>" rule "is not a known field". The reported name is cut to 64
// bytes, and characters outside [A-Za-z0-9_.-] become '?'; an empty name is reported as `""`.
ledger::Result<void> RejectUnknownFields(const boost::json::object& obj,
                                         std::initializer_list<std::string_view> allowed);

// `error` with its field prefixed: ("uprn", "location") → "location.uprn". Message updated.
ledger::Error WithFieldPrefix(ledger::Error error, std::string_view prefix);

}  // namespace caseledger::app::http
