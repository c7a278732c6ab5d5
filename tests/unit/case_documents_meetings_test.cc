// Documents attached to cases (sealed bytes, verified hash) and meetings on meeting cases
// (attendees, agenda, minutes, actions that are tasks), through the real command service.
#include <gtest/gtest.h>

#include "ledger/documents.h"
#include "ledger/envelope.h"
#include "support/appends.h"
#include "support/command_fixture.h"
#include "support/event_builders.h"
#include "support/result_assertions.h"

namespace caseledger {
namespace {

class CaseDocumentsTest : public testing::CommandFixture {};

TEST_F(CaseDocumentsTest, AnAttachedDocumentReadsBackWithItsHashVerified) {
  std::string c = Case();
  std::string bytes("diary sheet\0with a NUL byte", 27);

  ASSERT_OK_AND_ASSIGN(auto attached,
                       Run(ledger::AttachDocument{c, "diary.txt", "text/plain", bytes}));
  ASSERT_OK_AND_ASSIGN(auto document,
                       ledger::ReadDocument(h_->log(), h_->personal_data(), c, attached.item_id));

  EXPECT_EQ(document.content, bytes);
  EXPECT_EQ(document.media_type, "text/plain");
  EXPECT_EQ(document.hash_hex, ledger::ToHex(ledger::DocumentHash(bytes)));
  boost::json::value view = View(c);
  const auto& listed = view.at("documents").as_array().at(0).as_object();
  EXPECT_EQ(listed.at("document_id").as_string(), attached.item_id);
  EXPECT_EQ(listed.at("size").as_int64(), 27);
  EXPECT_EQ(listed.at("hash").as_string(), document.hash_hex);
}

TEST_F(CaseDocumentsTest, BytesThatDoNotMatchTheRecordedHashAreDetected) {
  const std::string c = testing::StreamId("case", 1);
  auto sealed = testing::SealOrFail(h_->personal_data(), c,
                                    testing::MakeDocumentContent("the bytes that were attached"));
  std::string payload = testing::MakeDocumentAttached(
      {.content = "the bytes that were attached",
       .hash = ledger::DocumentHash("other bytes"),
       .sealed_content = sealed});

  auto opened = ledger::OpenDocument(
      *flatbuffers::GetRoot<schema::DocumentAttached>(payload.data()), h_->personal_data());

  ASSERT_ERROR_CODE(opened, ledger::Code::kCorruption);
}

TEST_F(CaseDocumentsTest, TamperedSealedBytesAreDetected) {
  const std::string c = testing::StreamId("case", 1);
  auto sealed = testing::SealOrFail(h_->personal_data(), c, testing::MakeDocumentContent("bytes"));
  sealed.ciphertext[3] ^= 0x01;
  std::string payload =
      testing::MakeDocumentAttached({.content = "bytes", .sealed_content = sealed});

  auto opened = ledger::OpenDocument(
      *flatbuffers::GetRoot<schema::DocumentAttached>(payload.data()), h_->personal_data());

  ASSERT_ERROR_CODE(opened, ledger::Code::kCorruption);
}

TEST_F(CaseDocumentsTest, ADocumentOverTheSizeLimitIsRefused) {
  std::string c = Case();

  auto result = Run(ledger::AttachDocument{c, "big.bin", "application/octet-stream",
                                           std::string(ledger::kMaxDocumentBytes + 1, 'x')});

  ASSERT_ERROR_CODE(result, ledger::Code::kInvalidArgument);
  EXPECT_EQ(result.error().field, "content");
}

TEST_F(CaseDocumentsTest, ANameWithAPathOrABadMediaTypeIsRefused) {
  std::string c = Case();

  auto path = Run(ledger::AttachDocument{c, "../etc/passwd", "text/plain", "x"});
  auto media = Run(ledger::AttachDocument{c, "a.txt", "text", "x"});

  ASSERT_ERROR_CODE(path, ledger::Code::kInvalidArgument);
  EXPECT_EQ(path.error().field, "name");
  ASSERT_ERROR_CODE(media, ledger::Code::kInvalidArgument);
  EXPECT_EQ(media.error().field, "media_type");
}

class CaseMeetingsTest : public testing::CommandFixture {};

TEST_F(CaseMeetingsTest, MeetingActionsAreTasksAssignedToAttendees) {
  std::string c = Case(schema::CaseType::Meeting);
  ASSERT_OK_AND_ASSIGN(auto meeting,
                       Run(ledger::ScheduleMeeting{c, "JAG north", testing::kTestEpoch,
                                                   {"user-olivia", "user-pat"},
                                                   {"New cases", "Reviews"}}));
  ASSERT_OK(Run(ledger::RecordMinutes{c, meeting.item_id, "Agreed a joint visit to the shop"}));

  auto stranger = Run(ledger::AssignMeetingAction{c, meeting.item_id, "Visit", "user-zed",
                                                  testing::kTestEpoch});
  ASSERT_OK_AND_ASSIGN(auto action, Run(ledger::AssignMeetingAction{c, meeting.item_id, "Visit",
                                                                    "user-pat",
                                                                    testing::kTestEpoch}));
  ASSERT_OK(Run(ledger::CompleteTask{c, action.item_id, "visited"}));

  ASSERT_ERROR_CODE(stranger, ledger::Code::kInvalidArgument);
  EXPECT_EQ(stranger.error().field, "assignee_id");
  boost::json::value view = View(c);
  const auto& m = view.at("meetings").as_array().at(0).as_object();
  EXPECT_EQ(m.at("minutes").as_string(), "Agreed a joint visit to the shop");
  EXPECT_EQ(m.at("attendees").as_array().size(), 2u);
  EXPECT_EQ(m.at("agenda").as_array().at(1).as_string(), "Reviews");
  const auto& task = view.at("tasks").as_array().at(0).as_object();
  EXPECT_EQ(task.at("task_id").as_string(), action.item_id);
  EXPECT_EQ(task.at("meeting_id").as_string(), meeting.item_id);
  EXPECT_EQ(task.at("assignee_id").as_string(), "user-pat");
  EXPECT_EQ(task.at("status").as_string(), "completed");
}

TEST_F(CaseMeetingsTest, MeetingsAreHeldOnlyOnMeetingCases) {
  std::string c = Case(schema::CaseType::AsbCase);

  auto result = Run(ledger::ScheduleMeeting{c, "JAG", testing::kTestEpoch, {"user-pat"}, {}});

  ASSERT_ERROR_CODE(result, ledger::Code::kInvalidArgument);
  EXPECT_EQ(result.error().field, "case_id");
}

TEST_F(CaseMeetingsTest, MinutesOfAnUnknownMeetingAreRefused) {
  std::string c = Case(schema::CaseType::Meeting);

  auto result = Run(ledger::RecordMinutes{c, "no-such-meeting", "text"});

  ASSERT_ERROR_CODE(result, ledger::Code::kNotFound);
  EXPECT_EQ(result.error().field, "meeting_id");
}

}  // namespace
}  // namespace caseledger
