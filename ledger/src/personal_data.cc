#include "ledger/personal_data.h"

#include <sodium.h>

#include "schemas/common_generated.h"

namespace caseledger::ledger {

Result<SealedValue> PersonalData::Seal(std::string_view subject_id, std::string_view plaintext) {
  if (subject_id.empty()) return InvalidField("subject_id", "must not be empty");
  BOOST_OUTCOME_TRY(auto current, keys_.CurrentKey(subject_id));
  SealedValue out;
  out.subject_id = subject_id;
  out.key_version = current.first;
  out.nonce.resize(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  random_.Fill({reinterpret_cast<std::uint8_t*>(out.nonce.data()), out.nonce.size()});
  out.ciphertext.resize(plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(out.ciphertext.data()), &written,
      reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
      reinterpret_cast<const unsigned char*>(subject_id.data()), subject_id.size(), nullptr,
      reinterpret_cast<const unsigned char*>(out.nonce.data()), current.second.data());
  out.ciphertext.resize(written);
  return out;
}

Result<std::string> PersonalData::Open(const SealedValue& sealed) {
  if (sealed.nonce.size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES ||
      sealed.ciphertext.size() < crypto_aead_xchacha20poly1305_ietf_ABYTES) {
    return MakeError(Code::kCorruption, "sealed value: malformed nonce or ciphertext");
  }
  BOOST_OUTCOME_TRY(auto key, keys_.Key(sealed.subject_id, sealed.key_version));
  std::string plaintext(sealed.ciphertext.size() - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plaintext.data()), &written, nullptr,
          reinterpret_cast<const unsigned char*>(sealed.ciphertext.data()),
          sealed.ciphertext.size(), reinterpret_cast<const unsigned char*>(sealed.subject_id.data()),
          sealed.subject_id.size(), reinterpret_cast<const unsigned char*>(sealed.nonce.data()),
          key.data()) != 0) {
    return MakeError(Code::kCorruption, "sealed value: authentication failed");
  }
  plaintext.resize(written);
  return plaintext;
}

Result<std::string> PersonalData::Open(const schema::Sealed& sealed) {
  SealedValue value;
  if (sealed.subject_id() != nullptr) value.subject_id = sealed.subject_id()->str();
  value.key_version = sealed.key_version();
  if (sealed.nonce() != nullptr) {
    value.nonce.assign(reinterpret_cast<const char*>(sealed.nonce()->data()), sealed.nonce()->size());
  }
  if (sealed.ciphertext() != nullptr) {
    value.ciphertext.assign(reinterpret_cast<const char*>(sealed.ciphertext()->data()),
                            sealed.ciphertext()->size());
  }
  return Open(value);
}

}  // namespace caseledger::ledger
