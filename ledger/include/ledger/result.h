// Errors as values. Every fallible call in caseledger returns Result<T>; no exception crosses a
// library boundary. An Error carries a code a caller can act on, a message fit for a log line
// (never personal data), and for bad input the field and the rule it broke.
//
// Example:
//   Result<Head> head = log.Head(stream);
//   if (!head) return head.error();              // or: BOOST_OUTCOME_TRY(auto h, log.Head(stream));
#pragma once

#include <boost/outcome/result.hpp>
#include <boost/outcome/try.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace caseledger::ledger {

enum class Code {
  kInvalidArgument,   // bad input: `field` and `rule` say which and why; nothing was written
  kVersionConflict,   // the stream is not at the expected version: reload and retry
  kNotFound,          // no such record (or the caller may not know it exists)
  kAlreadyExists,     // a record with that id exists
  kIdempotencyMismatch,  // an idempotency key was reused for a different command
  kUnauthenticated,   // no valid identity
  kPermissionDenied,  // identity known, action not allowed
  kCorruption,        // stored or received bytes fail verification
  kUnavailable,       // a dependency is down or overloaded: retry later
  kTimeout,           // gave up waiting; the outcome may be unknown
  kFenced,            // another writer took over: this one stops writing
  kWrongNode,         // another node writes that record (Kafka, partitions split between nodes)
  kIOError,           // the disk failed the request
  kResourceExhausted, // a size, rate or depth limit was exceeded
  kInternal,          // our own bug
};

std::string_view CodeName(Code code);

struct Error {
  Code code = Code::kInternal;
  std::string message;
  std::string field;              // kInvalidArgument: the offending field, e.g. "location.uprn"
  std::string rule;               // kInvalidArgument: the rule, e.g. "must be 1 to 12 digits"
  std::uint64_t current_version = 0;  // kVersionConflict: the stream's head

  // "kInvalidArgument: location.uprn must be 1 to 12 digits" style text for logs and CLI output.
  std::string ToString() const;
};

template <class T>
using Result = BOOST_OUTCOME_V2_NAMESPACE::result<T, Error, BOOST_OUTCOME_V2_NAMESPACE::policy::terminate>;

inline Result<void> Ok() { return BOOST_OUTCOME_V2_NAMESPACE::success(); }

inline Error MakeError(Code code, std::string message) {
  Error e;
  e.code = code;
  e.message = std::move(message);
  return e;
}

// A bad-input error naming the field and the rule it broke.
inline Error InvalidField(std::string field, std::string rule) {
  Error e;
  e.code = Code::kInvalidArgument;
  e.message = field + " " + rule;
  e.field = std::move(field);
  e.rule = std::move(rule);
  return e;
}

inline Error Conflict(std::uint64_t current_version, std::uint64_t expected_version) {
  Error e;
  e.code = Code::kVersionConflict;
  e.message = "stream is at version " + std::to_string(current_version) + ", expected " +
              std::to_string(expected_version);
  e.current_version = current_version;
  return e;
}

}  // namespace caseledger::ledger
