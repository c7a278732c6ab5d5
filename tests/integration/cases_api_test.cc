// Cases and risk end to end against the real `caseledger serve` binary: a statutory check
// refusing then accepting a power, a document's round trip with its hash, a risk assessment the
// server scores and refers, and the overdue risk review work queue.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>

#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace caseledger {
namespace {

namespace json = boost::json;
using app::http::testing::ClientRequest;
using app::http::testing::ClientResponse;
using app::http::testing::TestClient;
using testing::ServerProcess;

class CasesApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    server_ = new ServerProcess(CASELEDGER_BINARY, dir_->Path("data"));
    ASSERT_TRUE(server_->Start());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  ClientResponse Send(ClientRequest request) {
    if (!request.body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    TestClient client(server_->port());
    return client.Send(request);
  }
  ClientResponse Post(std::string target, std::string body) {
    return Send({.method = "POST", .target = std::move(target), .body = std::move(body)});
  }
  ClientResponse Get(std::string target) { return Send({.target = std::move(target)}); }

  // POSTs and returns the answer's JSON; fails the test unless the status is `status`.
  json::object Created(const std::string& target, const std::string& body, int status = 201) {
    ClientResponse r = Post(target, body);
    EXPECT_EQ(r.status, status) << target << ": " << r.body;
    return r.Json().is_object() ? r.Json().as_object() : json::object();
  }
  std::string Id(const json::object& answer) {
    return answer.contains("id") ? std::string(answer.at("id").as_string()) : std::string();
  }
  std::string Person(const std::string& date_of_birth) {
    return Id(Created("/api/v1/people", R"({"names":[{"given":"Alex","family":"Example"}],)"
                                        R"("date_of_birth":")" + date_of_birth + R"("})"));
  }
  std::string Case(const std::string& type = "community_protection") {
    return Id(Created("/api/v1/cases", R"({"case_type":")" + type + R"(","title":"Test Street"})"));
  }

  static testing::TempDir* dir_;
  static ServerProcess* server_;
};

testing::TempDir* CasesApiTest::dir_ = nullptr;
ServerProcess* CasesApiTest::server_ = nullptr;

TEST_F(CasesApiTest, ANoticeIsRefusedWithoutAWarningAndAcceptedAfterIt) {
  std::string c = Case();
  std::string person = Person("1990-01-01");
  std::string notice = R"({"action":"community_protection_notice","subject_id":")" + person +
                       R"(","taken_at":"2026-03-01T10:00:00Z"})";

  ClientResponse refused = Post("/api/v1/cases/" + c + "/actions", notice);
  Created("/api/v1/cases/" + c + "/actions",
          R"({"action":"community_protection_warning","subject_id":")" + person +
              R"(","taken_at":"2026-02-01T10:00:00Z","expires_at":"2026-02-15T10:00:00Z"})",
          200);
  ClientResponse accepted = Post("/api/v1/cases/" + c + "/actions", notice);

  ASSERT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(refused.Json().at("error").at("field"), "subject_id");
  EXPECT_EQ(refused.Json().at("error").at("rule"),
            "a Community Protection Notice needs an earlier Community Protection Warning to the "
            "same subject");
  EXPECT_EQ(accepted.status, 200) << accepted.body;
}

TEST_F(CasesApiTest, AnUploadedDocumentDownloadsWithItsHash) {
  std::string c = Case("asb_case");
  // "Diary: music until 3am.\n" in base64.
  json::object attached = Created("/api/v1/cases/" + c + "/documents",
                                  R"({"name":"diary.txt","media_type":"text/plain",)"
                                  R"("content_base64":"RGlhcnk6IG11c2ljIHVudGlsIDNhbS4K"})",
                                  200);
  std::string document_id(attached.at("item_id").as_string());
  std::string position(attached.at("position").as_string());

  ClientResponse download = Get("/api/v1/cases/" + c + "/documents/" + document_id);
  ClientResponse view = Get("/api/v1/cases/" + c + "?min_position=" + position);
  ClientResponse missing = Get("/api/v1/cases/" + c + "/documents/no-such-document");

  ASSERT_EQ(download.status, 200) << download.body;
  EXPECT_EQ(download.body, "Diary: music until 3am.\n");
  EXPECT_EQ(download.Header("Content-Type"), "text/plain");
  ASSERT_EQ(view.status, 200) << view.body;
  json::value case_view = view.Json();
  const json::value& listed = case_view.at("documents").at(0);
  EXPECT_EQ(listed.at("size"), 24);
  EXPECT_EQ(download.Header("X-Content-Hash"),
            "blake2b-256=" + std::string(listed.at("hash").as_string()));
  EXPECT_EQ(missing.status, 404) << missing.body;
}

TEST_F(CasesApiTest, TheServerScoresARiskAssessmentAndRefersTheVictim) {
  std::string c = Case("asb_case");
  std::string victim = Person("1950-05-05");
  std::string answers =
      R"({"repeat_victim":1,"health_or_disability":1,"age_related":0,"isolated":1,)"
      R"("hate_motivated":1,"frequency":2,"perpetrator_nearby":0,"impact_on_daily_life":0,)"
      R"("threats_or_violence":1,"damage_to_property":0,"feels_unsafe":3})";

  ClientResponse client_scored = Post("/api/v1/cases/" + c + "/risk-assessments",
                                      R"({"subject_id":")" + victim + R"(","score":1,"answers":)" +
                                          answers + "}");
  ClientResponse unknown = Post("/api/v1/cases/" + c + "/risk-assessments",
                                R"({"subject_id":")" + victim +
                                    R"(","answers":{"shoe_size":1}})");
  json::object assessed = Created("/api/v1/cases/" + c + "/risk-assessments",
                                  R"({"subject_id":")" + victim + R"(","answers":)" + answers + "}",
                                  200);
  ClientResponse view = Get("/api/v1/cases/" + c + "?min_position=" +
                            std::string(assessed.at("position").as_string()));

  ASSERT_TRUE(assessed.contains("assessment")) << json::serialize(assessed);
  EXPECT_EQ(assessed.at("assessment").at("score"), 22);
  EXPECT_EQ(assessed.at("assessment").at("level"), "medium");
  EXPECT_EQ(assessed.at("assessment").at("referred_to_support"), true);
  EXPECT_EQ(client_scored.status, 400) << client_scored.body;
  ASSERT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(unknown.Json().at("error").at("field"), "answers.shoe_size");
  ASSERT_EQ(view.status, 200) << view.body;
  json::value case_view = view.Json();
  const json::value& a = case_view.at("risk_assessments").at(0);
  EXPECT_EQ(a.at("score"), 22);
  EXPECT_EQ(a.at("level"), "medium");
  EXPECT_EQ(a.at("instrument_id"), "asb-risk");
  EXPECT_EQ(a.at("instrument_version"), 1);
  EXPECT_EQ(a.at("referred_to_support"), true);
  EXPECT_EQ(case_view.at("referred_to_support"), true);
}

TEST_F(CasesApiTest, OverdueRiskReviewsSurfaceInTheWorkQueueMostOverdueFirst) {
  std::string medium_case = Case("asb_case");
  std::string high_case = Case("asb_case");
  std::string victim = Person("1950-05-05");
  std::string medium =
      R"({"repeat_victim":1,"health_or_disability":1,"age_related":0,"isolated":1,)"
      R"("hate_motivated":0,"frequency":2,"perpetrator_nearby":0,"impact_on_daily_life":0,)"
      R"("threats_or_violence":0,"damage_to_property":0,"feels_unsafe":0})";
  std::string high =
      R"({"repeat_victim":1,"health_or_disability":1,"age_related":1,"isolated":1,)"
      R"("hate_motivated":1,"frequency":3,"perpetrator_nearby":1,"impact_on_daily_life":3,)"
      R"("threats_or_violence":1,"damage_to_property":1,"feels_unsafe":3})";
  Created("/api/v1/cases/" + medium_case + "/risk-assessments",
          R"({"subject_id":")" + victim + R"(","answers":)" + medium + "}", 200);
  json::object last = Created("/api/v1/cases/" + high_case + "/risk-assessments",
                              R"({"subject_id":")" + victim + R"(","answers":)" + high + "}", 200);

  ClientResponse queue = Get("/api/v1/work-queue/risk-reviews?as_of=2099-01-01T00:00:00Z"
                             "&min_position=" + std::string(last.at("position").as_string()));
  ClientResponse bad = Get("/api/v1/work-queue/risk-reviews?as_of=tomorrow");

  ASSERT_EQ(queue.status, 200) << queue.body;
  json::value answer = queue.Json();
  const json::array& reviews = answer.at("reviews").as_array();
  int high_at = -1, medium_at = -1;
  for (std::size_t i = 0; i < reviews.size(); ++i) {
    if (reviews[i].at("record_id") == high_case.c_str()) high_at = static_cast<int>(i);
    if (reviews[i].at("record_id") == medium_case.c_str()) medium_at = static_cast<int>(i);
    if (i > 0) {
      EXPECT_GE(reviews[i - 1].at("days_overdue").as_int64(), reviews[i].at("days_overdue").as_int64());
    }
  }
  ASSERT_GE(high_at, 0) << queue.body;
  ASSERT_GE(medium_at, 0) << queue.body;
  EXPECT_LT(high_at, medium_at) << "the high-risk review falls due 14 days earlier";
  EXPECT_EQ(reviews[high_at].at("level"), "high");
  EXPECT_EQ(reviews[high_at].at("subject_id"), victim.c_str());
  EXPECT_EQ(reviews[medium_at].at("level"), "medium");
  EXPECT_EQ(bad.status, 400) << bad.body;
}

}  // namespace
}  // namespace caseledger
