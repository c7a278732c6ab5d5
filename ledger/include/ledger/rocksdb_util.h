// Helpers for the layers that keep state in RocksDB (ledger, projections, consumers): status
// conversion at the edge and order-preserving key encodings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <rocksdb/status.h>

#include "ledger/result.h"

namespace caseledger::ledger {

// Converts a RocksDB status into an Error; `what` names the operation ("append", "rebuild").
// Never pass personal data in `what`.
Error FromRocks(const rocksdb::Status& status, std::string_view what);

// Converts and returns Ok() for an ok status.
Result<void> CheckRocks(const rocksdb::Status& status, std::string_view what);

// Big-endian fixed-width integers: byte order equals numeric order.
void AppendBigEndian64(std::string& out, std::uint64_t v);
void AppendBigEndian32(std::string& out, std::uint32_t v);
std::string BigEndian64(std::uint64_t v);
// Reads 8 bytes at `pos`; the caller checks the size.
std::uint64_t ReadBigEndian64(std::string_view in, std::size_t pos = 0);
std::uint32_t ReadBigEndian32(std::string_view in, std::size_t pos = 0);

}  // namespace caseledger::ledger
