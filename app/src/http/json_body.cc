#include <boost/json/error.hpp>
#include <boost/json/stream_parser.hpp>

#include "app/http/json_fields.h"

namespace caseledger::app::http {

namespace {

ledger::Error InvalidBody(std::string_view reason) {
  return ledger::InvalidField("body", "must be valid JSON (" + std::string(reason) + ")");
}

}  // namespace

ledger::Result<boost::json::value> ParseJsonBody(const Request& request, JsonLimits limits) {
  const std::string& body = request.body;
  if (body.size() > limits.max_bytes) {
    ledger::Error error = ledger::InvalidField(
        "body", "must be at most " + std::to_string(limits.max_bytes) + " bytes");
    error.code = ledger::Code::kResourceExhausted;
    return error;
  }
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return InvalidBody("empty body");

  boost::json::parse_options options;
  options.max_depth = limits.max_depth;
  boost::json::stream_parser parser({}, options);
  boost::system::error_code ec;
  std::size_t consumed = parser.write(body.data(), body.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    if (ec == boost::json::error::too_deep) {
      return InvalidBody("nested deeper than " + std::to_string(limits.max_depth) + " levels");
    }
    if (ec == boost::json::error::incomplete) return InvalidBody("incomplete JSON");
    return InvalidBody(ec.message() + " at byte " + std::to_string(consumed));
  }
  boost::json::value value = parser.release();
  if (limits.require_object && !value.is_object()) {
    return ledger::InvalidField("body", "must be a JSON object");
  }
  return value;
}

}  // namespace caseledger::app::http
