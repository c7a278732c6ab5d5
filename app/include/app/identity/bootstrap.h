// Creating identities without an HTTP caller: the demo partnership of `serve --demo` and the
// first administrator of `caseledger create-admin` (docs/identity.md). Both go through the
// command service like any other write, as actor "caseledger-demo" or "caseledger-cli", with
// idempotency keys, so running them again creates nothing twice.
//
// Thread safety: call from one thread, before the server starts (they block on hashing).
#pragma once

#include <string>
#include <vector>

#include "app/identity/passwords.h"
#include "app/node.h"

namespace caseledger::app::identity {

struct DemoUser {
  std::string role;
  std::string username;
  std::string password;
  std::string organisation;  // its name
};

// Creates the demo partnership once (the ten Leicester, Leicestershire and Rutland councils,
// Leicestershire Police and a housing provider, a team in each, and a user of every role) and
// returns the demo users with their passwords. The passwords are derived from a random secret
// kept in the store's meta family, so a restart prints the same ones without storing them.
// Errors: those of the command service and the store.
Result<std::vector<DemoUser>> EnsureDemoPartnership(Node& node, const PasswordParams& params);

struct AdminOptions {
  std::string username;
  std::string display_name;
  std::string organisation_name = "Partnership administration";
};

// Creates (once) an administration organisation and team, and a partnership_admin user with
// a generated password, which it returns. Errors: kAlreadyExists (field "username"), those of
// the command service.
Result<std::string> CreateAdmin(Node& node, const AdminOptions& options,
                                const PasswordParams& params);

}  // namespace caseledger::app::identity
