#include "ledger/store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>

#include <cstring>
#include <filesystem>

#include "ledger/ids.h"
#include "ledger/rocksdb_util.h"

namespace caseledger::ledger {

struct Store::Impl {
  rocksdb::Options db_options;
  rocksdb::ColumnFamilyOptions family_options;
};

namespace {

constexpr std::string_view kLedgerFamilies[] = {
    kLogFamily,  kStreamsFamily, kStreamIndexFamily, kIdempotencyFamily, kKeysFamily,
    kMetaFamily, "access_log",   "access_streams",   "access_stream_index", "access_idempotency"};

rocksdb::ColumnFamilyOptions FamilyOptions(std::shared_ptr<rocksdb::Cache> cache) {
  rocksdb::ColumnFamilyOptions options;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = std::move(cache);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  table.format_version = 5;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  options.level_compaction_dynamic_level_bytes = true;
  options.write_buffer_size = 64u << 20;
  return options;
}

// The families whose keys arrive in order: the logs (big-endian offsets) and the stream indexes
// (stream id, 0, big-endian version). Their memtables remember where the last key of each
// prefix went, so an append does not search the memtable's skip list from the top.
class UpToNul final : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "caseledger.UpToNul"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    const void* nul = std::memchr(key.data(), '\0', key.size());
    return {key.data(), nul == nullptr ? key.size() : static_cast<std::size_t>(
                                                          static_cast<const char*>(nul) - key.data())};
  }
  bool InDomain(const rocksdb::Slice&) const override { return true; }
};

rocksdb::ColumnFamilyOptions OptionsOf(std::string_view family,
                                       const rocksdb::ColumnFamilyOptions& base) {
  rocksdb::ColumnFamilyOptions options = base;
  if (family == kLogFamily || family == "access_log") {
    options.memtable_insert_with_hint_prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(0));
  } else if (family.ends_with(kStreamIndexFamily) || family == "access_streams") {
    options.memtable_insert_with_hint_prefix_extractor = std::make_shared<UpToNul>();
  }
  return options;
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  InitialiseSodium();
  std::error_code ec;
  if (options.create_if_missing) std::filesystem::create_directories(options.path, ec);
  if (ec) return MakeError(Code::kIOError, "store: cannot create data directory: " + ec.message());

  std::unique_ptr<Store> store(new Store());
  store->path_ = options.path;
  store->impl_ = std::make_unique<Impl>();
  auto cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  store->impl_->family_options = FamilyOptions(cache);
  rocksdb::Options& db_options = store->impl_->db_options;
  db_options = rocksdb::Options(rocksdb::DBOptions(), store->impl_->family_options);
  db_options.create_if_missing = options.create_if_missing;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  db_options.bytes_per_sync = 1u << 20;
  db_options.max_total_wal_size = 256u << 20;
  db_options.keep_log_file_num = 5;
  db_options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  db_options.paranoid_checks = true;

  std::vector<std::string> names;
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(db_options, options.path, &names);
  if (!s.ok()) names = {rocksdb::kDefaultColumnFamilyName};
  for (std::string_view required : kLedgerFamilies) {
    if (std::find(names.begin(), names.end(), required) == names.end()) {
      names.emplace_back(required);
    }
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& name : names) {
    descriptors.emplace_back(name, OptionsOf(name, store->impl_->family_options));
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  s = rocksdb::DB::Open(db_options, options.path, descriptors, &handles, &store->db_);
  if (!s.ok()) {
    if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
      return MakeError(Code::kIOError, "store: " + options.path +
                                           " is in use by another process (stop it first)");
    }
    return FromRocks(s, "store: open " + options.path);
  }
  for (auto* handle : handles) store->families_[handle->GetName()] = handle;
  return store;
}

Store::~Store() {
  if (db_ == nullptr) return;
  for (auto& [name, handle] : families_) {
    db_->DestroyColumnFamilyHandle(handle);
  }
  families_.clear();
  for (auto* handle : dropped_) db_->DestroyColumnFamilyHandle(handle);
  db_->Close();
  delete db_;
}

rocksdb::ColumnFamilyHandle* Store::family(std::string_view name) const {
  std::lock_guard lock(mu_);
  auto it = families_.find(std::string(name));
  return it == families_.end() ? nullptr : it->second;
}

Result<rocksdb::ColumnFamilyHandle*> Store::CreateFamily(std::string_view name) {
  std::lock_guard lock(mu_);
  auto it = families_.find(std::string(name));
  if (it != families_.end()) return it->second;
  rocksdb::ColumnFamilyHandle* handle = nullptr;
  BOOST_OUTCOME_TRY(CheckRocks(
      db_->CreateColumnFamily(impl_->family_options, std::string(name), &handle),
      "store: create column family"));
  families_[std::string(name)] = handle;
  return handle;
}

Result<void> Store::DropFamily(std::string_view name) {
  std::lock_guard lock(mu_);
  auto it = families_.find(std::string(name));
  if (it == families_.end()) return Ok();
  BOOST_OUTCOME_TRY(CheckRocks(db_->DropColumnFamily(it->second), "store: drop column family"));
  // Readers may still hold the handle: it stays valid (reading the dropped data) until close.
  dropped_.push_back(it->second);
  families_.erase(it);
  return Ok();
}

std::vector<std::string> Store::FamilyNames() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> names;
  for (const auto& [name, handle] : families_) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::optional<std::string>> Store::GetMeta(std::string_view key) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), family(kMetaFamily), key, &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  BOOST_OUTCOME_TRY(CheckRocks(s, "store: read meta"));
  return std::optional<std::string>(std::move(value));
}

Result<void> Store::PutMeta(std::string_view key, std::string_view value, bool sync) {
  rocksdb::WriteOptions options;
  options.sync = sync;
  return CheckRocks(db_->Put(options, family(kMetaFamily), key, value), "store: write meta");
}

}  // namespace caseledger::ledger
