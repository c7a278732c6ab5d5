// VerifyLog: the embedded log checked in one sequential pass over each of its three families
// (log, then streams, then stream_index), all read from one snapshot.
#include "ledger/verify.h"

#include <fmt/format.h>
#include <rocksdb/db.h>

#include <cstring>
#include <memory>

#include "ledger/rocksdb_util.h"
#include "stream_head_codec.h"

namespace caseledger::ledger {
namespace {

// Keeps the failure at the earliest position, so "first" means first in log order whichever pass
// found it.
void KeepFirst(std::optional<VerifyFailure>& first, VerifyFailure failure) {
  if (!first || failure.position < first->position) first = std::move(failure);
}

void KeepFirst(std::optional<VerifyFailure>& first, Position position, std::string stream_id,
               std::uint64_t version, std::string rule) {
  VerifyFailure failure;
  failure.position = position;
  failure.stream_id = std::move(stream_id);
  failure.version = version;
  failure.rule = std::move(rule);
  KeepFirst(first, std::move(failure));
}

struct IndexKey {
  std::string_view stream_id;
  std::uint64_t version = 0;
};

// stream_index keys are <stream id> \0 <BE64 version>.
std::optional<IndexKey> ParseIndexKey(std::string_view key) {
  if (key.size() < 10 || key[key.size() - 9] != '\0') return std::nullopt;
  return IndexKey{key.substr(0, key.size() - 9), ReadBigEndian64(key, key.size() - 8)};
}

class LogVerifier {
 public:
  LogVerifier(Store& store, const VerifyOptions& options, const VerifyProgress& progress)
      : options_(options),
        progress_(progress),
        db_(store.db()),
        log_(store.family(options.family_prefix + std::string(kLogFamily))),
        streams_(store.family(options.family_prefix + std::string(kStreamsFamily))),
        index_(store.family(options.family_prefix + std::string(kStreamIndexFamily))) {}

  ~LogVerifier() {
    if (snapshot_ != nullptr) db_->ReleaseSnapshot(snapshot_);
  }

  Result<VerifyReport> Run() {
    if (log_ == nullptr || streams_ == nullptr || index_ == nullptr) {
      return MakeError(Code::kInternal, "verify: the store has no log families");
    }
    snapshot_ = db_->GetSnapshot();
    ChainChecker checker({/*contiguous_offsets=*/true, ExpectedStreams()});
    BOOST_OUTCOME_TRY(WalkLog(checker));
    std::optional<VerifyFailure> failure = checker.failure();
    if (!failure && options_.check_heads) {
      BOOST_OUTCOME_TRY(failure, CheckHeads(checker));
    }
    if (!failure && options_.check_stream_index) {
      BOOST_OUTCOME_TRY(failure, CheckIndex(checker));
    }
    if (failure) {
      BOOST_OUTCOME_TRY(Identify(*failure));
    }

    VerifyReport report;
    report.events_checked = checker.events_checked();
    report.streams = checker.stream_count();
    report.heads_checked = heads_checked_;
    report.index_entries_checked = index_entries_checked_;
    report.last_position = checker.last_position();
    report.failure = std::move(failure);
    return report;
  }

 private:
  rocksdb::ReadOptions Scan() const {
    rocksdb::ReadOptions read;
    read.snapshot = snapshot_;
    read.readahead_size = options_.readahead_bytes;
    read.fill_cache = false;
    return read;
  }

  rocksdb::ReadOptions Point() const {
    rocksdb::ReadOptions read;
    read.snapshot = snapshot_;
    return read;
  }

  std::uint64_t ExpectedStreams() const {
    if (options_.expected_streams != 0) return options_.expected_streams;
    std::uint64_t estimate = 0;
    db_->GetIntProperty(streams_, rocksdb::DB::Properties::kEstimateNumKeys, &estimate);
    return estimate;
  }

  Result<std::uint64_t> LastOffset() const {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(Point(), log_));
    it->SeekToLast();
    BOOST_OUTCOME_TRY(CheckRocks(it->status(), "verify: read log"));
    if (!it->Valid() || it->key().size() != 8) return std::uint64_t{0};
    return ReadBigEndian64(it->key().ToStringView());
  }

  Result<void> WalkLog(ChainChecker& checker) {
    BOOST_OUTCOME_TRY(const std::uint64_t total, LastOffset());
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(Scan(), log_));
    std::uint64_t done = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      std::string_view key = it->key().ToStringView();
      if (key.size() != 8) {
        VerifyFailure failure;
        failure.position = {0, checker.last_position().offset + 1};
        failure.rule = fmt::format("log key of {} bytes is not an offset", key.size());
        checker.Fail(std::move(failure));
        break;
      }
      if (!checker.Check({0, ReadBigEndian64(key)}, it->value().ToStringView())) break;
      ++done;
      if (progress_ && options_.progress_interval != 0 && done % options_.progress_interval == 0) {
        progress_(done, total);
      }
    }
    BOOST_OUTCOME_TRY(CheckRocks(it->status(), "verify: read log"));
    if (progress_) progress_(done, total);
    return Ok();
  }

  // The stream, version and id of the event stored at `offset`, when it can be read.
  std::optional<VerifyFailure> Describe(std::uint64_t offset) const {
    std::string value;
    if (!db_->Get(Point(), log_, BigEndian64(offset), &value).ok()) return std::nullopt;
    auto envelope = VerifyEnvelope(value);
    if (!envelope) return std::nullopt;
    const schema::Envelope& e = *envelope.value();
    VerifyFailure out;
    out.position = {0, offset};
    out.stream_id = e.stream_id()->str();
    out.version = e.stream_version();
    std::memcpy(out.event_id.bytes.data(), e.event_id()->bytes()->data(), 16);
    return out;
  }

  // Fills in what the failing pass could not know: the stream and version from the stream index
  // when the envelope is unreadable or missing, and the event id from the log.
  Result<void> Identify(VerifyFailure& failure) const {
    if (failure.stream_id.empty()) {
      const std::string target = BigEndian64(failure.position.offset);
      std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(Scan(), index_));
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        auto key = ParseIndexKey(it->key().ToStringView());
        if (key && it->value().ToStringView() == target) {
          failure.stream_id = key->stream_id;
          failure.version = key->version;
          break;
        }
      }
      BOOST_OUTCOME_TRY(CheckRocks(it->status(), "verify: read stream index"));
    }
    if (failure.event_id.IsNil() && !failure.stream_id.empty()) {
      auto stored = Describe(failure.position.offset);
      if (stored && stored->stream_id == failure.stream_id && stored->version == failure.version) {
        failure.event_id = stored->event_id;
      }
    }
    return Ok();
  }

  // Each head must name its stream's last event; every stream must have a head.
  Result<std::optional<VerifyFailure>> CheckHeads(const ChainChecker& checker) {
    std::optional<VerifyFailure> first;
    std::uint64_t matched = 0;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(Scan(), streams_));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ++heads_checked_;
      const std::string stream(it->key().ToStringView());
      const std::optional<StreamTip> tip = checker.Tip(stream);
      Result<StreamHead> head = DecodeStreamHead(it->value().ToStringView());
      if (!head) {
        KeepFirst(first, tip ? tip->position : Position{}, stream, tip ? tip->version : 0,
                  "the stream head is malformed");
        continue;
      }
      const StreamHead& h = head.value();
      if (!tip) {
        KeepFirst(first, h.position, stream, h.version,
                  fmt::format("the stream has a head (version {}) but no events", h.version));
        continue;
      }
      ++matched;
      std::string rule;
      if (h.version != tip->version) {
        rule = fmt::format("the stream head says version {} but the last event is version {}",
                           h.version, tip->version);
      } else if (h.position != tip->position) {
        rule = fmt::format("the stream head says position {} but the last event is at {}",
                           h.position.ToString(), tip->position.ToString());
      } else if (h.hash.size() != kHashSize ||
                 std::memcmp(h.hash.data(), tip->hash.data(), kHashSize) != 0) {
        rule = fmt::format("the stream head's hash does not match the hash of version {}",
                           tip->version);
      }
      if (!rule.empty()) KeepFirst(first, tip->position, stream, tip->version, rule);
    }
    BOOST_OUTCOME_TRY(CheckRocks(it->status(), "verify: read stream heads"));
    if (matched < checker.stream_count()) {
      BOOST_OUTCOME_TRY(
          FindStreamsWithout(checker, streams_, "the stream has events but no head", first));
    }
    return first;
  }

  // Streams with events but no key (heads) or key prefix (index) in `family`: slow, so only run
  // when the counts say there is one.
  Result<void> FindStreamsWithout(const ChainChecker& checker, rocksdb::ColumnFamilyHandle* family,
                                  std::string_view rule, std::optional<VerifyFailure>& first) {
    std::vector<StreamTip> tips;
    checker.ForEachTip([&](const StreamTip& tip) { tips.push_back(tip); });
    for (const StreamTip& tip : tips) {
      std::optional<VerifyFailure> last = Describe(tip.position.offset);
      if (!last) continue;
      std::string prefix = last->stream_id;
      if (family == index_) prefix.push_back('\0');
      std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(Point(), family));
      it->Seek(prefix);
      BOOST_OUTCOME_TRY(CheckRocks(it->status(), "verify: seek"));
      const bool found =
          it->Valid() && (family == index_ ? it->key().starts_with(prefix) : it->key() == prefix);
      if (!found) {
        last->rule = rule;
        KeepFirst(first, std::move(*last));
      }
    }
    return Ok();
  }

  struct IndexGroup {
    std::string stream_id;
    std::uint64_t entries = 0;
    std::uint64_t digest = 0;
    Position first_position;
    bool reported = false;
  };

  // The stream index must hold (stream, v) -> offset for exactly the events in the log. Compared
  // per stream by count and a digest of (version, offset) pairs; a mismatch is then located.
  Result<std::optional<VerifyFailure>> CheckIndex(const ChainChecker& checker) {
    std::optional<VerifyFailure> first;
    std::uint64_t matched = 0;
    IndexGroup group;
    auto finish = [&]() -> Result<void> {
      if (group.stream_id.empty() || group.reported) return Ok();
      const std::optional<StreamTip> tip = checker.Tip(group.stream_id);
      if (!tip) {
        KeepFirst(first, group.first_position, group.stream_id, 1,
                  "the stream index has entries for a stream with no events");
        return Ok();
      }
      ++matched;
      if (group.entries == tip->version && group.digest == tip->positions_digest) return Ok();
      return LocateIndexMismatch(group.stream_id, *tip, first);
    };
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(Scan(), index_));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ++index_entries_checked_;
      const std::optional<IndexKey> key = ParseIndexKey(it->key().ToStringView());
      std::string_view value = it->value().ToStringView();
      const Position position{0, value.size() == 8 ? ReadBigEndian64(value) : 0};
      if (!key || value.size() != 8) {
        KeepFirst(first, position, "", 0, "a stream index entry is malformed");
        continue;
      }
      if (key->stream_id != group.stream_id) {
        BOOST_OUTCOME_TRY(finish());
        group = {std::string(key->stream_id), 0, 0, position, false};
      }
      if (!group.reported && key->version != group.entries + 1) {
        BOOST_OUTCOME_TRY(
            ReportIndexGap(group.stream_id, group.entries + 1, key->version, position, first));
        group.reported = true;
      }
      ++group.entries;
      group.digest += PositionsDigestTerm(key->version, position);
    }
    BOOST_OUTCOME_TRY(CheckRocks(it->status(), "verify: read stream index"));
    BOOST_OUTCOME_TRY(finish());
    if (matched < checker.stream_count()) {
      BOOST_OUTCOME_TRY(
          FindStreamsWithout(checker, index_, "the stream has no stream index entries", first));
    }
    return first;
  }

  // Finds which index entry of `stream_id` disagrees with the log.
  Result<void> LocateIndexMismatch(const std::string& stream_id, const StreamTip& tip,
                                   std::optional<VerifyFailure>& first) {
    std::string prefix = stream_id;
    prefix.push_back('\0');
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(Point(), index_));
    std::uint64_t version = 0;
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      version = ReadBigEndian64(it->key().ToStringView(), prefix.size());
      const std::uint64_t offset = ReadBigEndian64(it->value().ToStringView());
      std::optional<VerifyFailure> stored = Describe(offset);
      if (version > tip.version) {
        KeepFirst(first, {0, offset}, stream_id, version,
                  fmt::format("the stream index has version {} beyond the last event, version {}",
                              version, tip.version));
        return Ok();
      }
      if (!stored || stored->stream_id != stream_id || stored->version != version) {
        std::string holds =
            stored ? fmt::format("version {} of {}", stored->version, stored->stream_id)
                   : std::string("no readable event");
        BOOST_OUTCOME_TRY(Position actual, FindInLog(stream_id, version));
        KeepFirst(first, actual, stream_id, version,
                  fmt::format("the stream index maps version {} to offset {}, which holds {}",
                              version, offset, holds));
        return Ok();
      }
    }
    BOOST_OUTCOME_TRY(CheckRocks(it->status(), "verify: read stream index"));
    // Every entry is right, so the last ones are missing.
    return ReportIndexGap(stream_id, version + 1, 0, {}, first);
  }

  // The index of `stream_id` goes to `found` (0: ends) where `expected` belongs.
  Result<void> ReportIndexGap(const std::string& stream_id, std::uint64_t expected,
                              std::uint64_t found, Position found_at,
                              std::optional<VerifyFailure>& first) {
    if (found != 0 && found < expected) {
      KeepFirst(
          first, found_at, stream_id, found,
          fmt::format("the stream index has version {} where version {} belongs", found, expected));
      return Ok();
    }
    BOOST_OUTCOME_TRY(Position missing, FindInLog(stream_id, expected));
    KeepFirst(first, missing, stream_id, expected,
              fmt::format("the stream index is missing version {}", expected));
    return Ok();
  }

  // Where the log holds version `version` of `stream_id`; a full scan, for failures only.
  Result<Position> FindInLog(std::string_view stream_id, std::uint64_t version) const {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(Scan(), log_));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      auto envelope = VerifyEnvelope(it->value().ToStringView());
      if (envelope && envelope.value()->stream_version() == version &&
          envelope.value()->stream_id()->string_view() == stream_id && it->key().size() == 8) {
        return Position{0, ReadBigEndian64(it->key().ToStringView())};
      }
    }
    BOOST_OUTCOME_TRY(CheckRocks(it->status(), "verify: read log"));
    return Position{};
  }

  const VerifyOptions& options_;
  const VerifyProgress& progress_;
  rocksdb::DB* const db_;
  rocksdb::ColumnFamilyHandle* const log_;
  rocksdb::ColumnFamilyHandle* const streams_;
  rocksdb::ColumnFamilyHandle* const index_;
  const rocksdb::Snapshot* snapshot_ = nullptr;
  std::uint64_t heads_checked_ = 0;
  std::uint64_t index_entries_checked_ = 0;
};

}  // namespace

Result<VerifyReport> VerifyLog(Store& store, const VerifyOptions& options,
                               VerifyProgress progress) {
  return LogVerifier(store, options, progress).Run();
}

}  // namespace caseledger::ledger
