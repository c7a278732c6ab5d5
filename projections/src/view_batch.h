// The views and index entries touched by one batch of events: loaded from the generation on
// first use, changed in memory, written once at the end.
#pragma once

#include <boost/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

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
  ViewBatch(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family) : db_(db), family_(family) {}

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
  // nullopt marks a key that is absent (never stored, or erased by this batch).
  std::map<std::string, std::optional<boost::json::object>, std::less<>> entries_;
  std::map<std::string, bool, std::less<>> dirty_;
};

}  // namespace caseledger::projections
