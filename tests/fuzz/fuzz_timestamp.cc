// Fuzz target: timestamps and dates as clients write them. Whatever parses must format back (in
// UTC) to a timestamp that parses to the same instant, unless the offset moved it outside the
// years the parser accepts (1900..9999).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/time_format.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace caseledger::ledger;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)ParseDate(text);
  auto t = ParseTimestamp(text);
  if (!t) return 0;
  std::string utc = FormatTimestamp(t.value());
  if (utc.size() != 27 || utc < "1900") return 0;  // moved out of 1900..9999 by the offset
  auto again = ParseTimestamp(utc);
  if (!again || again.value() != t.value()) __builtin_trap();
  return 0;
}
