#include "app/identity/session_store.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <sodium.h>

#include <array>
#include <vector>

#include "ledger/rocksdb_util.h"

namespace caseledger::app::identity {
namespace {

// created_at (8 bytes BE), expires_at (8 bytes BE), user id.
std::string Encode(const Session& s) {
  std::string out = ledger::BigEndian64(static_cast<std::uint64_t>(s.created_at));
  out += ledger::BigEndian64(static_cast<std::uint64_t>(s.expires_at));
  out += s.user_id;
  return out;
}

std::optional<Session> Decode(std::string_view v) {
  if (v.size() < 16) return std::nullopt;
  Session s;
  s.created_at = static_cast<ledger::Micros>(ledger::ReadBigEndian64(v.substr(0, 8)));
  s.expires_at = static_cast<ledger::Micros>(ledger::ReadBigEndian64(v.substr(8, 8)));
  s.user_id = std::string(v.substr(16));
  return s;
}

}  // namespace

std::string TokenHash(std::string_view token) {
  std::array<unsigned char, crypto_generichash_BYTES> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return std::string(reinterpret_cast<const char*>(out.data()), out.size());
}

std::string Base64Url(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                  '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

ledger::Result<std::unique_ptr<SessionStore>> SessionStore::Open(ledger::Store* store,
                                                                 const ledger::Clock& clock,
                                                                 ledger::RandomSource& random) {
  ledger::InitialiseSodium();
  std::unique_ptr<SessionStore> sessions(new SessionStore(store, clock, random));
  if (store == nullptr) return sessions;
  BOOST_OUTCOME_TRY(auto* family, store->CreateFamily(kSessionsFamily));
  const ledger::Micros now = clock.NowMicros();
  std::vector<std::string> expired;
  std::unique_ptr<rocksdb::Iterator> it(store->db()->NewIterator(rocksdb::ReadOptions(), family));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto session = Decode(it->value().ToStringView());
    if (!session || session->expires_at <= now) {
      expired.emplace_back(it->key().ToString());
      continue;
    }
    sessions->sessions_.emplace(it->key().ToString(), std::move(*session));
  }
  BOOST_OUTCOME_TRY(ledger::CheckRocks(it->status(), "sessions: load"));
  if (!expired.empty()) {
    rocksdb::WriteBatch batch;
    for (const auto& key : expired) batch.Delete(family, key);
    BOOST_OUTCOME_TRY(
        ledger::CheckRocks(store->db()->Write(rocksdb::WriteOptions(), &batch), "sessions: purge"));
  }
  return sessions;
}

ledger::Result<SessionStore::Issued> SessionStore::Create(std::string user_id, ledger::Micros ttl) {
  std::array<std::uint8_t, 32> secret{};
  random_.Fill(secret);
  Issued issued;
  issued.token = std::string(kSessionTokenPrefix) +
                 Base64Url({reinterpret_cast<const char*>(secret.data()), secret.size()});
  sodium_memzero(secret.data(), secret.size());
  issued.session.user_id = std::move(user_id);
  issued.session.created_at = clock_.NowMicros();
  issued.session.expires_at = issued.session.created_at + ttl;
  std::string hash = TokenHash(issued.token);
  if (store_ != nullptr) {
    BOOST_OUTCOME_TRY(ledger::CheckRocks(
        store_->db()->Put(rocksdb::WriteOptions(), store_->family(kSessionsFamily), hash,
                          Encode(issued.session)),
        "sessions: put"));
  }
  std::lock_guard lock(mu_);
  sessions_[hash] = issued.session;
  return issued;
}

std::optional<Session> SessionStore::Find(std::string_view token) {
  if (!token.starts_with(kSessionTokenPrefix)) return std::nullopt;
  std::string hash = TokenHash(token);
  std::lock_guard lock(mu_);
  auto it = sessions_.find(hash);
  if (it == sessions_.end()) return std::nullopt;
  if (it->second.expires_at <= clock_.NowMicros()) {
    sessions_.erase(it);  // the disk copy goes at the next start
    return std::nullopt;
  }
  return it->second;
}

ledger::Result<void> SessionStore::Erase(const std::string& hash) {
  if (store_ != nullptr) {
    rocksdb::WriteOptions sync;
    sync.sync = true;
    BOOST_OUTCOME_TRY(ledger::CheckRocks(
        store_->db()->Delete(sync, store_->family(kSessionsFamily), hash), "sessions: delete"));
  }
  return ledger::Ok();
}

ledger::Result<void> SessionStore::Revoke(std::string_view token) {
  std::string hash = TokenHash(token);
  {
    std::lock_guard lock(mu_);
    sessions_.erase(hash);
  }
  return Erase(hash);
}

ledger::Result<void> SessionStore::RevokeUser(std::string_view user_id) {
  std::vector<std::string> hashes;
  {
    std::lock_guard lock(mu_);
    std::erase_if(sessions_, [&](const auto& item) {
      if (item.second.user_id != user_id) return false;
      hashes.push_back(item.first);
      return true;
    });
  }
  for (const auto& hash : hashes) {
    BOOST_OUTCOME_TRY(Erase(hash));
  }
  return ledger::Ok();
}

std::size_t SessionStore::size() {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

}  // namespace caseledger::app::identity
