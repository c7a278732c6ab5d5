// The HTTP/1.1 server of the caseledger binary (Boost.Beast over Boost.Asio, C++20 coroutines).
//
// Every request takes one path: parse (400/413/431 and close on bad input) → route (404/405) →
// rate limit (429) → Authorizer::Authenticate → Authorizer::Authorize → handler → Responder →
// write. Each response carries X-Request-Id and is counted in
// caseledger_http_requests_total{route,method,status} and
// caseledger_http_request_duration_seconds{route,method}.
//
// Threads: `threads` io threads, each running its own event loop; a connection lives on one of
// them for its whole life, so per-request work takes no lock shared between threads.
//
// Lifecycle: construct → Start() (binds; port() is then the bound port) → Stop() (stops
// accepting, closes idle connections, lets in-flight requests finish for up to
// shutdown_timeout, then closes the rest and joins the threads). The destructor calls Stop().
// Stop() must not be called from a handler or an io thread.
//
// Thread safety: Start and Stop from one controlling thread; port() from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/http/authorizer.h"
#include "app/http/metrics.h"
#include "app/http/rate_limiter.h"
#include "app/http/router.h"
#include "ledger/result.h"

namespace caseledger::app::http {

// When given, the server speaks HTTPS only (TLS 1.2 or later).
struct TlsOptions {
  std::string cert_chain_file{};   // PEM: the certificate, then intermediates
  std::string private_key_file{};  // PEM
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port; see HttpServer::port()
  int threads = 2;
  std::size_t max_body_bytes = 1 << 20;     // larger → 413
  std::size_t max_header_bytes = 16 << 10;  // larger → 431
  std::size_t max_connections = 10'000;     // more are accepted and closed at once
  // Time to receive a whole request once its first byte arrived (and a TLS handshake).
  std::chrono::milliseconds read_timeout{15'000};
  // Time a keep-alive connection may wait for its next request.
  std::chrono::milliseconds idle_timeout{60'000};
  // Time a handler has to call its Responder before the client gets a 504.
  std::chrono::milliseconds handler_timeout{30'000};
  // Time Stop() lets in-flight requests finish.
  std::chrono::milliseconds shutdown_timeout{10'000};
  std::optional<TlsOptions> tls;
  RateLimitOptions rate_limit{};  // per client IP address
  // Server-side problems (accept failures, handler exceptions). Never given request content.
  // Default: one line on stderr.
  std::function<void(std::string_view)> log;
};

class HttpServer {
 public:
  // `authorizer` and `metrics` must outlive the server. `router` is frozen from here on.
  HttpServer(ServerOptions options, Router router, Authorizer& authorizer,
             MetricsRegistry& metrics);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the io threads.
  // Errors: kInvalidArgument (field "host", "threads", "tls.cert_chain_file",
  // "tls.private_key_file"; or already started), kUnavailable (cannot bind or listen).
  ledger::Result<void> Start();

  // Graceful shutdown as described above. Idempotent.
  void Stop();

  // The bound port once Start() succeeded, else 0.
  std::uint16_t port() const;

  const Router& router() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace caseledger::app::http
