// Two `caseledger serve` processes on one Kafka cluster, over HTTP on loopback: each writes its
// own partitions, both build every read model, and a write through either is readable through
// the other once the other reached the position the write answered.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fstream>
#include <string>

#include "support/http_client.h"
#include "support/kafka_env.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace caseledger {
namespace {

namespace json = boost::json;
using app::http::testing::ClientResponse;
using app::http::testing::TestClient;
using testing::ServerProcess;

std::string Incident(int n) {
  return R"({"occurred_at":"2026-11-01T10:00:00Z","channel":"phone","category":"nuisance",)"
         R"("location":{"uprn":"10003000)" + std::to_string(1000 + n) +
         R"(","text":"1 Test Street"},"description":"Loud music )" + std::to_string(n) + R"("})";
}

ClientResponse Post(std::uint16_t port, const std::string& target, const std::string& body,
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
  headers.emplace_back("Content-Type", "application/json");
  TestClient client(port, {.timeout = std::chrono::milliseconds(40'000)});
  return client.Send({.method = "POST", .target = target, .body = body, .headers = headers});
}

ClientResponse Get(std::uint16_t port, const std::string& target) {
  TestClient client(port, {.timeout = std::chrono::milliseconds(40'000)});
  return client.Send({.target = target});
}

class ScaleOutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string bootstrap = testing::TestKafkaBootstrap();
    ASSERT_FALSE(bootstrap.empty());
    std::string prefix = testing::UniqueTopicPrefix();
    auto args = [&](const std::string& owned) {
      return std::vector<std::string>{"--log", "kafka://" + bootstrap, "--kafka-topic-prefix",
                                      prefix, "--kafka-partitions", "4", "--kafka-owned", owned,
                                      "--master-key-file", dir_.Path("master.key")};
    };
    // Both nodes must open each other's personal data: one master key for the cluster.
    {
      std::ofstream key(dir_.Path("master.key"));
      key << std::string(64, 'a') << "\n";
    }
    a_ = std::make_unique<ServerProcess>(CASELEDGER_BINARY, dir_.Path("a"), args("0-1"));
    b_ = std::make_unique<ServerProcess>(CASELEDGER_BINARY, dir_.Path("b"), args("2-3"));
    ASSERT_TRUE(a_->Start()) << a_->Log();
    ASSERT_TRUE(b_->Start()) << b_->Log();
  }

  testing::TempDir dir_;
  std::unique_ptr<ServerProcess> a_, b_;
};

TEST_F(ScaleOutTest, AWriteThroughEitherNodeIsReadableThroughTheOther) {
  for (int n = 0; n < 6; ++n) {
    ServerProcess& writer = n % 2 == 0 ? *a_ : *b_;
    ServerProcess& reader = n % 2 == 0 ? *b_ : *a_;
    ClientResponse written = Post(writer.port(), "/api/v1/incidents", Incident(n),
                                  {{"Idempotency-Key", "scale-" + std::to_string(n)}});
    ASSERT_EQ(written.status, 201) << written.body << "\n" << writer.Log();
    std::string id(written.Json().at("id").as_string());
    std::string position(written.Json().at("position").as_string());
    ClientResponse read =
        Get(reader.port(), "/api/v1/incidents/" + id + "?min_position=" + position);
    ASSERT_EQ(read.status, 200) << read.body;
    EXPECT_EQ(read.Json().at("description").as_string(), "Loud music " + std::to_string(n))
        << "the reading node opened the personal data the writing node sealed";
  }
}

TEST_F(ScaleOutTest, ACommandForARecordAnotherNodeWritesNamesThatNode) {
  ClientResponse written = Post(a_->port(), "/api/v1/incidents", Incident(1));
  ASSERT_EQ(written.status, 201) << written.body;
  std::string id(written.Json().at("id").as_string());
  std::string position(written.Json().at("position").as_string());
  ASSERT_EQ(Get(b_->port(), "/api/v1/incidents/" + id + "?min_position=" + position).status, 200);

  ClientResponse misdirected =
      Post(b_->port(), "/api/v1/incidents/" + id + "/notes", R"({"text":"visited"})");
  EXPECT_EQ(misdirected.status, 421) << misdirected.body;
  EXPECT_EQ(misdirected.Json().at("error").at("code").as_string(), "wrong_node");
  ClientResponse owner = Post(a_->port(), "/api/v1/incidents/" + id + "/notes", R"({"text":"visited"})");
  EXPECT_EQ(owner.status, 200) << owner.body;
}

}  // namespace
}  // namespace caseledger
