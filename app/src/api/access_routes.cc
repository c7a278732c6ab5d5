#include "access_routes.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "app/identity/directory.h"
#include "app/node.h"
#include "ledger/event_json.h"
#include "ledger/ids.h"
#include "projections/keys.h"
#include "projections/search_index.h"

namespace caseledger::app::api {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxSearchResults = 50;

// Search criteria: query parameter -> index (search_index.h).
constexpr std::pair<std::string_view, std::string_view> kCriteria[] = {
    {"name", "name"},         {"phonetic", "phonetic"},         {"dob", "dob"},
    {"date_of_birth", "dob"}, {"address", "address"},           {"uprn", "uprn"},
    {"registration", "registration"}, {"reference", "reference"},
};

json::value ParseView(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return ec ? json::value(nullptr) : v;
}

}  // namespace

NamedRecords RecordsNamedBy(const ledger::ReportIncident& c) {
  if (c.location.address_id.empty()) return {};
  return {{"location.address_id", c.location.address_id}};
}

NamedRecords RecordsNamedBy(const ledger::UpdateIncident& c) {
  if (!c.location || c.location->address_id.empty()) return {};
  return {{"location.address_id", c.location->address_id}};
}

NamedRecords RecordsNamedBy(const ledger::AddLink& c) {
  return {{"from_id", c.from_id}, {"to_id", c.to_id}};
}

NamedRecords RecordsNamedBy(const ledger::RecordCaseAction& c) {
  if (c.subject_id.empty()) return {};
  return {{"subject_id", c.subject_id}};
}

NamedRecords RecordsNamedBy(const ledger::AssessRisk& c) {
  if (c.subject_id.empty()) return {};
  return {{"subject_id", c.subject_id}};
}

NamedRecords RecordsNamedBy(const ledger::GrantAccess& c) { return {{"record_id", c.record_id}}; }

Result<void> CheckNamedRecords(Node& node, const http::Principal& principal,
                               const NamedRecords& named) {
  for (const auto& [field, id] : named) {
    if (id.empty() || !ledger::IsRecordId(id)) continue;  // the command's own checks name it
    if (!projections::IsLockedDownKind(ledger::RecordKind(id))) continue;
    BOOST_OUTCOME_TRY(bool visible, node.access().CanSee(principal, id));
    if (!visible) {
      // Word for word what the command answers for a record that does not exist.
      ledger::Error e = ledger::MakeError(ledger::Code::kNotFound, field + " names no record you can see");
      e.field = field;
      e.rule = "must name an existing record";
      return e;
    }
  }
  return ledger::Ok();
}

Result<void> CheckHolds(Node& node, const http::Principal& principal, std::string_view record_id,
                        std::string_view field) {
  BOOST_OUTCOME_TRY(bool holds, node.access().Holds(principal, record_id));
  if (holds) return ledger::Ok();
  ledger::Error e = ledger::MakeError(
      ledger::Code::kPermissionDenied,
      std::string(field) + ": only the team that holds the record (or a supervisor of its "
                           "organisation) may do this");
  e.field = std::string(field);
  e.rule = "must name a record your team holds";
  return e;
}

Result<ledger::RequestAccess> ParseRequestAccess(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto body, BodyObject(ctx.request, {"record_id", "reason"}));
  ledger::RequestAccess c;
  BOOST_OUTCOME_TRY(c.record_id, http::RequireString(body, "record_id", 200));
  BOOST_OUTCOME_TRY(c.reason, http::RequireString(body, "reason", 1000));
  return c;
}

Result<ledger::DecideAccessRequest> ParseDecideAccessRequest(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto body, BodyObject(ctx.request, {"decision", "reason", "expires_at"}));
  ledger::DecideAccessRequest c;
  c.request_id = std::string(ctx.PathParam("id"));
  BOOST_OUTCOME_TRY(auto decision, http::RequireString(body, "decision", 16));
  if (decision == "grant") {
    c.granted = true;
  } else if (decision != "refuse") {
    return ledger::InvalidField("decision", "must be one of: grant, refuse");
  }
  BOOST_OUTCOME_TRY(c.reason, http::RequireString(body, "reason", 1000));
  BOOST_OUTCOME_TRY(auto expires, OptionalTime(body, "expires_at"));
  c.expires_at = expires.value_or(0);
  return c;
}

http::Handler SearchRoute(Node& node) {
  return [&node](http::RequestContext ctx, http::Responder respond) {
    // Every criterion given must match (AND); each is looked up in its index.
    std::optional<std::vector<std::string>> ids;
    json::array criteria;
    for (const auto& [param, index] : kCriteria) {
      auto value = ctx.request.QueryParam(param);
      if (!value) continue;
      if (value->empty() || value->size() > 200) {
        return respond(ledger::InvalidField(std::string(param), "must be 1 to 200 characters"));
      }
      auto term = projections::QueryTerm(index, *value);
      if (!term) return respond(term.error());
      if (term.value().empty()) {
        return respond(ledger::InvalidField(std::string(param), "must hold letters or digits"));
      }
      auto found = projections::FindByTerm(node.projections(), index, term.value(), 1000);
      if (!found) return respond(found.error());
      std::vector<std::string> sorted = std::move(found).value();
      std::sort(sorted.begin(), sorted.end());
      if (!ids) {
        ids = std::move(sorted);
      } else {
        std::vector<std::string> both;
        std::set_intersection(ids->begin(), ids->end(), sorted.begin(), sorted.end(),
                              std::back_inserter(both));
        ids = std::move(both);
      }
      criteria.push_back(json::value(param));
    }
    if (!ids) {
      return respond(ledger::InvalidField(
          "query", "must give at least one of: name, phonetic, dob, address, uprn, registration, "
                   "reference"));
    }
    json::array results;
    AccessLogEntry logged{{}, "search.records", {}, {}, {}};
    bool truncated = ids->size() > kMaxSearchResults;
    if (truncated) ids->resize(kMaxSearchResults);
    for (const std::string& id : *ids) {
      auto holder = node.access().HolderOf(id);
      if (!holder) return respond(holder.error());
      if (!holder.value()) continue;
      auto visible = node.access().CanSeeHolder(ctx.principal, *holder.value());
      if (!visible) return respond(visible.error());
      json::object item{{"record_id", id}, {"kind", ledger::RecordKind(id)}};
      if (visible.value()) {
        auto view = node.projections().GetView(id);
        if (!view) return respond(view.error());
        if (!view.value()) continue;
        item["visible"] = true;
        item["record"] = ParseView(*view.value());
        logged.record_ids.push_back(id);
      } else {
        // Only that it exists, who holds it and whom to ask (docs/access.md).
        item["visible"] = false;
        item["holding_organisation_id"] = holder.value()->organisation_id;
        item["holding_team_id"] = holder.value()->team_id;
        item["contact_officer_id"] = holder.value()->created_by;
      }
      results.push_back(std::move(item));
    }
    json::object body{{"criteria", std::move(criteria)},
                      {"results", std::move(results)},
                      {"truncated", truncated}};
    node.access().AnswerLogged(ctx, std::move(logged), http::JsonResponse(200, std::move(body)),
                               std::move(respond));
  };
}

Result<void> CheckSignOff(Node& node, const http::Principal& principal, const ledger::CloseCase& c) {
  // Read from the user's own stream, so a role given or taken a moment ago counts.
  identity::Directory directory(node.log());
  auto signer = ledger::RecordKind(c.signed_off_by) == "user"
                    ? directory.Find(c.signed_off_by)
                    : Result<std::shared_ptr<const identity::IdentityRecord>>(nullptr);
  if (!signer) return signer.error();
  const auto& user = signer.value();
  bool supervisor = user && user->active && user->organisation_id == principal.organisation_id &&
                    std::find(user->roles.begin(), user->roles.end(), "supervisor") !=
                        user->roles.end();
  if (!supervisor) {
    return ledger::InvalidField("signed_off_by",
                                "must name an active supervisor of your organisation");
  }
  return ledger::Ok();
}

http::Handler PendingRequestsRoute(Node& node) {
  return [&node](http::RequestContext ctx, http::Responder respond) {
    std::string id(ctx.PathParam("id"));
    if (auto holds = CheckHolds(node, ctx.principal, id, "id"); !holds) {
      return respond(holds.error());
    }
    auto pending = node.projections().Scan(projections::PendingRequestPrefix(id), 1000);
    if (!pending) return respond(pending.error());
    json::array requests;
    for (const auto& [key, value] : pending.value()) {
      std::string request_id = key.substr(projections::PendingRequestPrefix(id).size());
      auto view = node.projections().GetView(request_id);
      if (!view) return respond(view.error());
      if (view.value()) requests.push_back(ParseView(*view.value()));
    }
    respond(http::JsonResponse(
        200, json::object{{"record_id", id}, {"pending", std::move(requests)}}));
  };
}

http::Handler AccessLogRoute(Node& node) {
  return [&node](http::RequestContext ctx, http::Responder respond) {
    std::string id(ctx.PathParam("id"));
    std::uint64_t from = 1;
    if (auto text = ctx.request.QueryParam("from_version")) {
      auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), from);
      if (ec != std::errc() || end != text->data() + text->size() || from == 0) {
        return respond(ledger::InvalidField("from_version", "must be a version of 1 or more"));
      }
    }
    auto events = node.access_log().ReadStream(id, from, 1000);
    if (!events) return respond(events.error());
    json::array entries;
    for (const auto& event : events.value()) {
      auto rendered = ledger::EventToJson(*event.envelope(), nullptr, event.position);
      if (!rendered) return respond(rendered.error());
      entries.push_back(std::move(rendered).value());
    }
    bool more = events.value().size() == 1000;
    json::object body{{"record_id", id}, {"entries", std::move(entries)}, {"more", more}};
    // Reading who consulted a record is itself a consultation of it.
    node.access().AnswerLogged(ctx, {{id}, ActionOf(ctx), {}, {}, {}},
                               http::JsonResponse(200, std::move(body)), std::move(respond));
  };
}

Result<Disclosure> ParseDisclosure(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto body, BodyObject(ctx.request, {"recipients", "legal_basis", "details"}));
  BOOST_OUTCOME_TRY(auto recipients, StringArray(body, "recipients", 20, 200));
  if (recipients.empty()) {
    return ledger::InvalidField("recipients", "must name at least one recipient");
  }
  for (std::size_t i = 0; i < recipients.size(); ++i) {
    if (recipients[i].empty()) {
      return ledger::InvalidField("recipients[" + std::to_string(i) + "]", "must not be empty");
    }
  }
  BOOST_OUTCOME_TRY(auto legal_basis, http::RequireString(body, "legal_basis", 500));
  BOOST_OUTCOME_TRY(auto details, http::OptionalString(body, "details", 2000));
  return Disclosure{std::move(recipients), std::move(legal_basis), details.value_or("")};
}

http::Handler DisclosureRoute(Node& node) {
  return [&node](http::RequestContext ctx, http::Responder respond) {
    auto disclosure = ParseDisclosure(ctx);
    if (!disclosure) return respond(disclosure.error());
    std::string id(ctx.PathParam("id"));
    AccessLogEntry entry{{id}, ActionOf(ctx), std::move(disclosure.value().recipients),
                         std::move(disclosure.value().legal_basis),
                         std::move(disclosure.value().details)};
    node.access().AnswerLogged(
        ctx, std::move(entry),
        http::JsonResponse(201, json::object{{"record_id", id}, {"logged", true}}),
        std::move(respond));
  };
}

}  // namespace caseledger::app::api
