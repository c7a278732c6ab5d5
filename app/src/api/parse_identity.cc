#include "parse_identity.h"

#include "app/identity/passwords.h"
#include "ledger/identity_ids.h"

namespace caseledger::app::api {
namespace {

namespace json = boost::json;

// As BodyObject, but an empty body counts as {} (for changes whose members are all optional).
Result<json::object> OptionalBodyObject(const http::Request& request,
                                        std::initializer_list<std::string_view> allowed) {
  if (request.body.empty()) return json::object();
  return BodyObject(request, allowed);
}

Result<std::vector<schema::Role>> ParseRoles(const json::object& obj) {
  if (!obj.contains("roles")) return ledger::InvalidField("roles", "is required");
  BOOST_OUTCOME_TRY(auto names, StringArray(obj, "roles", 7, 64));
  std::vector<schema::Role> out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    auto role = ledger::ParseEnum<schema::Role>(names[i]);
    if (!role) {
      return ledger::InvalidField("roles[" + std::to_string(i) + "]",
                                  "must be one of: " + ledger::EnumChoices<schema::Role>());
    }
    out.push_back(*role);
  }
  return out;
}

Result<std::string> OptionalReason(const json::object& obj) {
  BOOST_OUTCOME_TRY(auto reason, http::OptionalString(obj, "reason", 1000));
  return reason.value_or("");
}

// A change whose body is at most {reason}: the record id from the path into `id`.
template <class Command>
Result<Command> ReasonOnly(const http::RequestContext& ctx, std::string Command::*id) {
  BOOST_OUTCOME_TRY(auto o, OptionalBodyObject(ctx.request, {"reason"}));
  Command c;
  c.*id = ctx.PathParam("id");
  BOOST_OUTCOME_TRY(c.reason, OptionalReason(o));
  return c;
}

}  // namespace

Result<ledger::CreateOrganisation> ParseCreateOrganisation(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"name", "kind", "justification_required"}));
  ledger::CreateOrganisation c;
  BOOST_OUTCOME_TRY(c.name, http::RequireString(o, "name", 200));
  BOOST_OUTCOME_TRY(c.kind, RequireEnum<schema::OrganisationKind>(o, "kind"));
  BOOST_OUTCOME_TRY(auto required, http::OptionalBool(o, "justification_required"));
  c.justification_required = required.value_or(false);
  return c;
}

Result<ledger::ChangeOrganisationSettings> ParseChangeOrganisationSettings(
    const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"justification_required", "reason"}));
  ledger::ChangeOrganisationSettings c;
  c.organisation_id = ctx.PathParam("id");
  BOOST_OUTCOME_TRY(auto required, http::OptionalBool(o, "justification_required"));
  if (!required) return ledger::InvalidField("justification_required", "is required");
  c.justification_required = *required;
  BOOST_OUTCOME_TRY(c.reason, OptionalReason(o));
  return c;
}

Result<ledger::CreateTeam> ParseCreateTeam(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"organisation_id", "name"}));
  ledger::CreateTeam c;
  BOOST_OUTCOME_TRY(c.organisation_id, http::RequireString(o, "organisation_id", 64));
  BOOST_OUTCOME_TRY(c.name, http::RequireString(o, "name", 200));
  return c;
}

Result<NewUserRequest> ParseCreateUser(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"username", "display_name", "organisation_id",
                                                      "team_id", "roles", "password"}));
  NewUserRequest r;
  BOOST_OUTCOME_TRY(r.command.username, http::RequireString(o, "username", 64));
  BOOST_OUTCOME_TRY(ledger::CheckUsername(r.command.username));
  BOOST_OUTCOME_TRY(auto display_name, http::OptionalString(o, "display_name", 200));
  r.command.display_name = display_name.value_or("");
  BOOST_OUTCOME_TRY(r.command.organisation_id, http::RequireString(o, "organisation_id", 64));
  BOOST_OUTCOME_TRY(r.command.team_id, http::RequireString(o, "team_id", 64));
  BOOST_OUTCOME_TRY(r.command.roles, ParseRoles(o));
  BOOST_OUTCOME_TRY(r.password, http::OptionalString(o, "password", identity::kMaxPasswordLength));
  if (r.password) {
    BOOST_OUTCOME_TRY(identity::CheckPasswordPolicy(*r.password));
  }
  return r;
}

Result<ledger::ChangeUserRoles> ParseChangeUserRoles(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"roles", "reason"}));
  ledger::ChangeUserRoles c;
  c.user_id = ctx.PathParam("id");
  BOOST_OUTCOME_TRY(c.roles, ParseRoles(o));
  BOOST_OUTCOME_TRY(c.reason, OptionalReason(o));
  return c;
}

Result<ledger::DeactivateUser> ParseDeactivateUser(const http::RequestContext& ctx) {
  return ReasonOnly(ctx, &ledger::DeactivateUser::user_id);
}

Result<ledger::ReactivateUser> ParseReactivateUser(const http::RequestContext& ctx) {
  return ReasonOnly(ctx, &ledger::ReactivateUser::user_id);
}

Result<PasswordChangeRequest> ParseChangeUserPassword(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"password", "current_password", "reason"}));
  PasswordChangeRequest r;
  r.command.user_id = ctx.PathParam("id");
  BOOST_OUTCOME_TRY(r.password, http::RequireString(o, "password", identity::kMaxPasswordLength));
  BOOST_OUTCOME_TRY(identity::CheckPasswordPolicy(r.password));
  BOOST_OUTCOME_TRY(r.current_password,
                    http::OptionalString(o, "current_password", identity::kMaxPasswordLength));
  BOOST_OUTCOME_TRY(r.command.reason, OptionalReason(o));
  return r;
}

Result<ledger::IssueApiKey> ParseIssueApiKey(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"user_id", "name", "expires_at"}));
  ledger::IssueApiKey c;
  BOOST_OUTCOME_TRY(c.user_id, http::RequireString(o, "user_id", 64));
  BOOST_OUTCOME_TRY(c.name, http::RequireString(o, "name", 200));
  BOOST_OUTCOME_TRY(auto expires_at, OptionalTime(o, "expires_at"));
  c.expires_at = expires_at.value_or(0);
  return c;
}

Result<ledger::RevokeApiKey> ParseRevokeApiKey(const http::RequestContext& ctx) {
  return ReasonOnly(ctx, &ledger::RevokeApiKey::api_key_id);
}

Result<LoginRequest> ParseLogin(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"username", "password"}));
  LoginRequest r;
  BOOST_OUTCOME_TRY(r.username, http::RequireString(o, "username", 64));
  BOOST_OUTCOME_TRY(r.password, http::RequireString(o, "password", identity::kMaxPasswordLength));
  return r;
}

}  // namespace caseledger::app::api
