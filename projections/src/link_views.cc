#include "ledger/enum_names.h"
#include "ledger/time_format.h"
#include "projections/keys.h"
#include "schemas/events_generated.h"
#include "view_builders.h"

namespace caseledger::projections {
namespace {

namespace json = boost::json;
using ledger::EnumToString;

template <class T>
const T* Payload(const schema::Envelope& e) {
  return flatbuffers::GetRoot<T>(e.payload()->data());
}

// The link as seen from one end: `other_id` is the record at the far end; `direction` says
// whether this end is the link's "from" (the role describes the other) or its "to".
json::object LinkEnd(std::string_view link_id, std::string_view other_id, std::string_view role,
                     std::string_view direction) {
  return json::object{{"link_id", link_id},
                      {"other_id", other_id},
                      {"role", role},
                      {"direction", direction}};
}

Result<void> LinkAdded(const EventContext& c) {
  const auto* p = Payload<schema::LinkAdded>(c.envelope);
  if (p->from_id() == nullptr || p->to_id() == nullptr) {
    return ledger::MakeError(ledger::Code::kCorruption, "projections: a link without both ends");
  }
  std::string_view from = p->from_id()->string_view();
  std::string_view to = p->to_id()->string_view();
  std::string role = EnumToString(p->role());
  json::object view = Stamp(c.envelope, c.views.storage());
  view["kind"] = "link";
  view["from_id"] = from;
  view["to_id"] = to;
  view["role"] = role;
  view["owner"] = OwnerJson(p->owner());
  view["note"] = StringJson(p->note());
  view["active"] = true;
  c.views.Set(ViewKey(c.stream_id), std::move(view));
  c.views.Set(LinkEndKey(from, c.stream_id), LinkEnd(c.stream_id, to, role, "from"));
  c.views.Set(LinkEndKey(to, c.stream_id), LinkEnd(c.stream_id, from, role, "to"));
  return ledger::Ok();
}

void LinkRemoved(const EventContext& c, json::object& view) {
  const auto* p = Payload<schema::LinkRemoved>(c.envelope);
  view["active"] = false;
  view["removed_at"] = ledger::FormatTimestamp(c.envelope.occurred_at());
  view["removal_reason"] = StringJson(p->reason());
  c.views.Erase(LinkEndKey(view["from_id"].as_string(), c.stream_id));
  c.views.Erase(LinkEndKey(view["to_id"].as_string(), c.stream_id));
}

Result<void> AccessGranted(const EventContext& c) {
  const auto* p = Payload<schema::AccessGranted>(c.envelope);
  if (p->record_id() == nullptr) {
    return ledger::MakeError(ledger::Code::kCorruption, "projections: a grant without a record");
  }
  std::string_view record = p->record_id()->string_view();
  json::object view = Stamp(c.envelope, c.views.storage());
  view["kind"] = "grant";
  view["record_id"] = record;
  view["grantee_kind"] = EnumToString(p->grantee_kind());
  view["grantee_id"] = StringJson(p->grantee_id());
  view["reason"] = StringJson(p->reason());
  view["expires_at"] = TimeJson(p->expires_at());
  view["active"] = true;
  json::object entry{{"grant_id", c.stream_id},
                     {"grantee_kind", view["grantee_kind"]},
                     {"grantee_id", view["grantee_id"]},
                     {"expires_at", view["expires_at"]}};
  c.views.Set(ViewKey(c.stream_id), std::move(view));
  c.views.Set(GrantKey(record, c.stream_id), std::move(entry));
  return ledger::Ok();
}

void AccessRevoked(const EventContext& c, json::object& view) {
  const auto* p = Payload<schema::AccessRevoked>(c.envelope);
  view["active"] = false;
  view["revoked_at"] = ledger::FormatTimestamp(c.envelope.occurred_at());
  view["revocation_reason"] = StringJson(p->reason());
  c.views.Erase(GrantKey(view["record_id"].as_string(), c.stream_id));
}

// An access request: pending until decided; a granted one is a grant to its requester (the
// same entry under GrantKey as an AccessGranted, with the request's id as the grant id).
Result<void> AccessRequested(const EventContext& c) {
  const auto* p = Payload<schema::AccessRequested>(c.envelope);
  if (p->record_id() == nullptr) {
    return ledger::MakeError(ledger::Code::kCorruption, "projections: a request without a record");
  }
  std::string_view record = p->record_id()->string_view();
  json::object view = Stamp(c.envelope, c.views.storage());
  view["kind"] = "accessrequest";
  view["record_id"] = record;
  view["requester_id"] = c.envelope.actor() ? StringJson(c.envelope.actor()->user_id()) : "";
  view["requester_organisation_id"] =
      c.envelope.actor() ? StringJson(c.envelope.actor()->organisation_id()) : "";
  view["reason"] = StringJson(p->reason());
  view["status"] = "pending";
  c.views.Set(PendingRequestKey(record, c.stream_id), json::object{{"request_id", c.stream_id}});
  c.views.Set(ViewKey(c.stream_id), std::move(view));
  return ledger::Ok();
}

void AccessRequestDecided(const EventContext& c, json::object& view) {
  const auto* p = Payload<schema::AccessRequestDecided>(c.envelope);
  std::string record(view["record_id"].as_string());
  view["status"] = p->granted() ? "granted" : "refused";
  view["active"] = p->granted();
  view["decided_at"] = ledger::FormatTimestamp(c.envelope.recorded_at());
  view["decided_by"] = c.envelope.actor() ? StringJson(c.envelope.actor()->user_id()) : "";
  view["decision_reason"] = StringJson(p->reason());
  view["expires_at"] = TimeJson(p->expires_at());
  c.views.Erase(PendingRequestKey(record, c.stream_id));
  if (p->granted()) {
    c.views.Set(GrantKey(record, c.stream_id),
                json::object{{"grant_id", c.stream_id},
                             {"grantee_kind", "user"},
                             {"grantee_id", view["requester_id"]},
                             {"expires_at", view["expires_at"]}});
  }
}

}  // namespace

Result<void> ApplyLinkEvent(const EventContext& c) {
  using schema::EventType;
  EventType type = c.envelope.event_type();
  if (type == EventType::LinkAdded) return LinkAdded(c);
  if (type == EventType::AccessGranted) return AccessGranted(c);
  if (type == EventType::AccessRequested) return AccessRequested(c);
  BOOST_OUTCOME_TRY(auto* view, c.views.Edit(ViewKey(c.stream_id)));
  if (view == nullptr) {
    return ledger::MakeError(ledger::Code::kCorruption,
                             "projections: a change to a record that was never created");
  }
  const json::value* kind = view->if_contains("kind");
  std::string_view expected = type == EventType::LinkRemoved ? "link" : "grant";
  if (type == EventType::AccessRequestDecided) expected = "accessrequest";
  if (type == EventType::AccessRevoked && kind != nullptr && kind->is_string() &&
      kind->as_string() == "accessrequest") {
    expected = "accessrequest";
  }
  if (kind == nullptr || !kind->is_string() || kind->as_string() != expected) {
    return ledger::MakeError(ledger::Code::kCorruption,
                             "projections: a link or grant event on another kind of record");
  }
  Touch(*view, c.envelope);
  if (type == EventType::LinkRemoved) LinkRemoved(c, *view);
  if (type == EventType::AccessRevoked) AccessRevoked(c, *view);
  if (type == EventType::AccessRequestDecided) AccessRequestDecided(c, *view);
  return ledger::Ok();
}

}  // namespace caseledger::projections
