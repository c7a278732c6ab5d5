// Risk assessments on case and incident views, the risk review work queue index, and risk
// instrument views (projections/views.md).
#include "ledger/enum_names.h"
#include "ledger/time_format.h"
#include "projections/keys.h"
#include "schemas/events_generated.h"
#include "view_builders.h"

namespace caseledger::projections {
namespace {

namespace json = boost::json;
using ledger::EnumToString;

std::string Str(const flatbuffers::String* s) { return s == nullptr ? std::string() : s->str(); }

json::object InstrumentVersionJson(const schema::RiskInstrumentPublished& p,
                                   const schema::Envelope& e) {
  json::object out;
  out["version"] = p.version();
  out["title"] = StringJson(p.title());
  json::array questions;
  if (p.questions() != nullptr) {
    for (const auto* q : *p.questions()) {
      json::array allowed;
      if (q->allowed_values() != nullptr) {
        for (std::int32_t v : *q->allowed_values()) allowed.push_back(v);
      }
      questions.push_back(json::object{{"question_id", StringJson(q->question_id())},
                                       {"text", StringJson(q->text())},
                                       {"factor", StringJson(q->factor())},
                                       {"weight", q->weight()},
                                       {"allowed_values", std::move(allowed)}});
    }
  }
  out["questions"] = std::move(questions);
  out["medium_from"] = p.medium_from();
  out["high_from"] = p.high_from();
  out["review_days"] = json::object{{"standard", p.review_days_standard()},
                                    {"medium", p.review_days_medium()},
                                    {"high", p.review_days_high()}};
  out["referral_score"] = p.referral_score();
  out["published_at"] = ledger::FormatTimestamp(e.occurred_at());
  out["published_by"] = e.actor() ? StringJson(e.actor()->user_id()) : json::value(nullptr);
  return out;
}

}  // namespace

void ApplyRiskAssessed(const EventContext& c, json::object& view) {
  const auto* p = PayloadOf<schema::RiskAssessed>(c.envelope);
  json::object assessment;
  assessment["assessment_id"] = StringJson(p->assessment_id());
  assessment["subject_id"] = StringJson(p->subject_id());
  assessment["instrument_id"] = StringJson(p->instrument_id());
  assessment["instrument_version"] = p->instrument_version();
  json::object answers;
  if (p->answers() != nullptr) {
    for (const auto* a : *p->answers()) {
      answers[a->question_id() ? a->question_id()->string_view() : ""] = a->value();
    }
  }
  assessment["answers"] = std::move(answers);
  assessment["score"] = p->score();
  assessment["level"] = EnumToString(p->level());
  assessment["next_review_at"] = TimeJson(p->next_review_at());
  assessment["referral_score"] = p->referral_score();
  assessment["referred_to_support"] = p->referred_to_support();
  assessment["assessed_at"] = ledger::FormatTimestamp(c.envelope.occurred_at());
  assessment["assessed_by"] =
      StringJson(c.envelope.actor() ? c.envelope.actor()->user_id() : nullptr);
  ArrayField(view, "risk_assessments").push_back(std::move(assessment));
  if (p->referred_to_support()) view["referred_to_support"] = true;

  // The latest assessment of a subject on this record sets when their next review is due; one
  // without a scheduled review takes them off the queue.
  std::string key = RiskReviewKey(c.stream_id, Str(p->subject_id()));
  if (p->next_review_at() == 0) {
    c.views.Erase(key);
    return;
  }
  json::object entry(c.views.storage());
  entry["record_id"] = c.stream_id;
  entry["subject_id"] = StringJson(p->subject_id());
  entry["assessment_id"] = StringJson(p->assessment_id());
  entry["level"] = EnumToString(p->level());
  entry["due_at"] = p->next_review_at();
  c.views.Set(key, std::move(entry));
}

Result<void> ApplyInstrumentEvent(const EventContext& c) {
  if (c.envelope.event_type() != schema::EventType::RiskInstrumentPublished) return ledger::Ok();
  const auto* p = PayloadOf<schema::RiskInstrumentPublished>(c.envelope);
  BOOST_OUTCOME_TRY(auto* view, c.views.Edit(ViewKey(c.stream_id)));
  if (view == nullptr) {
    json::object created = Stamp(c.envelope, c.views.storage());
    created["kind"] = "instrument";
    created["instrument_id"] = StringJson(p->instrument_id());
    created["versions"] = json::array();
    view = &c.views.Set(ViewKey(c.stream_id), std::move(created));
  } else {
    Touch(*view, c.envelope);
  }
  (*view)["latest_version"] = p->version();
  ArrayField(*view, "versions").push_back(InstrumentVersionJson(*p, c.envelope));
  return ledger::Ok();
}

}  // namespace caseledger::projections
