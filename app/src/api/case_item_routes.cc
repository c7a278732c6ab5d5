#include "case_item_routes.h"

#include <algorithm>
#include <charconv>

#include "api_common.h"
#include "app/node.h"
#include "parsers.h"
#include "ledger/documents.h"
#include "ledger/risk_instrument.h"
#include "ledger/time_format.h"
#include "projections/work_queue.h"

namespace caseledger::app::api {
namespace {

namespace json = boost::json;

json::object InstrumentJson(const ledger::RiskInstrument& i) {
  json::array questions;
  for (const auto& q : i.questions) {
    json::array allowed;
    for (std::int32_t v : q.allowed_values) allowed.push_back(v);
    questions.push_back(json::object{{"question_id", q.question_id},
                                     {"text", q.text},
                                     {"factor", q.factor},
                                     {"weight", q.weight},
                                     {"allowed_values", std::move(allowed)}});
  }
  return json::object{{"instrument_id", i.instrument_id},
                      {"version", i.version},
                      {"built_in", i.instrument_id == ledger::kDefaultInstrumentId && i.version == 1},
                      {"title", i.title},
                      {"questions", std::move(questions)},
                      {"medium_from", i.medium_from},
                      {"high_from", i.high_from},
                      {"review_days", json::object{{"standard", i.review_days_standard},
                                                   {"medium", i.review_days_medium},
                                                   {"high", i.review_days_high}}},
                      {"referral_score", i.referral_score}};
}

// The assessment `assessment_id` in the view of `record_id`, or null.
json::value AssessmentFromView(Node& node, const std::string& record_id,
                               const std::string& assessment_id) {
  auto view = node.projections().GetView(record_id);
  if (!view || !view.value()) return nullptr;
  boost::system::error_code ec;
  json::value parsed = json::parse(*view.value(), ec);
  if (ec || !parsed.is_object()) return nullptr;
  const json::value* all = parsed.as_object().if_contains("risk_assessments");
  if (all == nullptr || !all->is_array()) return nullptr;
  for (const json::value& a : all->as_array()) {
    if (a.is_object() && a.as_object().if_contains("assessment_id") &&
        a.at("assessment_id") == assessment_id.c_str()) {
      json::object out;
      for (const char* key : {"instrument_id", "instrument_version", "score", "level",
                              "next_review_at", "referral_score", "referred_to_support"}) {
        if (const json::value* v = a.as_object().if_contains(key)) out[key] = *v;
      }
      return out;
    }
  }
  return nullptr;
}

}  // namespace

http::Handler AssessRiskRoute(Node& node, const ApiOptions& options) {
  return [&node, options](http::RequestContext ctx, http::Responder respond) {
    auto meta = MetaFrom(ctx);
    if (!meta) return respond(meta.error());
    auto command = ParseAssessRisk(ctx);
    if (!command) return respond(command.error());
    auto shared = std::make_shared<http::Responder>(std::move(respond));
    node.commands().Execute(
        meta.value(), std::move(command).value(),
        [&node, options, shared](Result<ledger::CommandResult> result) {
          if (!result) return (*shared)(result.error());
          ledger::CommandResult done = std::move(result).value();
          node.runner().WhenApplied(
              done.position, std::chrono::steady_clock::now() + options.max_read_wait,
              [&node, shared, done](bool applied) {
                http::Response r = CommandResponse(done, 200);
                json::value assessment =
                    applied ? AssessmentFromView(node, done.record_id, done.item_id) : nullptr;
                if (!assessment.is_null()) {
                  json::value body = json::parse(r.body);
                  body.as_object()["assessment"] = std::move(assessment);
                  r.body = json::serialize(body);
                }
                (*shared)(std::move(r));
              });
        });
  };
}

http::Handler DocumentRoute(Node& node) {
  return [&node](http::RequestContext ctx, http::Responder respond) {
    std::string id(ctx.PathParam("id"));
    std::string document_id(ctx.PathParam("document_id"));
    if (ledger::RecordKind(id) != "case") {
      return respond(ledger::MakeError(ledger::Code::kNotFound, "no such record"));
    }
    auto document = ledger::ReadDocument(node.log(), node.personal_data(), id, document_id);
    if (!document) return respond(document.error());
    http::Response r;
    r.status = 200;
    r.content_type = document.value().media_type;
    r.body = std::move(document.value().content);
    r.headers.emplace_back("X-Content-Hash", std::string(ledger::kDocumentHashAlgorithm) + "=" +
                                                 document.value().hash_hex);
    r.headers.emplace_back("Content-Disposition", "attachment");
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    node.access().AnswerLogged(ctx, {{id}, ActionOf(ctx), {}, {}, {}}, std::move(r),
                               std::move(respond));
  };
}

http::Handler InstrumentRoute(Node& node) {
  return [&node](http::RequestContext ctx, http::Responder respond) {
    std::string instrument_id(ctx.PathParam("instrument_id"));
    std::uint32_t version = 0;
    if (auto text = ctx.request.QueryParam("version")) {
      auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), version);
      if (ec != std::errc() || end != text->data() + text->size() || version == 0) {
        return respond(ledger::InvalidField("version", "must be a version number of 1 or more"));
      }
    }
    auto instrument = ledger::LoadRiskInstrument(node.log(), instrument_id, version);
    if (!instrument) return respond(instrument.error());
    respond(http::JsonResponse(200, InstrumentJson(instrument.value())));
  };
}

http::Handler RiskReviewQueueRoute(Node& node, const ApiOptions& options) {
  return [&node, options](http::RequestContext ctx, http::Responder respond) {
    ledger::Micros as_of = node.clock().NowMicros();
    if (auto text = ctx.request.QueryParam("as_of")) {
      auto t = ledger::ParseTimestamp(*text, "as_of");
      if (!t) return respond(t.error());
      as_of = t.value();
    }
    auto shared = std::make_shared<http::RequestContext>(std::move(ctx));
    AfterMinPosition(node, options, shared->request, std::move(respond),
                     [&node, as_of, shared](http::Responder respond) {
                       auto due = projections::OverdueRiskReviews(node.projections(), as_of);
                       if (!due) return respond(due.error());
                       json::array reviews;
                       std::vector<std::string> listed;
                       for (const auto& e : due.value()) {
                         // Only the reviews of records the caller may see (docs/access.md).
                         auto visible = node.access().CanSee(shared->principal, e.record_id);
                         if (!visible) return respond(visible.error());
                         if (!visible.value()) continue;
                         listed.push_back(e.record_id);
                         reviews.push_back(json::object{
                             {"record_id", e.record_id},
                             {"subject_id", e.subject_id},
                             {"assessment_id", e.assessment_id},
                             {"level", e.level},
                             {"due_at", ledger::FormatTimestamp(e.due_at)},
                             {"days_overdue", e.days_overdue}});
                       }
                       std::sort(listed.begin(), listed.end());
                       listed.erase(std::unique(listed.begin(), listed.end()), listed.end());
                       node.access().AnswerLogged(
                           *shared, {std::move(listed), ActionOf(*shared), {}, {}, {}},
                           http::JsonResponse(
                               200, json::object{{"as_of", ledger::FormatTimestamp(as_of)},
                                                 {"reviews", std::move(reviews)}}),
                           std::move(respond));
                     });
  };
}

}  // namespace caseledger::app::api
