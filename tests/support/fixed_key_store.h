// A KeyStore fake whose subject keys are derived from a fixed master key, so sealed values can be
// opened by any process that knows the master key: no key database needed. Used by the schema
// fixtures (tests/fixtures/events/README.md) and by tests that want to seal without a Store.
//
// Key derivation (do not change: committed fixtures depend on it):
//   subject key = BLAKE2b-256(key = master key, message = subject id)   [crypto_generichash]
// Every subject has exactly one key, version 1. Destroy() makes the subject's key unavailable
// (kNotFound) for this instance only.
//
// Thread safety: all methods are thread-safe.
#pragma once

#include <mutex>
#include <set>
#include <string>

#include "ledger/personal_data.h"

namespace caseledger::testing {

// The master key the committed fixtures were sealed under: bytes 0xc0, 0xc1, ..., 0xdf.
ledger::SecretKey FixtureMasterKey();

class FixedKeyStore final : public ledger::KeyStore {
 public:
  explicit FixedKeyStore(const ledger::SecretKey& master) : master_(master) {}

  ledger::Result<std::pair<std::uint32_t, ledger::SecretKey>> CurrentKey(
      std::string_view subject_id) override;
  ledger::Result<ledger::SecretKey> Key(std::string_view subject_id,
                                        std::uint32_t version) override;
  ledger::Result<void> Destroy(std::string_view subject_id) override;

  // The key of `subject_id`, whether or not it was destroyed.
  ledger::SecretKey Derive(std::string_view subject_id) const;

 private:
  const ledger::SecretKey master_;
  std::mutex mu_;
  std::set<std::string, std::less<>> destroyed_;
};

// A KeyStore fake that gives every subject the same key (version 1), so a test can show that a
// sealed value is bound to its subject id by the additional data alone, not by the key.
class SharedKeyStore final : public ledger::KeyStore {
 public:
  explicit SharedKeyStore(const ledger::SecretKey& key) : key_(key) {}

  ledger::Result<std::pair<std::uint32_t, ledger::SecretKey>> CurrentKey(
      std::string_view) override {
    return std::make_pair(std::uint32_t{1}, key_);
  }
  ledger::Result<ledger::SecretKey> Key(std::string_view, std::uint32_t version) override {
    if (version != 1) return ledger::MakeError(ledger::Code::kNotFound, "no such key");
    return key_;
  }
  ledger::Result<void> Destroy(std::string_view) override { return ledger::Ok(); }

 private:
  const ledger::SecretKey key_;
};

}  // namespace caseledger::testing
