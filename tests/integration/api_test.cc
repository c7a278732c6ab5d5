// The first /api/v1 end to end, as a client sees it: the real `caseledger serve` binary on
// loopback, real RocksDB underneath. Each write answers its log position; a read may wait for a
// position; stale versions, retries and bad input answer as docs/api.md says.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "ledger/ids.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace caseledger {
namespace {

namespace json = boost::json;
using app::http::testing::ClientRequest;
using app::http::testing::ClientResponse;
using testing::ServerProcess;
using app::http::testing::TestClient;

constexpr const char* kIncident =
    R"({"occurred_at":"2026-11-01T10:00:00Z","channel":"phone","category":"nuisance",)"
    R"("location":{"uprn":"100030000001","text":"1 Test Street"},"description":"Loud music"})";

class ApiTest : public ::testing::Test {
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
  ClientResponse Post(std::string target, std::string body,
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
    return Send({.method = "POST", .target = std::move(target), .body = std::move(body),
                 .headers = std::move(headers)});
  }
  ClientResponse Get(std::string target) { return Send({.target = std::move(target)}); }

  // Reports an incident and returns the answer's JSON; fails the test unless it is 201.
  json::object Report() {
    ClientResponse r = Post("/api/v1/incidents", kIncident);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.Json().is_object() ? r.Json().as_object() : json::object();
  }

  static testing::TempDir* dir_;
  static ServerProcess* server_;
};

testing::TempDir* ApiTest::dir_ = nullptr;
ServerProcess* ApiTest::server_ = nullptr;

TEST_F(ApiTest, AWriteAnswersItsPositionAndAReadAtThatPositionSeesIt) {
  json::object created = Report();
  std::string id(created.at("id").as_string());
  std::string position(created.at("position").as_string());
  EXPECT_EQ(created.at("version"), 1);
  EXPECT_EQ(position.rfind("0:", 0), 0u) << position;

  ClientResponse read = Get("/api/v1/incidents/" + id + "?min_position=" + position);
  ASSERT_EQ(read.status, 200) << read.body;
  json::object view = read.Json().as_object();
  EXPECT_EQ(view.at("id"), id.c_str());
  EXPECT_EQ(view.at("description"), "Loud music");
  EXPECT_EQ(view.at("location").at("uprn"), "100030000001");
  EXPECT_EQ(Get("/api/v1/records/" + id + "?min_position=" + position).status, 200);
}

TEST_F(ApiTest, ARetryWithTheSameKeyAnswersTheFirstResultAndWritesNothing) {
  auto first = Post("/api/v1/incidents", kIncident, {{"Idempotency-Key", "retry-1"}});
  auto retry = Post("/api/v1/incidents", kIncident, {{"Idempotency-Key", "retry-1"}});
  ASSERT_EQ(first.status, 201) << first.body;
  ASSERT_EQ(retry.status, 201) << retry.body;
  EXPECT_EQ(retry.Json().at("id"), first.Json().at("id"));
  EXPECT_EQ(retry.Json().at("position"), first.Json().at("position"));
  EXPECT_EQ(retry.Json().at("deduplicated"), true);

  auto other = Post("/api/v1/incidents", R"({"occurred_at":"2026-11-01T10:00:00Z",)"
                                         R"("channel":"email","category":"personal",)"
                                         R"("location":{"text":"x"},"description":"y"})",
                    {{"Idempotency-Key", "retry-1"}});
  EXPECT_EQ(other.status, 422) << other.body;
}

TEST_F(ApiTest, AStaleIfMatchIsRefusedWithTheCurrentVersion) {
  json::object created = Report();
  std::string id(created.at("id").as_string());
  auto note = Post("/api/v1/incidents/" + id + "/notes", R"({"text":"first visit"})",
                   {{"If-Match", "\"1\""}});
  ASSERT_EQ(note.status, 200) << note.body;  // a change, not a creation
  EXPECT_EQ(note.Json().at("version"), 2);

  auto stale = Post("/api/v1/incidents/" + id + "/notes", R"({"text":"second"})",
                    {{"If-Match", "\"1\""}});
  ASSERT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(stale.Json().at("error").at("current_version"), 2);
}

TEST_F(ApiTest, BadInputNamesTheFieldAndTheRuleAndWritesNothing) {
  auto bad = Post("/api/v1/incidents",
                  R"({"occurred_at":"2026-11-01T10:00:00Z","channel":"phone",)"
                  R"("category":"nuisance","location":{"uprn":"12ab"},"description":"x"})");
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.Json().at("error").at("field"), "location.uprn");
  EXPECT_FALSE(bad.Json().at("error").at("rule").as_string().empty());

  auto unknown = Post("/api/v1/people", R"({"names":[{"given":"A","family":"B"}],"shoe":"9"})");
  ASSERT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(unknown.Json().at("error").at("field"), "shoe");

  EXPECT_EQ(Post("/api/v1/incidents", "{not json").status, 400);
  EXPECT_EQ(Get("/api/v1/incidents/incident-00000000-0000-7000-8000-000000000000").status, 404);
}

TEST_F(ApiTest, ALinkIsReadableFromBothEnds) {
  std::string incident(Report().at("id").as_string());
  auto person = Post("/api/v1/people", R"({"names":[{"given":"Jordan","family":"Example"}]})");
  ASSERT_EQ(person.status, 201) << person.body;
  std::string person_id(person.Json().at("id").as_string());
  auto link = Post("/api/v1/links", R"({"from_id":")" + incident + R"(","to_id":")" + person_id +
                                        R"(","role":"victim"})");
  ASSERT_EQ(link.status, 201) << link.body;
  std::string position(link.Json().at("position").as_string());

  for (const std::string& end : {incident, person_id}) {
    auto links = Get("/api/v1/records/" + end + "/links?min_position=" + position);
    ASSERT_EQ(links.status, 200) << links.body;
    EXPECT_NE(links.body.find(std::string(link.Json().at("id").as_string())), std::string::npos)
        << end << ": " << links.body;
  }
}

// Every event of a command carries a correlation id: the request's X-Request-Id when it is a
// UUID (the server makes one when the client sends none), else one derived from it.
TEST_F(ApiTest, EventsCarryTheRequestsCorrelationId) {
  ClientResponse plain = Post("/api/v1/incidents", kIncident);
  ASSERT_EQ(plain.status, 201) << plain.body;
  std::string request_id = plain.Header("X-Request-Id");
  ASSERT_TRUE(ledger::Uuid::Parse(request_id).has_value()) << request_id;

  ClientResponse proxied = Post("/api/v1/incidents", kIncident, {{"X-Request-Id", "proxy-42"}});
  ASSERT_EQ(proxied.status, 201) << proxied.body;
  EXPECT_EQ(proxied.Header("X-Request-Id"), "proxy-42");

  auto events = [&](const ClientResponse& r) {
    std::string id(r.Json().at("id").as_string());
    std::string position(r.Json().at("position").as_string());
    ClientResponse history = Get("/api/v1/records/" + id + "/events?min_position=" + position);
    EXPECT_EQ(history.status, 200) << history.body;
    return history.Json();
  };
  json::value first = events(plain);
  ASSERT_TRUE(first.is_object() || first.is_array()) << json::serialize(first);
  EXPECT_NE(json::serialize(first).find("\"correlation_id\":\"" + request_id + "\""),
            std::string::npos)
      << json::serialize(first);
  std::string second = json::serialize(events(proxied));
  EXPECT_EQ(second.find("\"correlation_id\":null"), std::string::npos) << second;
  EXPECT_NE(second.find("\"correlation_id\":\""), std::string::npos) << second;
}

TEST_F(ApiTest, TheOpenApiDocumentIsServedExactlyAsInDocs) {
  std::ifstream in(std::string(CASELEDGER_SOURCE_DIR) + "/docs/openapi.json", std::ios::binary);
  std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

  ClientResponse served = Get("/api/v1/openapi.json");

  ASSERT_FALSE(file.empty());
  EXPECT_EQ(served.status, 200);
  EXPECT_EQ(served.Header("Content-Type"), "application/json");
  EXPECT_TRUE(served.body == file) << "the binary embeds another docs/openapi.json";
}

TEST_F(ApiTest, HealthAndMetricsAnswer) {
  EXPECT_EQ(Get("/healthz").status, 200);
  ClientResponse metrics = Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("caseledger_"), std::string::npos);
}

// More people share a date of birth than the intake reads per index term (200): the same name
// with the same date of birth is still proposed, however late it sorts among them.
TEST_F(ApiTest, ThePersonIsProposedHoweverManyShareTheirDateOfBirth) {
  auto record = [&](const std::string& given, const std::string& family) {
    ClientResponse r = Post("/api/v1/people", R"({"names":[{"given":")" + given +
                                                  R"(","family":")" + family +
                                                  R"("}],"date_of_birth":"1971-03-04"})");
    EXPECT_EQ(r.status, 201) << r.body;
    return r;
  };
  for (int i = 0; i < 210; ++i) {
    std::string family = "Q";
    for (int n = i; n > 0 || family.size() == 1; n /= 26) family.push_back(static_cast<char>('a' + n % 26));
    record("Someone", family);
  }
  std::string first(record("Morgan", "Rivera").Json().at("id").as_string());

  ClientResponse again = record("Morgan", "Rivera");
  bool proposed = false;
  json::value answer = again.Json();
  for (const auto& match : answer.at("proposed_matches").as_array()) {
    proposed = proposed || match.at("record_id") == first.c_str();
  }
  EXPECT_TRUE(proposed) << again.body;
}

// Recording an address or a vehicle proposes the one already recorded: the same UPRN or
// normalised text, the same normalised registration.
TEST_F(ApiTest, RecordingAnAddressOrAVehicleAgainProposesTheFirst) {
  auto proposed = [](const ClientResponse& r, const std::string& id) {
    json::value answer = r.Json();
    for (const auto& match : answer.at("proposed_matches").as_array()) {
      if (match.at("record_id") == id.c_str()) return true;
    }
    return false;
  };
  ClientResponse vehicle = Post("/api/v1/vehicles", R"({"registration":"AB12 CDE"})");
  ASSERT_EQ(vehicle.status, 201) << vehicle.body;
  std::string vehicle_id(vehicle.Json().at("id").as_string());
  ClientResponse same_vehicle = Post("/api/v1/vehicles", R"({"registration":"ab12cde"})");
  ASSERT_EQ(same_vehicle.status, 201) << same_vehicle.body;
  EXPECT_TRUE(proposed(same_vehicle, vehicle_id)) << same_vehicle.body;
  ClientResponse other_vehicle = Post("/api/v1/vehicles", R"({"registration":"XY99 ZZZ"})");
  EXPECT_FALSE(proposed(other_vehicle, vehicle_id)) << other_vehicle.body;

  ClientResponse address =
      Post("/api/v1/addresses", R"({"uprn":"100030999001","text":"7 Proposal Road, Leicester"})");
  ASSERT_EQ(address.status, 201) << address.body;
  std::string address_id(address.Json().at("id").as_string());
  ClientResponse same_uprn = Post("/api/v1/addresses", R"({"uprn":"100030999001","text":"Flat 7"})");
  EXPECT_TRUE(proposed(same_uprn, address_id)) << same_uprn.body;
  ClientResponse same_text = Post("/api/v1/addresses", R"({"text":"7, proposal road  LEICESTER"})");
  EXPECT_TRUE(proposed(same_text, address_id)) << same_text.body;
}

}  // namespace
}  // namespace caseledger
