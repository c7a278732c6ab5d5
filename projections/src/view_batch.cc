#include "view_batch.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "ledger/rocksdb_util.h"

namespace caseledger::projections {

ViewBatch::ViewBatch(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family)
    : db_(db),
      family_(family),
      storage_(boost::json::make_shared_resource<boost::json::monotonic_resource>()) {}

Result<boost::json::object*> ViewBatch::Find(const std::string& key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    std::string value;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), family_, key, &value);
    Entry loaded;
    if (!s.IsNotFound()) {
      BOOST_OUTCOME_TRY(ledger::CheckRocks(s, "projections: read view"));
      boost::system::error_code ec;
      boost::json::value parsed = boost::json::parse(value, ec, storage_);
      if (ec || !parsed.is_object()) {
        return ledger::MakeError(ledger::Code::kCorruption, "projections: stored view is not JSON");
      }
      loaded.value.emplace(std::move(parsed.as_object()), storage_);
    }
    it = entries_.emplace(key, std::move(loaded)).first;
  }
  return it->second.value ? &*it->second.value : nullptr;
}

Result<boost::json::object*> ViewBatch::Edit(const std::string& key) {
  BOOST_OUTCOME_TRY(auto* found, Find(key));
  if (found != nullptr) entries_.find(key)->second.dirty = true;
  return found;
}

boost::json::object& ViewBatch::Set(const std::string& key, boost::json::object value) {
  Entry& entry = entries_[key];
  entry.value.emplace(std::move(value), storage_);  // a move when built in storage_
  entry.dirty = true;
  return *entry.value;
}

void ViewBatch::Erase(const std::string& key) {
  Entry& entry = entries_[key];
  entry.value.reset();
  entry.dirty = true;
}

void ViewBatch::WriteTo(rocksdb::WriteBatch& batch) const {
  // Keys are distinct, so the order of the batch's operations does not change what it stores.
  std::string bytes;
  for (const auto& [key, entry] : entries_) {
    if (!entry.dirty) continue;
    if (entry.value) {
      bytes = boost::json::serialize(*entry.value);
      batch.Put(family_, key, bytes);
    } else {
      batch.Delete(family_, key);
    }
  }
}

}  // namespace caseledger::projections
