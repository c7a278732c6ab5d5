// Envelope encoding, verification and the event hash (ledger/envelope.h).
#include "ledger/envelope.h"

#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <string>
#include <vector>

#include "ledger/enum_names.h"
#include "support/appends.h"
#include "support/envelope_fields.h"
#include "support/event_builders.h"
#include "support/result_assertions.h"

namespace caseledger::ledger {
namespace {

using testing::SameEnvelopeFields;
using testing::SampleEnvelopeFields;

struct FieldChange {
  const char* name;
  std::function<void(EnvelopeFields&)> change;
};

// One change per hashed field, plus changes that move bytes between neighbouring fields.
std::vector<FieldChange> EveryFieldChange() {
  return {
      {"event_id", [](EnvelopeFields& f) { f.event_id.bytes[15] ^= 1; }},
      {"stream_id", [](EnvelopeFields& f) { f.stream_id += "x"; }},
      {"stream_version", [](EnvelopeFields& f) { ++f.stream_version; }},
      {"event_type", [](EnvelopeFields& f) { f.event_type = EventType::IncidentUpdated; }},
      {"schema_version", [](EnvelopeFields& f) { ++f.schema_version; }},
      {"occurred_at", [](EnvelopeFields& f) { ++f.occurred_at; }},
      {"recorded_at", [](EnvelopeFields& f) { ++f.recorded_at; }},
      {"source_recorded_at", [](EnvelopeFields& f) { f.source_recorded_at = 0; }},
      {"actor.user_id", [](EnvelopeFields& f) { f.actor.user_id = "user-bob"; }},
      {"actor.organisation_id", [](EnvelopeFields& f) { f.actor.organisation_id = "org-x"; }},
      {"actor.team_id", [](EnvelopeFields& f) { f.actor.team_id.clear(); }},
      {"purpose", [](EnvelopeFields& f) { f.purpose = "Triage"; }},
      {"correlation_id", [](EnvelopeFields& f) { f.correlation_id.bytes[0] ^= 0x80; }},
      {"causation_id", [](EnvelopeFields& f) { f.causation_id = Uuid{}; }},
      {"idempotency_key", [](EnvelopeFields& f) { f.idempotency_key = "key-43"; }},
      {"prev_hash", [](EnvelopeFields& f) { f.prev_hash[31] ^= 1; }},
      {"payload", [](EnvelopeFields& f) { f.payload.back() ^= 1; }},
      {"payload length", [](EnvelopeFields& f) { f.payload.push_back('\0'); }},
      {"user_id/organisation_id boundary",
       [](EnvelopeFields& f) {
         f.actor.user_id += f.actor.organisation_id.substr(0, 1);
         f.actor.organisation_id.erase(0, 1);
       }},
      {"purpose/idempotency_key boundary",
       [](EnvelopeFields& f) {
         f.idempotency_key = f.purpose + f.idempotency_key;
         f.purpose.clear();
       }},
  };
}

TEST(EnvelopeTest, EncodeVerifyDecodeRoundTripsEveryField) {
  EnvelopeFields fields = SampleEnvelopeFields();

  std::string bytes = EncodeEnvelope(fields);
  auto verified = VerifyEnvelope(bytes);

  ASSERT_OK(verified);
  EXPECT_TRUE(SameEnvelopeFields(DecodeEnvelope(*verified.value()), fields));
  EXPECT_TRUE(HashMatches(*verified.value()));
}

TEST(EnvelopeTest, EmptyOptionalStringsDecodeAsEmpty) {
  EnvelopeFields fields = SampleEnvelopeFields();
  fields.actor = {};
  fields.purpose.clear();
  fields.idempotency_key.clear();
  fields.hash = ComputeEventHash(fields);

  std::string bytes = EncodeEnvelope(fields);
  auto verified = VerifyEnvelope(bytes);

  ASSERT_OK(verified);
  EXPECT_TRUE(SameEnvelopeFields(DecodeEnvelope(*verified.value()), fields));
  EXPECT_TRUE(HashMatches(*verified.value()));
}

TEST(EnvelopeTest, HashIsDeterministicAndIgnoresTheHashField) {
  EnvelopeFields fields = SampleEnvelopeFields();
  EnvelopeFields other = fields;
  other.hash.fill(0xff);

  Hash first = ComputeEventHash(fields);
  Hash second = ComputeEventHash(other);

  EXPECT_EQ(first, second);
  EXPECT_EQ(first, fields.hash);
}

TEST(EnvelopeTest, HashChangesWhenAnySingleFieldChanges) {
  const EnvelopeFields original = SampleEnvelopeFields();

  for (const FieldChange& c : EveryFieldChange()) {
    EnvelopeFields changed = original;
    c.change(changed);

    EXPECT_NE(ComputeEventHash(changed), original.hash) << "changed " << c.name;
  }
}

TEST(EnvelopeTest, HashMatchesIsFalseWhenAnyFieldChangesUnderTheStoredHash) {
  const EnvelopeFields original = SampleEnvelopeFields();

  for (const FieldChange& c : EveryFieldChange()) {
    EnvelopeFields changed = original;
    c.change(changed);  // keeps the original hash
    std::string bytes = EncodeEnvelope(changed);
    auto verified = VerifyEnvelope(bytes);

    ASSERT_OK(verified);
    EXPECT_FALSE(HashMatches(*verified.value())) << "changed " << c.name;
  }
}

TEST(EnvelopeTest, VerifyRejectsEveryTruncationUnlessOnlyTrailingPaddingWasCut) {
  const EnvelopeFields fields = SampleEnvelopeFields();
  const std::string bytes = EncodeEnvelope(fields);

  for (std::size_t length = 0; length < bytes.size(); ++length) {
    std::string truncated = bytes.substr(0, length);
    auto verified = VerifyEnvelope(truncated);

    if (verified) {
      EXPECT_EQ(bytes.find_first_not_of('\0', length), std::string::npos)
          << "accepted a truncation to " << length << " bytes that cut more than padding";
      EXPECT_TRUE(SameEnvelopeFields(DecodeEnvelope(*verified.value()), fields));
    } else {
      EXPECT_EQ(verified.error().code, Code::kCorruption) << "length " << length;
    }
  }
}

TEST(EnvelopeTest, VerifyRejectsAWrongFileIdentifier) {
  std::string bytes = EncodeEnvelope(SampleEnvelopeFields());
  bytes.replace(4, 4, "CLEW");

  auto verified = VerifyEnvelope(bytes);

  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code, Code::kCorruption);
  EXPECT_NE(verified.error().message.find("identifier"), std::string::npos)
      << verified.error().message;
}

TEST(EnvelopeTest, VerifyRejectsRandomBytesWithCorruption) {
  std::mt19937_64 random(20261126);

  for (int i = 0; i < 5000; ++i) {
    std::string bytes(random() % 600, '\0');
    for (char& c : bytes) c = static_cast<char>(random());
    if (i % 2 == 1 && bytes.size() >= 8) bytes.replace(4, 4, "CLEV");  // past the identifier check

    auto verified = VerifyEnvelope(bytes);

    ASSERT_FALSE(verified) << "case " << i << " accepted random bytes";
    EXPECT_EQ(verified.error().code, Code::kCorruption) << "case " << i;
  }
}

// A mutated envelope may still be well formed (a byte of a string changed), but then it must not
// pass as the original: HashMatches fails unless every decoded field is unchanged.
TEST(EnvelopeTest, MutatedEnvelopesAreRejectedOrDetectedByTheHash) {
  const EnvelopeFields fields = SampleEnvelopeFields();
  const std::string original = EncodeEnvelope(fields);
  std::mt19937_64 random(7);
  int rejected = 0;

  for (int i = 0; i < 20000; ++i) {
    std::string bytes = original;
    int flips = 1 + static_cast<int>(random() % 4);
    for (int f = 0; f < flips; ++f) {
      bytes[random() % bytes.size()] ^= static_cast<char>(1 + random() % 255);
    }

    auto verified = VerifyEnvelope(bytes);

    if (!verified) {
      EXPECT_EQ(verified.error().code, Code::kCorruption) << "case " << i;
      ++rejected;
    } else if (HashMatches(*verified.value())) {
      EXPECT_TRUE(SameEnvelopeFields(DecodeEnvelope(*verified.value()), fields))
          << "case " << i << ": a changed envelope still matches its hash";
    }
  }
  EXPECT_GT(rejected, 0);
}

TEST(EnvelopeTest, VerifyRejectsEnvelopesMissingRequiredFields) {
  EnvelopeFields no_stream = SampleEnvelopeFields();
  no_stream.stream_id.clear();
  EnvelopeFields version_zero = SampleEnvelopeFields();
  version_zero.stream_version = 0;

  auto missing_stream = VerifyEnvelope(EncodeEnvelope(no_stream));
  auto zero_version = VerifyEnvelope(EncodeEnvelope(version_zero));

  EXPECT_ERROR_CODE(missing_stream, Code::kCorruption);
  EXPECT_ERROR_CODE(zero_version, Code::kCorruption);
}

TEST(EnvelopeTest, VerifyPayloadAcceptsASamplePayloadOfEveryType) {
  SealedValue sealed{"incident-x", 1, std::string(24, 'n'), std::string(40, 'c')};

  for (EventType type : testing::AllEventTypes()) {
    EXPECT_OK(VerifyPayload(type, testing::SamplePayload(type)));
    EXPECT_OK(VerifyPayload(type, testing::SamplePayload(type, sealed)));
  }
}

TEST(EnvelopeTest, VerifyPayloadRejectsGarbageForEveryType) {
  std::mt19937_64 random(99);
  const std::vector<std::string> garbage = {"", "x", std::string(3, '\0'), "garbage payload",
                                            std::string(64, '\xff')};

  for (EventType type : testing::AllEventTypes()) {
    for (const std::string& bytes : garbage) {
      EXPECT_ERROR_CODE(VerifyPayload(type, bytes), Code::kCorruption)
          << EventTypeName(type) << " accepted " << ToHex(bytes);
    }
    for (int i = 0; i < 200; ++i) {
      std::string bytes(4 + random() % 200, '\0');
      for (char& c : bytes) c = static_cast<char>(random());
      EXPECT_ERROR_CODE(VerifyPayload(type, bytes), Code::kCorruption)
          << EventTypeName(type) << " case " << i;
    }
  }
}

TEST(EnvelopeTest, VerifyPayloadRejectsTruncatedPayloads) {
  for (EventType type : testing::AllEventTypes()) {
    const std::string payload = testing::SamplePayload(type);

    for (std::size_t length = 0; length < payload.size(); ++length) {
      auto verified = VerifyPayload(type, payload.substr(0, length));

      if (verified) {
        EXPECT_EQ(payload.find_first_not_of('\0', length), std::string::npos)
            << EventTypeName(type) << " accepted a truncation to " << length;
      } else {
        EXPECT_EQ(verified.error().code, Code::kCorruption);
      }
    }
  }
}

TEST(EnvelopeTest, VerifyPayloadRejectsUnknownButPassesTypesFromANewerVersion) {
  std::string payload = testing::SamplePayload(EventType::CaseReopened);

  auto unknown = VerifyPayload(EventType::Unknown, payload);
  auto newer = VerifyPayload(static_cast<EventType>(999), "not even a flatbuffer");

  EXPECT_ERROR_CODE(unknown, Code::kCorruption);
  EXPECT_OK(newer);
}

TEST(EnvelopeTest, EventTypeNamesAreSnakeCaseAndParseBack) {
  for (EventType type : testing::AllEventTypes()) {
    std::string_view name = EventTypeName(type);

    EXPECT_EQ(name, SnakeCase(schema::EnumNameEventType(type)));
    EXPECT_EQ(EventTypeFromName(name), type) << name;
  }
  EXPECT_EQ(EventTypeName(EventType::Unknown), "unknown");
  EXPECT_EQ(EventTypeName(static_cast<EventType>(999)), "unknown");
  EXPECT_EQ(EventTypeFromName("unknown"), std::nullopt);
  EXPECT_EQ(EventTypeFromName("IncidentReported"), std::nullopt);
}

TEST(EnvelopeTest, ToHexWritesLowerCaseDigits) {
  EXPECT_EQ(ToHex(std::string("\x00\x0f\xa0\xff", 4)), "000fa0ff");
  EXPECT_EQ(ToHex(""), "");
}

}  // namespace
}  // namespace caseledger::ledger
