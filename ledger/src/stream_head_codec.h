// Stored form of a stream head: BE64 version, BE32 partition, BE64 offset, 32-byte hash.
#pragma once

#include <string>
#include <string_view>

#include "ledger/event.h"
#include "ledger/result.h"

namespace caseledger::ledger {

std::string EncodeStreamHead(const StreamHead& head);
// Errors: kCorruption.
Result<StreamHead> DecodeStreamHead(std::string_view bytes);

}  // namespace caseledger::ledger
