// Reading the committed schema fixtures in tests/fixtures/events (see the README there).
// Header-only: it needs CASELEDGER_SOURCE_DIR, which tests/CMakeLists.txt defines for test
// binaries only.
#pragma once

#include <fstream>
#include <iterator>
#include <optional>
#include <string>

#include "ledger/envelope.h"

#ifndef CASELEDGER_SOURCE_DIR
#error "support/fixtures.h needs CASELEDGER_SOURCE_DIR"
#endif

namespace caseledger::testing {

// tests/fixtures/events/<event_type>.v<version>.bin under the source tree.
inline std::string FixturePath(ledger::EventType type, int version = 1) {
  return std::string(CASELEDGER_SOURCE_DIR) + "/tests/fixtures/events/" +
         std::string(ledger::EventTypeName(type)) + ".v" + std::to_string(version) + ".bin";
}

// The fixture's bytes; nullopt when there is no such file.
inline std::optional<std::string> ReadFixture(ledger::EventType type, int version = 1) {
  std::ifstream in(FixturePath(type, version), std::ios::binary);
  if (!in) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace caseledger::testing
