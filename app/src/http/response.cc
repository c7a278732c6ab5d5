#include "app/http/response.h"

#include <boost/json/serialize.hpp>

namespace caseledger::app::http {

namespace {

using ledger::Code;

// The client-facing message for server-side failures: their own message may name files,
// brokers or internal state, so it goes to the log, not the client.
std::string_view PublicServerMessage(Code code) {
  switch (code) {
    case Code::kUnavailable:
      return "service temporarily unavailable; retry later";
    case Code::kTimeout:
      return "timed out; the outcome may be unknown";
    case Code::kFenced:
      return "this node is no longer the writer; retry later";
    case Code::kCorruption:
      return "internal error (stored data failed verification)";
    case Code::kIOError:
      return "internal error (storage failure)";
    default:
      return "internal error";
  }
}

}  // namespace

Response JsonResponse(int status, const boost::json::value& value) {
  Response response;
  response.status = status;
  response.body = boost::json::serialize(value);
  return response;
}

Response TextResponse(int status, std::string body, std::string content_type) {
  Response response;
  response.status = status;
  response.content_type = std::move(content_type);
  response.body = std::move(body);
  return response;
}

ledger::Error RateLimitError() {
  ledger::Error error = ledger::MakeError(Code::kResourceExhausted, "too many requests");
  error.rule = std::string(kRateLimitRule);
  return error;
}

bool IsRateLimitError(const ledger::Error& error) {
  return error.code == Code::kResourceExhausted && error.rule == kRateLimitRule;
}

int HttpStatusFor(const ledger::Error& error) {
  switch (error.code) {
    case Code::kInvalidArgument:
      return 400;
    case Code::kUnauthenticated:
      return 401;
    case Code::kPermissionDenied:
      return 403;
    case Code::kNotFound:
      return 404;
    case Code::kVersionConflict:
      return 409;
    case Code::kAlreadyExists:
      return 409;
    case Code::kIdempotencyMismatch:
      return 422;
    case Code::kResourceExhausted:
      return IsRateLimitError(error) ? 429 : 413;
    case Code::kUnavailable:
      return 503;
    case Code::kFenced:
      return 503;
    case Code::kWrongNode:
      return 421;
    case Code::kTimeout:
      return 504;
    case Code::kCorruption:
    case Code::kIOError:
    case Code::kInternal:
      return 500;
  }
  return 500;
}

boost::json::object ErrorObject(const ledger::Error& error) {
  boost::json::object obj;
  std::string_view code = ledger::CodeName(error.code);
  obj["code"] = code;
  if (HttpStatusFor(error) >= 500) {
    obj["message"] = PublicServerMessage(error.code);
    return obj;
  }
  if (!error.message.empty()) obj["message"] = error.message;
  if (!error.field.empty()) obj["field"] = error.field;
  if (!error.rule.empty()) obj["rule"] = error.rule;
  if (error.code == Code::kVersionConflict) obj["current_version"] = error.current_version;
  return obj;
}

Response ErrorResponse(const ledger::Error& error) {
  boost::json::object root;
  root["error"] = ErrorObject(error);
  Response response = JsonResponse(HttpStatusFor(error), root);
  if (error.code == Code::kUnauthenticated) {
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
  }
  return response;
}

Response RateLimitedResponse(int retry_after_seconds) {
  Response response = ErrorResponse(RateLimitError());
  response.headers.emplace_back("Retry-After",
                                std::to_string(retry_after_seconds < 1 ? 1 : retry_after_seconds));
  return response;
}

}  // namespace caseledger::app::http
