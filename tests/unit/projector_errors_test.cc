// What the projector does with events it cannot apply: an error for the whole batch and nothing
// written, never a crash (projections/projector.h, docs/design.md decision 11).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "ledger/envelope.h"
#include "projections/projector.h"
#include "support/appends.h"
#include "support/event_builders.h"
#include "support/projection_harness.h"
#include "support/result_assertions.h"
#include "support/temp_dir.h"
#include "support/test_ledger.h"

namespace caseledger::projections {
namespace {

using ledger::Code;
using ledger::EventType;
using ledger::kAnyVersion;
using ledger::kNoStream;
using testing::Draft;
using testing::OneStream;
using testing::StreamId;

class ProjectorErrorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_ = testing::ProjectionHarness::Open(dir_.Path("db"));
    ASSERT_NE(h_, nullptr);
  }

  std::uint64_t Applied() {
    return h_->projections().AppliedOffset(h_->projections().active(), 0).value();
  }

  // Applies every event in the log in one batch.
  ledger::Result<void> ApplyLog() {
    std::vector<ledger::RecordedEvent> events = h_->ReadLog();
    return h_->projector().Apply(h_->projections().active(), 0, events, {});
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::ProjectionHarness> h_;
};

TEST_F(ProjectorErrorsTest, AChangeToARecordNeverCreatedFailsTheWholeBatch) {
  const std::string created = StreamId("incident", 1);
  h_->Append(OneStream(created, kNoStream,
                       {Draft(EventType::IncidentReported, testing::MakeIncidentReported())}));
  h_->Append(OneStream(StreamId("incident", 2), kNoStream,
                       {Draft(EventType::IncidentClassified, testing::MakeIncidentClassified())}));

  auto applied = ApplyLog();

  ASSERT_ERROR_CODE(applied, Code::kCorruption);
  EXPECT_NE(applied.error().message.find("0:2"), std::string::npos) << applied.error().message;
  EXPECT_EQ(h_->View(created), nullptr);
  EXPECT_EQ(Applied(), 0u);
}

TEST_F(ProjectorErrorsTest, EventsAtOrBeforeTheAppliedOffsetAreRefused) {
  h_->Append(OneStream(StreamId("case", 1), kNoStream,
                       {Draft(EventType::CaseOpened, testing::MakeCaseOpened())}));
  h_->Append(OneStream(StreamId("case", 1), 1,
                       {Draft(EventType::CaseReopened, testing::MakeCaseReopened())}));
  ASSERT_OK(h_->ApplyAll());
  std::vector<ledger::RecordedEvent> events = h_->ReadLog();

  auto again = h_->projector().Apply(h_->projections().active(), 0, {events.data() + 1, 1}, {});
  auto other_partition = h_->projector().Apply(h_->projections().active(), 1, events, {});

  EXPECT_ERROR_CODE(again, Code::kInternal);
  EXPECT_ERROR_CODE(other_partition, Code::kInternal);
  EXPECT_EQ(Applied(), 2u);
  EXPECT_EQ(h_->View(StreamId("case", 1)).at("version"), 2);
}

TEST_F(ProjectorErrorsTest, ASealedFieldThatIsNotItsTableIsCorruption) {
  const std::string incident = StreamId("incident", 1);
  auto garbage = testing::SealOrFail(h_->personal_data(), incident, "not a flatbuffer");
  h_->Append(OneStream(
      incident, kNoStream,
      {Draft(EventType::IncidentReported, testing::MakeIncidentReported({.details = garbage}))}));

  auto applied = ApplyLog();

  EXPECT_ERROR_CODE(applied, Code::kCorruption);
  EXPECT_EQ(Applied(), 0u);
}

TEST_F(ProjectorErrorsTest, ASealedFieldThatFailsAuthenticationIsCorruptionNotDisposal) {
  const std::string incident = StreamId("incident", 1);
  auto sealed =
      testing::SealOrFail(h_->personal_data(), incident, testing::MakeIncidentDetails("x"));
  sealed.ciphertext[0] ^= 1;
  h_->Append(OneStream(
      incident, kNoStream,
      {Draft(EventType::IncidentReported, testing::MakeIncidentReported({.details = sealed}))}));

  auto applied = ApplyLog();

  EXPECT_ERROR_CODE(applied, Code::kCorruption);
  EXPECT_EQ(h_->View(incident), nullptr);
}

TEST_F(ProjectorErrorsTest, EventsOfATypeFromANewerVersionAreSkippedButCounted) {
  h_->Append(OneStream(StreamId("case", 1), kNoStream,
                       {Draft(EventType::CaseOpened, testing::MakeCaseOpened())}));
  std::vector<ledger::RecordedEvent> events = h_->ReadLog();
  ledger::EnvelopeFields f = ledger::DecodeEnvelope(*events[0].envelope());
  f.event_type = static_cast<EventType>(999);
  f.stream_id = StreamId("case", 2);
  f.payload = "a shape this version does not know";
  f.hash = ledger::ComputeEventHash(f);
  events.push_back({ledger::Position{0, 2}, ledger::EncodeEnvelope(f)});

  auto applied = h_->projector().Apply(h_->projections().active(), 0, events, {});

  ASSERT_OK(applied);
  EXPECT_EQ(Applied(), 2u);
  EXPECT_EQ(h_->View(StreamId("case", 2)), nullptr);
  EXPECT_NE(h_->View(StreamId("case", 1)), nullptr);
}

TEST_F(ProjectorErrorsTest, AStoredEventThatFailsVerificationIsCorruption) {
  h_->Append(OneStream(StreamId("case", 1), kNoStream,
                       {Draft(EventType::CaseOpened, testing::MakeCaseOpened())}));
  std::vector<ledger::RecordedEvent> events = h_->ReadLog();
  events[0].bytes.resize(events[0].bytes.size() / 2);

  auto applied = h_->projector().Apply(h_->projections().active(), 0, events, {});

  EXPECT_ERROR_CODE(applied, Code::kCorruption);
  EXPECT_EQ(Applied(), 0u);
}

// An event as the log would hold it, built by hand: the log itself refuses these streams (its
// grammar and the schema's required fields), so this is what a damaged or foreign log could hold.
ledger::RecordedEvent HandMade(std::uint64_t offset, const std::string& stream,
                               std::uint64_t version, EventType type, std::string payload) {
  ledger::EnvelopeFields f;
  f.event_id.bytes[15] = static_cast<std::uint8_t>(offset);
  f.stream_id = stream;
  f.stream_version = version;
  f.event_type = type;
  f.recorded_at = testing::kTestEpoch;
  f.payload = std::move(payload);
  f.hash = ledger::ComputeEventHash(f);
  return {{0, offset}, ledger::EncodeEnvelope(f)};
}

TEST_F(ProjectorErrorsTest, ALinkRemovalOnAnotherKindOfRecordIsCorruptionNotAnException) {
  const std::string incident = StreamId("incident", 1);
  std::vector<ledger::RecordedEvent> events = {
      HandMade(1, incident, 1, EventType::IncidentReported, testing::MakeIncidentReported()),
      HandMade(2, incident, 2, EventType::LinkRemoved, testing::MakeLinkRemoved())};

  ledger::Result<void> applied = ledger::Ok();
  EXPECT_NO_THROW(applied = h_->projector().Apply(h_->projections().active(), 0, events, {}));

  EXPECT_ERROR_CODE(applied, Code::kCorruption);
  EXPECT_EQ(Applied(), 0u);
}

TEST_F(ProjectorErrorsTest, AGrantRevocationOnAnotherKindOfRecordIsCorruptionNotAnException) {
  const std::string incident = StreamId("incident", 1);
  std::vector<ledger::RecordedEvent> events = {
      HandMade(1, incident, 1, EventType::IncidentReported, testing::MakeIncidentReported()),
      HandMade(2, incident, 2, EventType::AccessRevoked,
               testing::MakeAccessRevoked({.record_id = incident}))};

  ledger::Result<void> applied = ledger::Ok();
  EXPECT_NO_THROW(applied = h_->projector().Apply(h_->projections().active(), 0, events, {}));

  EXPECT_ERROR_CODE(applied, Code::kCorruption);
}

TEST_F(ProjectorErrorsTest, ALinkWithoutAnEndIsRefusedByTheLogAndIsCorruptionToTheProjector) {
  flatbuffers::FlatBufferBuilder b;
  auto from = b.CreateString(StreamId("incident", 1));
  schema::LinkAddedBuilder link(b);
  link.add_from_id(from);
  link.add_role(schema::LinkRole::Victim);
  b.Finish(link.Finish());
  std::string payload(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());

  auto appended = h_->log().Append(
      OneStream(StreamId("link", 1), kNoStream, {Draft(EventType::LinkAdded, payload)}));
  std::vector<ledger::RecordedEvent> events = {
      HandMade(1, StreamId("link", 1), 1, EventType::LinkAdded, payload)};
  auto applied = h_->projector().Apply(h_->projections().active(), 0, events, {});

  EXPECT_ERROR_CODE(appended, Code::kInvalidArgument);
  EXPECT_ERROR_CODE(applied, Code::kCorruption);
  EXPECT_EQ(Applied(), 0u);
}

}  // namespace
}  // namespace caseledger::projections
