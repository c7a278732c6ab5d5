// The demo partnership's users, as `caseledger serve --demo` prints them, and requests sent over
// loopback as one of them (tests/integration: identity, scenario).
//
// Example:
//   DemoUsers users = ParseDemoUsers(server.Log());
//   ClientResponse login = LogIn(server.port(), "lcc.caseworker", users.passwords["lcc.caseworker"]);
//   ClientResponse me = SendAs(server.port(), "GET", "/api/v1/me", "", token);
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "support/http_client.h"

namespace caseledger::testing {

struct DemoUsers {
  std::map<std::string, std::string> passwords;  // username -> password
  std::map<std::string, std::string> by_role;    // role -> a username holding it
};

// From the "demo user: role=… username=… password=…" lines of the server's log.
DemoUsers ParseDemoUsers(const std::string& server_log);

// One request to 127.0.0.1:`port`: a JSON body when `body` is not empty, `Authorization: Bearer`
// when `token` is not empty, `X-Purpose` when `purpose` is not empty.
app::http::testing::ClientResponse SendAs(std::uint16_t port, std::string method,
                                          std::string target, std::string body = "",
                                          const std::string& token = "",
                                          const std::string& purpose = "");

// POST /api/v1/sessions with `username` and `password`; the answer as it came.
app::http::testing::ClientResponse LogIn(std::uint16_t port, const std::string& username,
                                         const std::string& password);

}  // namespace caseledger::testing
