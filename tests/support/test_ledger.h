// A ledger node for tests: a Store at a path, its embedded event log, the embedded key store
// (wrapped by a fixed test master key) and PersonalData, all driven by a ManualClock and seeded
// randomness, so a failure replays from the same inputs.
//
// Example:
//   TempDir dir;
//   auto node = TestLedger::Open(dir.Path("db"));
//   ASSERT_NE(node, nullptr);
//   auto result = node->log().Append(OneStream(StreamId("incident", 1), ledger::kNoStream, {...}));
//   node.reset();                                    // close log, then store
//   node = TestLedger::Open(dir.Path("db"));         // and reopen
//
// Thread safety: the accessors are thread-safe; Open and destruction are not.
#pragma once

#include <memory>
#include <string>

#include "ledger/clock.h"
#include "ledger/deferred_writes.h"
#include "ledger/embedded_log.h"
#include "ledger/event_log.h"
#include "ledger/ids.h"
#include "ledger/personal_data.h"
#include "ledger/store.h"

namespace caseledger::testing {

// 2026-01-01T00:00:00Z: where test clocks start unless told otherwise.
inline constexpr ledger::Micros kTestEpoch = 1'767'225'600'000'000;

// The master key test ledgers wrap subject keys with: bytes 0x01..0x20.
ledger::SecretKey TestMasterKey();

class TestLedger {
 public:
  // Opens (creating if needed) the ledger at `path`. On error, fails the current test and returns
  // nullptr.
  static std::unique_ptr<TestLedger> Open(const std::string& path,
                                          ledger::Micros clock_start = kTestEpoch,
                                          ledger::EmbeddedLogOptions options = {},
                                          std::uint64_t seed = 1);
  ~TestLedger();

  TestLedger(const TestLedger&) = delete;
  TestLedger& operator=(const TestLedger&) = delete;

  ledger::ManualClock& clock() { return clock_; }
  ledger::Store& store() { return *store_; }
  ledger::EventLog& log() { return *log_; }
  ledger::KeyStore& keys() { return *keys_; }
  ledger::PersonalData& personal_data() { return *personal_data_; }
  ledger::RandomSource& random() { return random_; }

 private:
  TestLedger(ledger::Micros clock_start, std::uint64_t seed) : clock_(clock_start), random_(seed) {}

  // Declared in opening order; destroyed in reverse (the log before the store).
  ledger::ManualClock clock_;
  ledger::SeededRandom random_;
  std::unique_ptr<ledger::Store> store_;
  std::unique_ptr<ledger::DeferredWrites> deferred_writes_;
  std::unique_ptr<ledger::EventLog> log_;
  std::unique_ptr<ledger::KeyStore> keys_;
  std::unique_ptr<ledger::PersonalData> personal_data_;
};

}  // namespace caseledger::testing
