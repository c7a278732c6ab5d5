// What a handler answers, and the helpers that build the common shapes.
//
// Error bodies have one shape everywhere:
//   {"error":{"code":"version_conflict","message":"...","current_version":7}}
// with "field" and "rule" for kInvalidArgument. Messages of 5xx errors are replaced by a fixed
// text per code, so internal details (paths, broker names) never reach a client. Error bodies
// never echo request content: personal data must not appear in errors or logs.
//
// Thread safety: plain values and pure functions.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/result.h"

namespace caseledger::app::http {

inline constexpr std::string_view kJsonContentType = "application/json";

struct Response {
  int status = 200;
  std::string content_type = std::string(kJsonContentType);
  std::string body{};
  // Extra headers (Location, ETag, Retry-After, ...). The server sets Content-Type,
  // Content-Length, Connection, Date and X-Request-Id itself, and Cache-Control: no-store
  // unless one is given here.
  std::vector<std::pair<std::string, std::string>> headers{};
};

// `value` serialised as the body, Content-Type application/json.
Response JsonResponse(int status, const boost::json::value& value);

// A text/plain body (health checks, metrics use their own content type).
Response TextResponse(int status, std::string body,
                      std::string content_type = "text/plain; charset=utf-8");

// The HTTP status for an error code:
//   kInvalidArgument 400, kUnauthenticated 401, kPermissionDenied 403, kNotFound 404,
//   kVersionConflict 409, kAlreadyExists 409, kIdempotencyMismatch 422,
//   kResourceExhausted 413 (size or depth) or 429 (rate; see IsRateLimitError),
//   kCorruption/kIOError/kInternal 500, kUnavailable 503, kFenced 503, kWrongNode 421, kTimeout 504.
int HttpStatusFor(const ledger::Error& error);

// The rule that marks a kResourceExhausted error as a rate limit (→ 429, not 413).
inline constexpr std::string_view kRateLimitRule = "rate limit";

// A kResourceExhausted error whose rule is kRateLimitRule.
ledger::Error RateLimitError();
bool IsRateLimitError(const ledger::Error& error);

// The JSON error response for `error`, status from HttpStatusFor. kUnauthenticated adds
// WWW-Authenticate: Bearer.
Response ErrorResponse(const ledger::Error& error);

// 429 with Retry-After: `retry_after_seconds` (at least 1).
Response RateLimitedResponse(int retry_after_seconds);

// The JSON object {"code":...,...} inside "error", for callers that embed errors (batch results).
boost::json::object ErrorObject(const ledger::Error& error);

}  // namespace caseledger::app::http
