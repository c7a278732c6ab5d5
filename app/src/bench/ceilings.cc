#include "ceilings.h"

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <chrono>
#include <thread>

#include "ledger/rocksdb_util.h"
#include "rng.h"

namespace caseledger::app::bench {
namespace {

using ledger::CheckRocks;
using Clock = std::chrono::steady_clock;

std::string ThreadKey(std::size_t thread, std::uint64_t n) {
  std::string key;
  ledger::AppendBigEndian32(key, static_cast<std::uint32_t>(thread));
  ledger::AppendBigEndian64(key, n);
  return key;
}

class SyncedPutWorker final : public Worker {
 public:
  SyncedPutWorker(rocksdb::DB* db, const std::vector<std::string>& values, std::size_t thread,
                  std::size_t per_write)
      : db_(db),
        values_(values),
        thread_(thread),
        per_write_(per_write),
        next_(thread * 7919 % values.size()) {
    options_.sync = true;
  }

  void Prepare() override {
    if (per_write_ == 1) {
      key_ = ThreadKey(thread_, counter_++);
      value_ = &values_[next_];
      next_ = (next_ + 1) % values_.size();
      return;
    }
    batch_.Clear();
    for (std::size_t k = 0; k < per_write_; ++k) {
      batch_.Put(ThreadKey(thread_, counter_++), values_[next_]);
      next_ = (next_ + 1) % values_.size();
    }
  }

  ledger::Result<std::uint64_t> Execute() override {
    // One value: a plain Put, as an application would issue it. Several: one WriteBatch.
    rocksdb::Status s =
        per_write_ == 1 ? db_->Put(options_, key_, *value_) : db_->Write(options_, &batch_);
    BOOST_OUTCOME_TRY(CheckRocks(s, "bench: synced put"));
    return std::uint64_t{per_write_};
  }

 private:
  rocksdb::DB* db_;
  const std::vector<std::string>& values_;
  const std::size_t thread_;
  const std::size_t per_write_;
  std::size_t next_;
  std::uint64_t counter_ = 0;
  rocksdb::WriteOptions options_;
  rocksdb::WriteBatch batch_;
  std::string key_;
  const std::string* value_ = nullptr;
};

class GetWorker final : public Worker {
 public:
  GetWorker(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family,
            const std::vector<std::string>& keys, std::uint64_t seed)
      : db_(db), family_(family), keys_(keys), rng_(seed) {}

  void Prepare() override { key_ = &keys_[rng_.Below(keys_.size())]; }

  ledger::Result<std::uint64_t> Execute() override {
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), family_, *key_, &value_);
    if (s.IsNotFound()) return ledger::MakeError(ledger::Code::kNotFound, "bench: key missing");
    BOOST_OUTCOME_TRY(CheckRocks(s, "bench: get"));
    return std::uint64_t{1};
  }

 private:
  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* family_;
  const std::vector<std::string>& keys_;
  Rng rng_;
  const std::string* key_ = nullptr;
  std::string value_;
};

}  // namespace

struct PlainDb::Impl {
  std::unique_ptr<rocksdb::DB> db;
};

PlainDb::PlainDb(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PlainDb::~PlainDb() {
  if (impl_ && impl_->db) (void)impl_->db->Close();
}

ledger::Result<std::unique_ptr<PlainDb>> PlainDb::Open(const std::string& path) {
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* db = nullptr;
  BOOST_OUTCOME_TRY(CheckRocks(rocksdb::DB::Open(options, path, &db), "bench: open plain db"));
  auto impl = std::make_unique<Impl>();
  impl->db.reset(db);
  return std::unique_ptr<PlainDb>(new PlainDb(std::move(impl)));
}

ledger::Result<LoopResult> PlainDb::SyncedPuts(const std::vector<std::string>& values,
                                               std::size_t threads, std::size_t events_per_write,
                                               const LoopTiming& timing) {
  if (values.empty()) return ledger::MakeError(ledger::Code::kInvalidArgument, "bench: no values");
  rocksdb::DB* db = impl_->db.get();
  return RunClosedLoop(threads, timing, [&](std::size_t t) -> std::unique_ptr<Worker> {
    return std::make_unique<SyncedPutWorker>(db, values, t, events_per_write);
  });
}

ledger::Result<BulkResult> BulkPutCeiling(ledger::Store& store, std::size_t value_bytes,
                                          std::size_t batch_records) {
  rocksdb::DB* db = store.db();
  const std::string family_name = "bench.bulk-ceiling";
  BOOST_OUTCOME_TRY(store.DropFamily(family_name));
  BOOST_OUTCOME_TRY(auto* family, store.CreateFamily(family_name));
  std::string value(value_bytes, 'v');
  for (std::size_t i = 0; i < value.size(); ++i) value[i] = static_cast<char>('a' + i * 7 % 26);

  auto started = Clock::now();
  rocksdb::ReadOptions read;
  read.readahead_size = 2u << 20;  // as the log reader does
  read.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(read, store.family(ledger::kLogFamily)));
  rocksdb::WriteOptions write;
  write.disableWAL = true;
  rocksdb::WriteBatch batch;
  std::string record, key;
  BulkResult result;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    record.assign(it->value().data(), it->value().size());  // the reader copies each event out
    key.assign("v ");
    key.append(it->key().data(), it->key().size());
    value[0] = record.empty() ? 'v' : record[record.size() / 2];
    batch.Put(family, key, value);
    if (++result.records % batch_records == 0) {
      BOOST_OUTCOME_TRY(CheckRocks(db->Write(write, &batch), "bench: bulk put"));
      batch.Clear();
    }
  }
  BOOST_OUTCOME_TRY(CheckRocks(it->status(), "bench: read log"));
  if (batch.Count() > 0) {
    BOOST_OUTCOME_TRY(CheckRocks(db->Write(write, &batch), "bench: bulk put"));
  }
  rocksdb::FlushOptions flush;
  flush.wait = true;
  BOOST_OUTCOME_TRY(CheckRocks(db->Flush(flush, family), "bench: flush"));
  result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  it.reset();
  BOOST_OUTCOME_TRY(store.DropFamily(family_name));
  return result;
}

ledger::Result<LoopResult> RawGets(ledger::Store& store, const std::string& family,
                                   const std::vector<std::string>& keys, std::size_t threads,
                                   std::uint64_t seed, const LoopTiming& timing) {
  rocksdb::ColumnFamilyHandle* handle = store.family(family);
  if (handle == nullptr || keys.empty()) {
    return ledger::MakeError(ledger::Code::kInvalidArgument, "bench: nothing to read");
  }
  return RunClosedLoop(threads, timing, [&](std::size_t t) -> std::unique_ptr<Worker> {
    return std::make_unique<GetWorker>(store.db(), handle, keys, seed + t);
  });
}

ledger::Result<FamilyStats> ScanFamily(ledger::Store& store, const std::string& family,
                                       const std::string& prefix) {
  rocksdb::ColumnFamilyHandle* handle = store.family(family);
  if (handle == nullptr) return ledger::MakeError(ledger::Code::kNotFound, "bench: no family");
  rocksdb::ReadOptions read;
  read.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(read, handle));
  FamilyStats stats;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    ++stats.keys;
    stats.value_bytes += it->value().size();
  }
  BOOST_OUTCOME_TRY(CheckRocks(it->status(), "bench: scan"));
  return stats;
}

ledger::Result<std::vector<std::string>> KeysWithPrefix(ledger::Store& store,
                                                        const std::string& family,
                                                        const std::string& prefix,
                                                        std::size_t max) {
  rocksdb::ColumnFamilyHandle* handle = store.family(family);
  if (handle == nullptr) return ledger::MakeError(ledger::Code::kNotFound, "bench: no family");
  std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(rocksdb::ReadOptions(), handle));
  std::vector<std::string> keys;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix) && keys.size() < max;
       it->Next()) {
    keys.push_back(it->key().ToString());
  }
  BOOST_OUTCOME_TRY(CheckRocks(it->status(), "bench: scan keys"));
  return keys;
}

ledger::Result<std::vector<std::pair<std::string, std::string>>> ReadFamily(
    ledger::Store& store, const std::string& family) {
  rocksdb::ColumnFamilyHandle* handle = store.family(family);
  if (handle == nullptr) return ledger::MakeError(ledger::Code::kNotFound, "bench: no family");
  std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(rocksdb::ReadOptions(), handle));
  std::vector<std::pair<std::string, std::string>> entries;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    entries.emplace_back(it->key().ToString(), it->value().ToString());
  }
  BOOST_OUTCOME_TRY(CheckRocks(it->status(), "bench: read family"));
  return entries;
}

void WaitForQuiet(ledger::Store& store, double max_seconds) {
  auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(max_seconds));
  rocksdb::DB* db = store.db();
  while (Clock::now() < deadline) {
    std::uint64_t flushes = 0, compactions = 0, pending = 0;
    db->GetIntProperty(rocksdb::DB::Properties::kNumRunningFlushes, &flushes);
    db->GetIntProperty(rocksdb::DB::Properties::kNumRunningCompactions, &compactions);
    db->GetAggregatedIntProperty(rocksdb::DB::Properties::kCompactionPending, &pending);
    if (flushes == 0 && compactions == 0 && pending == 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace caseledger::app::bench
