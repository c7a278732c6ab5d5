#include "ledger/rocksdb_util.h"

namespace caseledger::ledger {

Error FromRocks(const rocksdb::Status& status, std::string_view what) {
  Code code = Code::kIOError;
  if (status.IsCorruption()) code = Code::kCorruption;
  if (status.IsBusy() || status.IsTryAgain() || status.IsTimedOut()) code = Code::kUnavailable;
  if (status.IsNoSpace()) code = Code::kResourceExhausted;
  if (status.IsNotFound()) code = Code::kNotFound;
  return MakeError(code, std::string(what) + ": " + status.ToString());
}

Result<void> CheckRocks(const rocksdb::Status& status, std::string_view what) {
  if (status.ok()) return Ok();
  return FromRocks(status, what);
}

void AppendBigEndian64(std::string& out, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void AppendBigEndian32(std::string& out, std::uint32_t v) {
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::string BigEndian64(std::uint64_t v) {
  std::string out;
  AppendBigEndian64(out, v);
  return out;
}

std::uint64_t ReadBigEndian64(std::string_view in, std::size_t pos) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = v << 8 | static_cast<std::uint8_t>(in[pos + i]);
  return v;
}

std::uint32_t ReadBigEndian32(std::string_view in, std::size_t pos) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<std::uint8_t>(in[pos + i]);
  return v;
}

}  // namespace caseledger::ledger
