// The read models of one node, kept in generations: each generation is a RocksDB column family
// "proj.<n>" holding every view, index and the log offset it reached per partition (keys.h).
// Exactly one generation is active; queries read it. A rebuild fills a new generation side by side
// and Activate() switches to it atomically (one synced write of meta "projections.active"), so
// readers never see a half-built view; the old generation is then dropped.
//
// Thread safety: all methods are thread-safe. A handle returned by active() stays usable after a
// switch (the family is dropped, its handle kept until the store closes).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/result.h"
#include "ledger/store.h"

namespace rocksdb {
class ColumnFamilyHandle;
}

namespace caseledger::projections {

using ledger::Result;

// Bumped whenever projection code changes what it stores; a generation built by another version
// is rebuilt on start. 2: person views always carry "disposed"; case views start with empty
// "notes" and "risk_assessments"; incident views show the latest "update_reason".
// 3: organisation, team, user and API-key views; who holds each record (access.h), the search
// index (search_index.h) and access requests. 4 (3 was used twice on parallel branches): case views
// carry "documents" (and "meetings" on meeting cases), actions their "premises_id", risk
// assessments their next review and referral; the risk review work queue index ("r" keys) and
// risk instrument views are new.
inline constexpr std::uint32_t kProjectionCodeVersion = 4;

struct Generation {
  std::uint32_t number = 0;
  rocksdb::ColumnFamilyHandle* family = nullptr;
};

struct LinkEnd {
  std::string link_id;
  std::string json;  // {"link_id","other_id","role","direction"}
};

class ProjectionStore {
 public:
  ~ProjectionStore();
  // Opens the active generation, creating generation 1 (stamped with the current code version)
  // on a new store. Drops generations left over from an interrupted rebuild.
  static Result<std::unique_ptr<ProjectionStore>> Open(ledger::Store& store);

  Generation active() const;
  ledger::Store& store() const { return store_; }

  // A new, empty generation numbered after every existing one, stamped with the code version.
  Result<Generation> CreateGeneration();
  // Makes `next` the active generation and drops the previous one.
  Result<void> Activate(Generation next);
  // Writes a generation's memtables to disk (a rebuild writes without the WAL).
  Result<void> Flush(const Generation& generation);
  // Drops a generation that was never activated (an abandoned rebuild).
  Result<void> Abandon(Generation generation);

  // The code version that built the active generation.
  Result<std::uint32_t> CodeVersion() const;

  // Offset of `partition` applied to `generation` (0 if none).
  Result<std::uint64_t> AppliedOffset(const Generation& generation, std::uint32_t partition) const;

  // Queries on the active generation. GetView returns nullopt when the record has no view.
  Result<std::optional<std::string>> GetView(std::string_view record_id) const;
  Result<std::vector<LinkEnd>> GetLinks(std::string_view record_id) const;
  // The value stored under `key` in the active generation, nullopt when absent.
  Result<std::optional<std::string>> Get(std::string_view key) const;
  // Up to `max` keys and values of the active generation that start with `prefix`, in key order.
  Result<std::vector<std::pair<std::string, std::string>>> Scan(std::string_view prefix,
                                                                std::size_t max) const;
  // Every entry of the risk review index (keys.h "r"), JSON, in key order.
  Result<std::vector<std::string>> GetRiskReviews() const;

  // Every key and value of a generation in key order, for tests that compare generations.
  Result<std::vector<std::pair<std::string, std::string>>> Dump(const Generation& generation) const;

  // Called by whatever writes a generation (the projector), after each write: GetView and Get
  // answer from memory what they read since the last change, and forget it all at this call.
  void Changed() { changes_.fetch_add(1, std::memory_order_acq_rel); }

 private:
  explicit ProjectionStore(ledger::Store& store);

  // The values GetView and Get read since the projections last changed (Changed, Activate): a
  // case view read again and again costs no RocksDB lookup until the next event is projected.
  class ReadCache;
  Result<std::optional<std::string>> CachedGet(std::string_view key) const;

  ledger::Store& store_;
  std::atomic<std::uint64_t> changes_{0};
  std::unique_ptr<ReadCache> cache_;
  std::atomic<std::uint32_t> active_number_{0};
  std::atomic<rocksdb::ColumnFamilyHandle*> active_family_{nullptr};
};

// "proj.<n>"
std::string GenerationFamilyName(std::uint32_t number);

// Offset of `partition` applied to `generation` (0 if none).
Result<std::uint64_t> AppliedOffset(ledger::Store& store, const Generation& generation,
                                    std::uint32_t partition);

}  // namespace caseledger::projections
