#include "command_checks.h"
#include "command_impl.h"
#include "schemas/events_generated.h"

namespace caseledger::ledger {
namespace {

namespace fb = flatbuffers;

}  // namespace

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta, const AddLink& c) {
  BOOST_OUTCOME_TRY(CheckRecordId(c.from_id, "from_id", {"incident", "person", "address", "vehicle", "case", "link"}));
  BOOST_OUTCOME_TRY(CheckRecordId(c.to_id, "to_id", {"incident", "person", "address", "vehicle", "case", "link"}));
  if (c.from_id == c.to_id) return InvalidField("to_id", "must differ from from_id");
  BOOST_OUTCOME_TRY(CheckEnumGiven(c.role, "role"));
  BOOST_OUTCOME_TRY(CheckText(c.note, "note", 0, 1000));
  BOOST_OUTCOME_TRY(impl.Referenced(c.from_id, "from_id"));
  BOOST_OUTCOME_TRY(impl.Referenced(c.to_id, "to_id"));
  std::string id = impl.NewRecordId("link", meta);
  fb::FlatBufferBuilder b(256);
  auto owner = OwnerOf(b, meta.actor);
  b.Finish(schema::CreateLinkAddedDirect(b, c.from_id.c_str(), c.to_id.c_str(), c.role, owner,
                                         c.note.c_str()));
  Plan plan{id, {}, {}};
  plan.streams.push_back(
      CommandService::Impl::Single(id, kNoStream, impl.Draft(EventType::LinkAdded, b, 0, meta)));
  return plan;
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const RemoveLink& c) {
  BOOST_OUTCOME_TRY(CheckRecordId(c.link_id, "link_id", {"link"}));
  BOOST_OUTCOME_TRY(CheckText(c.reason, "reason", 1, 1000));
  BOOST_OUTCOME_TRY(auto state, impl.Target(c.link_id, "link_id", meta));
  if (!state.active) return InvalidField("link_id", "must name a link that was not removed");
  fb::FlatBufferBuilder b(128);
  b.Finish(schema::CreateLinkRemovedDirect(b, c.reason.c_str()));
  Plan plan{c.link_id, {}, {}};
  plan.streams.push_back(CommandService::Impl::Single(
      c.link_id, state.version, impl.Draft(EventType::LinkRemoved, b, 0, meta)));
  return plan;
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const GrantAccess& c) {
  BOOST_OUTCOME_TRY(CheckRecordId(c.record_id, "record_id", {"incident", "person", "address", "vehicle", "case", "link"}));
  BOOST_OUTCOME_TRY(CheckEnumGiven(c.grantee_kind, "grantee_kind"));
  BOOST_OUTCOME_TRY(CheckLine(c.grantee_id, "grantee_id", 200));
  if (c.grantee_id.empty()) return InvalidField("grantee_id", "is required");
  BOOST_OUTCOME_TRY(CheckText(c.reason, "reason", 1, 1000));
  if (c.expires_at != 0 && c.expires_at <= impl.clock.NowMicros()) {
    return InvalidField("expires_at", "must be in the future");
  }
  BOOST_OUTCOME_TRY(impl.Referenced(c.record_id, "record_id"));
  std::string id = impl.NewRecordId("grant", meta);
  fb::FlatBufferBuilder b(256);
  b.Finish(schema::CreateAccessGrantedDirect(b, c.record_id.c_str(), c.grantee_kind,
                                             c.grantee_id.c_str(), c.reason.c_str(), c.expires_at));
  Plan plan{id, {}, {}};
  plan.streams.push_back(CommandService::Impl::Single(
      id, kNoStream, impl.Draft(EventType::AccessGranted, b, 0, meta)));
  return plan;
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const RevokeAccess& c) {
  BOOST_OUTCOME_TRY(CheckRecordId(c.grant_id, "grant_id", {"grant", "accessrequest"}));
  BOOST_OUTCOME_TRY(CheckText(c.reason, "reason", 1, 1000));
  BOOST_OUTCOME_TRY(auto state, impl.Target(c.grant_id, "grant_id", meta));
  if (!state.active) {
    return InvalidField("grant_id", "must name a grant (or a granted access request) in force");
  }
  fb::FlatBufferBuilder b(128);
  b.Finish(schema::CreateAccessRevokedDirect(b, state.record_id.c_str(), c.reason.c_str()));
  Plan plan{c.grant_id, {}, {}};
  plan.streams.push_back(CommandService::Impl::Single(
      c.grant_id, state.version, impl.Draft(EventType::AccessRevoked, b, 0, meta)));
  return plan;
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const RequestAccess& c) {
  BOOST_OUTCOME_TRY(
      CheckRecordId(c.record_id, "record_id", {"incident", "person", "address", "vehicle", "case", "link"}));
  BOOST_OUTCOME_TRY(CheckText(c.reason, "reason", 1, 1000));
  BOOST_OUTCOME_TRY(impl.Referenced(c.record_id, "record_id"));
  std::string id = impl.NewRecordId("accessrequest", meta);
  fb::FlatBufferBuilder b(256);
  b.Finish(schema::CreateAccessRequestedDirect(b, c.record_id.c_str(), c.reason.c_str()));
  Plan plan{id, {}, {}};
  plan.streams.push_back(CommandService::Impl::Single(
      id, kNoStream, impl.Draft(EventType::AccessRequested, b, 0, meta)));
  return plan;
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const DecideAccessRequest& c) {
  BOOST_OUTCOME_TRY(CheckRecordId(c.request_id, "request_id", {"accessrequest"}));
  BOOST_OUTCOME_TRY(CheckText(c.reason, "reason", 1, 1000));
  if (!c.granted && c.expires_at != 0) {
    return InvalidField("expires_at", "must be absent when access is refused");
  }
  if (c.expires_at != 0 && c.expires_at <= impl.clock.NowMicros()) {
    return InvalidField("expires_at", "must be in the future");
  }
  BOOST_OUTCOME_TRY(auto state, impl.Target(c.request_id, "request_id", meta));
  if (state.decided) return InvalidField("request_id", "must name a request not yet decided");
  fb::FlatBufferBuilder b(128);
  b.Finish(schema::CreateAccessRequestDecidedDirect(b, c.granted, c.reason.c_str(), c.expires_at));
  Plan plan{c.request_id, {}, {}};
  plan.streams.push_back(CommandService::Impl::Single(
      c.request_id, state.version, impl.Draft(EventType::AccessRequestDecided, b, 0, meta)));
  return plan;
}

}  // namespace caseledger::ledger
