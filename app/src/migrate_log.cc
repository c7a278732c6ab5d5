// MigrateLog (app/migrate_log.h): the embedded ledger's keys, then its events, into Kafka.
#include "app/migrate_log.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <rocksdb/db.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "ledger/clock.h"
#include "ledger/embedded_log.h"
#include "ledger/envelope.h"
#include "ledger/personal_data.h"
#include "ledger/rocksdb_util.h"
#include "ledger/store.h"

namespace caseledger::app {
namespace {

using ledger::Code;
using ledger::Error;
using ledger::InvalidField;
using ledger::MakeError;
using ledger::Ok;
using ledger::Result;
using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kKeyBatch = 4096;
constexpr std::size_t kMasterKeySample = 64;  // wrapped keys opened to check the master key

double SecondsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

// kVersionConflict naming --to: Kafka holds a history the embedded ledger does not.
Error Diverged(std::string rule) {
  Error e = InvalidField("--to", std::move(rule));
  e.code = Code::kVersionConflict;
  return e;
}

Error WithContext(Error e, std::string_view context) {
  e.message = fmt::format("{}: {}", context, e.message);
  return e;
}

// keys family layout (ledger/src/embedded_key_store.cc):
//   <subject> \0 <BE32 version> -> wrapped key;  <subject> \1 -> "" (destroyed)
struct KeyName {
  std::string_view subject;
  std::uint32_t version = 0;  // 0 for a tombstone
  bool tombstone = false;
  bool known = false;  // false: a layout this version does not know; copied as it is
};

KeyName ParseKeyName(std::string_view key) {
  KeyName name;
  if (key.size() >= 5 && key[key.size() - 5] == '\0') {
    name.subject = key.substr(0, key.size() - 5);
    name.version = ledger::ReadBigEndian32(key, key.size() - 4);
    name.known = true;
  } else if (!key.empty() && key.back() == '\1') {
    name.subject = key.substr(0, key.size() - 1);
    name.tombstone = true;
    name.known = true;
  }
  return name;
}

std::string TombstoneKey(std::string_view subject) {
  std::string key(subject);
  key.push_back('\1');
  return key;
}

// Runs fn(0..n-1) on up to `threads` threads; returns the first error.
Result<void> ParallelFor(std::size_t n, std::size_t threads,
                         const std::function<Result<void>(std::size_t)>& fn) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mu;
  std::optional<Error> first;
  auto work = [&] {
    for (std::size_t i = next++; i < n && !failed.load(); i = next++) {
      if (auto ok = fn(i); !ok) {
        std::lock_guard lock(mu);
        if (!first) first = ok.error();
        failed = true;
      }
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < std::min(threads, n); ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (first) return *first;
  return Ok();
}

Result<std::unique_ptr<ledger::Store>> OpenStore(const std::string& path, bool create,
                                                 std::string_view option) {
  ledger::StoreOptions options;
  options.path = path;
  options.create_if_missing = create;
  auto store = ledger::Store::Open(options);
  if (!store) {
    Error e = store.error();
    e.field = std::string(option);
    e.rule = create
                 ? "must be a data directory this process can open (no node may be running on it)"
                 : "must be an existing caseledger data directory no node is running on";
    e.message = fmt::format("{} {} ({})", option, e.rule, store.error().message);
    return e;
  }
  return std::move(store).value();
}

// Writes the master key to `path` (mode 0600, never replacing a file), or checks that the file
// there holds the same key. True when written.
Result<bool> PlaceMasterKey(const std::string& path, const ledger::SecretKey& key) {
  auto existing = ledger::LoadMasterKey(path, false);
  if (existing) {
    if (existing.value() != key) {
      return InvalidField("--data", fmt::format("must not hold a master key other than "
                                                "--master-key-file: {} differs; nodes on Kafka "
                                                "must use the key that wrapped the embedded keys",
                                                path));
    }
    return false;
  }
  if (existing.error().code != Code::kNotFound) return existing.error();
  std::string hex = ledger::ToHex({reinterpret_cast<const char*>(key.data()), key.size()}) + "\n";
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return MakeError(Code::kIOError, "cannot create master key file: " + path);
  bool written =
      write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size()) && fsync(fd) == 0;
  close(fd);
  std::fill(hex.begin(), hex.end(), '\0');
  if (!written) return MakeError(Code::kIOError, "cannot write master key file: " + path);
  return true;
}

class Migration {
 public:
  Migration(MigrateLogOptions options, const std::function<void(const MigrateProgress&)>& progress)
      : options_(std::move(options)), progress_(progress) {}

  ~Migration() {
    kafka_.reset();  // stops the writer and the replica before their store closes
    replica_.reset();
    source_log_.reset();
    source_.reset();
    master_.fill(0);
  }

  Result<MigrateLogStats> Run() {
    auto started = SteadyClock::now();
    BOOST_OUTCOME_TRY(Validate());
    BOOST_OUTCOME_TRY(source_, OpenStore(options_.from_dir, false, "--from"));
    BOOST_OUTCOME_TRY(CheckSource());
    BOOST_OUTCOME_TRY(OpenMasterKey());
    BOOST_OUTCOME_TRY(replica_, OpenStore(options_.replica_dir, true, "--data"));
    if (copy_master_key_) {
      BOOST_OUTCOME_TRY(stats_.master_key_copied,
                        PlaceMasterKey(options_.replica_dir + "/master.key", master_));
    }
    BOOST_OUTCOME_TRY(
        kafka_, ledger::OpenKafkaLog(*replica_, ledger::SystemClock::Instance(), options_.kafka));
    BOOST_OUTCOME_TRY(WaitForReplica());  // the keys topic too
    stats_.open_seconds = SecondsSince(started);
    auto phase_started = SteadyClock::now();
    BOOST_OUTCOME_TRY(CopyKeys());
    stats_.key_seconds = SecondsSince(phase_started);
    phase_started = SteadyClock::now();
    BOOST_OUTCOME_TRY(CopyEvents());
    stats_.event_seconds = SecondsSince(phase_started);
    phase_started = SteadyClock::now();
    BOOST_OUTCOME_TRY(CheckHeads());
    stats_.check_seconds = SecondsSince(phase_started);
    stats_.replica_dir = options_.replica_dir;
    stats_.seconds = SecondsSince(started);
    return stats_;
  }

 private:
  Result<void> Validate() {
    if (options_.from_dir.empty()) {
      return InvalidField("--from", "must name the embedded ledger's data directory");
    }
    while (options_.from_dir.size() > 1 && options_.from_dir.back() == '/') {
      options_.from_dir.pop_back();
    }
    if (options_.replica_dir.empty()) options_.replica_dir = options_.from_dir + "-kafka";
    std::error_code ec;
    auto from = std::filesystem::weakly_canonical(options_.from_dir, ec);
    auto to = std::filesystem::weakly_canonical(options_.replica_dir, ec);
    if (!ec && from == to) {
      return InvalidField("--data", "must differ from --from: it holds the Kafka log's replica");
    }
    copy_master_key_ = options_.master_key_file.empty();
    if (copy_master_key_) options_.master_key_file = options_.from_dir + "/master.key";
    if (options_.batch_events == 0 || options_.batch_events > 100'000) {
      return InvalidField("--batch-events", "must be 1 to 100000");
    }
    if (options_.key_writers == 0 || options_.key_writers > 1024) {
      return InvalidField("key_writers", "must be 1 to 1024");
    }
    if (options_.kafka.read_only || (!options_.kafka.owned.empty() &&
                                     options_.kafka.owned.size() != options_.kafka.partitions)) {
      return InvalidField("kafka.owned", "must be empty: migrate-log writes every partition");
    }
    return Ok();
  }

  // A node on Kafka keeps its replica in kafka_* families and leaves the log family empty.
  Result<void> CheckSource() {
    if (source_->family("kafka_events") == nullptr) return Ok();
    std::unique_ptr<rocksdb::Iterator> it(
        source_->db()->NewIterator(rocksdb::ReadOptions(), source_->family(ledger::kLogFamily)));
    it->SeekToFirst();
    BOOST_OUTCOME_TRY(ledger::CheckRocks(it->status(), "log: read"));
    if (it->Valid()) return Ok();
    return InvalidField("--from",
                        "must be an embedded ledger: this data directory holds the "
                        "replica of a node on Kafka (its log family is empty)");
  }

  // Loads the master key and opens a few embedded keys with it, so a wrong key is refused before
  // anything is written.
  Result<void> OpenMasterKey() {
    auto master = ledger::LoadMasterKey(options_.master_key_file, false);
    if (!master) {
      Error e = master.error();
      e.field = "--master-key-file";
      e.rule = "must name the master key of the embedded ledger (default <from>/master.key)";
      e.message = fmt::format("--master-key-file {}: {}", e.rule, master.error().message);
      return e;
    }
    master_ = master.value();
    auto keys = ledger::OpenEmbeddedKeyStore(*source_, master_);
    std::unique_ptr<rocksdb::Iterator> it(
        source_->db()->NewIterator(rocksdb::ReadOptions(), source_->family(ledger::kKeysFamily)));
    std::size_t opened = 0;
    for (it->SeekToFirst(); it->Valid() && opened < kMasterKeySample; it->Next()) {
      KeyName name = ParseKeyName(it->key().ToStringView());
      if (!name.known || name.tombstone) continue;
      auto key = keys->Key(name.subject, name.version);
      if (!key && key.error().code == Code::kCorruption) {
        return InvalidField("--master-key-file",
                            "must be the key that wrapped the embedded ledger's personal-data "
                            "keys: it does not open them");
      }
      if (!key) return key.error();
      ++opened;
    }
    return ledger::CheckRocks(it->status(), "keys: read");
  }

  // One change to the keys topic: a key to put, or a destroyed subject (erase what the topic
  // holds of it, then put the tombstone).
  struct KeyWrite {
    std::string key;
    std::string value;
    std::vector<std::string> erase;
    bool put = true;
  };

  Result<void> CopyKeys() {
    rocksdb::DB* db = source_->db();
    std::uint64_t estimate = 0;
    db->GetIntProperty(source_->family(ledger::kKeysFamily), "rocksdb.estimate-num-keys",
                       &estimate);
    Report(MigratePhase::kKeys, 0, estimate);
    std::unique_ptr<rocksdb::Iterator> it(
        db->NewIterator(rocksdb::ReadOptions(), source_->family(ledger::kKeysFamily)));
    std::vector<KeyWrite> writes;
    auto flush = [&]() -> Result<void> {
      std::atomic<std::uint64_t> copied{0};
      BOOST_OUTCOME_TRY(ParallelFor(writes.size(), options_.key_writers,
                                    [&](std::size_t i) { return Write(writes[i], copied); }));
      stats_.keys_copied += copied.load();
      writes.clear();
      Report(MigratePhase::kKeys, stats_.keys, std::max(estimate, stats_.keys));
      return Ok();
    };
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ++stats_.keys;
      BOOST_OUTCOME_TRY(Plan(it->key().ToStringView(), it->value().ToStringView(), writes));
      if (writes.size() >= kKeyBatch) {
        BOOST_OUTCOME_TRY(flush());
      }
    }
    BOOST_OUTCOME_TRY(ledger::CheckRocks(it->status(), "keys: read"));
    return flush();
  }

  // Decides what one embedded key needs in Kafka, from what the replica read of the keys topic.
  Result<void> Plan(std::string_view key, std::string_view value, std::vector<KeyWrite>& writes) {
    BOOST_OUTCOME_TRY(auto there, ReplicaKey(key));
    KeyName name = ParseKeyName(key);
    if (!name.known || !name.tombstone) {
      if (there) {
        if (*there == value) return Ok();
        return Diverged(fmt::format(
            "must not hold other personal-data keys: its keys topic holds a different key for "
            "data subject {} (version {})",
            name.subject, name.version));
      }
      if (name.known) {
        BOOST_OUTCOME_TRY(auto destroyed, ReplicaKey(TombstoneKey(name.subject)));
        if (destroyed) {
          return Diverged(fmt::format(
              "must not have destroyed keys the embedded ledger holds: data subject {} was "
              "disposed of on Kafka (refusing to restore its key)",
              name.subject));
        }
      }
      writes.push_back({std::string(key), std::string(value), {}, true});
      return Ok();
    }
    // A destroyed subject: no key of it may survive in Kafka.
    KeyWrite write{std::string(key), std::string(value), {}, !there.has_value()};
    std::string prefix(name.subject);
    prefix.push_back('\0');
    std::unique_ptr<rocksdb::Iterator> it(
        replica_->db()->NewIterator(rocksdb::ReadOptions(), replica_->family(ledger::kKeysFamily)));
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      write.erase.push_back(it->key().ToString());
    }
    BOOST_OUTCOME_TRY(ledger::CheckRocks(it->status(), "replica keys: read"));
    if (write.put || !write.erase.empty()) writes.push_back(std::move(write));
    return Ok();
  }

  Result<std::optional<std::string>> ReplicaKey(std::string_view key) {
    std::string value;
    rocksdb::Status s = replica_->db()->Get(rocksdb::ReadOptions(),
                                            replica_->family(ledger::kKeysFamily), key, &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    BOOST_OUTCOME_TRY(ledger::CheckRocks(s, "replica keys: read"));
    return std::optional<std::string>(std::move(value));
  }

  Result<void> Write(const KeyWrite& write, std::atomic<std::uint64_t>& copied) {
    ledger::KeyMirror& mirror = kafka_->key_mirror();
    for (const auto& key : write.erase) {
      BOOST_OUTCOME_TRY(mirror.Erase(key));
      ++copied;
    }
    if (write.put) {
      BOOST_OUTCOME_TRY(mirror.Put(write.key, write.value));
      ++copied;
    }
    return Ok();
  }

  Result<void> CopyEvents() {
    BOOST_OUTCOME_TRY(source_log_,
                      ledger::OpenEmbeddedLog(*source_, ledger::SystemClock::Instance()));
    BOOST_OUTCOME_TRY(auto total, source_log_->EndOffset(0));
    BOOST_OUTCOME_TRY(auto reader, source_log_->OpenReader(0, 0));
    Report(MigratePhase::kEvents, 0, total);
    std::vector<ledger::RecordedEvent> events;
    std::vector<std::string> batch;
    std::uint64_t batch_first = 0, batch_last = 0;
    std::future<Result<void>> inflight;
    auto wait = [&]() -> Result<void> {
      if (inflight.valid()) return inflight.get();
      return Ok();
    };
    auto send = [&]() -> Result<void> {
      BOOST_OUTCOME_TRY(wait());
      if (batch.empty()) return Ok();
      stats_.events_copied += batch.size();
      std::string context =
          fmt::format("importing the events at --from offsets {} to {}", batch_first, batch_last);
      inflight = std::async(std::launch::async,
                            [this, envelopes = std::move(batch), context]() -> Result<void> {
                              auto ok = kafka_->Import(envelopes);
                              if (!ok) return WithContext(ok.error(), context);
                              return Ok();
                            });
      batch.clear();
      return Ok();
    };
    for (;;) {
      events.clear();
      auto read = reader->Read(events, 4096, std::chrono::milliseconds(0));
      if (!read) {
        (void)wait();
        return WithContext(read.error(), "--from: reading the embedded log");
      }
      if (read.value() == 0) break;
      for (auto& event : events) {
        BOOST_OUTCOME_TRY(auto copy, NeedsCopy(event));
        if (!copy) continue;
        if (batch.empty()) batch_first = event.position.offset;
        batch_last = event.position.offset;
        batch.push_back(std::move(event.bytes));
        if (batch.size() >= options_.batch_events) {
          BOOST_OUTCOME_TRY(send());
        }
      }
      Report(MigratePhase::kEvents, stats_.events, total);
    }
    BOOST_OUTCOME_TRY(send());
    BOOST_OUTCOME_TRY(wait());
    if (!ahead_.empty()) {
      const auto& [stream, head] = *ahead_.begin();
      return Diverged(fmt::format(
          "must not hold more of a stream than the embedded ledger: stream {} is at version {} "
          "in Kafka, further than in --from ({} such streams)",
          stream, head.version, ahead_.size()));
    }
    return Ok();
  }

  // False when Kafka already holds the event (same version, same chain). A stream's first event
  // (version 1) looks up its head in Kafka; a stream that is there is followed until its head.
  Result<bool> NeedsCopy(const ledger::RecordedEvent& event) {
    const schema::Envelope* e = event.envelope();
    const std::uint64_t version = e->stream_version();
    std::string_view stream = e->stream_id()->string_view();
    ++stats_.events;
    if (version == 1) {
      ++stats_.streams;
      BOOST_OUTCOME_TRY(auto head, kafka_->Head(stream));
      if (head.version == 0) return true;
      ahead_.emplace(std::string(stream), std::move(head));
    }
    if (ahead_.empty()) return true;
    auto it = ahead_.find(std::string(stream));
    if (it == ahead_.end()) return true;
    if (version == it->second.version) {
      if (std::memcmp(it->second.hash.data(), e->hash()->data(), ledger::kHashSize) != 0) {
        return Diverged(fmt::format(
            "must hold the same events as --from: stream {} version {} has another hash in "
            "Kafka (the log there diverged)",
            stream, version));
      }
      ahead_.erase(it);  // the hash covers every earlier version: the whole prefix matches
    }
    ++stats_.events_present;
    return false;
  }

  // Every stream's head in Kafka (as the replica read it back) against the embedded head.
  // Waits until the replica holds everything Kafka held when called, for as long as it keeps
  // reading (a large log takes longer than any fixed timeout).
  Result<void> WaitForReplica() {
    std::uint64_t last = 0;
    auto last_progress = SteadyClock::now();
    for (;;) {
      auto caught_up = kafka_->CatchUp(std::chrono::seconds(2));
      if (caught_up) return Ok();
      if (caught_up.error().code != Code::kTimeout) return caught_up.error();
      std::uint64_t read = 0;
      for (std::uint32_t p = 0; p < kafka_->partition_count(); ++p) {
        BOOST_OUTCOME_TRY(auto end, kafka_->EndOffset(p));
        read += end;
      }
      Report(MigratePhase::kReplica, read, 0);
      if (read > last) {
        last = read;
        last_progress = SteadyClock::now();
      } else if (SteadyClock::now() - last_progress > options_.kafka.open_timeout) {
        return WithContext(caught_up.error(), "--data: the replica stopped reading the Kafka log");
      }
    }
  }

  Result<void> CheckHeads() {
    BOOST_OUTCOME_TRY(WaitForReplica());
    Report(MigratePhase::kCheck, 0, stats_.streams);
    std::unique_ptr<rocksdb::Iterator> it(source_->db()->NewIterator(
        rocksdb::ReadOptions(), source_->family(ledger::kStreamsFamily)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      std::string stream = it->key().ToString();
      BOOST_OUTCOME_TRY(auto embedded, source_log_->Head(stream));
      BOOST_OUTCOME_TRY(auto there, kafka_->Head(stream));
      if (there.version != embedded.version || there.hash != embedded.hash) {
        return Diverged(fmt::format(
            "must end each stream where --from does: after the copy, stream {} is at version {} "
            "in Kafka and {} in --from (was a node writing to the topics?)",
            stream, there.version, embedded.version));
      }
      if (++stats_.heads_checked % 65536 == 0) {
        Report(MigratePhase::kCheck, stats_.heads_checked, stats_.streams);
      }
    }
    BOOST_OUTCOME_TRY(ledger::CheckRocks(it->status(), "streams: read"));
    Report(MigratePhase::kCheck, stats_.heads_checked, stats_.streams);
    return Ok();
  }

  void Report(MigratePhase phase, std::uint64_t done, std::uint64_t total) {
    if (progress_) progress_({phase, done, total});
  }

  MigrateLogOptions options_;
  const std::function<void(const MigrateProgress&)>& progress_;
  bool copy_master_key_ = false;
  ledger::SecretKey master_{};
  std::unique_ptr<ledger::Store> source_;
  std::unique_ptr<ledger::EventLog> source_log_;
  std::unique_ptr<ledger::Store> replica_;
  std::unique_ptr<ledger::KafkaLog> kafka_;
  // Streams Kafka holds that this run has not yet followed to their Kafka head.
  std::unordered_map<std::string, ledger::StreamHead> ahead_;
  MigrateLogStats stats_;
};

}  // namespace

Result<MigrateLogStats> MigrateLog(const MigrateLogOptions& options,
                                   const std::function<void(const MigrateProgress&)>& progress) {
  Migration migration(options, progress);
  return migration.Run();
}

}  // namespace caseledger::app
