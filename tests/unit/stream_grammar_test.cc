// The stream grammar: which event types may begin and follow in each kind of record's stream.
#include <gtest/gtest.h>

#include "ledger/stream_grammar.h"
#include "support/appends.h"
#include "support/result_assertions.h"

namespace caseledger::ledger {
namespace {

using testing::StreamId;

TEST(StreamGrammarTest, EachRecordKindBeginsWithItsCreationEvent) {
  EXPECT_OK(CheckStreamGrammar(StreamId("incident", 1), 1, EventType::IncidentReported, "f"));
  EXPECT_OK(CheckStreamGrammar(StreamId("person", 1), 1, EventType::PersonRecorded, "f"));
  EXPECT_OK(CheckStreamGrammar(StreamId("address", 1), 1, EventType::AddressRecorded, "f"));
  EXPECT_OK(CheckStreamGrammar(StreamId("vehicle", 1), 1, EventType::VehicleRecorded, "f"));
  EXPECT_OK(CheckStreamGrammar(StreamId("link", 1), 1, EventType::LinkAdded, "f"));
  EXPECT_OK(CheckStreamGrammar(StreamId("case", 1), 1, EventType::CaseOpened, "f"));
  EXPECT_OK(CheckStreamGrammar(StreamId("grant", 1), 1, EventType::AccessGranted, "f"));
  EXPECT_OK(
      CheckStreamGrammar(StreamId("instrument", 1), 1, EventType::RiskInstrumentPublished, "f"));
}

TEST(StreamGrammarTest, DocumentsAndMeetingsFollowOnCasesAndInstrumentVersionsOnInstruments) {
  for (EventType type : {EventType::DocumentAttached, EventType::MeetingScheduled,
                         EventType::MeetingMinutesRecorded, EventType::MeetingActionAssigned}) {
    EXPECT_OK(CheckStreamGrammar(StreamId("case", 1), 3, type, "f"));
    EXPECT_ERROR_CODE(CheckStreamGrammar(StreamId("incident", 1), 3, type, "f"),
                      Code::kInvalidArgument);
  }
  EXPECT_OK(
      CheckStreamGrammar(StreamId("instrument", 1), 2, EventType::RiskInstrumentPublished, "f"));
  EXPECT_ERROR_CODE(CheckStreamGrammar(StreamId("case", 1), 2, EventType::RiskInstrumentPublished,
                                       "f"),
                    Code::kInvalidArgument);
}

TEST(StreamGrammarTest, AStreamThatBeginsWithAChangeIsRefusedNamingTheField) {
  auto refused = CheckStreamGrammar(StreamId("incident", 1), 1, EventType::NoteAdded,
                                    "streams[0].events[0].type");

  ASSERT_ERROR_CODE(refused, Code::kInvalidArgument);
  EXPECT_EQ(refused.error().field, "streams[0].events[0].type");
  EXPECT_EQ(refused.error().rule, "must begin a incident stream with incident_reported");
}

TEST(StreamGrammarTest, ACreationEventCannotFollowInItsOwnStream) {
  EXPECT_ERROR_CODE(CheckStreamGrammar(StreamId("case", 1), 2, EventType::CaseOpened, "f"),
                    Code::kInvalidArgument);
}

TEST(StreamGrammarTest, AnotherKindsEventCannotFollow) {
  EXPECT_ERROR_CODE(CheckStreamGrammar(StreamId("incident", 1), 2, EventType::PersonCorrected, "f"),
                    Code::kInvalidArgument);
  EXPECT_ERROR_CODE(CheckStreamGrammar(StreamId("link", 1), 2, EventType::NoteAdded, "f"),
                    Code::kInvalidArgument);
  EXPECT_ERROR_CODE(CheckStreamGrammar(StreamId("incident", 1), 2, EventType::AccessRevoked, "f"),
                    Code::kInvalidArgument);
}

TEST(StreamGrammarTest, NotesAndRiskFollowWhereTheCaseSystemPutsThem) {
  EXPECT_OK(CheckStreamGrammar(StreamId("incident", 1), 2, EventType::NoteAdded, "f"));
  EXPECT_OK(CheckStreamGrammar(StreamId("person", 1), 3, EventType::NoteAdded, "f"));
  EXPECT_OK(CheckStreamGrammar(StreamId("case", 1), 9, EventType::NoteAdded, "f"));
  EXPECT_OK(CheckStreamGrammar(StreamId("case", 1), 4, EventType::RiskAssessed, "f"));
  EXPECT_OK(CheckStreamGrammar(StreamId("incident", 1), 4, EventType::RiskAssessed, "f"));
  EXPECT_ERROR_CODE(CheckStreamGrammar(StreamId("person", 1), 2, EventType::RiskAssessed, "f"),
                    Code::kInvalidArgument);
}

TEST(StreamGrammarTest, StreamsThatAreNotRecordsAreNotChecked) {
  EXPECT_OK(CheckStreamGrammar(StreamId("stream", 1), 1, EventType::NoteAdded, "f"));
  EXPECT_OK(CheckStreamGrammar("access-user-1", 7, EventType::CaseOpened, "f"));
}

}  // namespace
}  // namespace caseledger::ledger
