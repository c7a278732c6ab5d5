// Private to the HTTP layer: the state the accept loop, the sessions and the dispatcher share.
//
// Threading model: one io_context per io thread (IoThread). A connection is bound to one
// IoThread for its whole life; everything in IoThread except `gate` and `ioc` is touched only
// from that thread, so the request path takes no lock shared across threads.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_set>

#include "app/http/rate_limiter.h"
#include "app/http/router.h"
#include "app/http/server.h"
#include "http/http_metrics.h"

namespace caseledger::app::http::internal {

namespace asio = boost::asio;

class SessionBase;

// Lets other threads post responses only while the io_context is alive. Closed (under `mu`)
// before the io_context stops; a closed gate drops deliveries.
struct Gate {
  std::mutex mu;
  bool open = true;
};

struct IoThread {
  // Members are destroyed bottom-up: `ioc` (and the sessions its pending handlers own) goes
  // before the registry and the caches those sessions still touch.
  std::unordered_set<SessionBase*> sessions;
  HttpMetrics::Cache metrics_cache;
  std::shared_ptr<Gate> gate = std::make_shared<Gate>();
  asio::io_context ioc{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::thread thread;
};

struct ServerCore {
  ServerCore(ServerOptions options_in, Router router_in, Authorizer& authorizer_in,
             MetricsRegistry& registry);

  void Log(std::string_view line) const;

  const ServerOptions options;
  const Router router;
  Authorizer& authorizer;
  RateLimiter rate_limiter;
  HttpMetrics metrics;
  std::atomic<int> live_sessions{0};
  std::atomic<bool> stopping{false};
};

}  // namespace caseledger::app::http::internal
