// Sign-in end to end, as a client sees it: the real `caseledger serve --demo` on loopback, without
// the development identity. Login, wrong passwords, throttling, logout, deactivation, API keys
// and the role table answer as docs/identity.md says.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>
#include <string>

#include "ledger/identity_ids.h"
#include "support/demo_users.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace caseledger {
namespace {

namespace json = boost::json;
using app::http::testing::ClientResponse;
using testing::ServerProcess;

constexpr const char* kIncident =
    R"({"occurred_at":"2026-11-01T10:00:00Z","channel":"phone","category":"nuisance",)"
    R"("location":{"text":"1 Test Street"},"description":"Loud music"})";

class IdentityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    server_ = new ServerProcess(CASELEDGER_BINARY, dir_->Path("data"), {"--demo"});
    server_->set_dev_identity(false);
    ASSERT_TRUE(server_->Start());
    testing::DemoUsers users = testing::ParseDemoUsers(server_->Log());
    passwords_ = users.passwords;
    users_by_role_ = users.by_role;
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  static ClientResponse Send(std::string method, std::string target, std::string body = "",
                             std::string token = "", std::string purpose = "") {
    return testing::SendAs(server_->port(), std::move(method), std::move(target), std::move(body),
                           token, purpose);
  }

  static ClientResponse LoginAs(const std::string& username, const std::string& password) {
    return testing::LogIn(server_->port(), username, password);
  }

  // A fresh session token of a demo user; fails the test unless login answers 201.
  static std::string Token(const std::string& username) {
    ClientResponse r = LoginAs(username, passwords_[username]);
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status != 201) return {};
    return std::string(r.Json().at("token").as_string());
  }

  static testing::TempDir* dir_;
  static ServerProcess* server_;
  static std::map<std::string, std::string> passwords_;
  static std::map<std::string, std::string> users_by_role_;
};

testing::TempDir* IdentityTest::dir_ = nullptr;
ServerProcess* IdentityTest::server_ = nullptr;
std::map<std::string, std::string> IdentityTest::passwords_;
std::map<std::string, std::string> IdentityTest::users_by_role_;

TEST_F(IdentityTest, TheDemoPrintsAUserOfEveryRole) {
  for (const char* role : {"case_worker", "supervisor", "partnership_admin", "auditor",
                           "case_review_panel", "external_partner", "system_integration"}) {
    EXPECT_TRUE(users_by_role_.contains(role)) << role << "\n" << server_->Log();
  }
}

TEST_F(IdentityTest, LoginAnswersATokenThatNamesTheUser) {
  ClientResponse login = LoginAs("lcc.caseworker", passwords_["lcc.caseworker"]);
  ASSERT_EQ(login.status, 201) << login.body;
  json::object body = login.Json().as_object();
  std::string token(body.at("token").as_string());
  EXPECT_EQ(token.rfind("cs_", 0), 0u);
  EXPECT_TRUE(body.at("expires_at").is_string());
  EXPECT_EQ(body.at("user_id"), ledger::UserIdForUsername("lcc.caseworker").c_str());
  EXPECT_EQ(body.at("roles").at(0), "case_worker");
  EXPECT_EQ(login.body.find("argon2"), std::string::npos);

  ClientResponse me = Send("GET", "/api/v1/me", "", token);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.Json().at("username"), "lcc.caseworker");
  EXPECT_EQ(me.Json().at("organisation_id"), body.at("organisation_id"));
  EXPECT_EQ(Send("POST", "/api/v1/incidents", kIncident, token).status, 201);
}

TEST_F(IdentityTest, AMissingOrUnknownTokenIs401ButPublicRoutesAnswer) {
  EXPECT_EQ(Send("POST", "/api/v1/incidents", kIncident).status, 401);
  EXPECT_EQ(Send("GET", "/api/v1/me", "", "cs_not-a-token").status, 401);
  EXPECT_EQ(Send("GET", "/api/v1/me", "", "ck_not-a-key").status, 401);
  EXPECT_EQ(Send("GET", "/healthz").status, 200);
}

TEST_F(IdentityTest, AWrongPasswordIs401AndSaysNothingAboutTheUser) {
  ClientResponse wrong = LoginAs("review.panel", "not the password at all");
  ClientResponse unknown = LoginAs("nobody.here", "not the password at all");

  EXPECT_EQ(wrong.status, 401) << wrong.body;
  EXPECT_EQ(unknown.status, 401) << unknown.body;
  EXPECT_EQ(wrong.Json().at("error").at("message"), unknown.Json().at("error").at("message"));
  EXPECT_EQ(wrong.body.find("review.panel"), std::string::npos);
}

TEST_F(IdentityTest, RepeatedFailuresAreThrottledWith429) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(LoginAs("police.caseworker", "wrong password " + std::to_string(i)).status, 401);
  }

  ClientResponse throttled = LoginAs("police.caseworker", passwords_["police.caseworker"]);
  EXPECT_EQ(throttled.status, 429) << throttled.body;
  EXPECT_FALSE(throttled.Header("Retry-After").empty());
  // The server never logs a username: the only mention is the demo's own credential line.
  std::string log = server_->Log();
  EXPECT_EQ(log.find("police.caseworker", log.find("police.caseworker") + 1), std::string::npos);
}

TEST_F(IdentityTest, LogoutEndsTheSessionAtOnce) {
  std::string token = Token("lcc.supervisor");
  ASSERT_EQ(Send("GET", "/api/v1/me", "", token).status, 200);

  EXPECT_EQ(Send("DELETE", "/api/v1/sessions/current", "", token).status, 204);
  EXPECT_EQ(Send("GET", "/api/v1/me", "", token).status, 401);
}

TEST_F(IdentityTest, ACaseWorkerCannotCreateUsers) {
  std::string token = Token("charnwood.caseworker");
  json::object me = Send("GET", "/api/v1/me", "", token).Json().as_object();
  json::object user{{"username", "sneaky.user"}, {"organisation_id", me.at("organisation_id")},
                    {"team_id", me.at("team_id")}, {"roles", json::array{"partnership_admin"}},
                    {"password", "a long enough password"}};

  EXPECT_EQ(Send("POST", "/api/v1/users", json::serialize(user), token).status, 403);
}

TEST_F(IdentityTest, ADeactivatedUsersTokenStopsWorkingAtOnce) {
  std::string admin = Token("partnership.admin");
  json::object me = Send("GET", "/api/v1/me", "", admin).Json().as_object();
  json::object user{{"username", "temp.worker"}, {"organisation_id", me.at("organisation_id")},
                    {"team_id", me.at("team_id")}, {"roles", json::array{"case_worker"}},
                    {"display_name", "Temporary Worker"},
                    {"password", "temporary worker password"}};
  ClientResponse created = Send("POST", "/api/v1/users", json::serialize(user), admin);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id(created.Json().at("id").as_string());
  ClientResponse login = LoginAs("temp.worker", "temporary worker password");
  ASSERT_EQ(login.status, 201) << login.body;
  std::string token(login.Json().at("token").as_string());
  ASSERT_EQ(Send("POST", "/api/v1/incidents", kIncident, token).status, 201);

  ClientResponse deactivated =
      Send("POST", "/api/v1/users/" + id + "/deactivation", R"({"reason":"left"})", admin);
  ASSERT_EQ(deactivated.status, 200) << deactivated.body;

  EXPECT_EQ(Send("POST", "/api/v1/incidents", kIncident, token).status, 401);
  EXPECT_EQ(LoginAs("temp.worker", "temporary worker password").status, 401);
  ClientResponse view = Send("GET", "/api/v1/users/" + id + "?min_position=" +
                                        std::string(deactivated.Json().at("position").as_string()),
                             "", admin);
  ASSERT_EQ(view.status, 200) << view.body;
  EXPECT_EQ(view.Json().at("active"), false);
  EXPECT_EQ(view.body.find("argon2"), std::string::npos);
}

TEST_F(IdentityTest, ATakenUsernameIsRefusedNamingIt) {
  std::string admin = Token("partnership.admin");
  json::object me = Send("GET", "/api/v1/me", "", admin).Json().as_object();
  json::object user{{"username", "LCC.CaseWorker"}, {"organisation_id", me.at("organisation_id")},
                    {"team_id", me.at("team_id")}, {"roles", json::array{"case_worker"}}};

  ClientResponse r = Send("POST", "/api/v1/users", json::serialize(user), admin);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.Json().at("error").at("field"), "username");
}

TEST_F(IdentityTest, TheDemoOrganisationsAreListedAPageAtATime) {
  std::string token = Token("review.panel");

  ClientResponse first = Send("GET", "/api/v1/organisations?limit=5", "", token);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.Json().at("items").as_array().size(), 5u);
  std::string after(first.Json().at("next_after").as_string());
  ClientResponse rest = Send("GET", "/api/v1/organisations?limit=1000&after=" + after, "", token);
  ASSERT_EQ(rest.status, 200) << rest.body;
  EXPECT_EQ(rest.Json().at("items").as_array().size(), 7u);
  EXPECT_TRUE(rest.Json().at("next_after").is_null());
  EXPECT_NE((first.body + rest.body).find("Leicestershire Police"), std::string::npos);
  EXPECT_EQ(Send("GET", "/api/v1/organisations?limit=0", "", token).status, 400);
}

TEST_F(IdentityTest, AnApiKeyWorksUntilItIsRevoked) {
  std::string admin = Token("partnership.admin");
  json::object request{{"user_id", ledger::UserIdForUsername("police.integration")},
                       {"name", "police records system"}};
  ClientResponse issued = Send("POST", "/api/v1/api-keys", json::serialize(request), admin);
  ASSERT_EQ(issued.status, 201) << issued.body;
  std::string key(issued.Json().at("key").as_string());
  std::string id(issued.Json().at("id").as_string());
  EXPECT_EQ(key.rfind("ck_", 0), 0u);

  // The police require a justification on every request (docs/access.md).
  ClientResponse unjustified = Send("POST", "/api/v1/incidents", kIncident, key);
  EXPECT_EQ(unjustified.status, 400);
  EXPECT_EQ(unjustified.Json().at("error").at("field"), "X-Purpose");
  EXPECT_EQ(Send("POST", "/api/v1/incidents", kIncident, key, "call from the public").status, 201);
  EXPECT_EQ(Send("POST", "/api/v1/users", "{}", key).status, 403);
  ASSERT_EQ(Send("POST", "/api/v1/api-keys/" + id + "/revocation", R"({"reason":"rotated"})", admin)
                .status,
            200);
  EXPECT_EQ(Send("POST", "/api/v1/incidents", kIncident, key).status, 401);
}

TEST(IdentityRestartTest, TheDemoIsCreatedOnceAndSessionsSurviveARestart) {
  testing::TempDir dir;
  ServerProcess server(CASELEDGER_BINARY, dir.Path("data"), {"--demo"});
  server.set_dev_identity(false);
  ASSERT_TRUE(server.Start());
  auto first = testing::ParseDemoUsers(server.Log()).passwords;
  ASSERT_FALSE(first.empty());
  ClientResponse r = testing::LogIn(server.port(), "lcc.caseworker", first["lcc.caseworker"]);
  ASSERT_EQ(r.status, 201) << r.body;
  std::string token(r.Json().at("token").as_string());
  ASSERT_EQ(server.Stop(), 0);

  ASSERT_TRUE(server.Start());
  EXPECT_EQ(testing::SendAs(server.port(), "GET", "/api/v1/me", "", token).status, 200);
  EXPECT_EQ(testing::ParseDemoUsers(server.Log()).passwords, first);
  // One creation per demo organisation: the second start found them all.
  ClientResponse history = testing::SendAs(
      server.port(), "GET",
      "/api/v1/records/" + ledger::UserIdForUsername("lcc.caseworker") + "/events", "", token);
  ASSERT_EQ(history.status, 200) << history.body;
  EXPECT_EQ(history.Json().at("events").as_array().size(), 1u);
}

}  // namespace
}  // namespace caseledger
