// Fuzz target: bytes as they would be read from the log or a Kafka message. Every buffer must
// pass VerifyEnvelope and VerifyPayload before it is touched; whatever passes must render as JSON
// (no personal data key store: sealed fields render sealed). Nothing may crash or read out of
// bounds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ledger/envelope.h"
#include "ledger/event_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace caseledger::ledger;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto envelope = VerifyEnvelope(bytes);
  if (!envelope) return 0;
  const auto* e = envelope.value();
  std::string_view payload(reinterpret_cast<const char*>(e->payload()->data()),
                           e->payload()->size());
  (void)VerifyPayload(e->event_type(), payload);
  (void)EventToJson(*e, nullptr, Position{0, 1});
  return 0;
}
