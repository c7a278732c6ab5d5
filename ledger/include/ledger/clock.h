// Time is passed in, never read from the system directly, so tests can replay a history.
// All times in caseledger are microseconds since the Unix epoch, UTC.
// Thread safety: implementations are thread-safe.
#pragma once

#include <atomic>
#include <cstdint>

namespace caseledger::ledger {

using Micros = std::int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Micros NowMicros() const = 0;
};

// The wall clock (CLOCK_REALTIME).
class SystemClock final : public Clock {
 public:
  Micros NowMicros() const override;
  static const SystemClock& Instance();
};

// A clock that moves only when told to. Starts at `start`.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Micros start) : now_(start) {}
  Micros NowMicros() const override { return now_.load(); }
  void Advance(Micros delta) { now_ += delta; }
  void Set(Micros now) { now_ = now; }

 private:
  std::atomic<Micros> now_;
};

}  // namespace caseledger::ledger
