#include "stream_head_codec.h"

#include "ledger/envelope.h"
#include "ledger/rocksdb_util.h"

namespace caseledger::ledger {

std::string EncodeStreamHead(const StreamHead& head) {
  std::string out;
  out.reserve(20 + kHashSize);
  AppendBigEndian64(out, head.version);
  AppendBigEndian32(out, head.position.partition);
  AppendBigEndian64(out, head.position.offset);
  out += head.hash;
  return out;
}

Result<StreamHead> DecodeStreamHead(std::string_view bytes) {
  if (bytes.size() != 20 + kHashSize) {
    return MakeError(Code::kCorruption, "log: malformed stream head");
  }
  StreamHead head;
  head.version = ReadBigEndian64(bytes, 0);
  head.position.partition = ReadBigEndian32(bytes, 8);
  head.position.offset = ReadBigEndian64(bytes, 12);
  head.hash.assign(bytes.substr(20));
  return head;
}

}  // namespace caseledger::ledger
