#include "support/appends.h"

#include <atomic>
#include <memory>

#include "ledger/ids.h"

namespace caseledger::testing {

ledger::Uuid TestUuid(std::uint64_t n) {
  ledger::Uuid id;
  id.bytes[0] = 0x01;
  id.bytes[1] = 0x90;
  id.bytes[6] = 0x70;
  id.bytes[8] = 0x80;
  for (int i = 0; i < 6; ++i) id.bytes[15 - i] = static_cast<std::uint8_t>(n >> (8 * i));
  return id;
}

ledger::Uuid NewEventId() {
  static std::atomic<std::uint64_t> next{1};
  ledger::Uuid id = TestUuid(next.fetch_add(1));
  id.bytes[2] = 0xee;  // apart from the TestUuid(n) space tests use for record ids
  return id;
}

std::string StreamId(std::string_view kind, std::uint64_t n) {
  return ledger::RecordId(kind, TestUuid(n));
}

ledger::CommandContext Context(std::string user_id, std::string idempotency_key) {
  ledger::CommandContext context;
  context.actor.user_id = std::move(user_id);
  context.actor.organisation_id = "org-test";
  context.actor.team_id = "team-test";
  context.purpose = "unit test";
  context.correlation_id = TestUuid(0xc0);
  context.causation_id = TestUuid(0xca);
  context.idempotency_key = std::move(idempotency_key);
  return context;
}

ledger::EventDraft Draft(ledger::EventType type, std::string payload, ledger::Micros occurred_at) {
  ledger::EventDraft draft;
  draft.event_id = NewEventId();
  draft.type = type;
  draft.occurred_at = occurred_at;
  draft.payload = std::move(payload);
  return draft;
}

ledger::AppendRequest OneStream(std::string stream_id, std::uint64_t expected_version,
                                std::vector<ledger::EventDraft> events,
                                ledger::CommandContext context) {
  ledger::AppendRequest request;
  request.context = std::move(context);
  ledger::StreamAppend stream;
  stream.stream_id = std::move(stream_id);
  stream.expected_version = expected_version;
  stream.events = std::move(events);
  request.streams.push_back(std::move(stream));
  return request;
}

std::future<ledger::Result<ledger::AppendResult>> AppendFuture(ledger::EventLog& log,
                                                               ledger::AppendRequest request) {
  auto promise = std::make_shared<std::promise<ledger::Result<ledger::AppendResult>>>();
  auto future = promise->get_future();
  log.AppendAsync(std::move(request), [promise](ledger::Result<ledger::AppendResult> result) {
    promise->set_value(std::move(result));
  });
  return future;
}

}  // namespace caseledger::testing
