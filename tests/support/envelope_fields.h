// Comparing ledger::EnvelopeFields in tests, with a message naming the first field that differs.
#pragma once

#include <gtest/gtest.h>

#include "ledger/envelope.h"

namespace caseledger::testing {

// Success when every field of `a` equals the same field of `b`.
::testing::AssertionResult SameEnvelopeFields(const ledger::EnvelopeFields& a,
                                              const ledger::EnvelopeFields& b);

// Envelope fields with every field set to a distinct non-default value.
ledger::EnvelopeFields SampleEnvelopeFields();

}  // namespace caseledger::testing
