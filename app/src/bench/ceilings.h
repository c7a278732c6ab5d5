// The machine's own ceilings, measured beside each caseledger figure in the same run, because
// absolute figures drift from run to run on a shared machine. Each one does the least RocksDB
// work that the caseledger operation cannot avoid:
//  - synced puts: a plain RocksDB database (default options) in the same filesystem; W threads
//    each Put (or Write a WriteBatch of E values) with WriteOptions::sync, closed loop; RocksDB's
//    own write-group batching applies.
//  - bulk puts: read every record of the log family and put as many values of the average view
//    size into a fresh column family, WriteBatch of the rebuild's batch size, WAL off, then flush.
//  - raw gets: DB::Get of the very keys the case-view reads ask for.
// This file is the only one of the benchmark that speaks RocksDB directly.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ledger/result.h"
#include "ledger/store.h"
#include "measure.h"

namespace caseledger::app::bench {

// A plain RocksDB database for the synced-put ceiling.
class PlainDb {
 public:
  // Creates (or opens) a database with default options in `path`.
  static ledger::Result<std::unique_ptr<PlainDb>> Open(const std::string& path);
  ~PlainDb();

  // Closed-loop synced writes of `values` (each `events_per_write` consecutive values in one
  // WriteBatch when more than one) from `threads` threads.
  ledger::Result<LoopResult> SyncedPuts(const std::vector<std::string>& values, std::size_t threads,
                                        std::size_t events_per_write, const LoopTiming& timing);

 private:
  struct Impl;
  explicit PlainDb(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct BulkResult {
  std::uint64_t records = 0;
  double seconds = 0;
  double records_per_second() const { return seconds > 0 ? records / seconds : 0; }
};

// Reads the whole log family of `store` and writes one `value_bytes` value per record into a
// fresh column family (dropped afterwards) in batches of `batch_records`, WAL off, then flushes.
ledger::Result<BulkResult> BulkPutCeiling(ledger::Store& store, std::size_t value_bytes,
                                          std::size_t batch_records);

// Closed-loop DB::Get of `keys` (picked at random, seeded) from `threads` threads in `family`.
ledger::Result<LoopResult> RawGets(ledger::Store& store, const std::string& family,
                                   const std::vector<std::string>& keys, std::size_t threads,
                                   std::uint64_t seed, const LoopTiming& timing);

struct FamilyStats {
  std::uint64_t keys = 0;
  std::uint64_t value_bytes = 0;
  double mean_value_bytes() const { return keys > 0 ? double(value_bytes) / double(keys) : 0; }
};

// Counts the keys starting with `prefix` in `family` and their value bytes.
ledger::Result<FamilyStats> ScanFamily(ledger::Store& store, const std::string& family,
                                       const std::string& prefix);

// Every key of `family` starting with `prefix`, up to `max`.
ledger::Result<std::vector<std::string>> KeysWithPrefix(ledger::Store& store,
                                                        const std::string& family,
                                                        const std::string& prefix, std::size_t max);

// Every key and value of `family`, in key order (the Kafka phase hands the history's wrapped
// personal-data keys to its node this way).
ledger::Result<std::vector<std::pair<std::string, std::string>>> ReadFamily(
    ledger::Store& store, const std::string& family);

// Waits (up to `max_seconds`) until `store` runs no flush or compaction and has none pending, so
// one phase's background work does not land in the next phase's figures.
void WaitForQuiet(ledger::Store& store, double max_seconds);

}  // namespace caseledger::app::bench
