// Planners of risk assessments and risk instrument versions (docs/risk.md).
#include "command_checks.h"
#include "command_impl.h"
#include "ledger/risk_instrument.h"
#include "schemas/events_generated.h"

namespace caseledger::ledger {

namespace fb = flatbuffers;

// The client sends the answers; the score, the level, the next review date and the referral
// come from the instrument version, so they cannot disagree with it.
Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const AssessRisk& c) {
  BOOST_OUTCOME_TRY(CheckRecordId(c.record_id, "record_id", {"incident", "case"}));
  BOOST_OUTCOME_TRY(CheckRecordId(c.subject_id, "subject_id", {"person"}));
  BOOST_OUTCOME_TRY(CheckLine(c.instrument_id, "instrument_id", 64));
  if (c.answers.size() > 200) return InvalidField("answers", "must hold at most 200 answers");
  std::string instrument_id =
      c.instrument_id.empty() ? std::string(kDefaultInstrumentId) : c.instrument_id;
  BOOST_OUTCOME_TRY(auto instrument,
                    LoadRiskInstrument(impl.log, instrument_id, c.instrument_version));
  Micros assessed_at = impl.clock.NowMicros();
  BOOST_OUTCOME_TRY(auto outcome, ScoreRiskAnswers(instrument, c.answers, assessed_at));
  BOOST_OUTCOME_TRY(auto state, impl.Target(c.record_id, "record_id", meta));
  BOOST_OUTCOME_TRY(impl.Referenced(c.subject_id, "subject_id"));
  fb::FlatBufferBuilder b(512);
  std::vector<fb::Offset<schema::RiskAnswer>> answers;
  for (const auto& a : c.answers) {
    answers.push_back(schema::CreateRiskAnswerDirect(b, a.question_id.c_str(), a.value));
  }
  auto assessment_id = impl.ids.Next().ToString();
  b.Finish(schema::CreateRiskAssessedDirect(
      b, assessment_id.c_str(), c.subject_id.c_str(), instrument.instrument_id.c_str(),
      instrument.version, &answers, outcome.score, outcome.level, outcome.next_review_at,
      instrument.referral_score, outcome.referred_to_support));
  return OneEventPlan(c.record_id, state.version,
                      impl.Draft(EventType::RiskAssessed, b, assessed_at, meta), assessment_id);
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const PublishRiskInstrument& c) {
  RiskInstrument instrument;
  instrument.instrument_id = c.instrument_id;
  instrument.title = c.title;
  instrument.questions = c.questions;
  instrument.medium_from = c.medium_from;
  instrument.high_from = c.high_from;
  instrument.review_days_standard = c.review_days_standard;
  instrument.review_days_medium = c.review_days_medium;
  instrument.review_days_high = c.review_days_high;
  instrument.referral_score = c.referral_score;
  BOOST_OUTCOME_TRY(CheckRiskInstrument(instrument));
  std::string stream = InstrumentStreamId(c.instrument_id);
  BOOST_OUTCOME_TRY(auto state, impl.states.Load(stream));
  if (meta.expected_version && *meta.expected_version != state.version) {
    return Conflict(state.version, *meta.expected_version);
  }
  // The built-in instrument is version 1 of its id, so its first published version is 2.
  std::uint32_t first = c.instrument_id == kDefaultInstrumentId ? 2 : 1;
  instrument.version = state.version == 0 ? first : state.instrument_version + 1;
  fb::FlatBufferBuilder b(1024);
  std::vector<fb::Offset<schema::RiskQuestion>> questions;
  for (const auto& q : instrument.questions) {
    questions.push_back(schema::CreateRiskQuestionDirect(
        b, q.question_id.c_str(), q.text.c_str(), q.factor.c_str(), q.weight, &q.allowed_values));
  }
  b.Finish(schema::CreateRiskInstrumentPublishedDirect(
      b, instrument.instrument_id.c_str(), instrument.version, instrument.title.c_str(), &questions,
      instrument.medium_from, instrument.high_from, instrument.review_days_standard,
      instrument.review_days_medium, instrument.review_days_high, instrument.referral_score));
  return OneEventPlan(stream, state.version,
                      impl.Draft(EventType::RiskInstrumentPublished, b, 0, meta),
                      std::to_string(instrument.version));
}

}  // namespace caseledger::ledger
