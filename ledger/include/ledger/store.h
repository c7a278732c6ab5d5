// The RocksDB database of one caseledger node: the embedded event log and the projections live
// in column families of the same database, so a projection change and the log position it reached
// commit in one WriteBatch (docs/design.md decision 3).
//
// Lifecycle: Open() opens every column family that exists and creates the ledger's own; the Store
// owns the DB and its handles until destroyed. Only one process may open a directory (RocksDB's
// LOCK file refuses a second).
// Thread safety: all methods are thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ledger/result.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
class Status;
}  // namespace rocksdb

namespace caseledger::ledger {

// Column families the ledger owns.
inline constexpr std::string_view kLogFamily = "log";                  // BE offset -> envelope
inline constexpr std::string_view kStreamsFamily = "streams";          // stream id -> head
inline constexpr std::string_view kStreamIndexFamily = "stream_index"; // stream id, BE version -> BE offset
inline constexpr std::string_view kIdempotencyFamily = "idempotency";  // user, key -> first result
inline constexpr std::string_view kKeysFamily = "keys";                // data subject -> wrapped keys
inline constexpr std::string_view kMetaFamily = "meta";                // small named values
// The access log (who consulted or disclosed what: docs/access-log.md) is a second embedded log
// in the families "access_log", "access_streams", "access_stream_index", "access_idempotency".
inline constexpr std::string_view kAccessLogPrefix = "access_";

struct StoreOptions {
  std::string path;
  bool create_if_missing = true;
  std::size_t block_cache_bytes = 256u << 20;
};

class Store {
 public:
  // Errors: kIOError (cannot open: missing, locked by another process, disk), kCorruption.
  static Result<std::unique_ptr<Store>> Open(const StoreOptions& options);
  ~Store();

  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  rocksdb::DB* db() const { return db_; }
  const std::string& path() const { return path_; }

  // The handle of an existing family; nullptr if there is none of that name.
  rocksdb::ColumnFamilyHandle* family(std::string_view name) const;
  // Creates the family if it does not exist and returns its handle.
  Result<rocksdb::ColumnFamilyHandle*> CreateFamily(std::string_view name);
  // Drops the family and its data. Handles already given out stay valid until the Store closes.
  // Dropping a family that does not exist is not an error.
  Result<void> DropFamily(std::string_view name);
  std::vector<std::string> FamilyNames() const;

  // meta family helpers.
  Result<std::optional<std::string>> GetMeta(std::string_view key) const;
  Result<void> PutMeta(std::string_view key, std::string_view value, bool sync);

 private:
  Store() = default;

  std::string path_;
  rocksdb::DB* db_ = nullptr;
  mutable std::mutex mu_;
  std::unordered_map<std::string, rocksdb::ColumnFamilyHandle*> families_;
  std::vector<rocksdb::ColumnFamilyHandle*> dropped_;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace caseledger::ledger
