// ReplayStream: a stream's events as they were known at a time, read in pages.
#include <fmt/format.h>

#include "ledger/verify.h"

namespace caseledger::ledger {
namespace {

constexpr std::size_t kPageSize = 1000;

}  // namespace

Result<std::vector<RecordedEvent>> ReplayStream(EventLog& log, std::string_view stream_id,
                                                std::optional<Micros> as_of) {
  std::vector<RecordedEvent> events;
  for (;;) {
    const std::uint64_t from = events.size() + 1;
    BOOST_OUTCOME_TRY(std::vector<RecordedEvent> page, log.ReadStream(stream_id, from, kPageSize));
    for (RecordedEvent& event : page) {
      const schema::Envelope* e = event.envelope();
      if (e->stream_id()->string_view() != stream_id) {
        return MakeError(Code::kCorruption,
                         fmt::format("replay {}: the stream index points at an event of {}",
                                     std::string(stream_id), e->stream_id()->str()));
      }
      if (e->stream_version() != events.size() + 1) {
        return MakeError(
            Code::kCorruption,
            fmt::format("replay {}: version {} where version {} belongs", std::string(stream_id),
                        e->stream_version(), events.size() + 1));
      }
      // Versions are recorded in order, so nothing after this was known at `as_of` either.
      if (as_of && e->recorded_at() > *as_of) return events;
      events.push_back(std::move(event));
    }
    if (page.size() < kPageSize) return events;
  }
}

}  // namespace caseledger::ledger
