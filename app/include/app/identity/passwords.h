// Password hashing: argon2id through libsodium's crypto_pwhash_str (docs/identity.md).
//
// Default cost: 3 passes over 64 MiB, one lane (libsodium's parallelism) — above the OWASP
// minimum for argon2id (19 MiB with 2 passes) at about 0.1-0.3 s on one core. The parameters
// and a random salt are encoded in the hash string ("$argon2id$v=19$m=65536,t=3,p=1$..."), so a
// stronger default later still verifies every older hash.
//
// Hashing is deliberately slow and memory-hungry: never call these on an io thread (the server
// runs them on Identity's worker pool).
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/result.h"

namespace caseledger::app::identity {

struct PasswordParams {
  std::uint64_t opslimit = 3;         // passes (argon2 t)
  std::size_t memlimit = 64u << 20;   // bytes (argon2 m)
};

// The OWASP floor the defaults must stay above: 2 passes over 19 MiB.
inline constexpr std::uint64_t kMinimumOpslimit = 2;
inline constexpr std::size_t kMinimumMemlimit = 19u << 20;

inline constexpr std::size_t kMinPasswordLength = 12;
inline constexpr std::size_t kMaxPasswordLength = 1024;

// 12 to 1024 bytes. Errors: kInvalidArgument naming `field` (never repeating the password).
ledger::Result<void> CheckPasswordPolicy(std::string_view password,
                                         std::string_view field = "password");

// The crypto_pwhash_str string. Errors: kInvalidArgument (params below the minimum),
// kResourceExhausted (out of memory).
ledger::Result<std::string> HashPassword(std::string_view password,
                                         const PasswordParams& params = {});

// True when `password` matches `hash`; false for a wrong password or a malformed hash.
bool VerifyPassword(std::string_view hash, std::string_view password);

// Runs one verification against a fixed hash, so that a login for an unknown username takes as
// long as one for a known username with a wrong password.
void VerifyDummyPassword(std::string_view password);

// A random password of `length` characters (letters and digits, no look-alikes), for generated
// credentials (create-admin, the demo).
std::string GeneratePassword(std::size_t length = 20);

}  // namespace caseledger::app::identity
