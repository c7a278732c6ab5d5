// JSON renderers of the events of documents, meetings and risk instruments.
#include "ledger/enum_names.h"
#include "ledger/envelope.h"
#include "ledger/event_json.h"

namespace caseledger::ledger::event_json {
namespace {

namespace json = boost::json;

json::array Ints(const flatbuffers::Vector<std::int32_t>* v) {
  json::array out;
  if (v != nullptr) {
    for (std::int32_t x : *v) out.push_back(x);
  }
  return out;
}

}  // namespace

// The document's bytes are not rendered: GET /api/v1/cases/{id}/documents/{document_id} serves
// them, verified against the hash.
Rendered DocumentAttached(const schema::DocumentAttached& p, PersonalData*) {
  json::object out;
  out["document_id"] = Str(p.document_id());
  out["name"] = Str(p.name());
  out["media_type"] = Str(p.media_type());
  out["size"] = p.size();
  out["hash_algorithm"] = Str(p.hash_algorithm());
  out["hash"] = p.hash() == nullptr
                    ? std::string()
                    : ToHex({reinterpret_cast<const char*>(p.hash()->data()), p.hash()->size()});
  out["content"] = p.content() == nullptr ? json::value(nullptr) : json::value("sealed");
  return out;
}

Rendered MeetingScheduled(const schema::MeetingScheduled& p, PersonalData*) {
  json::object out;
  out["meeting_id"] = Str(p.meeting_id());
  out["title"] = Str(p.title());
  out["held_at"] = Time(p.held_at());
  out["attendees"] = Strings(p.attendees());
  out["agenda"] = Strings(p.agenda());
  return out;
}

Rendered MeetingMinutesRecorded(const schema::MeetingMinutesRecorded& p, PersonalData* pd) {
  BOOST_OUTCOME_TRY(json::value minutes, Sealed(p.minutes(), Plaintext::kNoteBody, pd));
  json::object out;
  out["meeting_id"] = Str(p.meeting_id());
  out["minutes"] = std::move(minutes);
  return out;
}

Rendered MeetingActionAssigned(const schema::MeetingActionAssigned& p, PersonalData*) {
  json::object out;
  out["meeting_id"] = Str(p.meeting_id());
  out["task_id"] = Str(p.task_id());
  out["title"] = Str(p.title());
  out["assignee_id"] = Str(p.assignee_id());
  out["due_at"] = Time(p.due_at());
  return out;
}

Rendered RiskInstrumentPublished(const schema::RiskInstrumentPublished& p, PersonalData*) {
  json::object out;
  out["instrument_id"] = Str(p.instrument_id());
  out["version"] = p.version();
  out["title"] = Str(p.title());
  json::array questions;
  if (p.questions() != nullptr) {
    for (const auto* q : *p.questions()) {
      questions.push_back(json::object{{"question_id", Str(q->question_id())},
                                       {"text", Str(q->text())},
                                       {"factor", Str(q->factor())},
                                       {"weight", q->weight()},
                                       {"allowed_values", Ints(q->allowed_values())}});
    }
  }
  out["questions"] = std::move(questions);
  out["medium_from"] = p.medium_from();
  out["high_from"] = p.high_from();
  out["review_days_standard"] = p.review_days_standard();
  out["review_days_medium"] = p.review_days_medium();
  out["review_days_high"] = p.review_days_high();
  out["referral_score"] = p.referral_score();
  return out;
}

}  // namespace caseledger::ledger::event_json
