#include "projections/work_queue.h"

#include <boost/json.hpp>

#include <algorithm>
#include <tuple>

namespace caseledger::projections {
namespace {

namespace json = boost::json;

constexpr ledger::Micros kDay = 86'400'000'000LL;

Result<RiskReviewEntry> ParseEntry(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    return ledger::MakeError(ledger::Code::kCorruption, "projections: malformed risk review entry");
  }
  const json::object& o = v.as_object();
  const json::value* record = o.if_contains("record_id");
  const json::value* subject = o.if_contains("subject_id");
  const json::value* assessment = o.if_contains("assessment_id");
  const json::value* level = o.if_contains("level");
  const json::value* due = o.if_contains("due_at");
  if (!record || !record->is_string() || !subject || !subject->is_string() || !assessment ||
      !assessment->is_string() || !level || !level->is_string() || !due || !due->is_int64()) {
    return ledger::MakeError(ledger::Code::kCorruption, "projections: malformed risk review entry");
  }
  RiskReviewEntry e;
  e.record_id = record->as_string();
  e.subject_id = subject->as_string();
  e.assessment_id = assessment->as_string();
  e.level = level->as_string();
  e.due_at = due->as_int64();
  return e;
}

// Whether `record_id`'s view says it is a closed case.
Result<bool> IsClosed(const ProjectionStore& store, const std::string& record_id) {
  BOOST_OUTCOME_TRY(auto view, store.GetView(record_id));
  if (!view) return false;
  boost::system::error_code ec;
  json::value v = json::parse(*view, ec);
  if (ec || !v.is_object()) return false;
  const json::value* status = v.as_object().if_contains("status");
  return status != nullptr && status->is_string() && status->as_string() == "closed";
}

}  // namespace

Result<std::vector<RiskReviewEntry>> OverdueRiskReviews(const ProjectionStore& store,
                                                        ledger::Micros as_of) {
  BOOST_OUTCOME_TRY(auto entries, store.GetRiskReviews());
  std::vector<RiskReviewEntry> due;
  for (const std::string& text : entries) {
    BOOST_OUTCOME_TRY(auto entry, ParseEntry(text));
    if (entry.due_at > as_of) continue;
    BOOST_OUTCOME_TRY(bool closed, IsClosed(store, entry.record_id));
    if (closed) continue;
    // Every entry: the route keeps those the caller may see (app/src/api/case_item_routes.cc).
    entry.days_overdue = (as_of - entry.due_at) / kDay;
    due.push_back(std::move(entry));
  }
  std::sort(due.begin(), due.end(), [](const RiskReviewEntry& a, const RiskReviewEntry& b) {
    return std::tie(a.due_at, a.record_id, a.subject_id) <
           std::tie(b.due_at, b.record_id, b.subject_id);
  });
  return due;
}

}  // namespace caseledger::projections
