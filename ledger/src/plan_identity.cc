// Planners of the identity commands: organisations, teams, users and API keys
// (docs/identity.md). Passwords arrive already hashed (argon2id, by the app's worker pool); the
// hash is sealed to the user, like personal data, so disposing of the user's key shreds it.
#include <algorithm>

#include "command_checks.h"
#include "command_impl.h"
#include "ledger/identity_ids.h"
#include "schemas/events_generated.h"

namespace caseledger::ledger {
namespace {

namespace fb = flatbuffers;

constexpr std::size_t kMaxPasswordHash = 512;

Result<void> CheckName(std::string_view name, std::string_view field) {
  BOOST_OUTCOME_TRY(CheckLine(name, field, 200));
  if (name.empty()) return InvalidField(std::string(field), "is required");
  return Ok();
}

Result<void> CheckRoles(const std::vector<schema::Role>& roles, std::string_view field) {
  if (roles.empty()) return InvalidField(std::string(field), "must name at least one role");
  for (std::size_t i = 0; i < roles.size(); ++i) {
    std::string at = std::string(field) + "[" + std::to_string(i) + "]";
    BOOST_OUTCOME_TRY(CheckEnumGiven(roles[i], at));
    if (std::find(roles.begin(), roles.begin() + static_cast<std::ptrdiff_t>(i), roles[i]) !=
        roles.begin() + static_cast<std::ptrdiff_t>(i)) {
      return InvalidField(at, "must not repeat a role");
    }
  }
  return Ok();
}

Result<void> CheckPasswordHash(std::string_view hash, std::string_view field, bool required) {
  if (hash.empty() && !required) return Ok();
  if (!hash.starts_with("$argon2id$") || hash.size() > kMaxPasswordHash) {
    return InvalidField(std::string(field), "must be an argon2id hash");
  }
  return Ok();
}

Error AlreadyExists(std::string field, std::string rule) {
  Error e = MakeError(Code::kAlreadyExists, field + " " + rule);
  e.field = std::move(field);
  e.rule = std::move(rule);
  return e;
}

// The Credential plaintext, sealed to `user_id`.
Result<fb::Offset<schema::Sealed>> SealCredential(CommandService::Impl& impl,
                                                  fb::FlatBufferBuilder& b,
                                                  const std::string& user_id,
                                                  const std::string& password_hash) {
  fb::FlatBufferBuilder inner(256);
  inner.Finish(schema::CreateCredentialDirect(inner, password_hash.c_str()));
  return impl.Seal(b, user_id, inner);
}

// A user the command changes, which must exist.
Result<StreamState> TargetUser(CommandService::Impl& impl, const std::string& user_id,
                               const CommandMeta& meta) {
  BOOST_OUTCOME_TRY(CheckRecordId(user_id, "user_id", {"user"}));
  return impl.Target(user_id, "user_id", meta);
}

Plan SingleEvent(CommandService::Impl& impl, const CommandMeta& meta, std::string id,
                 std::uint64_t expected, EventType type, const fb::FlatBufferBuilder& b) {
  Plan plan{id, {}, {}};
  plan.streams.push_back(
      CommandService::Impl::Single(std::move(id), expected, impl.Draft(type, b, 0, meta)));
  return plan;
}

}  // namespace

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const CreateOrganisation& c) {
  BOOST_OUTCOME_TRY(CheckName(c.name, "name"));
  BOOST_OUTCOME_TRY(CheckEnumGiven(c.kind, "kind"));
  std::string id = impl.NewRecordId("organisation", meta);
  fb::FlatBufferBuilder b(256);
  b.Finish(schema::CreateOrganisationCreatedDirect(b, c.name.c_str(), c.kind,
                                                   c.justification_required));
  return SingleEvent(impl, meta, id, kNoStream, EventType::OrganisationCreated, b);
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const ChangeOrganisationSettings& c) {
  BOOST_OUTCOME_TRY(CheckRecordId(c.organisation_id, "organisation_id", {"organisation"}));
  BOOST_OUTCOME_TRY(CheckText(c.reason, "reason", 0, 1000));
  BOOST_OUTCOME_TRY(auto state, impl.Target(c.organisation_id, "organisation_id", meta));
  fb::FlatBufferBuilder b(128);
  b.Finish(schema::CreateOrganisationSettingsChangedDirect(b, c.justification_required,
                                                           c.reason.c_str()));
  return SingleEvent(impl, meta, c.organisation_id, state.version,
                     EventType::OrganisationSettingsChanged, b);
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta, const CreateTeam& c) {
  BOOST_OUTCOME_TRY(CheckRecordId(c.organisation_id, "organisation_id", {"organisation"}));
  BOOST_OUTCOME_TRY(CheckName(c.name, "name"));
  BOOST_OUTCOME_TRY(impl.Referenced(c.organisation_id, "organisation_id"));
  std::string id = impl.NewRecordId("team", meta);
  fb::FlatBufferBuilder b(256);
  b.Finish(schema::CreateTeamCreatedDirect(b, c.organisation_id.c_str(), c.name.c_str()));
  return SingleEvent(impl, meta, id, kNoStream, EventType::TeamCreated, b);
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta, const CreateUser& c) {
  BOOST_OUTCOME_TRY(CheckUsername(c.username));
  BOOST_OUTCOME_TRY(CheckLine(c.display_name, "display_name", 200));
  BOOST_OUTCOME_TRY(CheckRecordId(c.organisation_id, "organisation_id", {"organisation"}));
  BOOST_OUTCOME_TRY(CheckRecordId(c.team_id, "team_id", {"team"}));
  BOOST_OUTCOME_TRY(CheckRoles(c.roles, "roles"));
  BOOST_OUTCOME_TRY(CheckPasswordHash(c.password_hash, "password", false));
  BOOST_OUTCOME_TRY(impl.Referenced(c.organisation_id, "organisation_id"));
  BOOST_OUTCOME_TRY(auto team, impl.Referenced(c.team_id, "team_id"));
  if (team.organisation_id != c.organisation_id) {
    return InvalidField("team_id", "must be a team of organisation_id");
  }
  std::string id = UserIdForUsername(c.username);
  BOOST_OUTCOME_TRY(auto existing, impl.states.Load(id));
  if (existing.version != 0) return AlreadyExists("username", "is already taken");
  fb::FlatBufferBuilder b(512);
  fb::Offset<schema::Sealed> password;
  if (!c.password_hash.empty()) {
    BOOST_OUTCOME_TRY(password, SealCredential(impl, b, id, c.password_hash));
  }
  std::string username = NormaliseUsername(c.username);
  auto roles_vector = b.CreateVector(c.roles);
  b.Finish(schema::CreateUserCreated(b, b.CreateString(username), b.CreateString(c.display_name),
                                     b.CreateString(c.organisation_id), b.CreateString(c.team_id),
                                     roles_vector, password));
  return SingleEvent(impl, meta, id, kNoStream, EventType::UserCreated, b);
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const ChangeUserRoles& c) {
  BOOST_OUTCOME_TRY(CheckRoles(c.roles, "roles"));
  BOOST_OUTCOME_TRY(CheckText(c.reason, "reason", 0, 1000));
  BOOST_OUTCOME_TRY(auto state, TargetUser(impl, c.user_id, meta));
  fb::FlatBufferBuilder b(128);
  auto roles = b.CreateVector(c.roles);
  b.Finish(schema::CreateUserRolesChanged(b, roles, b.CreateString(c.reason)));
  return SingleEvent(impl, meta, c.user_id, state.version, EventType::UserRolesChanged, b);
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const DeactivateUser& c) {
  BOOST_OUTCOME_TRY(CheckText(c.reason, "reason", 0, 1000));
  BOOST_OUTCOME_TRY(auto state, TargetUser(impl, c.user_id, meta));
  if (!state.active) return InvalidField("user_id", "must name an active user");
  fb::FlatBufferBuilder b(128);
  b.Finish(schema::CreateUserDeactivatedDirect(b, c.reason.c_str()));
  return SingleEvent(impl, meta, c.user_id, state.version, EventType::UserDeactivated, b);
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const ReactivateUser& c) {
  BOOST_OUTCOME_TRY(CheckText(c.reason, "reason", 0, 1000));
  BOOST_OUTCOME_TRY(auto state, TargetUser(impl, c.user_id, meta));
  if (state.active) return InvalidField("user_id", "must name a deactivated user");
  fb::FlatBufferBuilder b(128);
  b.Finish(schema::CreateUserReactivatedDirect(b, c.reason.c_str()));
  return SingleEvent(impl, meta, c.user_id, state.version, EventType::UserReactivated, b);
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const ChangeUserPassword& c) {
  BOOST_OUTCOME_TRY(CheckPasswordHash(c.password_hash, "password", true));
  BOOST_OUTCOME_TRY(CheckText(c.reason, "reason", 0, 1000));
  BOOST_OUTCOME_TRY(auto state, TargetUser(impl, c.user_id, meta));
  fb::FlatBufferBuilder b(512);
  BOOST_OUTCOME_TRY(auto password, SealCredential(impl, b, c.user_id, c.password_hash));
  b.Finish(schema::CreateUserPasswordChanged(b, password, b.CreateString(c.reason)));
  return SingleEvent(impl, meta, c.user_id, state.version, EventType::UserPasswordChanged, b);
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const IssueApiKey& c) {
  BOOST_OUTCOME_TRY(CheckRecordId(c.user_id, "user_id", {"user"}));
  BOOST_OUTCOME_TRY(CheckName(c.name, "name"));
  if (c.key_hash.size() != 32) return InvalidField("key_hash", "must be 32 bytes");
  if (c.expires_at != 0 && c.expires_at <= impl.clock.NowMicros()) {
    return InvalidField("expires_at", "must be in the future");
  }
  BOOST_OUTCOME_TRY(auto user, impl.Referenced(c.user_id, "user_id"));
  if (!user.active) return InvalidField("user_id", "must name an active user");
  std::string id = ApiKeyIdForHash(c.key_hash);
  fb::FlatBufferBuilder b(256);
  auto hash = b.CreateVector(reinterpret_cast<const std::uint8_t*>(c.key_hash.data()),
                             c.key_hash.size());
  b.Finish(schema::CreateApiKeyIssued(b, b.CreateString(c.user_id), b.CreateString(c.name), hash,
                                      c.expires_at));
  return SingleEvent(impl, meta, id, kNoStream, EventType::ApiKeyIssued, b);
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const RevokeApiKey& c) {
  BOOST_OUTCOME_TRY(CheckRecordId(c.api_key_id, "api_key_id", {"apikey"}));
  BOOST_OUTCOME_TRY(CheckText(c.reason, "reason", 0, 1000));
  BOOST_OUTCOME_TRY(auto state, impl.Target(c.api_key_id, "api_key_id", meta));
  if (!state.active) return InvalidField("api_key_id", "must name a key that was not revoked");
  fb::FlatBufferBuilder b(128);
  b.Finish(schema::CreateApiKeyRevokedDirect(b, c.reason.c_str()));
  return SingleEvent(impl, meta, c.api_key_id, state.version, EventType::ApiKeyRevoked, b);
}

}  // namespace caseledger::ledger
