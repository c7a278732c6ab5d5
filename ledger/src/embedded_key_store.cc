#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <sodium.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "ledger/deferred_writes.h"
#include "ledger/envelope.h"
#include "ledger/personal_data.h"
#include "ledger/rocksdb_util.h"

namespace caseledger::ledger {
namespace {

// keys family layout:  <subject> \0 <BE32 version> -> nonce(24) | wrapped key(48)
//                      <subject> \1               -> "" (the subject's keys were destroyed)
constexpr std::size_t kWrappedSize = crypto_secretbox_NONCEBYTES + kKeySize + crypto_secretbox_MACBYTES;
constexpr std::size_t kMaxCachedKeys = 1'000'000;

std::string VersionKey(std::string_view subject, std::uint32_t version) {
  std::string key(subject);
  key.push_back('\0');
  AppendBigEndian32(key, version);
  return key;
}

std::string TombstoneKey(std::string_view subject) {
  std::string key(subject);
  key.push_back('\1');
  return key;
}

class EmbeddedKeyStore final : public KeyStore {
 public:
  EmbeddedKeyStore(Store& store, const SecretKey& master, KeyMirror* mirror,
                   DeferredWrites* deferred)
      : db_(store.db()),
        family_(store.family(kKeysFamily)),
        master_(master),
        mirror_(mirror),
        deferred_(deferred) {}
  ~EmbeddedKeyStore() override { sodium_memzero(master_.data(), master_.size()); }

  Result<std::pair<std::uint32_t, SecretKey>> CurrentKey(std::string_view subject) override {
    {
      std::lock_guard lock(mu_);
      auto it = current_.find(std::string(subject));
      if (it != current_.end()) return it->second;
    }
    std::unique_lock lifecycle(lifecycle_mu_);  // one creator at a time: a subject gets one key
    // One seek reads both the subject's versions (<subject> \0 ...) and, right after them, its
    // tombstone (<subject> \1).
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family_));
    std::uint32_t version = 0;
    std::string wrapped;
    bool destroyed = false;
    for (it->Seek(subject); it->Valid(); it->Next()) {
      std::string_view key = it->key().ToStringView();
      if (!key.starts_with(subject)) break;
      if (key.size() == subject.size()) continue;
      auto mark = static_cast<unsigned char>(key[subject.size()]);
      if (mark > 1) break;  // past this subject's keys: another subject's that it prefixes
      if (mark == 1 && key.size() == subject.size() + 1) {
        destroyed = true;
        break;
      }
      if (mark == 0 && key.size() == subject.size() + 5) {
        version = ReadBigEndian32(key, subject.size() + 1);
        wrapped = it->value().ToString();
      }
    }
    BOOST_OUTCOME_TRY(CheckRocks(it->status(), "keys: read"));
    if (destroyed) return Disposed();
    if (version == 0 && deferred_ != nullptr) {
      // Created earlier and still waiting for the log's next batch (forgotten by the cache).
      if (auto waiting = deferred_->Find(family_, VersionKey(subject, 1))) {
        version = 1;
        wrapped = std::move(*waiting);
      }
    }
    SecretKey key;
    if (version == 0) {
      version = 1;
      randombytes_buf(key.data(), key.size());
      wrapped = Wrap(key);
      if (mirror_ != nullptr) {
        BOOST_OUTCOME_TRY(mirror_->Put(VersionKey(subject, version), wrapped));
      }
      if (deferred_ != nullptr) {
        // Written in the event log's next batch, with or before the first event sealed with it.
        deferred_->Put(family_, VersionKey(subject, version), wrapped);
      } else {
        BOOST_OUTCOME_TRY(CheckRocks(
            db_->Put(rocksdb::WriteOptions(), family_, VersionKey(subject, version), wrapped),
            "keys: write"));
      }
    } else {
      BOOST_OUTCOME_TRY(key, Unwrap(wrapped));
    }
    Remember(subject, version, key);
    return std::make_pair(version, key);
  }

  Result<SecretKey> Key(std::string_view subject, std::uint32_t version) override {
    std::string cache_key = VersionKey(subject, version);
    {
      std::lock_guard lock(mu_);
      auto it = cache_.find(cache_key);
      if (it != cache_.end()) return it->second;
    }
    // Shared with other readers, exclusive with Destroy: a key read while it is destroyed is
    // either refused or evicted by Destroy, never cached after it.
    std::shared_lock lifecycle(lifecycle_mu_);
    std::string wrapped;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), family_, cache_key, &wrapped);
    if (s.IsNotFound() && deferred_ != nullptr) {
      if (auto waiting = deferred_->Find(family_, cache_key)) {
        wrapped = std::move(*waiting);
        s = rocksdb::Status::OK();
      }
    }
    if (s.IsNotFound()) {
      BOOST_OUTCOME_TRY(auto destroyed, IsDestroyed(subject));
      if (destroyed) return Disposed();
      return MakeError(Code::kCorruption, "keys: a sealed value names a key the store never held");
    }
    BOOST_OUTCOME_TRY(CheckRocks(s, "keys: read"));
    BOOST_OUTCOME_TRY(auto key, Unwrap(wrapped));
    std::lock_guard lock(mu_);
    if (cache_.size() >= kMaxCachedKeys) cache_.clear();
    cache_[cache_key] = key;
    return key;
  }

  Result<void> Destroy(std::string_view subject) override {
    std::unique_lock lifecycle(lifecycle_mu_);
    std::string prefix(subject);
    prefix.push_back('\0');
    std::string end(subject);
    end.push_back('\1');
    // A key still waiting for the log is dropped; one already in a batch is written before the
    // deletion below, never after it.
    if (deferred_ != nullptr) deferred_->Discard(family_, prefix);
    if (mirror_ != nullptr) {
      // Erase every version there, then record the destruction, so a node replaying the
      // mirror ends with no key and the tombstone.
      std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family_));
      for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
        BOOST_OUTCOME_TRY(mirror_->Erase(it->key().ToStringView()));
      }
      BOOST_OUTCOME_TRY(CheckRocks(it->status(), "keys: read"));
      BOOST_OUTCOME_TRY(mirror_->Put(TombstoneKey(subject), ""));
    }
    rocksdb::WriteBatch batch;
    batch.DeleteRange(family_, prefix, end);
    batch.Put(family_, TombstoneKey(subject), "");
    rocksdb::WriteOptions options;
    options.sync = true;
    BOOST_OUTCOME_TRY(CheckRocks(db_->Write(options, &batch), "keys: destroy"));
    {
      std::lock_guard lock(mu_);
      current_.erase(std::string(subject));
      for (auto it = cache_.begin(); it != cache_.end();) {
        it = it->first.starts_with(prefix) ? cache_.erase(it) : std::next(it);
      }
    }
    // Push the deletion through to the files on disk so the wrapped key is not left in an SST.
    rocksdb::Slice begin_slice(prefix), end_slice(end);
    BOOST_OUTCOME_TRY(CheckRocks(db_->Flush(rocksdb::FlushOptions(), family_), "keys: flush"));
    rocksdb::CompactRangeOptions compact;
    compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    return CheckRocks(db_->CompactRange(compact, family_, &begin_slice, &end_slice),
                      "keys: compact");
  }

 private:
  static Error Disposed() {
    return MakeError(Code::kNotFound, "the data subject's key was destroyed (disposed of)");
  }

  Result<bool> IsDestroyed(std::string_view subject) {
    std::string value;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), family_, TombstoneKey(subject), &value);
    if (s.IsNotFound()) return false;
    BOOST_OUTCOME_TRY(CheckRocks(s, "keys: read"));
    return true;
  }

  std::string Wrap(const SecretKey& key) const {
    std::string out(kWrappedSize, '\0');
    auto* p = reinterpret_cast<unsigned char*>(out.data());
    randombytes_buf(p, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(p + crypto_secretbox_NONCEBYTES, key.data(), key.size(), p,
                          master_.data());
    return out;
  }

  Result<SecretKey> Unwrap(std::string_view wrapped) const {
    if (wrapped.size() != kWrappedSize) return MakeError(Code::kCorruption, "keys: malformed key");
    const auto* p = reinterpret_cast<const unsigned char*>(wrapped.data());
    SecretKey key;
    if (crypto_secretbox_open_easy(key.data(), p + crypto_secretbox_NONCEBYTES,
                                   kKeySize + crypto_secretbox_MACBYTES, p, master_.data()) != 0) {
      return MakeError(Code::kCorruption, "keys: cannot unwrap (wrong master key?)");
    }
    return key;
  }

  void Remember(std::string_view subject, std::uint32_t version, const SecretKey& key) {
    std::lock_guard lock(mu_);
    if (cache_.size() >= kMaxCachedKeys) cache_.clear();
    if (current_.size() >= kMaxCachedKeys) current_.clear();
    cache_[VersionKey(subject, version)] = key;
    current_[std::string(subject)] = {version, key};
  }

  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* family_;
  SecretKey master_;
  KeyMirror* mirror_;
  DeferredWrites* deferred_;
  std::shared_mutex lifecycle_mu_;  // creating or destroying keys: exclusive; reading: shared
  std::mutex mu_;
  std::unordered_map<std::string, SecretKey> cache_;
  std::unordered_map<std::string, std::pair<std::uint32_t, SecretKey>> current_;
};

}  // namespace

std::unique_ptr<KeyStore> OpenEmbeddedKeyStore(Store& store, const SecretKey& master_key,
                                               KeyMirror* mirror) {
  return std::make_unique<EmbeddedKeyStore>(store, master_key, mirror, nullptr);
}

std::unique_ptr<KeyStore> OpenEmbeddedKeyStore(Store& store, const SecretKey& master_key,
                                               DeferredWrites& deferred) {
  return std::make_unique<EmbeddedKeyStore>(store, master_key, nullptr, &deferred);
}

Result<SecretKey> LoadMasterKey(const std::string& path, bool create) {
  InitialiseSodium();
  SecretKey key;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    struct stat st;
    bool missing = stat(path.c_str(), &st) != 0 && errno == ENOENT;
    if (!missing) return MakeError(Code::kIOError, "cannot read master key file: " + path);
    if (!create) return MakeError(Code::kNotFound, "master key file not found: " + path);
    randombytes_buf(key.data(), key.size());
    std::string hex = ToHex({reinterpret_cast<const char*>(key.data()), key.size()}) + "\n";
    // O_EXCL: never replace a key that appeared meanwhile; 0600: readable by the owner only.
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return MakeError(Code::kIOError, "cannot create master key file: " + path);
    bool written = write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size()) &&
                   fsync(fd) == 0;
    close(fd);
    if (!written) return MakeError(Code::kIOError, "cannot write master key file: " + path);
    return key;
  }
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (content.size() == kKeySize) {  // raw bytes, whatever they are (newline bytes included)
    std::copy(content.begin(), content.end(), key.begin());
    return key;
  }
  while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) content.pop_back();
  std::size_t written = 0;
  if (content.size() != 2 * kKeySize ||
      sodium_hex2bin(key.data(), key.size(), content.data(), content.size(), nullptr, &written,
                     nullptr) != 0 ||
      written != kKeySize) {
    return MakeError(Code::kInvalidArgument,
                     "master key file must hold 32 raw bytes or 64 hex characters: " + path);
  }
  return key;
}

}  // namespace caseledger::ledger
