// The pattern of the two public reviews, replayed over HTTP against `caseledger serve --demo`:
// one victim reports to three agencies, each of which records the call as if it were new. By the
// third report the ledger shows the links, the repeat flags and the hate incident, while each
// agency still sees only its own records and learns of the others only as existence
// (docs/intake.md, docs/access.md).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <ctime>
#include <map>
#include <string>

#include "support/demo_users.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace caseledger {
namespace {

namespace json = boost::json;
using app::http::testing::ClientResponse;
using testing::ServerProcess;

// The RFC 3339 UTC time `days` days before now: the repeat window (90 days by default) ends now.
std::string DaysAgo(int days) {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() -
                                                       std::chrono::hours(24 * days));
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

class ScenarioTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    server_ = new ServerProcess(CASELEDGER_BINARY, dir_->Path("data"), {"--demo"});
    server_->set_dev_identity(false);
    ASSERT_TRUE(server_->Start());
    passwords_ = testing::ParseDemoUsers(server_->Log()).passwords;
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  // Signs in (once per user) and sends as that user, with a justification.
  static ClientResponse As(const std::string& user, std::string method, std::string target,
                           std::string body = "") {
    if (!tokens_.contains(user)) {
      ClientResponse r = testing::LogIn(server_->port(), user, passwords_[user]);
      EXPECT_EQ(r.status, 201) << user << ": " << r.body;
      tokens_[user] = r.status == 201 ? std::string(r.Json().at("token").as_string()) : "";
    }
    return Raw(std::move(method), std::move(target), std::move(body), tokens_[user]);
  }

  static ClientResponse Raw(std::string method, std::string target, std::string body,
                            const std::string& token) {
    return testing::SendAs(server_->port(), std::move(method), std::move(target), std::move(body),
                           token, "report of anti-social behaviour");
  }

  // One agency records a call as new: the incident, the victim as a new person, and the link.
  // Returns the link's answer, which carries the incident's history.
  struct Report {
    std::string incident_id;
    std::string person_id;
    json::value person_answer;
    json::value link_answer;
  };
  static Report RecordAsNew(const std::string& user, bool hate) {
    Report out;
    json::object incident{{"occurred_at", DaysAgo(30 - reports_++)},
                          {"channel", "phone"},
                          {"category", "personal"},
                          {"location", json::object{{"uprn", "100030535208"},
                                                    {"text", "12 Example Road, Leicester"}}},
                          {"description", "Youths throwing stones at the windows"},
                          {"hate_incident", hate}};
    if (hate) incident["hate_strands"] = json::array{"disability"};
    ClientResponse r = As(user, "POST", "/api/v1/incidents", json::serialize(incident));
    EXPECT_EQ(r.status, 201) << r.body;
    out.incident_id = std::string(r.Json().at("id").as_string());
    json::object person{{"names", json::array{json::object{{"given", "Ann"}, {"family", "Example"}}}},
                        {"date_of_birth", "1961-04-09"},
                        {"vulnerabilities", json::array{"learning disability"}}};
    r = As(user, "POST", "/api/v1/people", json::serialize(person));
    EXPECT_EQ(r.status, 201) << r.body;
    out.person_id = std::string(r.Json().at("id").as_string());
    out.person_answer = r.Json();
    json::object link{{"from_id", out.person_id}, {"to_id", out.incident_id}, {"role", "victim"}};
    r = As(user, "POST", "/api/v1/links", json::serialize(link));
    EXPECT_EQ(r.status, 201) << r.body;
    out.link_answer = r.Json();
    return out;
  }

  static testing::TempDir* dir_;
  static ServerProcess* server_;
  static std::map<std::string, std::string> passwords_;
  static std::map<std::string, std::string> tokens_;
  static int reports_;
};

testing::TempDir* ScenarioTest::dir_ = nullptr;
ServerProcess* ScenarioTest::server_ = nullptr;
std::map<std::string, std::string> ScenarioTest::passwords_;
std::map<std::string, std::string> ScenarioTest::tokens_;
int ScenarioTest::reports_ = 1;

TEST_F(ScenarioTest, TheThirdAgencyToHearFromAVictimSeesHerHistoryAtOnce) {
  Report council = RecordAsNew("lcc.caseworker", false);
  const json::value& first = council.link_answer.at("history");
  EXPECT_EQ(first.at("flags").at("repeat_victim"), false);
  EXPECT_EQ(first.at("victims").at(0).at("incidents_in_window"), 1);

  Report police = RecordAsNew("police.caseworker", false);
  // The police's new person is proposed as the council's, which the police may not see.
  const json::array& matches = police.person_answer.at("proposed_matches").as_array();
  ASSERT_EQ(matches.size(), 1u) << police.person_answer;
  EXPECT_EQ(matches[0].at("record_id"), council.person_id.c_str());
  EXPECT_EQ(matches[0].at("visible"), false);
  EXPECT_TRUE(matches[0].as_object().contains("holding_organisation_id"));
  EXPECT_FALSE(matches[0].as_object().contains("record")) << "nothing of its content";
  EXPECT_EQ(police.link_answer.at("history").at("victims").at(0).at("incidents_in_window"), 2);

  Report third = RecordAsNew("charnwood.caseworker", true);
  const json::value& history = third.link_answer.at("history");
  const json::value& victim = history.at("victims").at(0);
  EXPECT_EQ(victim.at("incidents_in_window"), 3) << history;
  EXPECT_EQ(victim.at("person_records"), 3);
  EXPECT_EQ(victim.at("repeat"), true);
  EXPECT_EQ(victim.at("visible_incidents").as_array().size(), 1u) << "only its own incident";
  EXPECT_EQ(victim.at("held_elsewhere").as_array().size(), 2u) << "the council and the police";
  EXPECT_EQ(history.at("flags").at("repeat_victim"), true);
  EXPECT_EQ(history.at("flags").at("repeat_location"), true);
  EXPECT_EQ(history.at("flags").at("any_hate_incident"), true);
  EXPECT_EQ(third.person_answer.at("proposed_matches").as_array().size(), 2u);

  // The same history on demand.
  ClientResponse again = As("charnwood.caseworker", "GET",
                            "/api/v1/incidents/" + third.incident_id + "/history");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Json().at("flags").at("repeat_victim"), true);
}

// Recording an incident answers with the address records at its location and the location's
// history, the new incident counted in it as its command gave it: in or out of the window, with
// its hate flag, visible to its own team.
TEST_F(ScenarioTest, AnIncidentsAnswerCountsItselfInItsLocationsHistory) {
  const std::string text = "3 Answer Lane, Leicester";
  ClientResponse address = As("lcc.caseworker", "POST", "/api/v1/addresses",
                              json::serialize(json::object{{"text", text}}));
  ASSERT_EQ(address.status, 201) << address.body;
  std::string address_id(address.Json().at("id").as_string());
  auto report = [&](const std::string& user, const std::string& occurred_at, bool hate) {
    json::object incident{{"occurred_at", occurred_at}, {"channel", "phone"},
                          {"category", "nuisance"}, {"location", json::object{{"text", text}}},
                          {"description", "shouting in the street at night"},
                          {"hate_incident", hate}};
    if (hate) incident["hate_strands"] = json::array{"race"};
    ClientResponse r = As(user, "POST", "/api/v1/incidents", json::serialize(incident));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.Json();
  };

  json::value police = report("police.caseworker", DaysAgo(3), false);
  const json::value& first = police.at("history").at("location");
  EXPECT_EQ(first.at("incidents_in_window"), 1) << police;
  EXPECT_EQ(first.at("visible_incidents"), json::array{police.at("id")}) << "its own, visible";
  EXPECT_EQ(first.at("complete"), true);
  const json::array& seen_by_police = police.at("proposed_matches").as_array();
  ASSERT_EQ(seen_by_police.size(), 1u) << police;
  EXPECT_EQ(seen_by_police[0].at("record_id"), address_id.c_str());
  EXPECT_EQ(seen_by_police[0].at("visible"), false) << "the council's address";

  json::value council = report("lcc.caseworker", DaysAgo(2), true);
  const json::value& second = council.at("history").at("location");
  EXPECT_EQ(second.at("incidents_in_window"), 2) << council;
  EXPECT_EQ(second.at("incidents_all_time"), 2);
  EXPECT_EQ(second.at("any_hate_incident"), true) << "from the new incident itself";
  EXPECT_EQ(second.at("visible_incidents"), json::array{council.at("id")});
  ClientResponse police_me = As("police.caseworker", "GET", "/api/v1/me");
  ASSERT_EQ(police_me.status, 200) << police_me.body;
  const json::array& elsewhere = second.at("held_elsewhere").as_array();
  ASSERT_EQ(elsewhere.size(), 1u) << council;
  EXPECT_EQ(elsewhere[0].at("organisation_id"), police_me.Json().at("organisation_id"));
  EXPECT_EQ(elsewhere[0].at("incidents"), 1);
  const json::array& seen_by_council = council.at("proposed_matches").as_array();
  ASSERT_EQ(seen_by_council.size(), 1u) << council;
  EXPECT_EQ(seen_by_council[0].at("visible"), true);
  EXPECT_EQ(seen_by_council[0].at("reasons"), json::array{"address_text"});

  json::value old = report("lcc.caseworker", DaysAgo(400), false);
  const json::value& third = old.at("history").at("location");
  EXPECT_EQ(third.at("incidents_in_window"), 2) << "the new one is outside the window: " << old;
  EXPECT_EQ(third.at("incidents_all_time"), 3);
  EXPECT_EQ(third.at("visible_incidents"), json::array{council.at("id")});
  EXPECT_EQ(third.at("repeat"), false) << "two in the window, below the threshold of three";
}

TEST_F(ScenarioTest, AnotherAgencysRecordAnswersAsOneThatDoesNotExist) {
  Report council = RecordAsNew("lcc.caseworker", false);
  ClientResponse hidden = As("police.caseworker", "GET", "/api/v1/incidents/" + council.incident_id);
  ClientResponse missing = As("police.caseworker", "GET",
                              "/api/v1/incidents/incident-01900000-0000-7000-8000-000000000000");
  EXPECT_EQ(hidden.status, 404);
  EXPECT_EQ(hidden.body, missing.body);
  // Search shows the police that it exists, who holds it and whom to ask; nothing else.
  ClientResponse found = As("police.caseworker", "GET", "/api/v1/search?uprn=100030535208");
  ASSERT_EQ(found.status, 200) << found.body;
  bool seen = false;
  json::value results = found.Json();
  for (const auto& item : results.at("results").as_array()) {
    if (item.at("record_id") != council.incident_id.c_str()) continue;
    seen = true;
    EXPECT_EQ(item.at("visible"), false);
    EXPECT_FALSE(item.as_object().contains("record"));
  }
  EXPECT_TRUE(seen) << found.body;

  // The police ask; the council grants; the police now see it, and the access log says so.
  json::object ask{{"record_id", council.incident_id}, {"reason", "same victim reported to us"}};
  ClientResponse request = As("police.caseworker", "POST", "/api/v1/access-requests",
                              json::serialize(ask));
  ASSERT_EQ(request.status, 201) << request.body;
  std::string request_id(request.Json().at("id").as_string());
  ClientResponse pending = As("lcc.caseworker", "GET",
                              "/api/v1/records/" + council.incident_id + "/access-requests?min_position=" +
                                  std::string(request.Json().at("position").as_string()));
  ASSERT_EQ(pending.status, 200) << pending.body;
  EXPECT_EQ(pending.Json().at("pending").as_array().size(), 1u);
  EXPECT_EQ(As("police.caseworker", "POST", "/api/v1/access-requests/" + request_id + "/decision",
               R"({"decision":"grant","reason":"joint working"})")
                .status,
            403)
      << "the requester cannot grant itself";
  ClientResponse granted =
      As("lcc.caseworker", "POST", "/api/v1/access-requests/" + request_id + "/decision",
         R"({"decision":"grant","reason":"joint working"})");
  ASSERT_EQ(granted.status, 200) << granted.body;
  std::string position(granted.Json().at("position").as_string());
  ClientResponse now = As("police.caseworker", "GET",
                          "/api/v1/incidents/" + council.incident_id + "?min_position=" + position);
  EXPECT_EQ(now.status, 200) << now.body;

  ClientResponse log = As("lcc.supervisor", "GET",
                          "/api/v1/records/" + council.incident_id + "/access-log");
  ASSERT_EQ(log.status, 200) << log.body;
  // The council's own read came first (intake); a read from another organisation follows.
  json::value entries = log.Json();
  const json::array& list = entries.at("entries").as_array();
  ASSERT_FALSE(list.empty());
  const json::value& council_org = list.front().at("actor").at("organisation_id");
  bool police_read = false;
  for (const auto& entry : list) {
    if (entry.at("event_type") == "record_consulted" &&
        entry.at("payload").at("action") == "incident.read" &&
        entry.at("purpose") == "report of anti-social behaviour" &&
        entry.at("actor").at("organisation_id") != council_org) {
      police_read = true;
    }
  }
  EXPECT_TRUE(police_read) << log.body;
  // A case worker may not read the access log.
  EXPECT_EQ(As("lcc.caseworker", "GET", "/api/v1/records/" + council.incident_id + "/access-log")
                .status,
            403);
}

TEST_F(ScenarioTest, ACaseClosesOnlyWithTheSignOffOfASupervisorOfItsOrganisation) {
  auto user_id = [](const std::string& user) {
    ClientResponse me = As(user, "GET", "/api/v1/me");
    EXPECT_EQ(me.status, 200) << me.body;
    return std::string(me.Json().at("user_id").as_string());
  };
  ClientResponse opened = As("lcc.caseworker", "POST", "/api/v1/cases",
                             R"({"case_type":"asb_case","title":"Noise at Test Street"})");
  ASSERT_EQ(opened.status, 201) << opened.body;
  std::string case_path = "/api/v1/cases/" + std::string(opened.Json().at("id").as_string());
  ClientResponse action = As("lcc.caseworker", "POST", case_path + "/actions",
                             R"({"action":"advice","taken_at":"2026-11-20T10:00:00Z"})");
  ASSERT_EQ(action.status, 200) << action.body;
  auto close = [&](const std::string& signer) {
    json::object body{{"outcome", "resolved"}, {"signed_off_by", signer}};
    return As("lcc.caseworker", "POST", case_path + "/closure", json::serialize(body));
  };

  for (const std::string& signer : {user_id("lcc.caseworker"), user_id("charnwood.caseworker"),
                                    std::string("user-01900000-0000-7000-8000-000000000000"),
                                    std::string("someone")}) {
    ClientResponse refused = close(signer);
    EXPECT_EQ(refused.status, 400) << signer << ": " << refused.body;
    EXPECT_EQ(refused.Json().at("error").at("field"), "signed_off_by") << refused.body;
  }
  ClientResponse closed = close(user_id("lcc.supervisor"));
  EXPECT_EQ(closed.status, 200) << closed.body;
}

}  // namespace
}  // namespace caseledger
