// The embedded EventLog: a RocksDB column family keyed by log position (big-endian offset), one
// partition, with group commit: concurrent appends queue up, the writer thread checks each
// against the stream heads and builds one WriteBatch for all of them, and the committer thread
// writes it with a synced WAL, then answers each. An append is acknowledged only after that
// sync. The two threads form a pipeline: the next group is checked while one is being written.
//
// Column families (ledger/store.h): log, streams (heads), stream_index, idempotency.
// A failed write stops the log: the groups checked after it stood on events never stored, so they
// and every later append are refused with kUnavailable until the log is reopened.
// Thread safety: all methods are thread-safe. Lifecycle: the Store must outlive the log; the
// destructor stops the writer after answering every queued append.
#pragma once

#include <memory>

#include "ledger/clock.h"
#include "ledger/event_log.h"
#include "ledger/store.h"

namespace caseledger::ledger {

class DeferredWrites;

struct EmbeddedLogOptions {
  // Upper bound on appends folded into one WriteBatch.
  std::size_t max_group_requests = 512;
  // Upper bound on appends waiting for the writer; more are refused with kUnavailable.
  std::size_t max_queued_requests = 100'000;
  // Groups the writer may check and encode while earlier ones are still being written (and
  // answered). 0 writes each group before the next is formed.
  std::size_t pipeline_depth = 1;
  // Upper bound on the envelope bytes of one append.
  std::size_t max_request_bytes = 8u << 20;
  // Prefix of the column families the log keeps ("" = the event log: "log", "streams",
  // "stream_index", "idempotency"). The access log is a second log with kAccessLogPrefix.
  std::string family_prefix{};
  // Writes this log adds to the batch it stages next (a new data key beside the first event sealed
  // with it: deferred_writes.h). Must outlive the log. Only the event log takes them.
  DeferredWrites* deferred_writes = nullptr;
};

// Opens the log in `store`. Errors: kIOError, kCorruption (the last stored event is unreadable).
// `caseledger verify` checks the whole log; opening reads only its end.
Result<std::unique_ptr<EventLog>> OpenEmbeddedLog(Store& store, const Clock& clock,
                                                  EmbeddedLogOptions options = {});

}  // namespace caseledger::ledger
