// The views and index entries touched by one batch of events: loaded from the generation on
// first use, changed in memory, written once at the end. Every view of the batch lives in one
// monotonic arena, released at once with the batch (a rebuild batch holds tens of thousands).
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ledger/result.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
class WriteBatch;
}  // namespace rocksdb

namespace caseledger::projections {

using ledger::Result;

class ViewBatch {
 public:
  ViewBatch(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family);

  // The arena of this batch's views: objects built with it are stored without a copy.
  const boost::json::storage_ptr& storage() const { return storage_; }

  // The object stored under `key`, or nullptr if there is none.
  Result<boost::json::object*> Find(const std::string& key);
  // As Find, for an object the caller is about to change: it will be written back.
  Result<boost::json::object*> Edit(const std::string& key);
  // Stores `value` under `key`, replacing what was there, and returns it for further changes.
  boost::json::object& Set(const std::string& key, boost::json::object value);
  void Erase(const std::string& key);

  // Adds every change to `batch`.
  void WriteTo(rocksdb::WriteBatch& batch) const;

 private:
  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* family_;
  struct Entry {
    std::optional<boost::json::object> value;  // nullopt: absent (never stored, or erased)
    bool dirty = false;                         // written back by WriteTo
  };
  boost::json::storage_ptr storage_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace caseledger::projections
