#include "view_batch.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "ledger/rocksdb_util.h"

namespace caseledger::projections {

Result<boost::json::object*> ViewBatch::Find(const std::string& key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    std::string value;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), family_, key, &value);
    std::optional<boost::json::object> loaded;
    if (!s.IsNotFound()) {
      BOOST_OUTCOME_TRY(ledger::CheckRocks(s, "projections: read view"));
      boost::system::error_code ec;
      boost::json::value parsed = boost::json::parse(value, ec);
      if (ec || !parsed.is_object()) {
        return ledger::MakeError(ledger::Code::kCorruption, "projections: stored view is not JSON");
      }
      loaded = std::move(parsed.as_object());
    }
    it = entries_.emplace(key, std::move(loaded)).first;
  }
  return it->second ? &*it->second : nullptr;
}

Result<boost::json::object*> ViewBatch::Edit(const std::string& key) {
  BOOST_OUTCOME_TRY(auto* found, Find(key));
  if (found != nullptr) dirty_[key] = true;
  return found;
}

boost::json::object& ViewBatch::Set(const std::string& key, boost::json::object value) {
  auto& slot = entries_[key];
  slot = std::move(value);
  dirty_[key] = true;
  return *slot;
}

void ViewBatch::Erase(const std::string& key) {
  entries_[key] = std::nullopt;
  dirty_[key] = true;
}

void ViewBatch::WriteTo(rocksdb::WriteBatch& batch) const {
  for (const auto& [key, unused] : dirty_) {
    const auto& entry = entries_.find(key)->second;
    if (entry) {
      batch.Put(family_, key, boost::json::serialize(*entry));
    } else {
      batch.Delete(family_, key);
    }
  }
}

}  // namespace caseledger::projections
