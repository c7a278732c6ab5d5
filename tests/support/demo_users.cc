#include "support/demo_users.h"

#include <boost/json.hpp>

#include <regex>

namespace caseledger::testing {

using app::http::testing::ClientRequest;
using app::http::testing::ClientResponse;
using app::http::testing::TestClient;

DemoUsers ParseDemoUsers(const std::string& server_log) {
  DemoUsers users;
  std::regex line(R"(demo user: role=(\S+) username=(\S+) password=(\S+))");
  for (auto it = std::sregex_iterator(server_log.begin(), server_log.end(), line);
       it != std::sregex_iterator(); ++it) {
    users.passwords[(*it)[2]] = (*it)[3];
    users.by_role[(*it)[1]] = (*it)[2];
  }
  return users;
}

ClientResponse SendAs(std::uint16_t port, std::string method, std::string target, std::string body,
                      const std::string& token, const std::string& purpose) {
  ClientRequest request{.method = std::move(method), .target = std::move(target),
                        .body = std::move(body)};
  if (!request.body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
  if (!purpose.empty()) request.headers.emplace_back("X-Purpose", purpose);
  TestClient client(port);
  return client.Send(request);
}

ClientResponse LogIn(std::uint16_t port, const std::string& username, const std::string& password) {
  boost::json::object body{{"username", username}, {"password", password}};
  return SendAs(port, "POST", "/api/v1/sessions", boost::json::serialize(body));
}

}  // namespace caseledger::testing
