// Personal data sealed per data subject (docs/design.md decision 7).
//
// Each data subject (a person, an incident, a case: whichever record the data is about) has its
// own 256-bit key. Keys are stored wrapped by the node's master key (XChaCha20-Poly1305) in the
// key store; personal fields are sealed with XChaCha20-Poly1305-IETF under the subject's key with
// the subject id as additional data. Destroying a subject's keys (crypto-shredding) makes its
// sealed data unreadable everywhere, while the events' hashes still verify.
//
// Example:
//   auto keys = OpenEmbeddedKeyStore(store, master_key);
//   PersonalData pd(*keys, SystemRandom::Instance());
//   auto sealed = pd.Seal("person-0190...", plaintext);     // to put in a Sealed field
//   auto text = pd.Open(*event_payload->details());        // kNotFound once disposed
//
// Thread safety: all classes are thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/ids.h"
#include "ledger/result.h"
#include "ledger/store.h"

namespace caseledger::schema {
struct Sealed;
}

namespace caseledger::ledger {

class DeferredWrites;

inline constexpr std::size_t kKeySize = 32;
using SecretKey = std::array<std::uint8_t, kKeySize>;

// Reads a master key file (32 raw bytes, or 64 hex characters). With `create`, a missing file is
// created with a fresh random key and mode 0600.
Result<SecretKey> LoadMasterKey(const std::string& path, bool create);

class KeyStore {
 public:
  virtual ~KeyStore() = default;
  // The subject's current key, created (and stored before this returns) when it has none.
  // Errors: kNotFound when the subject's keys were destroyed; kIOError.
  virtual Result<std::pair<std::uint32_t, SecretKey>> CurrentKey(std::string_view subject_id) = 0;
  // A given key version. Errors: kNotFound (never existed or destroyed), kCorruption, kIOError.
  virtual Result<SecretKey> Key(std::string_view subject_id, std::uint32_t version) = 0;
  // Destroys every key of the subject, durably. Idempotent.
  virtual Result<void> Destroy(std::string_view subject_id) = 0;
};

// Where a key store copies each change of its "keys" family before making it, so other nodes
// holding the same master key can open what this one sealed (Kafka: the keys topic, which every
// node's replica copies back into its own "keys" family). Both calls return once the change is
// durable there.
class KeyMirror {
 public:
  virtual ~KeyMirror() = default;
  virtual Result<void> Put(std::string_view key, std::string_view value) = 0;
  virtual Result<void> Erase(std::string_view key) = 0;
};

// Keys in the store's "keys" family, wrapped by `master_key`. A new key is written without a
// sync of its own: the append that first uses it syncs the shared WAL, which makes the key
// durable no later than the event that needs it. With a `mirror` (which must outlive the store),
// every new key and destruction is made durable there first.
std::unique_ptr<KeyStore> OpenEmbeddedKeyStore(Store& store, const SecretKey& master_key,
                                               KeyMirror* mirror = nullptr);
// As above, with each new key written in the next batch of the event log that takes `deferred`
// (EmbeddedLogOptions::deferred_writes), beside the first event sealed with it, instead of by a
// Put of its own. `deferred` must outlive the store.
std::unique_ptr<KeyStore> OpenEmbeddedKeyStore(Store& store, const SecretKey& master_key,
                                               DeferredWrites& deferred);

// The parts of a sealed value, as stored in a schema::Sealed table.
struct SealedValue {
  std::string subject_id;
  std::uint32_t key_version = 0;
  std::string nonce;       // 24 bytes
  std::string ciphertext;  // plaintext size + 16
};

class PersonalData {
 public:
  PersonalData(KeyStore& keys, RandomSource& random) : keys_(keys), random_(random) {}

  Result<SealedValue> Seal(std::string_view subject_id, std::string_view plaintext);
  // Errors: kNotFound (the subject's keys were destroyed: the data is disposed of),
  // kCorruption (authentication failed or malformed fields).
  Result<std::string> Open(const SealedValue& sealed);
  Result<std::string> Open(const schema::Sealed& sealed);

 private:
  KeyStore& keys_;
  RandomSource& random_;
};

}  // namespace caseledger::ledger
