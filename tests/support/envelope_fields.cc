#include "support/envelope_fields.h"

#include "support/appends.h"
#include "support/event_builders.h"

namespace caseledger::testing {
namespace {

std::string Hex(const ledger::Hash& h) {
  return ledger::ToHex({reinterpret_cast<const char*>(h.data()), h.size()});
}

}  // namespace

::testing::AssertionResult SameEnvelopeFields(const ledger::EnvelopeFields& a,
                                              const ledger::EnvelopeFields& b) {
#define CASELEDGER_COMPARE(expr_a, expr_b, name)                                             \
  if (!((expr_a) == (expr_b))) {                                                             \
    return ::testing::AssertionFailure()                                                     \
           << "field " << name << " differs: " << ::testing::PrintToString(expr_a) << " vs " \
           << ::testing::PrintToString(expr_b);                                              \
  }
  CASELEDGER_COMPARE(a.event_id.ToString(), b.event_id.ToString(), "event_id");
  CASELEDGER_COMPARE(a.stream_id, b.stream_id, "stream_id");
  CASELEDGER_COMPARE(a.stream_version, b.stream_version, "stream_version");
  CASELEDGER_COMPARE(static_cast<int>(a.event_type), static_cast<int>(b.event_type), "event_type");
  CASELEDGER_COMPARE(a.schema_version, b.schema_version, "schema_version");
  CASELEDGER_COMPARE(a.occurred_at, b.occurred_at, "occurred_at");
  CASELEDGER_COMPARE(a.recorded_at, b.recorded_at, "recorded_at");
  CASELEDGER_COMPARE(a.source_recorded_at, b.source_recorded_at, "source_recorded_at");
  CASELEDGER_COMPARE(a.actor.user_id, b.actor.user_id, "actor.user_id");
  CASELEDGER_COMPARE(a.actor.organisation_id, b.actor.organisation_id, "actor.organisation_id");
  CASELEDGER_COMPARE(a.actor.team_id, b.actor.team_id, "actor.team_id");
  CASELEDGER_COMPARE(a.purpose, b.purpose, "purpose");
  CASELEDGER_COMPARE(a.correlation_id.ToString(), b.correlation_id.ToString(), "correlation_id");
  CASELEDGER_COMPARE(a.causation_id.ToString(), b.causation_id.ToString(), "causation_id");
  CASELEDGER_COMPARE(a.idempotency_key, b.idempotency_key, "idempotency_key");
  CASELEDGER_COMPARE(Hex(a.prev_hash), Hex(b.prev_hash), "prev_hash");
  CASELEDGER_COMPARE(Hex(a.hash), Hex(b.hash), "hash");
  CASELEDGER_COMPARE(ledger::ToHex(a.payload), ledger::ToHex(b.payload), "payload");
#undef CASELEDGER_COMPARE
  return ::testing::AssertionSuccess();
}

ledger::EnvelopeFields SampleEnvelopeFields() {
  ledger::EnvelopeFields f;
  f.event_id = TestUuid(0x101);
  f.stream_id = StreamId("incident", 7);
  f.stream_version = 3;
  f.event_type = ledger::EventType::IncidentClassified;
  f.schema_version = 2;
  f.occurred_at = kTestEpoch - 3'600'000'000;
  f.recorded_at = kTestEpoch;
  f.source_recorded_at = kTestEpoch - 86'400'000'000;
  f.actor = {"user-alice", "org-leicester", "team-asb"};
  f.purpose = "triage";
  f.correlation_id = TestUuid(0x102);
  f.causation_id = TestUuid(0x103);
  f.idempotency_key = "key-42";
  for (std::size_t i = 0; i < f.prev_hash.size(); ++i)
    f.prev_hash[i] = static_cast<std::uint8_t>(i);
  f.payload = MakeIncidentClassified();
  f.hash = ledger::ComputeEventHash(f);
  return f;
}

}  // namespace caseledger::testing
