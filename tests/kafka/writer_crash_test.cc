// SIGKILL of a `caseledger serve` writing to Kafka while clients keep writing over HTTP. Every
// command's answer is recorded (acknowledged, refused, or unknown: no answer); after a restart,
// the unknown ones are retried with their Idempotency-Key. Then a fresh node reads the topics and
// checks: every acknowledged command's record is there once, at the position it was answered;
// every retried command made exactly one record; nothing in the log is a duplicate.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "support/http_client.h"
#include "support/kafka_env.h"
#include "support/result_assertions.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace caseledger {
namespace {

using app::http::testing::ClientResponse;
using app::http::testing::TestClient;
using testing::ServerProcess;

constexpr const char* kIncident =
    R"({"occurred_at":"2026-11-01T10:00:00Z","channel":"phone","category":"nuisance",)"
    R"("location":{"uprn":"100030000001","text":"1 Test Street"},"description":"Loud music"})";

struct Answer {
  int status = 0;  // 0: no answer (outcome unknown)
  std::string id;
  std::string position;
};

Answer Report(std::uint16_t port, const std::string& key) {
  TestClient client(port, {.timeout = std::chrono::milliseconds(40'000)});
  ClientResponse r = client.Send({.method = "POST",
                                  .target = "/api/v1/incidents",
                                  .body = kIncident,
                                  .headers = {{"Content-Type", "application/json"},
                                              {"Idempotency-Key", key}}});
  Answer answer{r.status, "", ""};
  if (r.status == 201) {
    answer.id = std::string(r.Json().at("id").as_string());
    answer.position = std::string(r.Json().at("position").as_string());
  }
  return answer;
}

TEST(WriterCrashTest, KillingTheWriterLosesNoAcknowledgedCommandAndDuplicatesNone) {
  testing::TempDir dir;
  std::string bootstrap = testing::TestKafkaBootstrap();
  ASSERT_FALSE(bootstrap.empty());
  std::string prefix = testing::UniqueTopicPrefix();
  {
    std::ofstream key(dir.Path("master.key"));
    key << std::string(64, 'b') << "\n";
  }
  ServerProcess server(CASELEDGER_BINARY, dir.Path("node"),
                       {"--log", "kafka://" + bootstrap, "--kafka-topic-prefix", prefix,
                        "--kafka-partitions", "4", "--master-key-file", dir.Path("master.key")});
  ASSERT_TRUE(server.Start()) << server.Log();

  std::mutex mu;
  std::map<std::string, Answer> history;  // idempotency key -> answer
  std::atomic<bool> stop{false};
  std::atomic<std::uint16_t> port{server.port()};
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&, c] {
      for (int n = 0; !stop.load(); ++n) {
        std::string key = "crash-" + std::to_string(c) + "-" + std::to_string(n);
        Answer answer = Report(port.load(), key);
        std::lock_guard lock(mu);
        history[key] = answer;
        if (answer.status == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(3));
  server.Kill();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;
  for (auto& t : clients) t.join();

  ASSERT_TRUE(server.Start()) << server.Log();
  std::size_t acknowledged = 0, unknown = 0;
  for (auto& [key, answer] : history) {
    if (answer.status == 201) {
      ++acknowledged;
      continue;
    }
    ASSERT_EQ(answer.status, 0) << key << " was refused with " << answer.status;
    ++unknown;
    Answer retried = Report(server.port(), key);
    ASSERT_EQ(retried.status, 201) << key;
    answer = retried;
  }
  ASSERT_GT(acknowledged, 10u) << "the writer was killed before it acknowledged anything";
  ASSERT_GT(unknown, 0u) << "the kill met no command in flight";

  // A fresh node reads everything the cluster holds.
  auto options = testing::TestKafkaOptions(4);
  options.topic_prefix = prefix;
  options.read_only = true;
  auto reader = testing::KafkaTestNode::Open(dir.Path("reader"), options);
  ASSERT_NE(reader, nullptr);
  ASSERT_OK(reader->log().CatchUp(std::chrono::seconds(30)));
  std::set<std::string> streams;
  std::size_t events = 0;
  for (std::uint32_t p = 0; p < 4; ++p) {
    ASSERT_OK_AND_ASSIGN(auto cursor, reader->log().OpenReader(p, 0));
    std::vector<ledger::RecordedEvent> batch;
    for (;;) {
      batch.clear();
      ASSERT_OK_AND_ASSIGN(auto n, cursor->Read(batch, 10'000, std::chrono::milliseconds(0)));
      if (n == 0) break;
      for (const auto& e : batch) {
        ++events;
        EXPECT_EQ(e.envelope()->stream_version(), 1u) << "an incident was reported twice";
        streams.insert(std::string(e.envelope()->stream_id()->string_view()));
      }
    }
  }
  EXPECT_EQ(reader->log().stats().duplicates_dropped, 0u);
  EXPECT_EQ(events, streams.size());
  EXPECT_EQ(streams.size(), history.size())
      << "every command, acknowledged or retried, made exactly one record";
  for (const auto& [key, answer] : history) {
    ASSERT_OK_AND_ASSIGN(auto head, reader->log().Head(answer.id));
    EXPECT_EQ(head.version, 1u) << key;
    EXPECT_EQ(head.position.ToString(), answer.position) << key;
  }
  std::cerr << "writer crash: " << acknowledged << " acknowledged before the kill, " << unknown
            << " unknown and retried\n";
}

}  // namespace
}  // namespace caseledger
