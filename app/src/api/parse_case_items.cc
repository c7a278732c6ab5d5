// Parsers of documents, meetings and risk instruments (docs/api.md).
#include "base64.h"
#include "ledger/documents.h"
#include "parsers.h"

namespace caseledger::app::api {
namespace {

using ledger::InvalidField;

// An array of integers, each within [min, max].
Result<std::vector<std::int32_t>> IntArray(const boost::json::object& obj, std::string_view name,
                                           std::size_t max_items, std::int64_t min,
                                           std::int64_t max) {
  std::vector<std::int32_t> out;
  const boost::json::value* v = obj.if_contains(name);
  if (v == nullptr || !v->is_array()) {
    return InvalidField(std::string(name), "must be an array of integers");
  }
  if (v->as_array().size() > max_items) {
    return InvalidField(std::string(name), "must hold at most " + std::to_string(max_items) + " items");
  }
  for (std::size_t i = 0; i < v->as_array().size(); ++i) {
    const boost::json::value& item = v->as_array()[i];
    std::string field = std::string(name) + "[" + std::to_string(i) + "]";
    if (!item.is_int64() || item.as_int64() < min || item.as_int64() > max) {
      return InvalidField(field, "must be an integer from " + std::to_string(min) + " to " +
                                     std::to_string(max));
    }
    out.push_back(static_cast<std::int32_t>(item.as_int64()));
  }
  return out;
}

Result<ledger::RiskQuestion> ParseQuestion(const boost::json::object& o) {
  BOOST_OUTCOME_TRY(http::RejectUnknownFields(
      o, {"question_id", "text", "factor", "weight", "allowed_values"}));
  ledger::RiskQuestion q;
  BOOST_OUTCOME_TRY(q.question_id, http::RequireString(o, "question_id", 64));
  BOOST_OUTCOME_TRY(q.text, http::RequireString(o, "text", 500));
  BOOST_OUTCOME_TRY(q.factor, http::RequireString(o, "factor", 64));
  BOOST_OUTCOME_TRY(auto weight, http::RequireInt(o, "weight", 0, 100));
  q.weight = static_cast<std::int32_t>(weight);
  BOOST_OUTCOME_TRY(q.allowed_values, IntArray(o, "allowed_values", 20, 0, 100));
  return q;
}

Result<std::int32_t> SmallInt(const boost::json::object& o, std::string_view name,
                              std::int64_t max) {
  BOOST_OUTCOME_TRY(auto v, http::OptionalInt(o, name, 0, max));
  return static_cast<std::int32_t>(v.value_or(0));
}

}  // namespace

Result<ledger::AttachDocument> ParseAttachDocument(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"name", "media_type", "content_base64"}));
  ledger::AttachDocument c;
  c.case_id = ctx.PathParam("id");
  BOOST_OUTCOME_TRY(c.name, http::RequireString(o, "name", 200));
  BOOST_OUTCOME_TRY(c.media_type, http::RequireString(o, "media_type", 127));
  constexpr std::size_t kMaxEncoded = (ledger::kMaxDocumentBytes + 2) / 3 * 4;
  BOOST_OUTCOME_TRY(auto encoded, http::RequireString(o, "content_base64", kMaxEncoded));
  auto content = DecodeBase64(encoded);
  if (!content) return InvalidField("content_base64", "must be padded base64 (RFC 4648)");
  c.content = std::move(*content);
  return c;
}

Result<ledger::ScheduleMeeting> ParseScheduleMeeting(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"title", "held_at", "attendees", "agenda"}));
  ledger::ScheduleMeeting c;
  c.case_id = ctx.PathParam("id");
  BOOST_OUTCOME_TRY(c.title, http::RequireString(o, "title", 200));
  BOOST_OUTCOME_TRY(c.held_at, RequireTime(o, "held_at"));
  BOOST_OUTCOME_TRY(c.attendees, StringArray(o, "attendees", 100, 200));
  BOOST_OUTCOME_TRY(c.agenda, StringArray(o, "agenda", 100, 500));
  return c;
}

Result<ledger::RecordMinutes> ParseRecordMinutes(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"minutes"}));
  ledger::RecordMinutes c;
  c.case_id = ctx.PathParam("id");
  c.meeting_id = ctx.PathParam("meeting_id");
  BOOST_OUTCOME_TRY(c.minutes, http::RequireString(o, "minutes", 100'000));
  return c;
}

Result<ledger::AssignMeetingAction> ParseAssignMeetingAction(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"title", "assignee_id", "due_at"}));
  ledger::AssignMeetingAction c;
  c.case_id = ctx.PathParam("id");
  c.meeting_id = ctx.PathParam("meeting_id");
  BOOST_OUTCOME_TRY(c.title, http::RequireString(o, "title", 200));
  BOOST_OUTCOME_TRY(c.assignee_id, http::RequireString(o, "assignee_id", 200));
  BOOST_OUTCOME_TRY(c.due_at, RequireTime(o, "due_at"));
  return c;
}

Result<ledger::PublishRiskInstrument> ParsePublishRiskInstrument(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"instrument_id", "title", "questions",
                                                      "medium_from", "high_from", "review_days",
                                                      "referral_score"}));
  ledger::PublishRiskInstrument c;
  BOOST_OUTCOME_TRY(c.instrument_id, http::RequireString(o, "instrument_id", 64));
  BOOST_OUTCOME_TRY(c.title, http::RequireString(o, "title", 200));
  const boost::json::value* questions = o.if_contains("questions");
  if (questions == nullptr || !questions->is_array() || questions->as_array().empty() ||
      questions->as_array().size() > 100) {
    return InvalidField("questions", "must be an array of 1 to 100 questions");
  }
  for (std::size_t i = 0; i < questions->as_array().size(); ++i) {
    std::string at = "questions[" + std::to_string(i) + "]";
    const boost::json::value& item = questions->as_array()[i];
    if (!item.is_object()) return InvalidField(at, "must be an object");
    auto q = ParseQuestion(item.as_object());
    if (!q) return http::WithFieldPrefix(q.error(), at);
    c.questions.push_back(std::move(q).value());
  }
  BOOST_OUTCOME_TRY(auto medium, http::RequireInt(o, "medium_from", 1, 1'000'000));
  c.medium_from = static_cast<std::int32_t>(medium);
  BOOST_OUTCOME_TRY(auto high, http::RequireInt(o, "high_from", 1, 1'000'000));
  c.high_from = static_cast<std::int32_t>(high);
  BOOST_OUTCOME_TRY(const boost::json::object* days, http::RequireObject(o, "review_days"));
  if (auto ok = http::RejectUnknownFields(*days, {"standard", "medium", "high"}); !ok) {
    return http::WithFieldPrefix(ok.error(), "review_days");
  }
  for (auto [name, target] : {std::pair{"standard", &c.review_days_standard},
                              {"medium", &c.review_days_medium},
                              {"high", &c.review_days_high}}) {
    auto v = SmallInt(*days, name, 366);
    if (!v) return http::WithFieldPrefix(v.error(), "review_days");
    *target = v.value();
  }
  BOOST_OUTCOME_TRY(c.referral_score, SmallInt(o, "referral_score", 1'000'000));
  return c;
}

}  // namespace caseledger::app::api
