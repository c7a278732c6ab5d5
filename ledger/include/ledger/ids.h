// Identifiers: 16-byte UUIDs (event ids are UUIDv7, RFC 9562) and record ids of the form
// "<kind>-<uuid>", which are also the record's stream id.
//
// Example:
//   IdGenerator ids(SystemClock::Instance(), SystemRandom::Instance());
//   Uuid id = ids.Next();                        // time-ordered
//   std::string stream = RecordId("incident", ids.Next());  // "incident-0190..."
//
// Thread safety: IdGenerator and the RandomSource implementations are thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>

#include "ledger/clock.h"

namespace caseledger::ledger {

struct Uuid {
  std::array<std::uint8_t, 16> bytes{};

  bool IsNil() const;
  std::string ToString() const;  // 8-4-4-4-12 lower-case hex
  // Accepts the 36-character form; nullopt otherwise.
  static std::optional<Uuid> Parse(std::string_view text);
  // A version 8 (RFC 9562) UUID from the first 16 bytes of `digest` (at least 16 bytes): the
  // same digest always names the same UUID.
  static Uuid FromDigest(std::string_view digest);
  auto operator<=>(const Uuid&) const = default;
};

// Randomness is passed in so a test can replay a run from its seed.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void Fill(std::span<std::uint8_t> out) = 0;
};

// libsodium's randombytes (the kernel's CSPRNG).
class SystemRandom final : public RandomSource {
 public:
  SystemRandom();
  void Fill(std::span<std::uint8_t> out) override;
  static SystemRandom& Instance();
};

// Deterministic, for tests and the benchmark generator.
class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(std::uint64_t seed) : engine_(seed) {}
  void Fill(std::span<std::uint8_t> out) override;

 private:
  std::mutex mu_;
  std::mt19937_64 engine_;
};

// UUIDv7: 48-bit Unix milliseconds, then a 12-bit counter that keeps ids from one generator
// strictly increasing within a millisecond, then 62 random bits.
class IdGenerator {
 public:
  IdGenerator(const Clock& clock, RandomSource& random) : clock_(clock), random_(random) {}
  Uuid Next();

 private:
  const Clock& clock_;
  RandomSource& random_;
  std::mutex mu_;
  std::int64_t last_ms_ = -1;
  std::uint16_t counter_ = 0;
};

// Initialises libsodium once per process (its fast code paths and thread-safe randomness need it).
// Store::Open and SystemRandom call it; calling it again is cheap.
void InitialiseSodium();

// "<kind>-<uuid>". Kinds: incident, person, address, vehicle, link, case, grant, accessrequest,
// organisation, team, user, apikey, instrument (a risk instrument).
std::string RecordId(std::string_view kind, const Uuid& id);

// The kind of a record id ("incident" for "incident-0190..."); empty if the id is malformed.
std::string_view RecordKind(std::string_view record_id);

// True if `record_id` is "<kind>-<uuid>" with a known kind.
bool IsRecordId(std::string_view record_id);

}  // namespace caseledger::ledger
