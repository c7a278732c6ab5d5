#include "embedded_reader.h"

#include <rocksdb/db.h>

#include <memory>

#include "ledger/envelope.h"
#include "ledger/rocksdb_util.h"

namespace caseledger::ledger {

Result<std::size_t> EmbeddedReader::Read(std::vector<RecordedEvent>& out, std::size_t max,
                                         std::chrono::milliseconds wait) {
  if (max == 0) return std::size_t{0};
  if (notifier_.committed() <= cursor_ && !notifier_.WaitBeyond(cursor_, wait)) {
    return std::size_t{0};
  }
  rocksdb::ReadOptions options;
  options.readahead_size = 2u << 20;
  options.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, family_));
  std::size_t added = 0;
  for (it->Seek(BigEndian64(cursor_ + 1)); it->Valid() && added < max; it->Next()) {
    std::string_view key = it->key().ToStringView();
    if (key.size() != 8 || ReadBigEndian64(key) != cursor_ + 1) {
      return MakeError(Code::kCorruption,
                       "log: gap or malformed key after offset " + std::to_string(cursor_));
    }
    std::string_view value = it->value().ToStringView();
    if (auto ok = VerifyEnvelope(value); !ok) {
      Error e = ok.error();
      e.message = "log offset " + std::to_string(cursor_ + 1) + ": " + e.message;
      return e;
    }
    out.push_back({Position{0, cursor_ + 1}, std::string(value)});
    ++cursor_;
    ++added;
  }
  BOOST_OUTCOME_TRY(CheckRocks(it->status(), "log: read"));
  return added;
}

}  // namespace caseledger::ledger
