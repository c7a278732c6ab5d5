// A small blocking HTTP/1.1 client for the HTTP tests, built on Boost.Beast. Every call has a
// deadline, so a misbehaving server fails a test instead of hanging it.
//
// Example:
//   TestClient client(server.port());
//   ClientResponse response = client.Send({.method = "GET", .target = "/healthz"});
//   EXPECT_EQ(response.status, 200);
//
// Thread safety: one TestClient per thread.
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace caseledger::app::http::testing {

struct ClientRequest {
  std::string method = "GET";
  std::string target = "/";
  std::string body{};
  std::vector<std::pair<std::string, std::string>> headers{};
  bool keep_alive = true;
};

struct ClientResponse {
  int status = 0;  // 0: no response; `error` says why
  std::string error{};
  std::string body{};
  std::vector<std::pair<std::string, std::string>> headers{};
  bool keep_alive = false;

  // Case-insensitive; "" if absent.
  std::string Header(std::string_view name) const;
  // The body parsed as JSON; null if it is not JSON.
  boost::json::value Json() const;
};

struct ClientOptions {
  std::chrono::milliseconds timeout{10'000};
  bool tls = false;
  std::string ca_file{};     // TLS: trust this PEM certificate and verify the server
  bool tls_max_1_1 = false;  // TLS: offer nothing newer than TLS 1.1 (to test refusal)
};

class TestClient {
 public:
  explicit TestClient(std::uint16_t port, ClientOptions options = {});
  ~TestClient();
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  // Connects (and handshakes) if not connected. False on failure; error() says why.
  bool Connect();
  // Sends one request on the connection (connecting first if needed) and reads its response.
  ClientResponse Send(const ClientRequest& request);
  // Writes bytes as they are; false on failure.
  bool WriteRaw(std::string_view bytes);
  // Reads one response after WriteRaw.
  ClientResponse ReadResponse();
  // Reads until the server closes the connection or the deadline passes; true if it closed.
  bool ReadUntilClosed(std::string* received = nullptr);

  const std::string& error() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One request on a fresh connection.
ClientResponse Fetch(std::uint16_t port, const ClientRequest& request, ClientOptions options = {});

}  // namespace caseledger::app::http::testing
