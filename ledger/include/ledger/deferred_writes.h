// Writes that ride in the next WriteBatch of one embedded log instead of a write of their own.
//
// A new data key (personal_data.h) must be durable no later than the first event sealed with it.
// Written by a Put of its own, it queued behind the log's synced write in progress and held the
// request's thread (and every other key creation) for that long. Instead the key store hands the
// write here, and the event log whose events use the key takes every waiting write into the batch
// it stages next. A write handed over before an append is queued is therefore in that append's
// batch or an earlier one of the same log, which are written in order: the key is never behind the
// event.
//
// Thread safety: all methods are thread-safe. One log takes the writes (EmbeddedLogOptions).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rocksdb {
class ColumnFamilyHandle;
class WriteBatch;
}  // namespace rocksdb

namespace caseledger::ledger {

class DeferredWrites {
 public:
  // Queues a Put of `key` in `family` for the log's next batch.
  void Put(rocksdb::ColumnFamilyHandle* family, std::string key, std::string value);

  // The value of a Put queued or taken and not yet written, if any.
  std::optional<std::string> Find(rocksdb::ColumnFamilyHandle* family, std::string_view key) const;

  // Drops the queued Puts of `family` whose key starts with `prefix`, then waits until every Put
  // already taken into a batch is written (or its write failed), so a write that follows (a key's
  // destruction) cannot be overtaken by one of them.
  void Discard(rocksdb::ColumnFamilyHandle* family, std::string_view prefix);

  // The log: adds every queued Put to `batch` and returns a ticket for Written (0: none taken).
  std::uint64_t TakeInto(rocksdb::WriteBatch& batch);
  // The log: the batch holding `ticket`'s Puts was written, or its write failed.
  void Written(std::uint64_t ticket);

 private:
  struct Pending {
    std::string value;
    std::uint64_t ticket = 0;  // 0 while queued
  };
  using Key = std::pair<rocksdb::ColumnFamilyHandle*, std::string>;

  mutable std::mutex mu_;
  std::condition_variable written_cv_;
  std::map<Key, Pending> pending_;
  std::uint64_t taken_ = 0;    // the last ticket given out
  std::uint64_t written_ = 0;  // every ticket up to this one is written
};

}  // namespace caseledger::ledger
