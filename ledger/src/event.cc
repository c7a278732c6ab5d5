#include "ledger/event.h"

#include <charconv>
#include <future>

#include "ledger/event_log.h"

namespace caseledger::ledger {

std::string Position::ToString() const {
  return std::to_string(partition) + ":" + std::to_string(offset);
}

std::optional<Position> Position::Parse(std::string_view text) {
  Position p;
  auto parse = [](std::string_view s, auto& out) {
    if (s.empty()) return false;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
  };
  auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    if (!parse(text, p.offset)) return std::nullopt;
    return p;
  }
  if (!parse(text.substr(0, colon), p.partition) || !parse(text.substr(colon + 1), p.offset)) {
    return std::nullopt;
  }
  return p;
}

Result<AppendResult> EventLog::Append(AppendRequest request) {
  std::promise<Result<AppendResult>> promise;
  auto future = promise.get_future();
  AppendAsync(std::move(request),
              [&promise](Result<AppendResult> result) { promise.set_value(std::move(result)); });
  return future.get();
}

}  // namespace caseledger::ledger
