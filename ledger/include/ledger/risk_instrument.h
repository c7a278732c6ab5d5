// Risk instruments: the configurable, versioned questionnaire that scores a victim's personal,
// situational and incidental vulnerability (docs/risk.md). The ledger computes an assessment's
// score, level, next review date and referral from the instrument version it names; the client
// sends only the answers, so two assessments with the same answers under the same version always
// agree, and publishing a new version never changes an assessment already recorded.
//
// One instrument is built in (kDefaultInstrumentId, version 1, from the guidance in
// ../shared/domain/ASB.md). A partnership administrator publishes further versions of it, or new
// instruments, as RiskInstrumentPublished events on the stream InstrumentStreamId(instrument_id).
//
// Example:
//   BOOST_OUTCOME_TRY(auto instrument, LoadRiskInstrument(log, "asb-risk", 0));  // latest
//   BOOST_OUTCOME_TRY(auto outcome, ScoreRiskAnswers(instrument, answers, now));
//
// Thread safety: pure functions; LoadRiskInstrument is as thread-safe as the log.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/commands.h"
#include "ledger/event_log.h"
#include "ledger/result.h"
#include "schemas/events_generated.h"

namespace caseledger::ledger {

inline constexpr std::string_view kDefaultInstrumentId = "asb-risk";

struct RiskInstrument {
  std::string instrument_id;
  std::uint32_t version = 0;
  std::string title;
  std::vector<RiskQuestion> questions;
  std::int32_t medium_from = 0;
  std::int32_t high_from = 0;
  std::int32_t review_days_standard = 0;   // 0 = no scheduled review at that level
  std::int32_t review_days_medium = 0;
  std::int32_t review_days_high = 0;
  std::int32_t referral_score = 0;         // 0 = never refers
};

struct RiskOutcome {
  std::int32_t score = 0;
  schema::RiskLevel level = schema::RiskLevel::Unspecified;
  Micros next_review_at = 0;               // 0 = no scheduled review
  bool referred_to_support = false;
};

// Version 1 of kDefaultInstrumentId.
const RiskInstrument& DefaultRiskInstrument();

// "instrument-<uuid>", the uuid derived from `instrument_id`, so every node names the same stream.
std::string InstrumentStreamId(std::string_view instrument_id);

// Scores `answers` under `instrument`. Every question must be answered once with one of its
// allowed values. Errors: kInvalidArgument naming "answers.<question_id>" and the rule.
Result<RiskOutcome> ScoreRiskAnswers(const RiskInstrument& instrument,
                                     const std::vector<RiskAnswerInput>& answers,
                                     Micros assessed_at);

// The rules a published instrument must keep (ids, weights, thresholds, cadences). Errors:
// kInvalidArgument naming the field of PublishRiskInstrument.
Result<void> CheckRiskInstrument(const RiskInstrument& instrument);

RiskInstrument RiskInstrumentFrom(const schema::RiskInstrumentPublished& event);

// Version `version` of `instrument_id` (0 = its latest): the built-in one or one published in
// `log`. Errors: kNotFound naming "instrument_id" or "instrument_version"; the log's errors.
Result<RiskInstrument> LoadRiskInstrument(EventLog& log, std::string_view instrument_id,
                                          std::uint32_t version);

}  // namespace caseledger::ledger
