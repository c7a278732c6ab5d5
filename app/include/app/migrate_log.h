// Moving a ledger from the embedded log to Kafka (docs/design.md decision 3, docs/migrate-log.md):
// the core of `caseledger migrate-log`.
//
// What MigrateLog copies, in this order:
//   1. the personal-data keys: every entry of the embedded store's "keys" family (subject keys as
//      wrapped by the master key, and the tombstones of destroyed subjects) through the Kafka
//      log's key mirror, so every node on Kafka holding the same master key opens what was
//      sealed, and what was destroyed stays destroyed;
//   2. every event of the "log" family in offset order, with KafkaLog::Import in batches (one
//      transaction each): same ids, versions, times and hashes;
// then it checks every stream's head in Kafka against the embedded one.
// Not copied: idempotency records (a retry of a command made before the migration is not
// deduplicated), projections (each node on Kafka builds its own), the meta family.
//
// Resumable: a run after an interrupted one (or after a complete one) skips each event whose
// stream already holds that version in Kafka with the same hash (KafkaLog::Head), and each key
// the keys topic already holds with the same value. It refuses (kVersionConflict, field "--to")
// when Kafka holds a different history: a stream with another hash at the same version, a stream
// further than the embedded one, another key for the same subject and version, or a destroyed
// subject whose keys the embedded ledger still holds.
//
// Example:
//   MigrateLogOptions options;
//   options.from_dir = "/var/lib/caseledger";
//   options.kafka.bootstrap = "kafka1:9092";
//   Result<MigrateLogStats> stats = MigrateLog(options, [](const MigrateProgress& p) { ... });
//
// Lifecycle: MigrateLog blocks until done. It opens `from_dir` exclusively (RocksDB's LOCK, so a
// node still serving it makes it fail) and writes every partition as their one writer: a node
// writing to the same topics meanwhile is fenced, or fences the migration.
// Thread safety: MigrateLog may run on any thread; `progress` is called on that thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "ledger/kafka_log.h"
#include "ledger/result.h"

namespace caseledger::app {

struct MigrateLogOptions {
  std::string from_dir;  // the embedded ledger's data directory (opened, never created)
  // The master key that wrapped the embedded keys. Empty: <from_dir>/master.key, which is then
  // also copied to <replica_dir>/master.key (if that file does not exist), where a node serving
  // from replica_dir looks by default. Every node on Kafka must use this same key.
  std::string master_key_file;
  // The local replica of the Kafka log this run fills (a node can serve from it afterwards).
  // Empty: <from_dir>-kafka.
  std::string replica_dir;
  ledger::KafkaLogOptions kafka;    // owned must be empty (all partitions), read_only false
  std::size_t batch_events = 4096;  // events per Kafka transaction
  std::size_t key_writers = 32;     // personal-data keys written concurrently
};

// In order: the replica in replica_dir reading what Kafka holds; keys; events; the replica reading
// back what was written; the head check. kReplica's `done` counts offsets read, `total` is 0.
enum class MigratePhase { kReplica, kKeys, kEvents, kCheck };

struct MigrateProgress {
  MigratePhase phase = MigratePhase::kKeys;
  std::uint64_t done = 0;
  std::uint64_t total = 0;  // an estimate for kKeys
};

struct MigrateLogStats {
  std::string replica_dir;
  bool master_key_copied = false;    // written to <replica_dir>/master.key by this run
  std::uint64_t keys = 0;            // entries of the embedded keys family
  std::uint64_t keys_copied = 0;     // written to the keys topic by this run (puts and erasures)
  std::uint64_t events = 0;          // in the embedded log
  std::uint64_t events_copied = 0;   // imported by this run
  std::uint64_t events_present = 0;  // already in Kafka with the same hash: skipped
  std::uint64_t streams = 0;
  std::uint64_t heads_checked = 0;  // streams whose Kafka head matched the embedded head
  double seconds = 0;               // the whole run, of which:
  double open_seconds = 0;          //   opening both sides (the replica reading Kafka to its end)
  double key_seconds = 0;           //   the key phase
  double event_seconds = 0;         //   the event phase
  double check_seconds = 0;         //   the replica catching up, and the head check
};

// Errors: kInvalidArgument (a bad option; field names the option: "--from", "--data",
// "--master-key-file", "--batch-events", or a "kafka.*" option), kNotFound (no master key file),
// kIOError (cannot open a data directory: missing, or in use by a running node), kCorruption (an
// embedded event fails verification), kVersionConflict (Kafka holds a different history; field
// "--to"), kUnavailable / kTimeout / kFenced (the cluster; running again resumes).
ledger::Result<MigrateLogStats> MigrateLog(
    const MigrateLogOptions& options,
    const std::function<void(const MigrateProgress&)>& progress = {});

}  // namespace caseledger::app
