// Crash test: a `caseledger serve` process is killed with SIGKILL at random moments, many times,
// while several clients write over HTTP. Each client retries a command whose outcome it did not
// see with the same idempotency key until it is answered. Afterwards every acknowledged write is
// in the log exactly once, every command issued is in the log exactly once, `caseledger verify`
// passes, and the projections equal a rebuild from the log.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "app/node.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace caseledger {
namespace {

using app::http::testing::ClientRequest;
using app::http::testing::ClientResponse;
using app::http::testing::TestClient;
using testing::ServerProcess;
using testing::TempDir;

constexpr int kClients = 4;
constexpr int kCrashes = 25;

struct Ack {
  std::string key;
  std::string record_id;
  std::uint64_t version = 0;
};

class CrashHistory {
 public:
  void Issued(const std::string& key) {
    std::lock_guard lock(mu_);
    issued_.insert(key);
  }
  void Acknowledged(Ack ack) {
    std::lock_guard lock(mu_);
    acks_.push_back(std::move(ack));
  }
  std::set<std::string> issued() const {
    std::lock_guard lock(mu_);
    return issued_;
  }
  std::vector<Ack> acks() const {
    std::lock_guard lock(mu_);
    return acks_;
  }

 private:
  mutable std::mutex mu_;
  std::set<std::string> issued_;
  std::vector<Ack> acks_;
};

std::string IncidentBody(int client, int n) {
  return R"({"occurred_at":"2026-11-01T10:00:00Z","channel":"phone","category":"nuisance",)"
         R"("location":{"text":"Client )" +
         std::to_string(client) + R"( street"},"description":"Noise report )" +
         std::to_string(n) + R"("})";
}

// Sends `request` until the server answers it (it may be down, or killed mid-request): the
// idempotency key makes every attempt after the first a no-op or the first attempt's answer.
ClientResponse SendUntilAnswered(ServerProcess& server, const ClientRequest& request,
                                 const std::atomic<bool>& abandon) {
  for (;;) {
    TestClient client(server.port(), {.timeout = std::chrono::milliseconds(5000)});
    ClientResponse response = client.Send(request);
    if (response.status != 0 && response.status < 500) return response;
    if (abandon) return response;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void RunClient(int id, ServerProcess& server, CrashHistory& history, std::atomic<bool>& stop,
               std::atomic<bool>& abandon) {
  std::string last_incident;
  for (int n = 0; !stop; ++n) {
    ClientRequest request;
    request.method = "POST";
    request.headers = {{"Content-Type", "application/json"}};
    std::string key = "client" + std::to_string(id) + "-" + std::to_string(n);
    request.headers.emplace_back("Idempotency-Key", key);
    bool note = !last_incident.empty() && n % 3 == 2;
    if (note) {
      request.target = "/api/v1/incidents/" + last_incident + "/notes";
      request.body = R"({"text":"follow-up )" + key + R"("})";
    } else {
      request.target = "/api/v1/incidents";
      request.body = IncidentBody(id, n);
    }
    history.Issued(key);
    ClientResponse response = SendUntilAnswered(server, request, abandon);
    if (response.status == 0) return;  // abandoned at shutdown: outcome unknown
    ASSERT_TRUE(response.status == 200 || response.status == 201)
        << response.status << " " << response.body;
    auto json = response.Json().as_object();
    Ack ack{key, std::string(json.at("id").as_string()),
            static_cast<std::uint64_t>(json.at("version").as_int64())};
    if (!note) last_incident = ack.record_id;
    history.Acknowledged(std::move(ack));
  }
}

struct LogCensus {
  std::map<std::string, int> events_per_key;               // idempotency key -> events
  std::map<std::pair<std::string, std::uint64_t>, int> versions;  // (stream, version) -> events
  std::uint64_t events = 0;
};

LogCensus CountLog(ledger::EventLog& log) {
  LogCensus census;
  auto reader = log.OpenReader(0, 0);
  EXPECT_TRUE(reader);
  std::vector<ledger::RecordedEvent> events;
  for (;;) {
    events.clear();
    auto n = reader.value()->Read(events, 4096, std::chrono::milliseconds(0));
    EXPECT_TRUE(n);
    if (!n || n.value() == 0) break;
    for (const auto& event : events) {
      const auto* e = event.envelope();
      ++census.events;
      if (e->idempotency_key() != nullptr) ++census.events_per_key[e->idempotency_key()->str()];
      ++census.versions[{e->stream_id()->str(), e->stream_version()}];
    }
  }
  return census;
}

TEST(CrashTest, KilledServerLosesNoAcknowledgedWriteAndDuplicatesNone) {
  TempDir dir;
  std::string data = dir.Path("data");
  ServerProcess server(CASELEDGER_BINARY, data);
  ASSERT_TRUE(server.Start());
  CrashHistory history;
  std::atomic<bool> stop{false};
  std::atomic<bool> abandon{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] { RunClient(c, server, history, stop, abandon); });
  }
  std::mt19937 random(20261126);

  for (int crash = 0; crash < kCrashes; ++crash) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + random() % 400));
    server.Kill();
    ASSERT_TRUE(server.Start()) << "restart " << crash;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;
  for (auto& t : clients) t.join();
  EXPECT_EQ(server.Stop(), 0) << server.Log();

  std::string verify_output;
  EXPECT_EQ(testing::RunCaseledger(CASELEDGER_BINARY, {"verify", "--data", data}, &verify_output), 0)
      << verify_output;
  app::NodeConfig config;
  config.data_dir = data;
  auto node = app::Node::Open(config);
  ASSERT_TRUE(node) << node.error().ToString();
  LogCensus census = CountLog(node.value()->log());
  std::vector<Ack> acks = history.acks();
  std::set<std::string> issued = history.issued();
  ASSERT_GT(acks.size(), 50u) << "too few writes to mean anything";
  std::printf("%d crashes; %zu commands issued, %zu acknowledged, %zu in the log (%llu events)\n",
              kCrashes, issued.size(), acks.size(), census.events_per_key.size(),
              static_cast<unsigned long long>(census.events));
  for (const Ack& ack : acks) {
    EXPECT_EQ(census.events_per_key[ack.key], 1) << "acknowledged command " << ack.key;
    EXPECT_EQ((census.versions[{ack.record_id, ack.version}]), 1) << ack.record_id;
  }
  for (const auto& [key, count] : census.events_per_key) {
    EXPECT_EQ(count, 1) << "command " << key << " appears " << count << " times";
    EXPECT_TRUE(issued.count(key)) << "an event nobody asked for: " << key;
  }
  EXPECT_GE(census.events_per_key.size(), acks.size());
  EXPECT_LE(census.events_per_key.size(), issued.size());

  ASSERT_TRUE(node.value()->StartRunner());
  auto end = node.value()->log().EndOffset(0);
  ASSERT_TRUE(end);
  ASSERT_TRUE(node.value()->runner().WaitFor({0, end.value()}, std::chrono::seconds(30)));
  node.value()->runner().Stop();
  auto& projections = node.value()->projections();
  auto live = projections.Dump(projections.active());
  ASSERT_TRUE(live);
  for (const Ack& ack : acks) {
    auto view = projections.GetView(ack.record_id);
    ASSERT_TRUE(view && view.value()) << ack.record_id;
  }
  ASSERT_TRUE(node.value()->runner().Rebuild());
  auto rebuilt = projections.Dump(projections.active());
  ASSERT_TRUE(rebuilt);
  EXPECT_TRUE(live.value() == rebuilt.value()) << "projections differ from a rebuild";
}

}  // namespace
}  // namespace caseledger
