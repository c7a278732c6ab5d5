// Assertions on ledger::Result values that print the error when they fail.
//
// Example:
//   ASSERT_OK(log.Head("incident-1"));
//   ASSERT_OK_AND_ASSIGN(auto head, log.Head("incident-1"));
//   EXPECT_ERROR_CODE(log.Append(request), ledger::Code::kVersionConflict);
#pragma once

#include <gtest/gtest.h>

#include <ostream>

#include "ledger/event.h"
#include "ledger/ids.h"
#include "ledger/result.h"

namespace caseledger::ledger {

// So GoogleTest prints codes, errors, positions and ids readably.
inline void PrintTo(Code code, std::ostream* os) { *os << CodeName(code); }
inline void PrintTo(const Position& p, std::ostream* os) { *os << p.ToString(); }
inline void PrintTo(const Uuid& id, std::ostream* os) { *os << id.ToString(); }

inline void PrintTo(const Error& e, std::ostream* os) {
  *os << e.ToString();
  if (!e.field.empty()) *os << " [field " << e.field << "]";
}

}  // namespace caseledger::ledger

namespace caseledger::testing {

template <class T>
std::string Describe(const ledger::Result<T>& r) {
  if (r) return "ok";
  std::string out = r.error().ToString();
  if (!r.error().field.empty()) out += " [field " + r.error().field + "]";
  return out;
}

template <class T>
::testing::AssertionResult HasErrorCode(const ledger::Result<T>& r, ledger::Code expected) {
  if (r) {
    return ::testing::AssertionFailure() << "succeeded; expected " << ledger::CodeName(expected);
  }
  if (r.error().code != expected) {
    return ::testing::AssertionFailure()
           << "failed with " << Describe(r) << "; expected " << ledger::CodeName(expected);
  }
  return ::testing::AssertionSuccess();
}

}  // namespace caseledger::testing

#define CASELEDGER_TEST_CONCAT_INNER(a, b) a##b
#define CASELEDGER_TEST_CONCAT(a, b) CASELEDGER_TEST_CONCAT_INNER(a, b)

#define ASSERT_OK(expr)                                                                     \
  do {                                                                                      \
    const auto& caseledger_result_ = (expr);                                                \
    ASSERT_TRUE(caseledger_result_) << ::caseledger::testing::Describe(caseledger_result_); \
  } while (0)

#define EXPECT_OK(expr)                                                                     \
  do {                                                                                      \
    const auto& caseledger_result_ = (expr);                                                \
    EXPECT_TRUE(caseledger_result_) << ::caseledger::testing::Describe(caseledger_result_); \
  } while (0)

#define ASSERT_OK_AND_ASSIGN_IMPL(tmp, lhs, expr)           \
  auto tmp = (expr);                                        \
  ASSERT_TRUE(tmp) << ::caseledger::testing::Describe(tmp); \
  lhs = std::move(tmp).value()

#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL(CASELEDGER_TEST_CONCAT(caseledger_result_, __LINE__), lhs, expr)

// Checks that `expr` failed with `expected_code`; streams like any EXPECT_.
#define EXPECT_ERROR_CODE(expr, expected_code) \
  EXPECT_TRUE(::caseledger::testing::HasErrorCode((expr), (expected_code)))
#define ASSERT_ERROR_CODE(expr, expected_code) \
  ASSERT_TRUE(::caseledger::testing::HasErrorCode((expr), (expected_code)))
