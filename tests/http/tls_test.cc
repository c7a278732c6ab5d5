// HTTPS with a self-signed certificate made at run time.
#include <gtest/gtest.h>

#include <filesystem>

#include "app/http/server.h"
#include "http/self_signed_cert.h"
#include "support/http_client.h"
#include "http/test_server.h"

namespace caseledger::app::http {
namespace {

using testing::ClientResponse;
using testing::TestClient;

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cert_ = testing::MakeSelfSignedCertificate();
    ASSERT_TRUE(cert_.error.empty()) << cert_.error;
  }
  void TearDown() override {
    if (!cert_.directory.empty()) std::filesystem::remove_all(cert_.directory);
  }

  ServerOptions TlsOptionsForTest() const {
    ServerOptions options = testing::QuickOptions();
    options.tls = TlsOptions{cert_.cert_file, cert_.key_file};
    return options;
  }

  static Router HelloRouter() {
    Router router;
    testing::MustAdd(router, Method::kGet, "/hello", Policy{.action = "hello.read"},
                     [](RequestContext, Responder respond) { respond(TextResponse(200, "hi")); });
    return router;
  }

  testing::CertificateFiles cert_;
};

TEST_F(TlsTest, ServesHttpsToAClientThatVerifiesTheCertificate) {
  testing::ServerHarness harness(HelloRouter(), TlsOptionsForTest());
  TestClient client(harness.port(), {.tls = true, .ca_file = cert_.cert_file});

  ClientResponse first = client.Send({.target = "/hello"});
  ClientResponse second = client.Send({.target = "/hello"});

  EXPECT_EQ(first.status, 200) << first.error;
  EXPECT_EQ(first.body, "hi");
  EXPECT_EQ(second.status, 200) << "keep-alive over TLS: " << second.error;
}

TEST_F(TlsTest, PlainHttpOnTheTlsPortGetsNoHttpAnswer) {
  testing::ServerHarness harness(HelloRouter(), TlsOptionsForTest());
  TestClient plain(harness.port(), {.timeout = std::chrono::seconds(3)});

  ClientResponse response = plain.Send({.target = "/hello"});

  EXPECT_EQ(response.status, 0);
  EXPECT_EQ(testing::Fetch(harness.port(), {.target = "/hello"},
                           {.tls = true, .ca_file = cert_.cert_file})
                .status,
            200)
      << "the server survives";
}

TEST_F(TlsTest, ClientsLimitedToTls11AreRefused) {
  testing::ServerHarness harness(HelloRouter(), TlsOptionsForTest());
  TestClient old_client(harness.port(), {.tls = true, .tls_max_1_1 = true});

  EXPECT_FALSE(old_client.Connect());
}

TEST_F(TlsTest, StartFailsWhenTheCertificateIsMissing) {
  ServerOptions options = TlsOptionsForTest();
  options.tls->cert_chain_file = cert_.directory + "/missing.pem";
  MetricsRegistry metrics;
  DevAuthorizer authorizer;
  HttpServer server(options, HelloRouter(), authorizer, metrics);

  ledger::Result<void> started = server.Start();

  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().field, "tls.cert_chain_file");
}

TEST_F(TlsTest, StartFailsWhenTheKeyDoesNotMatch) {
  testing::CertificateFiles other = testing::MakeSelfSignedCertificate();
  ASSERT_TRUE(other.error.empty());
  ServerOptions options = TlsOptionsForTest();
  options.tls->private_key_file = other.key_file;
  MetricsRegistry metrics;
  DevAuthorizer authorizer;
  HttpServer server(options, HelloRouter(), authorizer, metrics);

  ledger::Result<void> started = server.Start();
  std::filesystem::remove_all(other.directory);

  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().field, "tls.private_key_file");
}

}  // namespace
}  // namespace caseledger::app::http
