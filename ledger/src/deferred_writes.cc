#include "ledger/deferred_writes.h"

#include <rocksdb/write_batch.h>

namespace caseledger::ledger {

void DeferredWrites::Put(rocksdb::ColumnFamilyHandle* family, std::string key, std::string value) {
  std::lock_guard lock(mu_);
  pending_[{family, std::move(key)}] = {std::move(value), 0};
}

std::optional<std::string> DeferredWrites::Find(rocksdb::ColumnFamilyHandle* family,
                                                std::string_view key) const {
  std::lock_guard lock(mu_);
  auto it = pending_.find({family, std::string(key)});
  if (it == pending_.end()) return std::nullopt;
  return it->second.value;
}

void DeferredWrites::Discard(rocksdb::ColumnFamilyHandle* family, std::string_view prefix) {
  std::unique_lock lock(mu_);
  for (auto it = pending_.lower_bound({family, std::string(prefix)});
       it != pending_.end() && it->first.first == family && it->first.second.starts_with(prefix);) {
    it = it->second.ticket == 0 ? pending_.erase(it) : std::next(it);
  }
  const std::uint64_t taken = taken_;
  written_cv_.wait(lock, [&] { return written_ >= taken; });
}

std::uint64_t DeferredWrites::TakeInto(rocksdb::WriteBatch& batch) {
  std::lock_guard lock(mu_);
  std::uint64_t ticket = 0;
  for (auto& [key, pending] : pending_) {
    if (pending.ticket != 0) continue;
    if (ticket == 0) ticket = ++taken_;
    pending.ticket = ticket;
    batch.Put(key.first, key.second, pending.value);
  }
  return ticket;
}

void DeferredWrites::Written(std::uint64_t ticket) {
  if (ticket == 0) return;
  {
    std::lock_guard lock(mu_);
    std::erase_if(pending_, [&](const auto& entry) {
      return entry.second.ticket != 0 && entry.second.ticket <= ticket;
    });
    written_ = std::max(written_, ticket);
  }
  written_cv_.notify_all();
}

}  // namespace caseledger::ledger
