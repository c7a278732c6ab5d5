#include "projections/access.h"

#include <boost/json.hpp>

#include "ledger/enum_names.h"
#include "ledger/envelope.h"
#include "ledger/ids.h"
#include "ledger/time_format.h"
#include "projections/keys.h"
#include "schemas/events_generated.h"

namespace caseledger::projections {
namespace {

namespace json = boost::json;

std::string Member(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

bool IsGrantee(const Viewer& viewer, std::string_view kind, std::string_view id) {
  if (id.empty()) return false;
  if (kind == "user") return id == viewer.user_id;
  if (kind == "team") return id == viewer.team_id;
  if (kind == "organisation") return id == viewer.organisation_id;
  return false;
}

// The viewer holds the record as its owner: its team, or its organisation for a supervisor.
bool HoldsAsOwner(const Viewer& viewer, const Holder& holder) {
  if (!viewer.team_id.empty() && holder.team_id == viewer.team_id) return true;
  return viewer.sees_organisation && !viewer.organisation_id.empty() &&
         holder.organisation_id == viewer.organisation_id;
}

}  // namespace

bool IsLockedDownKind(std::string_view kind) {
  return kind == "incident" || kind == "person" || kind == "address" || kind == "vehicle" ||
         kind == "link" || kind == "case" || kind == "grant" || kind == "accessrequest" ||
         kind == "document" || kind == "meeting";
}

std::optional<json::object> AclEntry(const Holder& holder) {
  if (!IsLockedDownKind(ledger::RecordKind(holder.record_id))) return std::nullopt;
  json::object o{{"o", holder.organisation_id}, {"t", holder.team_id}, {"c", holder.created_by}};
  if (!holder.of.empty()) {
    o["of"] = holder.of;
    o["gk"] = holder.grantee_kind;
    o["gi"] = holder.grantee_id;
  }
  return o;
}

Result<Holder> ParseAclEntry(std::string_view record_id, std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    return ledger::MakeError(ledger::Code::kCorruption, "projections: malformed access entry");
  }
  const json::object& o = v.as_object();
  Holder h;
  h.record_id = std::string(record_id);
  h.organisation_id = Member(o, "o");
  h.team_id = Member(o, "t");
  h.created_by = Member(o, "c");
  h.of = Member(o, "of");
  h.grantee_kind = Member(o, "gk");
  h.grantee_id = Member(o, "gi");
  return h;
}

Result<std::optional<Holder>> RecordAccess::FindHolder(std::string_view record_id) const {
  BOOST_OUTCOME_TRY(auto entry, projections_.Get(AclKey(record_id)));
  if (entry) {
    BOOST_OUTCOME_TRY(Holder h, ParseAclEntry(record_id, *entry));
    return std::optional<Holder>(std::move(h));
  }
  return HolderFromLog(record_id);
}

// A record the projections have not reached yet: its first event says who created it (the
// owner is always the creator's team) and, for grants and requests, what they concern.
Result<std::optional<Holder>> RecordAccess::HolderFromLog(std::string_view record_id) const {
  if (!ledger::IsRecordId(record_id)) return std::optional<Holder>();
  BOOST_OUTCOME_TRY(auto events, log_.ReadStream(record_id, 1, 1));
  if (events.empty()) return std::optional<Holder>();
  BOOST_OUTCOME_TRY(const schema::Envelope* e, ledger::VerifyEnvelope(events.front().bytes));
  return std::optional<Holder>(HolderOfFirstEvent(*e));
}

Holder HolderOfFirstEvent(const schema::Envelope& first) {
  const schema::Envelope* e = &first;
  Holder h;
  h.record_id = e->stream_id() ? e->stream_id()->str() : "";
  if (const auto* actor = e->actor()) {
    if (actor->organisation_id()) h.organisation_id = actor->organisation_id()->str();
    if (actor->team_id()) h.team_id = actor->team_id()->str();
    if (actor->user_id()) h.created_by = actor->user_id()->str();
  }
  if (e->event_type() == schema::EventType::AccessGranted) {
    const auto* p = flatbuffers::GetRoot<schema::AccessGranted>(e->payload()->data());
    h.of = p->record_id() ? p->record_id()->str() : "";
    h.grantee_kind = std::string(ledger::EnumToString(p->grantee_kind()));
    h.grantee_id = p->grantee_id() ? p->grantee_id()->str() : "";
  } else if (e->event_type() == schema::EventType::AccessRequested) {
    const auto* p = flatbuffers::GetRoot<schema::AccessRequested>(e->payload()->data());
    h.of = p->record_id() ? p->record_id()->str() : "";
    h.grantee_kind = "user";
    h.grantee_id = h.created_by;
  }
  return h;
}

Result<std::vector<Grant>> RecordAccess::GrantsInForce(std::string_view record_id) const {
  BOOST_OUTCOME_TRY(auto entries, projections_.Scan(GrantPrefix(record_id), 10'000));
  std::vector<Grant> grants;
  ledger::Micros now = clock_.NowMicros();
  for (const auto& [key, value] : entries) {
    boost::system::error_code ec;
    json::value v = json::parse(value, ec);
    if (ec || !v.is_object()) {
      return ledger::MakeError(ledger::Code::kCorruption, "projections: malformed grant entry");
    }
    const json::object& o = v.as_object();
    Grant g;
    g.grant_id = Member(o, "grant_id");
    g.grantee_kind = Member(o, "grantee_kind");
    g.grantee_id = Member(o, "grantee_id");
    if (std::string expires = Member(o, "expires_at"); !expires.empty()) {
      BOOST_OUTCOME_TRY(g.expires_at, ledger::ParseTimestamp(expires, "expires_at"));
    }
    if (g.expires_at != 0 && g.expires_at <= now) continue;
    grants.push_back(std::move(g));
  }
  return grants;
}

Result<bool> RecordAccess::Shared(const Viewer& viewer, std::string_view record_id) const {
  BOOST_OUTCOME_TRY(auto grants, GrantsInForce(record_id));
  for (const Grant& g : grants) {
    if (IsGrantee(viewer, g.grantee_kind, g.grantee_id)) return true;
  }
  return false;
}

Result<bool> RecordAccess::CanSeeHeld(const Viewer& viewer, const Holder& holder) const {
  if (viewer.sees_everything) return true;
  if (!holder.of.empty()) {
    // A grant or an access request: its grantee or requester, and whoever holds the record.
    if (IsGrantee(viewer, holder.grantee_kind, holder.grantee_id)) return true;
    BOOST_OUTCOME_TRY(auto of, FindHolder(holder.of));
    return of.has_value() && HoldsAsOwner(viewer, *of);
  }
  if (HoldsAsOwner(viewer, holder)) return true;
  return Shared(viewer, holder.record_id);
}

Result<bool> RecordAccess::CanSee(const Viewer& viewer, std::string_view record_id) const {
  BOOST_OUTCOME_TRY(auto holder, FindHolder(record_id));
  if (!holder) return false;
  return CanSeeHeld(viewer, *holder);
}

}  // namespace caseledger::projections
