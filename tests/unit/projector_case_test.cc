// Projecting a case and what happens on it: assignment, tasks, actions, notes, risk
// assessments, closure and reopening (projections/projector.h).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "projections/projector.h"
#include "support/appends.h"
#include "support/event_builders.h"
#include "support/projection_harness.h"
#include "support/result_assertions.h"
#include "support/temp_dir.h"

namespace caseledger::projections {
namespace {

namespace json = boost::json;
using ledger::EventType;
using ledger::kAnyVersion;
using ledger::kNoStream;
using testing::Draft;
using testing::kTestEpoch;
using testing::OneStream;
using testing::StreamId;

constexpr ledger::Micros kDay = 86'400'000'000;

class ProjectorCaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_ = testing::ProjectionHarness::Open(dir_.Path("db"));
    ASSERT_NE(h_, nullptr);
    auto summary = testing::SealOrFail(h_->personal_data(), kCase,
                                       testing::MakeNoteBody("Repeated noise complaints"));
    h_->Append(
        OneStream(kCase, kNoStream,
                  {Draft(EventType::CaseOpened, testing::MakeCaseOpened({.summary = summary}),
                         kTestEpoch + kDay)}));
  }

  void On(EventType type, std::string payload, ledger::Micros occurred_at = kTestEpoch + 2 * kDay) {
    h_->Append(OneStream(kCase, kAnyVersion, {Draft(type, std::move(payload), occurred_at)}));
  }

  json::object CaseView() {
    json::value view = h_->View(kCase);
    EXPECT_TRUE(view.is_object()) << json::serialize(view);
    return view.is_object() ? view.as_object() : json::object();
  }

  const std::string kCase = StreamId("case", 1);
  const std::string kPerson = StreamId("person", 9);
  testing::TempDir dir_;
  std::unique_ptr<testing::ProjectionHarness> h_;
};

TEST_F(ProjectorCaseTest, AnOpenedCaseHasItsFieldsAndOpenedSummary) {
  ASSERT_OK(h_->ApplyAll());

  EXPECT_EQ(json::value(CaseView()), json::parse(R"({
    "id": ")" + kCase + R"(", "version": 1,
    "created_at": "2026-01-01T00:00:00.000000Z", "created_by": "user-alice",
    "updated_at": "2026-01-01T00:00:00.000000Z", "kind": "case", "reference": "CASE-0001",
    "owner": {"organisation_id": "org-leicester", "team_id": "team-asb"},
    "case_type": "asb_case", "title": "Noise nuisance, Test Street", "status": "open",
    "opened_at": "2026-01-02T00:00:00.000000Z", "lead_organisation_id": "org-leicester",
    "lead_officer_id": "user-olivia", "summary": "Repeated noise complaints",
    "tasks": [], "actions": [], "notes": [], "risk_assessments": [], "documents": []})"))
      << json::serialize(CaseView());
}

TEST_F(ProjectorCaseTest, AssignmentMovesTheLeadAndTheOwningTeam) {
  On(EventType::CaseAssigned, testing::MakeCaseAssigned());

  ASSERT_OK(h_->ApplyAll());

  json::object view = CaseView();
  EXPECT_EQ(view.at("lead_organisation_id"), "org-police");
  EXPECT_EQ(view.at("lead_officer_id"), "user-pat");
  EXPECT_EQ(view.at("owner"), json::parse(R"({"organisation_id": "org-leicester",
                                               "team_id": "team-neighbourhood"})"));
  EXPECT_EQ(view.at("assignment_reason"), "police lead");
  EXPECT_EQ(view.at("version"), 2);
}

TEST_F(ProjectorCaseTest, TasksAreListedAndMarkedCompleted) {
  On(EventType::TaskCreated,
     testing::MakeTaskCreated({.task_id = "task-1", .due_at = kTestEpoch + 7 * kDay}));
  On(EventType::TaskCreated,
     testing::MakeTaskCreated({.task_id = "task-2", .title = "Write letter"}));
  On(EventType::TaskCompleted, testing::MakeTaskCompleted({.task_id = "task-1"}),
     kTestEpoch + 3 * kDay);

  ASSERT_OK(h_->ApplyAll());

  EXPECT_EQ(CaseView().at("tasks"), json::parse(R"([
    {"task_id": "task-1", "title": "Visit the complainant", "due_at": "2026-01-08T00:00:00.000000Z",
     "assignee_id": "user-olivia", "status": "completed", "outcome": "visited",
     "completed_at": "2026-01-04T00:00:00.000000Z"},
    {"task_id": "task-2", "title": "Write letter", "due_at": null, "assignee_id": "user-olivia",
     "status": "open"}])"))
      << json::serialize(CaseView().at("tasks"));
}

TEST_F(ProjectorCaseTest, ActionsAreListedWithTheirOpenedDetails) {
  auto details =
      testing::SealOrFail(h_->personal_data(), kCase, testing::MakeNoteBody("Served in person"));
  On(EventType::CaseActionRecorded,
     testing::MakeCaseActionRecorded({.action_id = "action-7",
                                      .action = schema::ActionType::CriminalBehaviourOrder,
                                      .subject_id = kPerson,
                                      .taken_at = kTestEpoch + kDay,
                                      .expires_at = kTestEpoch + 365 * kDay,
                                      .conviction_reference = "CONV-1",
                                      .details = details}));

  ASSERT_OK(h_->ApplyAll());

  EXPECT_EQ(CaseView().at("actions"), json::parse(R"([
    {"action_id": "action-7", "action": "criminal_behaviour_order", "subject_id": ")" +
                                                  kPerson +
                                                  R"(",
     "taken_at": "2026-01-02T00:00:00.000000Z", "expires_at": "2027-01-01T00:00:00.000000Z",
     "authorised_by": "user-sam", "conviction_reference": "CONV-1",
     "details": "Served in person", "recorded_by": "user-alice"}])"))
      << json::serialize(CaseView().at("actions"));
}

TEST_F(ProjectorCaseTest, NotesAndRiskAssessmentsAreListed) {
  auto body = testing::SealOrFail(h_->personal_data(), kCase, testing::MakeNoteBody("Called back"));
  On(EventType::NoteAdded, testing::MakeNoteAdded({.note_id = "note-3", .body = body}));
  On(EventType::RiskAssessed,
     testing::MakeRiskAssessed(
         {.subject_id = kPerson, .score = 17, .level = schema::RiskLevel::High}));

  ASSERT_OK(h_->ApplyAll());

  json::object view = CaseView();
  EXPECT_EQ(view.at("notes"), json::parse(R"([{"note_id": "note-3", "text": "Called back",
    "added_by": "user-alice", "added_at": "2026-01-03T00:00:00.000000Z"}])"));
  EXPECT_EQ(view.at("risk_assessments"), json::parse(R"([{"assessment_id": "risk-1",
    "subject_id": ")" + kPerson + R"(", "instrument_id": "asb-risk-matrix", "instrument_version": 2,
    "answers": {"q1": 3, "q2": 1}, "score": 17, "level": "high", "next_review_at": null,
    "referral_score": 0, "referred_to_support": false,
    "assessed_at": "2026-01-03T00:00:00.000000Z", "assessed_by": "user-alice"}])"))
      << json::serialize(view.at("risk_assessments"));
  EXPECT_EQ(view.at("version"), 3);
  EXPECT_EQ(view.at("updated_at"), "2026-01-01T00:00:02.000000Z");
}

TEST_F(ProjectorCaseTest, ClosingAndReopeningChangeTheStatus) {
  On(EventType::CaseClosed, testing::MakeCaseClosed(), kTestEpoch + 10 * kDay);
  ASSERT_OK(h_->ApplyAll());
  json::object closed = CaseView();
  On(EventType::CaseReopened, testing::MakeCaseReopened(), kTestEpoch + 20 * kDay);

  ASSERT_OK(h_->ApplyAll());

  EXPECT_EQ(closed.at("status"), "closed");
  EXPECT_EQ(closed.at("closed_at"), "2026-01-11T00:00:00.000000Z");
  EXPECT_EQ(closed.at("outcome"), "resolved");
  EXPECT_EQ(closed.at("signed_off_by"), "user-sam");
  EXPECT_EQ(closed.at("closure_reason"), "no further reports");
  json::object reopened = CaseView();
  EXPECT_EQ(reopened.at("status"), "open");
  EXPECT_EQ(reopened.at("reopened_at"), "2026-01-21T00:00:00.000000Z");
  EXPECT_EQ(reopened.at("reopen_reason"), "new reports");
  EXPECT_EQ(reopened.at("version"), 3);
}

TEST_F(ProjectorCaseTest, ACaseSummaryWhoseKeyWasDestroyedShowsAsDisposed) {
  ASSERT_OK(h_->node().keys().Destroy(kCase));

  ASSERT_OK(h_->ApplyAll());

  EXPECT_EQ(CaseView().at("summary"), "disposed");
  EXPECT_EQ(CaseView().at("title"), "Noise nuisance, Test Street");
}

TEST_F(ProjectorCaseTest, NotesCanBeAddedToAnyRecord) {
  const std::string incident = StreamId("incident", 4);
  auto body =
      testing::SealOrFail(h_->personal_data(), incident, testing::MakeNoteBody("CCTV requested"));
  h_->Append(OneStream(incident, kNoStream,
                       {Draft(EventType::IncidentReported, testing::MakeIncidentReported()),
                        Draft(EventType::NoteAdded, testing::MakeNoteAdded({.body = body}))}));

  ASSERT_OK(h_->ApplyAll());

  json::value notes = h_->View(incident).at("notes");
  ASSERT_TRUE(notes.is_array());
  ASSERT_EQ(notes.as_array().size(), 1u);
  EXPECT_EQ(notes.as_array()[0].at("text"), "CCTV requested");
}

}  // namespace
}  // namespace caseledger::projections
