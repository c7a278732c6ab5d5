#include "ledger/idempotency.h"

#include <sodium.h>

#include <cstring>

#include "ledger/rocksdb_util.h"

namespace caseledger::ledger {
namespace {

constexpr char kRecordTag = 'I';
constexpr std::size_t kFingerprintSize = 32;

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool U32(std::uint32_t& v) {
    if (in_.size() - pos_ < 4) return false;
    v = ReadBigEndian32(in_, pos_);
    pos_ += 4;
    return true;
  }
  bool U64(std::uint64_t& v) {
    if (in_.size() - pos_ < 8) return false;
    v = ReadBigEndian64(in_, pos_);
    pos_ += 8;
    return true;
  }
  bool Bytes(std::size_t n, std::string& out) {
    if (in_.size() - pos_ < n) return false;
    out.assign(in_.substr(pos_, n));
    pos_ += n;
    return true;
  }
  bool AtEnd() const { return pos_ == in_.size(); }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string IdempotencyScope(std::string_view user_id, std::string_view key) {
  std::string scope(user_id);
  scope.push_back('\n');
  scope.append(key);
  return scope;
}

std::string EncodeIdempotencyRecord(const IdempotencyRecord& record) {
  std::string out;
  out.push_back(kRecordTag);
  AppendBigEndian32(out, static_cast<std::uint32_t>(record.fingerprint.size()));
  out += record.fingerprint;
  AppendBigEndian32(out, static_cast<std::uint32_t>(record.result.events.size()));
  for (const auto& e : record.result.events) {
    out.append(reinterpret_cast<const char*>(e.event_id.bytes.data()), 16);
    AppendBigEndian32(out, static_cast<std::uint32_t>(e.stream_id.size()));
    out += e.stream_id;
    AppendBigEndian64(out, e.version);
    AppendBigEndian32(out, e.position.partition);
    AppendBigEndian64(out, e.position.offset);
  }
  return out;
}

Result<IdempotencyRecord> DecodeIdempotencyRecord(std::string_view bytes) {
  auto corrupt = [] { return MakeError(Code::kCorruption, "idempotency record is malformed"); };
  if (bytes.empty() || bytes[0] != kRecordTag) return corrupt();
  Reader r(bytes.substr(1));
  IdempotencyRecord record;
  std::uint32_t n = 0;
  if (!r.U32(n) || n > 1024 || !r.Bytes(n, record.fingerprint)) return corrupt();
  std::uint32_t count = 0;
  if (!r.U32(count) || count > (1u << 20)) return corrupt();
  for (std::uint32_t i = 0; i < count; ++i) {
    CommittedEvent e;
    std::string id;
    std::uint32_t len = 0;
    if (!r.Bytes(16, id) || !r.U32(len) || len > 4096 || !r.Bytes(len, e.stream_id) ||
        !r.U64(e.version) || !r.U32(e.position.partition) || !r.U64(e.position.offset)) {
      return corrupt();
    }
    std::memcpy(e.event_id.bytes.data(), id.data(), 16);
    record.result.events.push_back(std::move(e));
  }
  if (!r.AtEnd()) return corrupt();
  return record;
}

std::string Fingerprint(std::initializer_list<std::string_view> parts) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, kFingerprintSize);
  for (std::string_view part : parts) {
    std::string len = BigEndian64(part.size());
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(len.data()), 8);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(part.data()),
                              part.size());
  }
  std::string out(kFingerprintSize, '\0');
  crypto_generichash_final(&state, reinterpret_cast<unsigned char*>(out.data()), out.size());
  return out;
}

std::string FingerprintOf(const AppendRequest& request) {
  std::string content;
  for (const auto& stream : request.streams) {
    AppendBigEndian64(content, stream.stream_id.size());
    content += stream.stream_id;
    AppendBigEndian64(content, stream.expected_version);
    for (const auto& event : stream.events) {
      AppendBigEndian64(content, static_cast<std::uint64_t>(event.type));
      AppendBigEndian64(content, event.schema_version);
      AppendBigEndian64(content, static_cast<std::uint64_t>(event.occurred_at));
      AppendBigEndian64(content, static_cast<std::uint64_t>(event.source_recorded_at));
      AppendBigEndian64(content, event.payload.size());
      content += event.payload;
    }
  }
  return Fingerprint({content});
}

}  // namespace caseledger::ledger
