// LogReader over the embedded log's column family. Waits for new events through the log's
// CommitNotifier. The log must outlive its readers.
#pragma once

#include <chrono>
#include <cstdint>

#include "ledger/event_log.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
}  // namespace rocksdb

namespace caseledger::ledger {

// What a reader needs from its log: the last committed offset and a way to wait for more.
class CommitNotifier {
 public:
  virtual ~CommitNotifier() = default;
  virtual std::uint64_t committed() const = 0;
  // True once an offset beyond `offset` is committed; false on timeout or shutdown.
  virtual bool WaitBeyond(std::uint64_t offset, std::chrono::milliseconds wait) = 0;
};

class EmbeddedReader final : public LogReader {
 public:
  EmbeddedReader(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, CommitNotifier& notifier,
                 std::uint64_t after_offset)
      : db_(db), family_(family), notifier_(notifier), cursor_(after_offset) {}

  Result<std::size_t> Read(std::vector<RecordedEvent>& out, std::size_t max,
                           std::chrono::milliseconds wait) override;

 private:
  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* family_;
  CommitNotifier& notifier_;
  std::uint64_t cursor_;
};

}  // namespace caseledger::ledger
