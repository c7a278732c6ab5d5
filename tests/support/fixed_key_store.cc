#include "support/fixed_key_store.h"

#include <sodium.h>

namespace caseledger::testing {

using ledger::Code;
using ledger::MakeError;
using ledger::Result;
using ledger::SecretKey;

SecretKey FixtureMasterKey() {
  SecretKey key;
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(0xc0 + i);
  return key;
}

SecretKey FixedKeyStore::Derive(std::string_view subject_id) const {
  SecretKey key;
  crypto_generichash(key.data(), key.size(),
                     reinterpret_cast<const unsigned char*>(subject_id.data()), subject_id.size(),
                     master_.data(), master_.size());
  return key;
}

Result<std::pair<std::uint32_t, SecretKey>> FixedKeyStore::CurrentKey(std::string_view subject_id) {
  std::lock_guard lock(mu_);
  if (destroyed_.count(subject_id) > 0) return MakeError(Code::kNotFound, "destroyed");
  return std::make_pair(std::uint32_t{1}, Derive(subject_id));
}

Result<SecretKey> FixedKeyStore::Key(std::string_view subject_id, std::uint32_t version) {
  std::lock_guard lock(mu_);
  if (version != 1 || destroyed_.count(subject_id) > 0) {
    return MakeError(Code::kNotFound, "no such key");
  }
  return Derive(subject_id);
}

Result<void> FixedKeyStore::Destroy(std::string_view subject_id) {
  std::lock_guard lock(mu_);
  destroyed_.emplace(subject_id);
  return ledger::Ok();
}

}  // namespace caseledger::testing
