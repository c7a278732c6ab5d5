#include "projections/projection_store.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <array>
#include <charconv>
#include <functional>
#include <mutex>
#include <unordered_map>

#include "ledger/rocksdb_util.h"
#include "projections/keys.h"

namespace caseledger::projections {
namespace {

using ledger::CheckRocks;
using ledger::Code;
using ledger::MakeError;

constexpr std::string_view kActiveMetaKey = "projections.active";
constexpr std::string_view kFamilyPrefix = "proj.";

std::optional<std::uint32_t> GenerationNumber(std::string_view family) {
  if (!family.starts_with(kFamilyPrefix)) return std::nullopt;
  std::string_view digits = family.substr(kFamilyPrefix.size());
  std::uint32_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size() || n == 0) return std::nullopt;
  return n;
}

}  // namespace

// Shards of (key -> value as of a change count). An entry whose count is not the current one is
// a miss; a full shard is emptied. Values are stored whole, absent ones too.
class ProjectionStore::ReadCache {
 public:
  bool Find(std::string_view key, std::uint64_t changes, std::optional<std::string>& out) {
    Shard& shard = ShardOf(key);
    std::lock_guard lock(shard.mu);
    auto it = shard.entries.find(key);
    if (it == shard.entries.end() || it->second.changes != changes) return false;
    out = it->second.value;
    return true;
  }

  void Remember(std::string_view key, std::uint64_t changes,
                const std::optional<std::string>& value) {
    Shard& shard = ShardOf(key);
    std::lock_guard lock(shard.mu);
    if (shard.entries.size() >= kEntriesPerShard) shard.entries.clear();
    auto [it, inserted] = shard.entries.try_emplace(std::string(key));
    it->second = {changes, value};
  }

 private:
  static constexpr std::size_t kShards = 16;
  static constexpr std::size_t kEntriesPerShard = 4096;
  struct Entry {
    std::uint64_t changes = 0;
    std::optional<std::string> value;
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries;
  };
  Shard& ShardOf(std::string_view key) { return shards_[Hash{}(key) % kShards]; }

  std::array<Shard, kShards> shards_;
};

ProjectionStore::ProjectionStore(ledger::Store& store)
    : store_(store), cache_(std::make_unique<ReadCache>()) {}

ProjectionStore::~ProjectionStore() = default;

Result<std::optional<std::string>> ProjectionStore::CachedGet(std::string_view key) const {
  // The count is read before RocksDB: what is read then is at least as new as the count says.
  const std::uint64_t changes = changes_.load(std::memory_order_acquire);
  std::optional<std::string> value;
  if (cache_->Find(key, changes, value)) return value;
  std::string bytes;
  rocksdb::Status s = store_.db()->Get(rocksdb::ReadOptions(), active_family_.load(),
                                       rocksdb::Slice(key.data(), key.size()), &bytes);
  if (!s.IsNotFound()) {
    BOOST_OUTCOME_TRY(CheckRocks(s, "projections: read"));
    value = std::move(bytes);
  }
  cache_->Remember(key, changes, value);
  return value;
}

std::string GenerationFamilyName(std::uint32_t number) {
  return std::string(kFamilyPrefix) + std::to_string(number);
}

Result<std::unique_ptr<ProjectionStore>> ProjectionStore::Open(ledger::Store& store) {
  std::unique_ptr<ProjectionStore> self(new ProjectionStore(store));
  BOOST_OUTCOME_TRY(auto active, store.GetMeta(kActiveMetaKey));
  std::uint32_t number = 0;
  if (active) {
    auto n = GenerationNumber(std::string(kFamilyPrefix) + *active);
    if (!n || store.family(GenerationFamilyName(*n)) == nullptr) {
      return MakeError(Code::kCorruption, "projections: the active generation is missing");
    }
    number = *n;
  }
  // Generations other than the active one are leftovers of an interrupted rebuild.
  for (const auto& name : store.FamilyNames()) {
    auto n = GenerationNumber(name);
    if (n && *n != number) {
      BOOST_OUTCOME_TRY(store.DropFamily(name));
    }
  }
  if (number == 0) {
    BOOST_OUTCOME_TRY(auto first, self->CreateGeneration());
    BOOST_OUTCOME_TRY(store.PutMeta(kActiveMetaKey, std::to_string(first.number), true));
    number = first.number;
  }
  self->active_number_ = number;
  self->active_family_ = store.family(GenerationFamilyName(number));
  return self;
}

Generation ProjectionStore::active() const {
  return {active_number_.load(), active_family_.load()};
}

Result<Generation> ProjectionStore::CreateGeneration() {
  std::uint32_t next = 1;
  for (const auto& name : store_.FamilyNames()) {
    if (auto n = GenerationNumber(name)) next = std::max(next, *n + 1);
  }
  // The generation counter also lives in meta so numbers are never reused after a drop.
  BOOST_OUTCOME_TRY(auto last, store_.GetMeta("projections.last"));
  if (last) {
    auto n = GenerationNumber(std::string(kFamilyPrefix) + *last);
    if (!n) return MakeError(Code::kCorruption, "projections: bad generation counter");
    next = std::max<std::uint32_t>(next, *n + 1);
  }
  BOOST_OUTCOME_TRY(store_.PutMeta("projections.last", std::to_string(next), false));
  BOOST_OUTCOME_TRY(auto family, store_.CreateFamily(GenerationFamilyName(next)));
  std::string version;
  ledger::AppendBigEndian32(version, kProjectionCodeVersion);
  BOOST_OUTCOME_TRY(CheckRocks(
      store_.db()->Put(rocksdb::WriteOptions(), family, kCodeVersionKey, version),
      "projections: stamp generation"));
  return Generation{next, family};
}

Result<void> ProjectionStore::Activate(Generation next) {
  Generation previous = active();
  BOOST_OUTCOME_TRY(store_.PutMeta(kActiveMetaKey, std::to_string(next.number), true));
  active_family_ = next.family;
  active_number_ = next.number;
  Changed();
  if (previous.number != 0 && previous.number != next.number) {
    BOOST_OUTCOME_TRY(store_.DropFamily(GenerationFamilyName(previous.number)));
  }
  return ledger::Ok();
}

Result<void> ProjectionStore::Flush(const Generation& generation) {
  rocksdb::FlushOptions options;
  options.wait = true;
  return CheckRocks(store_.db()->Flush(options, generation.family), "projections: flush");
}

Result<void> ProjectionStore::Abandon(Generation generation) {
  if (generation.number == active_number_.load()) {
    return MakeError(Code::kInternal, "projections: cannot abandon the active generation");
  }
  return store_.DropFamily(GenerationFamilyName(generation.number));
}

Result<std::uint32_t> ProjectionStore::CodeVersion() const {
  std::string value;
  rocksdb::Status s =
      store_.db()->Get(rocksdb::ReadOptions(), active_family_.load(), kCodeVersionKey, &value);
  if (s.IsNotFound()) return std::uint32_t{0};
  BOOST_OUTCOME_TRY(CheckRocks(s, "projections: read code version"));
  if (value.size() != 4) return MakeError(Code::kCorruption, "projections: bad code version");
  return ledger::ReadBigEndian32(value);
}

Result<std::uint64_t> ProjectionStore::AppliedOffset(const Generation& generation,
                                                     std::uint32_t partition) const {
  return projections::AppliedOffset(store_, generation, partition);
}

Result<std::uint64_t> AppliedOffset(ledger::Store& store, const Generation& generation,
                                    std::uint32_t partition) {
  std::string value;
  rocksdb::Status s = store.db()->Get(rocksdb::ReadOptions(), generation.family,
                                       PartitionKey(partition), &value);
  if (s.IsNotFound()) return std::uint64_t{0};
  BOOST_OUTCOME_TRY(CheckRocks(s, "projections: read applied offset"));
  if (value.size() != 8) return MakeError(Code::kCorruption, "projections: bad applied offset");
  return ledger::ReadBigEndian64(value);
}

Result<std::optional<std::string>> ProjectionStore::GetView(std::string_view record_id) const {
  return CachedGet(ViewKey(record_id));
}

Result<std::vector<LinkEnd>> ProjectionStore::GetLinks(std::string_view record_id) const {
  std::string prefix = LinkEndPrefix(record_id);
  std::vector<LinkEnd> links;
  std::unique_ptr<rocksdb::Iterator> it(
      store_.db()->NewIterator(rocksdb::ReadOptions(), active_family_.load()));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    links.push_back({it->key().ToString().substr(prefix.size()), it->value().ToString()});
  }
  BOOST_OUTCOME_TRY(CheckRocks(it->status(), "projections: read links"));
  return links;
}

Result<std::optional<std::string>> ProjectionStore::Get(std::string_view key) const {
  return CachedGet(key);
}

Result<std::vector<std::pair<std::string, std::string>>> ProjectionStore::Scan(
    std::string_view prefix, std::size_t max) const {
  std::vector<std::pair<std::string, std::string>> out;
  std::unique_ptr<rocksdb::Iterator> it(
      store_.db()->NewIterator(rocksdb::ReadOptions(), active_family_.load()));
  rocksdb::Slice p(prefix.data(), prefix.size());
  for (it->Seek(p); it->Valid() && it->key().starts_with(p) && out.size() < max; it->Next()) {
    out.emplace_back(it->key().ToString(), it->value().ToString());
  }
  BOOST_OUTCOME_TRY(CheckRocks(it->status(), "projections: scan"));
  return out;
}

Result<std::vector<std::string>> ProjectionStore::GetRiskReviews() const {
  std::vector<std::string> out;
  std::unique_ptr<rocksdb::Iterator> it(
      store_.db()->NewIterator(rocksdb::ReadOptions(), active_family_.load()));
  for (it->Seek(rocksdb::Slice(kRiskReviewPrefix.data(), kRiskReviewPrefix.size()));
       it->Valid() && it->key().starts_with(rocksdb::Slice(kRiskReviewPrefix.data(),
                                                           kRiskReviewPrefix.size()));
       it->Next()) {
    out.push_back(it->value().ToString());
  }
  BOOST_OUTCOME_TRY(CheckRocks(it->status(), "projections: read risk reviews"));
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> ProjectionStore::Dump(
    const Generation& generation) const {
  std::vector<std::pair<std::string, std::string>> out;
  std::unique_ptr<rocksdb::Iterator> it(
      store_.db()->NewIterator(rocksdb::ReadOptions(), generation.family));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    out.emplace_back(it->key().ToString(), it->value().ToString());
  }
  BOOST_OUTCOME_TRY(CheckRocks(it->status(), "projections: dump"));
  return out;
}

}  // namespace caseledger::projections
