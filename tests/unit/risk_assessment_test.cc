// Risk assessments scored by the ledger from the instrument version (docs/risk.md), published
// instrument versions, and the overdue risk review work queue.
#include <gtest/gtest.h>

#include <algorithm>

#include "ledger/risk_instrument.h"
#include "ledger/time_format.h"
#include "projections/work_queue.h"
#include "support/command_fixture.h"
#include "support/result_assertions.h"

namespace caseledger {
namespace {

using ledger::RiskAnswerInput;
constexpr ledger::Micros kDay = 86'400'000'000LL;

// Every question of the built-in instrument answered with `value` (capped at its largest).
std::vector<RiskAnswerInput> AllAnswered(std::int32_t value) {
  std::vector<RiskAnswerInput> out;
  for (const auto& q : ledger::DefaultRiskInstrument().questions) {
    out.push_back({q.question_id, std::min(value, q.allowed_values.back())});
  }
  return out;
}

std::vector<RiskAnswerInput> With(std::vector<RiskAnswerInput> answers, const std::string& id,
                                  std::int32_t value) {
  for (auto& a : answers) {
    if (a.question_id == id) a.value = value;
  }
  return answers;
}

// Built-in weights: repeat victim 3, health 3, isolated 2, frequency 2 x 2 = 12, exactly medium.
std::vector<RiskAnswerInput> MediumAnswers() {
  auto a = With(AllAnswered(0), "repeat_victim", 1);
  a = With(a, "health_or_disability", 1);
  a = With(a, "isolated", 1);
  return With(a, "frequency", 2);
}

// 12 + threats or violence 4 + hate 3 + feels unsafe 3 = 22: referred to support, still medium.
std::vector<RiskAnswerInput> ReferralAnswers() {
  auto a = With(MediumAnswers(), "threats_or_violence", 1);
  a = With(a, "hate_motivated", 1);
  return With(a, "feels_unsafe", 3);
}

TEST(RiskScoringTest, ScoreLevelReviewAndReferralComeFromTheInstrument) {
  const auto& v1 = ledger::DefaultRiskInstrument();
  ledger::Micros now = testing::kTestEpoch;

  auto none = ledger::ScoreRiskAnswers(v1, AllAnswered(0), now);
  auto below_medium = ledger::ScoreRiskAnswers(v1, With(MediumAnswers(), "frequency", 1), now);
  auto medium = ledger::ScoreRiskAnswers(v1, MediumAnswers(), now);
  auto referred = ledger::ScoreRiskAnswers(v1, ReferralAnswers(), now);
  auto high = ledger::ScoreRiskAnswers(v1, AllAnswered(3), now);

  ASSERT_OK(none);
  EXPECT_EQ(none.value().score, 0);
  EXPECT_EQ(none.value().level, schema::RiskLevel::Standard);
  EXPECT_EQ(none.value().next_review_at, 0);
  EXPECT_FALSE(none.value().referred_to_support);
  ASSERT_OK(below_medium);
  EXPECT_EQ(below_medium.value().score, 10);
  EXPECT_EQ(below_medium.value().level, schema::RiskLevel::Standard);
  ASSERT_OK(medium);
  EXPECT_EQ(medium.value().score, 12);
  EXPECT_EQ(medium.value().level, schema::RiskLevel::Medium);
  EXPECT_EQ(medium.value().next_review_at, now + 28 * kDay);
  EXPECT_FALSE(medium.value().referred_to_support);
  ASSERT_OK(referred);
  EXPECT_EQ(referred.value().score, 22);
  EXPECT_EQ(referred.value().level, schema::RiskLevel::Medium);
  EXPECT_TRUE(referred.value().referred_to_support);
  ASSERT_OK(high);
  EXPECT_EQ(high.value().score, 35);
  EXPECT_EQ(high.value().level, schema::RiskLevel::High);
  EXPECT_EQ(high.value().next_review_at, now + 14 * kDay);
  EXPECT_TRUE(high.value().referred_to_support);
}

TEST(RiskScoringTest, UnknownQuestionsOutOfRangeAndMissingAnswersAreRefusedByName) {
  const auto& v1 = ledger::DefaultRiskInstrument();
  auto unknown = AllAnswered(0);
  unknown.push_back({"shoe_size", 1});
  auto missing = AllAnswered(0);
  missing.pop_back();

  auto a = ledger::ScoreRiskAnswers(v1, unknown, 0);
  auto b = ledger::ScoreRiskAnswers(v1, With(AllAnswered(0), "repeat_victim", 2), 0);
  auto c = ledger::ScoreRiskAnswers(v1, missing, 0);

  ASSERT_ERROR_CODE(a, ledger::Code::kInvalidArgument);
  EXPECT_EQ(a.error().field, "answers.shoe_size");
  ASSERT_ERROR_CODE(b, ledger::Code::kInvalidArgument);
  EXPECT_EQ(b.error().field, "answers.repeat_victim");
  EXPECT_EQ(b.error().rule, "must be one of: 0, 1");
  ASSERT_ERROR_CODE(c, ledger::Code::kInvalidArgument);
  EXPECT_EQ(c.error().field, "answers." + v1.questions.back().question_id);
}

class RiskAssessmentTest : public testing::CommandFixture {
 protected:
  ledger::Result<ledger::CommandResult> Assess(const std::string& record, const std::string& person,
                                               std::vector<RiskAnswerInput> answers,
                                               std::uint32_t version = 0) {
    return Run(ledger::AssessRisk{record, person, "", version, std::move(answers)});
  }

  // Version 2 of the built-in instrument: one question, reviews every 7 days at medium.
  ledger::PublishRiskInstrument V2() {
    ledger::PublishRiskInstrument p;
    p.instrument_id = "asb-risk";
    p.title = "ASB victim risk assessment, short form";
    p.questions = {{"repeat_victim", "Targeted before?", "personal", 10, {0, 1}}};
    p.medium_from = 5;
    p.high_from = 50;
    p.review_days_medium = 7;
    p.referral_score = 10;
    return p;
  }
};

TEST_F(RiskAssessmentTest, TheLedgerStoresTheScoreLevelAndReferralItComputed) {
  std::string c = Case();
  std::string victim = Person("1950-01-01");

  ASSERT_OK(Assess(c, victim, ReferralAnswers()));

  boost::json::value view = View(c);
  const auto& a = view.at("risk_assessments").as_array().at(0).as_object();
  EXPECT_EQ(a.at("instrument_id").as_string(), "asb-risk");
  EXPECT_EQ(a.at("instrument_version").as_int64(), 1);
  EXPECT_EQ(a.at("score").as_int64(), 22);
  EXPECT_EQ(a.at("level").as_string(), "medium");
  EXPECT_EQ(a.at("referred_to_support").as_bool(), true);
  EXPECT_EQ(a.at("referral_score").as_int64(), 22);
  EXPECT_EQ(a.at("next_review_at").as_string(),
            ledger::FormatTimestamp(testing::kTestEpoch + 28 * kDay));
  EXPECT_EQ(view.at("referred_to_support").as_bool(), true);
}

TEST_F(RiskAssessmentTest, ANewInstrumentVersionDoesNotChangeEarlierAssessments) {
  std::string c = Case();
  std::string victim = Person("1950-01-01");
  ASSERT_OK(Assess(c, victim, MediumAnswers()));

  ASSERT_OK_AND_ASSIGN(auto published, Run(V2()));
  ASSERT_OK(Assess(c, victim, {{"repeat_victim", 1}}));
  ASSERT_OK(Assess(c, victim, MediumAnswers(), 1));
  auto old_answers_under_v2 = Assess(c, victim, MediumAnswers());

  EXPECT_EQ(published.item_id, "2");
  ASSERT_ERROR_CODE(old_answers_under_v2, ledger::Code::kInvalidArgument);
  boost::json::value view = View(c);
  const auto& all = view.at("risk_assessments").as_array();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].at("instrument_version").as_int64(), 1);
  EXPECT_EQ(all[0].at("score").as_int64(), 12);
  EXPECT_EQ(all[0].at("level").as_string(), "medium");
  EXPECT_EQ(all[1].at("instrument_version").as_int64(), 2);
  EXPECT_EQ(all[1].at("score").as_int64(), 10);
  EXPECT_EQ(all[1].at("referred_to_support").as_bool(), true);
  EXPECT_EQ(all[2].at("instrument_version").as_int64(), 1);
  EXPECT_EQ(all[2].at("score").as_int64(), 12);
  ASSERT_OK_AND_ASSIGN(auto v1, ledger::LoadRiskInstrument(h_->log(), "asb-risk", 1));
  EXPECT_EQ(v1.questions.size(), ledger::DefaultRiskInstrument().questions.size());
}

TEST_F(RiskAssessmentTest, AnUnknownInstrumentVersionIsRefused) {
  std::string c = Case();
  std::string victim = Person("1950-01-01");

  auto result = Assess(c, victim, AllAnswered(0), 9);

  ASSERT_ERROR_CODE(result, ledger::Code::kNotFound);
  EXPECT_EQ(result.error().field, "instrument_version");
}

TEST_F(RiskAssessmentTest, OverdueReviewsAreListedMostOverdueFirst) {
  std::string medium_case = Case();
  std::string high_case = Case();
  std::string standard_case = Case();
  std::string closed_case = Case();
  std::string victim = Person("1950-01-01");
  ASSERT_OK(Assess(medium_case, victim, MediumAnswers()));           // due epoch + 28 days
  ASSERT_OK(Assess(high_case, victim, AllAnswered(3)));              // due epoch + 14 days
  ASSERT_OK(Assess(standard_case, victim, AllAnswered(0)));          // no review
  ASSERT_OK(Assess(closed_case, victim, AllAnswered(3)));
  ASSERT_OK(Run(testing::SimpleAction(closed_case, schema::ActionType::Referral)));
  ASSERT_OK(Run(ledger::CloseCase{closed_case, "resolved", "user-supervisor", ""}));
  ASSERT_OK(h_->ApplyAll());

  auto at_20_days = projections::OverdueRiskReviews(h_->projections(),
                                                    testing::kTestEpoch + 20 * kDay);
  auto at_40_days = projections::OverdueRiskReviews(h_->projections(),
                                                    testing::kTestEpoch + 40 * kDay);

  ASSERT_OK(at_20_days);
  ASSERT_EQ(at_20_days.value().size(), 1u);
  EXPECT_EQ(at_20_days.value()[0].record_id, high_case);
  EXPECT_EQ(at_20_days.value()[0].days_overdue, 6);
  ASSERT_OK(at_40_days);
  ASSERT_EQ(at_40_days.value().size(), 2u);
  EXPECT_EQ(at_40_days.value()[0].record_id, high_case);
  EXPECT_EQ(at_40_days.value()[0].level, "high");
  EXPECT_EQ(at_40_days.value()[0].days_overdue, 26);
  EXPECT_EQ(at_40_days.value()[1].record_id, medium_case);
  EXPECT_EQ(at_40_days.value()[1].subject_id, victim);
  EXPECT_EQ(at_40_days.value()[1].days_overdue, 12);
}

TEST_F(RiskAssessmentTest, AReassessmentReschedulesTheReview) {
  std::string c = Case();
  std::string victim = Person("1950-01-01");
  ASSERT_OK(Assess(c, victim, AllAnswered(3)));
  clock().Advance(30 * kDay);
  ASSERT_OK(Assess(c, victim, AllAnswered(0)));  // standard: no scheduled review
  ASSERT_OK(h_->ApplyAll());

  auto due = projections::OverdueRiskReviews(h_->projections(), testing::kTestEpoch + 60 * kDay);

  ASSERT_OK(due);
  EXPECT_TRUE(due.value().empty());
}

}  // namespace
}  // namespace caseledger

namespace caseledger {
namespace {

class CaseItemRebuildTest : public testing::CommandFixture {};

// Documents, meetings, assessments and the review index project the same whether applied one
// event at a time or in one batch (docs/design.md decision 1).
TEST_F(CaseItemRebuildTest, AOneByOneGenerationEqualsABatchedOne) {
  std::string meeting_case = Case(schema::CaseType::Meeting);
  std::string c = Case();
  std::string victim = Person("1950-01-01");
  ASSERT_OK(Run(ledger::AttachDocument{c, "a.txt", "text/plain", "bytes"}));
  ASSERT_OK(Run(ledger::AssessRisk{c, victim, "", 0, AllAnswered(3)}));
  ASSERT_OK_AND_ASSIGN(auto meeting, Run(ledger::ScheduleMeeting{meeting_case, "JAG",
                                                                 testing::kTestEpoch,
                                                                 {"user-pat"}, {"Reviews"}}));
  ASSERT_OK(Run(ledger::RecordMinutes{meeting_case, meeting.item_id, "minutes"}));
  ASSERT_OK(Run(ledger::AssignMeetingAction{meeting_case, meeting.item_id, "Visit", "user-pat",
                                            testing::kTestEpoch}));
  ASSERT_OK(Run(ledger::PublishRiskInstrument{"local-risk", "Local", {{"q", "Q?", "personal", 1,
                                                                       {0, 1}}},
                                              1, 2, 0, 7, 3, 1}));
  ASSERT_OK(h_->ApplyAll());
  ASSERT_OK_AND_ASSIGN(auto one_by_one, h_->projections().CreateGeneration());

  ASSERT_OK(h_->ApplyAll(one_by_one, 1));

  EXPECT_TRUE(testing::SameDump(h_->Dump(h_->projections().active()), h_->Dump(one_by_one)));
  EXPECT_EQ(View(c).at("documents").as_array().size(), 1u);
}

}  // namespace
}  // namespace caseledger
