#include "app/identity/passwords.h"

#include <sodium.h>

#include <mutex>

#include "ledger/ids.h"

namespace caseledger::app::identity {

ledger::Result<void> CheckPasswordPolicy(std::string_view password, std::string_view field) {
  if (password.size() < kMinPasswordLength || password.size() > kMaxPasswordLength) {
    return ledger::InvalidField(std::string(field), "must be 12 to 1024 bytes");
  }
  return ledger::Ok();
}

ledger::Result<std::string> HashPassword(std::string_view password, const PasswordParams& params) {
  ledger::InitialiseSodium();
  if (params.opslimit < kMinimumOpslimit || params.memlimit < kMinimumMemlimit) {
    return ledger::MakeError(ledger::Code::kInvalidArgument,
                             "argon2id parameters are below the OWASP minimum");
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), params.opslimit,
                            params.memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return ledger::MakeError(ledger::Code::kResourceExhausted,
                             "out of memory while hashing a password");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  ledger::InitialiseSodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string terminated(hash);  // crypto_pwhash_str_verify reads a C string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

void VerifyDummyPassword(std::string_view password) {
  static std::once_flag once;
  static std::string dummy;
  std::call_once(once, [] {
    auto hash = HashPassword(GeneratePassword());
    if (hash) dummy = std::move(hash).value();
  });
  (void)VerifyPassword(dummy, password);
}

std::string GeneratePassword(std::size_t length) {
  ledger::InitialiseSodium();
  static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
  std::string out;
  out.reserve(length);
  for (std::size_t i = 0; i < length; ++i) {
    out.push_back(kAlphabet[randombytes_uniform(sizeof kAlphabet - 1)]);
  }
  return out;
}

}  // namespace caseledger::app::identity
