// Request → command parsers of the identity routes (docs/api.md, docs/identity.md). Passwords
// are returned beside the command, in plaintext, for the caller to hash off the io thread.
#pragma once

#include <optional>
#include <string>

#include "api_common.h"

namespace caseledger::app::api {

Result<ledger::CreateOrganisation> ParseCreateOrganisation(const http::RequestContext& ctx);
Result<ledger::ChangeOrganisationSettings> ParseChangeOrganisationSettings(
    const http::RequestContext& ctx);
Result<ledger::CreateTeam> ParseCreateTeam(const http::RequestContext& ctx);
Result<ledger::ChangeUserRoles> ParseChangeUserRoles(const http::RequestContext& ctx);
Result<ledger::DeactivateUser> ParseDeactivateUser(const http::RequestContext& ctx);
Result<ledger::ReactivateUser> ParseReactivateUser(const http::RequestContext& ctx);
Result<ledger::RevokeApiKey> ParseRevokeApiKey(const http::RequestContext& ctx);

struct NewUserRequest {
  ledger::CreateUser command;          // password_hash still empty
  std::optional<std::string> password;  // plaintext, policy-checked
};
Result<NewUserRequest> ParseCreateUser(const http::RequestContext& ctx);

struct PasswordChangeRequest {
  ledger::ChangeUserPassword command;  // password_hash still empty
  std::string password;
  std::optional<std::string> current_password;
};
Result<PasswordChangeRequest> ParseChangeUserPassword(const http::RequestContext& ctx);

// {user_id, name, expires_at}; key_hash is left for the handler to fill.
Result<ledger::IssueApiKey> ParseIssueApiKey(const http::RequestContext& ctx);

struct LoginRequest {
  std::string username;
  std::string password;
};
Result<LoginRequest> ParseLogin(const http::RequestContext& ctx);

}  // namespace caseledger::app::api
