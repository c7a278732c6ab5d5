// Malformed append requests are refused with kInvalidArgument naming the field, and append
// nothing (docs/design.md decision 11).
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "ledger/embedded_log.h"
#include "support/appends.h"
#include "support/event_builders.h"
#include "support/result_assertions.h"
#include "support/temp_dir.h"
#include "support/test_ledger.h"

namespace caseledger::ledger {
namespace {

using testing::Draft;
using testing::OneStream;
using testing::StreamId;

struct BadRequest {
  const char* what;
  std::function<void(AppendRequest&)> spoil;
  std::string field;
};

// A valid two-stream request: every case below spoils one thing in it.
AppendRequest ValidRequest() {
  AppendRequest request =
      OneStream(StreamId("incident", 1), kNoStream,
                {Draft(EventType::IncidentReported, testing::MakeIncidentReported()),
                 Draft(EventType::IncidentClassified, testing::MakeIncidentClassified())},
                testing::Context("user-alice", "key-1"));
  request.streams.push_back({StreamId("person", 1),
                             kNoStream,
                             {Draft(EventType::PersonRecorded, testing::MakePersonRecorded())}});
  return request;
}

std::vector<BadRequest> BadRequests() {
  return {
      {"no streams", [](AppendRequest& r) { r.streams.clear(); }, "streams"},
      {"empty stream id", [](AppendRequest& r) { r.streams[0].stream_id.clear(); },
       "streams[0].stream_id"},
      {"stream id with a space", [](AppendRequest& r) { r.streams[1].stream_id = "person 1"; },
       "streams[1].stream_id"},
      {"stream id with a slash", [](AppendRequest& r) { r.streams[0].stream_id = "a/b"; },
       "streams[0].stream_id"},
      {"stream id with a NUL",
       [](AppendRequest& r) { r.streams[0].stream_id = std::string("a\0b", 3); },
       "streams[0].stream_id"},
      {"non-ASCII stream id",
       [](AppendRequest& r) { r.streams[0].stream_id = "incident-\xc3\xa9"; },
       "streams[0].stream_id"},
      {"201-character stream id",
       [](AppendRequest& r) { r.streams[0].stream_id = std::string(201, 'a'); },
       "streams[0].stream_id"},
      {"repeated stream", [](AppendRequest& r) { r.streams[1].stream_id = r.streams[0].stream_id; },
       "streams[1].stream_id"},
      {"no events", [](AppendRequest& r) { r.streams[1].events.clear(); }, "streams[1].events"},
      {"nil event id", [](AppendRequest& r) { r.streams[0].events[1].event_id = Uuid{}; },
       "streams[0].events[1].event_id"},
      {"event id used twice",
       [](AppendRequest& r) { r.streams[1].events[0].event_id = r.streams[0].events[0].event_id; },
       "streams[1].events[0].event_id"},
      {"unknown event type",
       [](AppendRequest& r) { r.streams[0].events[0].type = EventType::Unknown; },
       "streams[0].events[0].type"},
      {"future event type",
       [](AppendRequest& r) { r.streams[0].events[0].type = static_cast<EventType>(500); },
       "streams[0].events[0].type"},
      {"schema version 0", [](AppendRequest& r) { r.streams[0].events[1].schema_version = 0; },
       "streams[0].events[1].schema_version"},
      {"garbage payload", [](AppendRequest& r) { r.streams[0].events[1].payload = "garbage"; },
       "streams[0].events[1].payload"},
      {"empty payload", [](AppendRequest& r) { r.streams[1].events[0].payload.clear(); },
       "streams[1].events[0].payload"},
      {"idempotency key with a space",
       [](AppendRequest& r) { r.context.idempotency_key = "key 1"; }, "idempotency_key"},
      {"idempotency key with a newline",
       [](AppendRequest& r) { r.context.idempotency_key = "key\n1"; }, "idempotency_key"},
      {"201-character idempotency key",
       [](AppendRequest& r) { r.context.idempotency_key = std::string(201, 'k'); },
       "idempotency_key"},
  };
}

class EmbeddedLogValidationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    node_ = testing::TestLedger::Open(dir_.Path("db"));
    ASSERT_NE(node_, nullptr);
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::TestLedger> node_;
};

TEST_F(EmbeddedLogValidationTest, TheUnspoiledRequestIsAccepted) {
  auto result = node_->log().Append(ValidRequest());

  EXPECT_OK(result);
}

TEST_F(EmbeddedLogValidationTest, EachMalformedRequestNamesTheFieldAndAppendsNothing) {
  for (const BadRequest& bad : BadRequests()) {
    AppendRequest request = ValidRequest();
    bad.spoil(request);

    auto result = node_->log().Append(request);

    ASSERT_FALSE(result) << bad.what << " was accepted";
    EXPECT_EQ(result.error().code, Code::kInvalidArgument) << bad.what;
    EXPECT_EQ(result.error().field, bad.field) << bad.what;
    EXPECT_FALSE(result.error().rule.empty()) << bad.what;
    EXPECT_NE(result.error().message.find(bad.field), std::string::npos) << bad.what;
  }
  EXPECT_EQ(node_->log().EndOffset(0).value(), 0u);
  EXPECT_EQ(node_->log().Head(StreamId("incident", 1)).value().version, 0u);
  EXPECT_EQ(node_->log().Head(StreamId("person", 1)).value().version, 0u);
  auto recorded = node_->log().FindIdempotent("user-alice", "key-1");
  ASSERT_OK(recorded);
  EXPECT_FALSE(recorded.value().has_value());
}

TEST_F(EmbeddedLogValidationTest, StreamIdsOfExactly200AllowedCharactersAreAccepted) {
  std::string id = "Aa0._:-" + std::string(193, 'z');
  ASSERT_EQ(id.size(), 200u);

  auto result = node_->log().Append(
      OneStream(id, kNoStream, {Draft(EventType::CaseReopened, testing::MakeCaseReopened())}));

  EXPECT_OK(result);
}

TEST(EmbeddedLogSizeLimitTest, ARequestOverTheByteLimitIsRefused) {
  testing::TempDir dir;
  EmbeddedLogOptions options;
  options.max_request_bytes = 4096;
  auto node = testing::TestLedger::Open(dir.Path("db"), testing::kTestEpoch, options);
  ASSERT_NE(node, nullptr);
  std::string big_reason(8000, 'x');

  auto big = node->log().Append(OneStream(
      StreamId("stream", 1), kNoStream,
      {Draft(EventType::CaseReopened, testing::MakeCaseReopened({.reason = big_reason}))}));
  auto small =
      node->log().Append(OneStream(StreamId("stream", 1), kNoStream,
                                   {Draft(EventType::CaseReopened, testing::MakeCaseReopened())}));

  ASSERT_ERROR_CODE(big, Code::kInvalidArgument);
  EXPECT_EQ(big.error().field, "streams");
  EXPECT_OK(small);
  EXPECT_EQ(small.value().events[0].position, (Position{0, 1}));
}

}  // namespace
}  // namespace caseledger::ledger
