#include "ledger/embedded_log.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <thread>
#include <unordered_map>

#include "append_validation.h"
#include "embedded_reader.h"
#include "ledger/deferred_writes.h"
#include "ledger/envelope.h"
#include "ledger/rocksdb_util.h"
#include "stream_head_codec.h"

namespace caseledger::ledger {
namespace {

constexpr std::size_t kNone = ~std::size_t{0};

class EmbeddedLog final : public EventLog, public CommitNotifier {
 public:
  EmbeddedLog(Store& store, const Clock& clock, EmbeddedLogOptions options)
      : clock_(clock),
        options_(options),
        db_(store.db()),
        log_(store.family(options_.family_prefix + std::string(kLogFamily))),
        streams_(store.family(options_.family_prefix + std::string(kStreamsFamily))),
        index_(store.family(options_.family_prefix + std::string(kStreamIndexFamily))),
        idempotency_(store.family(options_.family_prefix + std::string(kIdempotencyFamily))) {}

  ~EmbeddedLog() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    queue_cv_.notify_all();
    if (writer_.joinable()) writer_.join();
    {
      std::lock_guard lock(pipe_mu_);
      stager_done_ = true;
    }
    pipe_cv_.notify_all();
    if (committer_.joinable()) committer_.join();
    // Keys created since the last append are kept on a clean close, as a Put of their own would
    // have kept them. (After a crash they are lost with no event sealed with them.)
    if (options_.deferred_writes != nullptr && !failed_.load()) {
      rocksdb::WriteBatch batch;
      std::uint64_t ticket = options_.deferred_writes->TakeInto(batch);
      if (ticket != 0) {
        rocksdb::WriteOptions write;
        write.sync = true;
        (void)db_->Write(write, &batch);
      }
      options_.deferred_writes->Written(ticket);
    }
  }

  Result<void> Init() {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), log_));
    it->SeekToLast();
    BOOST_OUTCOME_TRY(CheckRocks(it->status(), "log: open"));
    if (it->Valid()) {
      if (it->key().size() != 8) return MakeError(Code::kCorruption, "log: malformed key");
      committed_.store(ReadBigEndian64(it->key().ToStringView()));
      BOOST_OUTCOME_TRY(auto envelope, VerifyEnvelope(it->value().ToStringView()));
      last_recorded_at_ = envelope->recorded_at();
    }
    staged_next_ = committed_.load() + 1;
    committer_ = std::thread([this] { CommitterLoop(); });
    writer_ = std::thread([this] { WriterLoop(); });
    return Ok();
  }

  void AppendAsync(AppendRequest request, AppendCallback done) override {
    if (auto ok = ValidateAppendRequest(request, options_.max_request_bytes); !ok) {
      done(ok.error());
      return;
    }
    if (request.command_fingerprint.empty()) {
      request.command_fingerprint = FingerprintOf(request);
    }
    {
      std::lock_guard lock(mu_);
      if (stopping_) {
        done(MakeError(Code::kUnavailable, "log: shutting down"));
        return;
      }
      if (queue_.size() >= options_.max_queued_requests) {
        done(MakeError(Code::kUnavailable, "log: too many appends waiting; retry later"));
        return;
      }
      queue_.push_back({std::move(request), std::move(done)});
    }
    queue_cv_.notify_one();
  }

  Result<std::optional<IdempotencyRecord>> FindIdempotent(std::string_view user_id,
                                                          std::string_view key) override {
    std::string value;
    rocksdb::Status s =
        db_->Get(rocksdb::ReadOptions(), idempotency_, IdempotencyScope(user_id, key), &value);
    if (s.IsNotFound()) return std::optional<IdempotencyRecord>();
    BOOST_OUTCOME_TRY(CheckRocks(s, "log: read idempotency record"));
    BOOST_OUTCOME_TRY(auto record, DecodeIdempotencyRecord(value));
    return std::optional<IdempotencyRecord>(std::move(record));
  }

  Result<StreamHead> Head(std::string_view stream_id) override {
    std::string id(stream_id);
    std::uint64_t generation = 0;
    {
      std::lock_guard lock(head_cache_mu_);
      auto it = head_cache_.find(id);
      if (it != head_cache_.end()) return it->second;
      generation = head_cache_generation_;
    }
    std::string value;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), streams_, stream_id, &value);
    StreamHead head;
    if (!s.IsNotFound()) {
      BOOST_OUTCOME_TRY(CheckRocks(s, "log: read stream head"));
      BOOST_OUTCOME_TRY(head, DecodeStreamHead(value));
    }
    // Kept only if no commit ran meanwhile: one might have written a newer head of this stream
    // after the read above and before this line.
    std::lock_guard lock(head_cache_mu_);
    if (head_cache_generation_ == generation) CacheHeadLocked(std::move(id), head);
    return head;
  }

  Result<std::vector<RecordedEvent>> ReadStream(std::string_view stream_id,
                                                std::uint64_t from_version,
                                                std::size_t max) override {
    std::string prefix(stream_id);
    prefix.push_back('\0');
    std::string start = prefix + BigEndian64(std::max<std::uint64_t>(from_version, 1));
    std::vector<std::string> keys;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), index_));
    for (it->Seek(start); it->Valid() && keys.size() < max; it->Next()) {
      if (!it->key().starts_with(prefix)) break;
      if (it->value().size() != 8) return MakeError(Code::kCorruption, "log: malformed index");
      keys.emplace_back(it->value().data(), 8);
    }
    BOOST_OUTCOME_TRY(CheckRocks(it->status(), "log: read stream index"));
    std::vector<RecordedEvent> events;
    events.reserve(keys.size());
    std::uint64_t expected = std::max<std::uint64_t>(from_version, 1);
    for (const auto& key : keys) {
      RecordedEvent event;
      event.position = {0, ReadBigEndian64(key)};
      BOOST_OUTCOME_TRY(CheckRocks(db_->Get(rocksdb::ReadOptions(), log_, key, &event.bytes),
                                   "log: read event"));
      BOOST_OUTCOME_TRY(auto* envelope, VerifyEnvelope(event.bytes));
      // The index is derived state: never trust it to point at the right event.
      if (envelope->stream_id()->string_view() != stream_id ||
          envelope->stream_version() != expected) {
        return MakeError(Code::kCorruption, "log: stream index entry at offset " +
                                                std::to_string(event.position.offset) +
                                                " does not match its event");
      }
      ++expected;
      events.push_back(std::move(event));
    }
    return events;
  }

  std::uint32_t partition_count() const override { return 1; }
  std::uint32_t PartitionOf(std::string_view) const override { return 0; }

  Result<std::uint64_t> EndOffset(std::uint32_t partition) override {
    if (partition != 0) return MakeError(Code::kNotFound, "log: the embedded log has one partition");
    return committed_.load();
  }

  Result<std::unique_ptr<LogReader>> OpenReader(std::uint32_t partition,
                                                std::uint64_t after_offset) override {
    if (partition != 0) return MakeError(Code::kNotFound, "log: the embedded log has one partition");
    return std::unique_ptr<LogReader>(
        std::make_unique<EmbeddedReader>(db_, log_, *this, after_offset));
  }

  // CommitNotifier
  std::uint64_t committed() const override { return committed_.load(); }
  bool WaitBeyond(std::uint64_t offset, std::chrono::milliseconds wait) override {
    std::unique_lock lock(commit_mu_);
    return commit_cv_.wait_for(lock, wait, [&] { return committed_.load() > offset || stopping_; }) &&
           committed_.load() > offset;
  }

 private:
  struct Pending {
    AppendRequest request;
    AppendCallback done;
  };

  // A group checked and encoded by the writer thread, waiting for the committer to write it.
  struct StagedGroup {
    std::uint64_t sequence = 0;
    std::vector<Pending> group;
    rocksdb::WriteBatch batch;
    std::vector<std::optional<Result<AppendResult>>> outcomes;
    std::vector<std::size_t> duplicate_of;
    std::uint64_t last_offset = 0;
    std::vector<std::pair<std::string, StreamHead>> heads;  // the heads this group writes
    std::uint64_t deferred_ticket = 0;  // the deferred writes taken into the batch
  };

  // Two threads share the work of a group: the writer thread checks and encodes group N+1 while
  // the committer thread writes group N with a synced WAL (EmbeddedLogOptions::pipeline_depth). A group's checks see the groups staged
  // before it through the overlay below (stream heads and idempotency records not yet durable);
  // nothing is answered or made visible to readers before its own synced write returns, and
  // groups are written in the order they were staged, so offsets never leave a gap.
  void WriterLoop() {
    std::vector<Pending> group;
    for (;;) {
      {
        // Take the next group only when the pipeline has room, so appends arriving meanwhile
        // gather into one larger group.
        std::unique_lock lock(pipe_mu_);
        pipe_cv_.wait(lock, [&] { return in_flight_ <= options_.pipeline_depth; });
      }
      {
        std::unique_lock lock(mu_);
        queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) break;  // stopping, and every queued append was answered
        while (!queue_.empty() && group.size() < options_.max_group_requests) {
          group.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      auto staged = std::make_unique<StagedGroup>();
      staged->group = std::move(group);
      group.clear();
      if (!failed_.load()) Stage(*staged);
      {
        std::lock_guard lock(pipe_mu_);
        pipe_.push_back(std::move(staged));
        ++in_flight_;
      }
      pipe_cv_.notify_all();
    }
  }

  void CommitterLoop() {
    for (;;) {
      std::unique_ptr<StagedGroup> staged;
      {
        std::unique_lock lock(pipe_mu_);
        pipe_cv_.wait(lock, [&] { return stager_done_ || !pipe_.empty(); });
        if (pipe_.empty()) break;
        staged = std::move(pipe_.front());
        pipe_.pop_front();
      }
      Commit(*staged);
      {
        std::lock_guard lock(pipe_mu_);
        --in_flight_;
      }
      pipe_cv_.notify_all();
    }
    commit_cv_.notify_all();
  }

  // The head of `stream` as the group being staged sees it: staged by an earlier append of the
  // group, by an earlier group not yet written, or durable.
  Result<StreamHead> StagedHead(const std::unordered_map<std::string, StreamHead>& staged,
                                const std::string& stream) {
    auto it = staged.find(stream);
    if (it != staged.end()) return it->second;
    {
      std::lock_guard lock(overlay_mu_);
      auto pending = pending_heads_.find(stream);
      if (pending != pending_heads_.end()) return pending->second.head;
    }
    return Head(stream);
  }

  // The idempotency record of `scope` from an earlier group not yet written, or durable.
  Result<std::optional<IdempotencyRecord>> StagedIdempotent(const std::string& scope,
                                                            std::string_view user_id,
                                                            std::string_view key) {
    {
      std::lock_guard lock(overlay_mu_);
      auto pending = pending_keys_.find(scope);
      if (pending != pending_keys_.end()) {
        return std::optional<IdempotencyRecord>(pending->second.record);
      }
    }
    return FindIdempotent(user_id, key);
  }

  void Stage(StagedGroup& out) {
    std::vector<Pending>& group = out.group;
    rocksdb::WriteBatch& batch = out.batch;
    std::unordered_map<std::string, StreamHead> staged;
    std::unordered_map<std::string, std::size_t> keyed;  // idempotency scope -> group index
    std::unordered_map<std::string, IdempotencyRecord> new_keys;
    auto& outcomes = out.outcomes;
    outcomes.resize(group.size());
    out.duplicate_of.assign(group.size(), kNone);
    std::uint64_t next = staged_next_;
    const Micros recorded_at = std::max(clock_.NowMicros(), last_recorded_at_);

    for (std::size_t i = 0; i < group.size(); ++i) {
      const AppendRequest& request = group[i].request;
      const CommandContext& context = request.context;
      std::string scope;
      if (!context.idempotency_key.empty()) {
        scope = IdempotencyScope(context.actor.user_id, context.idempotency_key);
        auto earlier = keyed.find(scope);
        if (earlier != keyed.end()) {
          if (group[earlier->second].request.command_fingerprint == request.command_fingerprint) {
            out.duplicate_of[i] = earlier->second;
          } else {
            outcomes[i] = IdempotencyMismatch();
          }
          continue;
        }
        auto stored = StagedIdempotent(scope, context.actor.user_id, context.idempotency_key);
        if (!stored) {
          outcomes[i] = stored.error();
          continue;
        }
        if (stored.value()) {
          if (stored.value()->fingerprint != request.command_fingerprint) {
            outcomes[i] = IdempotencyMismatch();
          } else {
            AppendResult result = std::move(stored.value()->result);
            result.deduplicated = true;
            outcomes[i] = std::move(result);
          }
          continue;
        }
      }

      // Check every stream before staging any, so a refused append leaves no trace.
      std::vector<StreamHead> heads;
      heads.reserve(request.streams.size());
      for (std::size_t j = 0; j < request.streams.size() && !outcomes[i]; ++j) {
        const StreamAppend& s = request.streams[j];
        auto head = StagedHead(staged, s.stream_id);
        if (!head) {
          outcomes[i] = head.error();
          break;
        }
        if (s.expected_version != kAnyVersion && s.expected_version != head.value().version) {
          outcomes[i] = Conflict(head.value().version, s.expected_version);
          break;
        }
        heads.push_back(std::move(head).value());
      }
      if (outcomes[i]) continue;

      AppendResult result;
      for (std::size_t j = 0; j < request.streams.size(); ++j) {
        const StreamAppend& s = request.streams[j];
        StreamHead head = std::move(heads[j]);
        for (const EventDraft& draft : s.events) {
          EnvelopeFields f = NextEnvelope(draft, s.stream_id, head, context, recorded_at);
          std::string key = BigEndian64(next);
          batch.Put(log_, key, EncodeEnvelope(f));
          std::string index_key = s.stream_id;
          index_key.push_back('\0');
          AppendBigEndian64(index_key, f.stream_version);
          batch.Put(index_, index_key, key);
          head.version = f.stream_version;
          head.hash.assign(reinterpret_cast<const char*>(f.hash.data()), kHashSize);
          head.position = {0, next};
          result.events.push_back({f.event_id, s.stream_id, f.stream_version, head.position});
          ++next;
        }
        batch.Put(streams_, s.stream_id, EncodeStreamHead(head));
        staged[s.stream_id] = std::move(head);
      }
      if (!scope.empty()) {
        IdempotencyRecord record{request.command_fingerprint, result};
        batch.Put(idempotency_, scope, EncodeIdempotencyRecord(record));
        keyed[scope] = i;
        new_keys.emplace(scope, std::move(record));
      }
      outcomes[i] = std::move(result);
    }

    // Taken after the group's appends were queued, so every write deferred before any of them
    // (the key an event is sealed with) is in this batch if not in an earlier one.
    if (options_.deferred_writes != nullptr) {
      out.deferred_ticket = options_.deferred_writes->TakeInto(batch);
    }
    out.sequence = ++staged_groups_;
    out.last_offset = next - 1;
    staged_next_ = next;
    last_recorded_at_ = recorded_at;
    std::lock_guard lock(overlay_mu_);
    out.heads.reserve(staged.size());
    for (auto& [stream, head] : staged) {
      out.heads.emplace_back(stream, head);
      pending_heads_[stream] = {std::move(head), out.sequence};
    }
    for (auto& [scope, record] : new_keys) {
      pending_keys_[scope] = {std::move(record), out.sequence};
    }
  }

  void Commit(StagedGroup& staged) {
    auto& outcomes = staged.outcomes;
    outcomes.resize(staged.group.size());  // a group not staged (the log had failed) has none
    staged.duplicate_of.resize(staged.group.size(), kNone);
    if (failed_.load()) {
      // An earlier group's write failed, so the checks of this one stood on events that were
      // never stored: refuse everything until the log is reopened.
      for (auto& outcome : outcomes) outcome = failure_;
    } else if (staged.batch.Count() > 0) {
      rocksdb::WriteOptions write;
      write.sync = true;
      rocksdb::Status s = db_->Write(write, &staged.batch);
      if (!s.ok()) {
        Error error = FromRocks(s, "log: append");
        failure_ = MakeError(Code::kUnavailable,
                             "log: an earlier write failed (" + error.message +
                                 "); reopen the log to go on");
        failed_.store(true);
        for (auto& outcome : outcomes) {
          if (outcome && outcome->has_value() && !outcome->value().deduplicated) outcome = error;
        }
      } else {
        {
          // This log is its streams' only writer, so the heads it has just made durable are
          // the current ones: Head() answers them without reading RocksDB.
          std::lock_guard lock(head_cache_mu_);
          ++head_cache_generation_;
          for (auto& [stream, head] : staged.heads) CacheHeadLocked(std::move(stream), std::move(head));
        }
        {
          std::lock_guard lock(commit_mu_);
          committed_.store(staged.last_offset);
        }
        commit_cv_.notify_all();
      }
    }
    if (options_.deferred_writes != nullptr) {
      options_.deferred_writes->Written(staged.deferred_ticket);
    }
    {
      std::lock_guard lock(overlay_mu_);
      std::erase_if(pending_heads_,
                    [&](const auto& entry) { return entry.second.group == staged.sequence; });
      std::erase_if(pending_keys_,
                    [&](const auto& entry) { return entry.second.group == staged.sequence; });
    }
    // Copy the answers of in-group duplicates before any answer is moved out.
    std::vector<Pending>& group = staged.group;
    for (std::size_t i = 0; i < group.size(); ++i) {
      if (staged.duplicate_of[i] != kNone) {
        outcomes[i] = *outcomes[staged.duplicate_of[i]];
        if (outcomes[i]->has_value()) outcomes[i]->value().deduplicated = true;
      }
    }
    for (std::size_t i = 0; i < group.size(); ++i) group[i].done(std::move(*outcomes[i]));
  }

  static Error IdempotencyMismatch() {
    return MakeError(Code::kIdempotencyMismatch,
                     "the idempotency key was already used for a different command");
  }

  const Clock& clock_;
  const EmbeddedLogOptions options_;
  rocksdb::DB* const db_;
  rocksdb::ColumnFamilyHandle* const log_;
  rocksdb::ColumnFamilyHandle* const streams_;
  rocksdb::ColumnFamilyHandle* const index_;
  rocksdb::ColumnFamilyHandle* const idempotency_;

  std::mutex mu_;
  std::condition_variable queue_cv_;
  std::deque<Pending> queue_;
  std::atomic<bool> stopping_{false};
  std::thread writer_;

  std::mutex commit_mu_;
  std::condition_variable commit_cv_;
  std::atomic<std::uint64_t> committed_{0};

  // Writer thread only.
  Micros last_recorded_at_ = 0;
  std::uint64_t staged_next_ = 1;    // offset of the next staged event
  std::uint64_t staged_groups_ = 0;  // sequence of the last staged group

  // Groups staged and not yet written, and what they will have made true once written.
  std::mutex pipe_mu_;
  std::condition_variable pipe_cv_;
  std::deque<std::unique_ptr<StagedGroup>> pipe_;
  std::size_t in_flight_ = 0;  // groups staged and not yet answered
  bool stager_done_ = false;
  std::thread committer_;
  struct PendingHead {
    StreamHead head;
    std::uint64_t group = 0;
  };
  struct PendingKey {
    IdempotencyRecord record;
    std::uint64_t group = 0;
  };
  std::mutex overlay_mu_;
  std::unordered_map<std::string, PendingHead> pending_heads_;

  // Durable stream heads (see Head and Commit). The generation counts commits, so a head read
  // from RocksDB is cached only if no commit could have replaced it since.
  static constexpr std::size_t kHeadCacheMax = 100'000;
  void CacheHeadLocked(std::string stream, StreamHead head) {
    if (head_cache_.size() >= kHeadCacheMax) head_cache_.clear();
    head_cache_[std::move(stream)] = std::move(head);
  }
  std::mutex head_cache_mu_;
  std::unordered_map<std::string, StreamHead> head_cache_;
  std::uint64_t head_cache_generation_ = 0;
  std::unordered_map<std::string, PendingKey> pending_keys_;

  // Set by the committer when a write fails; from then on every append is refused.
  std::atomic<bool> failed_{false};
  Error failure_;
};

}  // namespace

Result<std::unique_ptr<EventLog>> OpenEmbeddedLog(Store& store, const Clock& clock,
                                                  EmbeddedLogOptions options) {
  auto log = std::make_unique<EmbeddedLog>(store, clock, options);
  BOOST_OUTCOME_TRY(log->Init());
  return std::unique_ptr<EventLog>(std::move(log));
}

}  // namespace caseledger::ledger
