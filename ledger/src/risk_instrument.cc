#include "ledger/risk_instrument.h"

#include <algorithm>
#include <map>

#include "command_checks.h"
#include "ledger/envelope.h"
#include "ledger/idempotency.h"
#include "ledger/ids.h"

namespace caseledger::ledger {
namespace {

constexpr Micros kDay = 86'400'000'000LL;

RiskInstrument BuildDefault() {
  RiskInstrument i;
  i.instrument_id = std::string(kDefaultInstrumentId);
  i.version = 1;
  i.title = "ASB victim risk assessment";
  const std::vector<std::int32_t> yes_no = {0, 1};
  const std::vector<std::int32_t> scale = {0, 1, 2, 3};
  i.questions = {
      // Personal vulnerability: who the victim is.
      {"repeat_victim", "Has the victim been targeted before?", "personal", 3, yes_no},
      {"health_or_disability", "Does a physical or mental health condition or a disability make "
       "the victim more vulnerable?", "personal", 3, yes_no},
      {"age_related", "Is the victim vulnerable because of their age?", "personal", 2, yes_no},
      {"isolated", "Does the victim live alone or lack support?", "personal", 2, yes_no},
      {"hate_motivated", "Does the victim believe the behaviour is motivated by hate?", "personal",
       3, yes_no},
      // Situational vulnerability: where and how often.
      {"frequency", "How often does it happen (0 once, 1 monthly, 2 weekly, 3 daily)?",
       "situational", 2, scale},
      {"perpetrator_nearby", "Does the alleged perpetrator live nearby?", "situational", 2, yes_no},
      {"impact_on_daily_life", "How much does it affect the victim's daily life (0 to 3)?",
       "situational", 2, scale},
      // Incidental vulnerability: what happened.
      {"threats_or_violence", "Were there threats or violence?", "incidental", 4, yes_no},
      {"damage_to_property", "Was property damaged?", "incidental", 1, yes_no},
      {"feels_unsafe", "How unsafe does the victim feel at home (0 to 3)?", "incidental", 1, scale},
  };
  i.medium_from = 12;
  i.high_from = 25;
  i.review_days_standard = 0;
  i.review_days_medium = 28;
  i.review_days_high = 14;
  i.referral_score = 22;
  return i;
}

std::string Str(const flatbuffers::String* s) { return s == nullptr ? std::string() : s->str(); }

std::string ChoicesText(const std::vector<std::int32_t>& values) {
  std::string out;
  for (std::int32_t v : values) {
    if (!out.empty()) out += ", ";
    out += std::to_string(v);
  }
  return out;
}

std::string NameOf(const RiskInstrument& i) {
  return "instrument " + i.instrument_id + " version " + std::to_string(i.version);
}

Result<void> CheckInstrumentId(std::string_view id) {
  if (id.empty() || id.size() > 64) return InvalidField("instrument_id", "must be 1 to 64 characters");
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return InvalidField("instrument_id", "must hold only a-z, 0-9 and -");
    }
  }
  return Ok();
}

}  // namespace

const RiskInstrument& DefaultRiskInstrument() {
  static const RiskInstrument instrument = BuildDefault();
  return instrument;
}

std::string InstrumentStreamId(std::string_view instrument_id) {
  return RecordId("instrument",
                  Uuid::FromDigest(Fingerprint({"caseledger.instrument-id.v1", instrument_id})));
}

Result<RiskOutcome> ScoreRiskAnswers(const RiskInstrument& instrument,
                                     const std::vector<RiskAnswerInput>& answers,
                                     Micros assessed_at) {
  std::map<std::string_view, std::int32_t> given;
  for (const auto& a : answers) {
    std::string field = "answers." + a.question_id.substr(0, 100);
    auto q = std::find_if(instrument.questions.begin(), instrument.questions.end(),
                          [&](const RiskQuestion& q) { return q.question_id == a.question_id; });
    if (q == instrument.questions.end()) {
      return InvalidField(field, "is not a question of " + NameOf(instrument));
    }
    if (!given.emplace(a.question_id, a.value).second) {
      return InvalidField(field, "must be answered once");
    }
    if (std::find(q->allowed_values.begin(), q->allowed_values.end(), a.value) ==
        q->allowed_values.end()) {
      return InvalidField(field, "must be one of: " + ChoicesText(q->allowed_values));
    }
  }
  RiskOutcome out;
  for (const auto& q : instrument.questions) {
    auto it = given.find(q.question_id);
    if (it == given.end()) {
      return InvalidField("answers." + q.question_id, "is required by " + NameOf(instrument));
    }
    out.score += q.weight * it->second;
  }
  std::int32_t days = 0;
  if (out.score >= instrument.high_from) {
    out.level = schema::RiskLevel::High;
    days = instrument.review_days_high;
  } else if (out.score >= instrument.medium_from) {
    out.level = schema::RiskLevel::Medium;
    days = instrument.review_days_medium;
  } else {
    out.level = schema::RiskLevel::Standard;
    days = instrument.review_days_standard;
  }
  out.next_review_at = days > 0 ? assessed_at + days * kDay : 0;
  out.referred_to_support = instrument.referral_score > 0 && out.score >= instrument.referral_score;
  return out;
}

Result<void> CheckRiskInstrument(const RiskInstrument& i) {
  BOOST_OUTCOME_TRY(CheckInstrumentId(i.instrument_id));
  BOOST_OUTCOME_TRY(CheckText(i.title, "title", 1, 200));
  if (i.questions.empty() || i.questions.size() > 100) {
    return InvalidField("questions", "must hold 1 to 100 questions");
  }
  std::map<std::string_view, bool> seen;
  for (std::size_t n = 0; n < i.questions.size(); ++n) {
    const RiskQuestion& q = i.questions[n];
    std::string at = "questions[" + std::to_string(n) + "]";
    if (q.question_id.empty() || q.question_id.size() > 64) {
      return InvalidField(at + ".question_id", "must be 1 to 64 characters");
    }
    for (char c : q.question_id) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
        return InvalidField(at + ".question_id", "must hold only a-z, 0-9 and _");
      }
    }
    if (!seen.emplace(q.question_id, true).second) {
      return InvalidField(at + ".question_id", "must be unique within the instrument");
    }
    BOOST_OUTCOME_TRY(CheckText(q.text, at + ".text", 1, 500));
    if (q.factor != "personal" && q.factor != "situational" && q.factor != "incidental") {
      return InvalidField(at + ".factor", "must be one of: personal, situational, incidental");
    }
    if (q.weight < 0 || q.weight > 100) return InvalidField(at + ".weight", "must be 0 to 100");
    if (q.allowed_values.empty() || q.allowed_values.size() > 20) {
      return InvalidField(at + ".allowed_values", "must hold 1 to 20 values");
    }
    for (std::int32_t v : q.allowed_values) {
      if (v < 0 || v > 100) return InvalidField(at + ".allowed_values", "must each be 0 to 100");
    }
  }
  if (i.medium_from < 1) return InvalidField("medium_from", "must be at least 1");
  if (i.high_from <= i.medium_from) return InvalidField("high_from", "must be above medium_from");
  for (auto [field, days] : {std::pair{"review_days_standard", i.review_days_standard},
                             {"review_days_medium", i.review_days_medium},
                             {"review_days_high", i.review_days_high}}) {
    if (days < 0 || days > 366) return InvalidField(field, "must be 0 to 366 days");
  }
  if (i.referral_score < 0) return InvalidField("referral_score", "must be 0 (never) or more");
  return Ok();
}

RiskInstrument RiskInstrumentFrom(const schema::RiskInstrumentPublished& p) {
  RiskInstrument i;
  i.instrument_id = Str(p.instrument_id());
  i.version = p.version();
  i.title = Str(p.title());
  if (p.questions() != nullptr) {
    for (const auto* q : *p.questions()) {
      RiskQuestion out{Str(q->question_id()), Str(q->text()), Str(q->factor()), q->weight(), {}};
      if (q->allowed_values() != nullptr) {
        out.allowed_values.assign(q->allowed_values()->begin(), q->allowed_values()->end());
      }
      i.questions.push_back(std::move(out));
    }
  }
  i.medium_from = p.medium_from();
  i.high_from = p.high_from();
  i.review_days_standard = p.review_days_standard();
  i.review_days_medium = p.review_days_medium();
  i.review_days_high = p.review_days_high();
  i.referral_score = p.referral_score();
  return i;
}

Result<RiskInstrument> LoadRiskInstrument(EventLog& log, std::string_view instrument_id,
                                          std::uint32_t version) {
  const bool built_in = instrument_id == kDefaultInstrumentId;
  if (built_in && version == 1) return DefaultRiskInstrument();
  BOOST_OUTCOME_TRY(auto events, log.ReadStream(InstrumentStreamId(instrument_id), 1, 10'000));
  std::optional<RiskInstrument> found;
  for (const auto& event : events) {
    const schema::Envelope* e = event.envelope();
    if (e->event_type() != EventType::RiskInstrumentPublished) continue;
    std::string_view payload(reinterpret_cast<const char*>(e->payload()->data()),
                             e->payload()->size());
    BOOST_OUTCOME_TRY(VerifyPayload(e->event_type(), payload));
    const auto* p = flatbuffers::GetRoot<schema::RiskInstrumentPublished>(payload.data());
    if (version == 0 || p->version() == version) found = RiskInstrumentFrom(*p);
  }
  if (found) return *found;
  if (built_in && version == 0) return DefaultRiskInstrument();
  if (!built_in && events.empty()) return NotFoundField("instrument_id");
  return NotFoundField("instrument_version");
}

}  // namespace caseledger::ledger
