#include <csignal>
#include <iostream>

#include "api/server_routes.h"
#include "app/http/authorizer.h"
#include "app/http/server.h"
#include "app/identity.h"
#include "app/identity/bootstrap.h"
#include "app/node.h"
#include "cli_commands.h"
#include "cli_options.h"

namespace caseledger::app {
namespace {

// "HOST:PORT" or "[V6]:PORT".
bool SplitListen(const std::string& listen, std::string& host, std::uint16_t& port) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = listen.substr(0, colon);
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  try {
    int p = std::stoi(listen.substr(colon + 1));
    if (p < 0 || p > 65535) return false;
    port = static_cast<std::uint16_t>(p);
  } catch (...) {
    return false;
  }
  return true;
}

void PrintDemoUsers(const std::vector<identity::DemoUser>& users) {
  std::cout << "caseledger demo partnership: sign in with POST /api/v1/sessions "
               "{\"username\": ..., \"password\": ...} as one of\n";
  for (const auto& u : users) {
    std::cout << "demo user: role=" << u.role << " username=" << u.username
              << " password=" << u.password << " organisation=\"" << u.organisation << "\"\n";
  }
  std::cout.flush();
}

int WaitForSignal() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  int received = 0;
  sigwait(&signals, &received);
  return received;
}

}  // namespace

int RunServe(const std::vector<std::string>& args) {
  NodeConfig config;
  std::string listen;
  int threads = 2;
  std::size_t max_body_kb = 1024;
  std::string tls_cert, tls_key;
  double rate = 0;
  std::uint32_t read_wait_ms = 5000;
  std::uint32_t repeat_window_days = 90;
  std::uint32_t repeat_threshold = 3;
  LogFlags log_flags;
  bool demo = false;
  bool insecure_dev_identity = false;
  std::string session_ttl = "8h";
  po::options_description options("caseledger serve");
  AddDataOption(options, config.data_dir);
  AddLogOptions(options, log_flags);
  options.add_options()
      ("listen", po::value<std::string>(&listen)->default_value("127.0.0.1:8080"),
       "address and port to serve HTTP on (HOST:PORT)")
      ("master-key-file", po::value<std::string>(&config.master_key_file),
       "master key wrapping personal-data keys (default: <data>/master.key, created if missing)")
      ("threads", po::value<int>(&threads)->default_value(2), "HTTP io threads")
      ("max-body-kb", po::value<std::size_t>(&max_body_kb)->default_value(1024),
       "largest request body accepted, in KiB (larger: 413)")
      ("rate-limit", po::value<double>(&rate)->default_value(0),
       "requests per second allowed per client address (0: no limit)")
      ("read-wait-ms", po::value<std::uint32_t>(&read_wait_ms)->default_value(5000),
       "longest a read waits for ?min_position before answering 503")
      ("repeat-window-days", po::value<std::uint32_t>(&repeat_window_days)->default_value(90),
       "rolling window of the repeat victim/location/perpetrator flags at intake")
      ("repeat-threshold", po::value<std::uint32_t>(&repeat_threshold)->default_value(3),
       "incidents within the window that make a repeat")
      ("block-cache-mb", po::value<std::size_t>(&config.block_cache_mb)->default_value(256),
       "RocksDB block cache size in MiB")
      ("tls-cert", po::value<std::string>(&tls_cert), "PEM certificate chain: serve HTTPS only")
      ("tls-key", po::value<std::string>(&tls_key), "PEM private key for --tls-cert")
      ("demo", po::bool_switch(&demo),
       "create the demo partnership once (docs/identity.md) and print its users' credentials")
      ("session-ttl", po::value<std::string>(&session_ttl)->default_value("8h"),
       "how long a login session lasts (e.g. 30m, 8h, 1d)")
      ("insecure-dev-identity", po::bool_switch(&insecure_dev_identity),
       "DEVELOPMENT ONLY: no login; every request acts as dev-user with every permission");
  po::variables_map vm;
  int exit_code = 0;
  if (!ParseOptions("serve", "[--data DIR] [--listen HOST:PORT] [options]", options, nullptr,
                    args, vm, exit_code)) {
    return exit_code;
  }
  auto kafka = KafkaOptionsFrom(log_flags);
  if (!kafka) {
    std::cerr << "caseledger serve: " << kafka.error().ToString() << "\n";
    return 2;
  }
  config.kafka = std::move(kafka).value();
  http::ServerOptions server_options;
  if (!SplitListen(listen, server_options.host, server_options.port)) {
    std::cerr << "caseledger serve: --listen must be HOST:PORT, e.g. 127.0.0.1:8080\n";
    return 2;
  }
  if (tls_cert.empty() != tls_key.empty()) {
    std::cerr << "caseledger serve: --tls-cert and --tls-key go together\n";
    return 2;
  }
  if (!tls_cert.empty()) server_options.tls = http::TlsOptions{tls_cert, tls_key};
  server_options.threads = threads;
  server_options.max_body_bytes = max_body_kb << 10;
  server_options.rate_limit.requests_per_second = rate;
  IdentityOptions identity_options;
  if (auto ttl = ParseDuration(session_ttl); ttl && *ttl > 0) {
    identity_options.session_ttl = *ttl;
  } else {
    std::cerr << "caseledger serve: --session-ttl must be a duration such as 30m, 8h or 1d\n";
    return 2;
  }

  // Block the stop signals before any thread starts, so only sigwait sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  http::MetricsRegistry metrics;
  config.metrics = &metrics;
  config.rebuild_progress = [](std::uint64_t done, std::uint64_t total) {
    if (done == total) std::cerr << "caseledger: rebuilt projections (" << done << " events)\n";
  };
  auto node = Node::Open(config);
  if (!node) {
    std::cerr << "caseledger serve: " << node.error().ToString() << "\n";
    return 1;
  }
  if (auto ok = node.value()->StartRunner(); !ok) {
    std::cerr << "caseledger serve: " << ok.error().ToString() << "\n";
    return 1;
  }
  if (demo) {
    auto users = identity::EnsureDemoPartnership(*node.value(), identity_options.password);
    if (!users) {
      std::cerr << "caseledger serve: demo: " << users.error().ToString() << "\n";
      return 1;
    }
    PrintDemoUsers(users.value());
  }
  auto identity = Identity::Open(*node.value(), identity_options);
  if (!identity) {
    std::cerr << "caseledger serve: " << identity.error().ToString() << "\n";
    return 1;
  }
  http::Router router;
  api::ApiOptions api_options;
  api_options.max_read_wait = std::chrono::milliseconds(read_wait_ms);
  if (repeat_window_days == 0 || repeat_window_days > 3660 || repeat_threshold == 0) {
    std::cerr << "caseledger serve: --repeat-window-days must be 1 to 3660 and "
                 "--repeat-threshold at least 1\n";
    return 2;
  }
  api_options.intake.repeat_window_days = static_cast<int>(repeat_window_days);
  api_options.intake.repeat_threshold = static_cast<int>(repeat_threshold);
  auto registered = api::RegisterServerRoutes(router, *node.value(), *identity.value(), metrics,
                                              api_options);
  if (!registered) {
    std::cerr << "caseledger serve: " << registered.error().ToString() << "\n";
    return 1;
  }
  http::DevAuthorizer dev_authorizer;
  IdentityAuthorizer identity_authorizer(*identity.value());
  http::Authorizer& sign_in =
      insecure_dev_identity ? static_cast<http::Authorizer&>(dev_authorizer) : identity_authorizer;
  // The one authorisation path: sign-in and roles, then justification and record access.
  AccessAuthorizer authorizer(sign_in, node.value()->access(), api_options.max_read_wait);
  if (insecure_dev_identity) {
    std::cerr << "caseledger: WARNING: --insecure-dev-identity: no login; every request acts as "
                 "dev-user with every permission. Never use this with real data.\n";
  }
  http::HttpServer server(server_options, std::move(router), authorizer, metrics);
  if (auto ok = server.Start(); !ok) {
    std::cerr << "caseledger serve: " << ok.error().ToString() << "\n";
    return 1;
  }
  std::cerr << "caseledger: serving " << (server_options.tls ? "https" : "http") << "://"
            << server_options.host << ":" << server.port() << " from " << config.data_dir << " ("
            << (config.kafka ? "kafka log " + log_flags.log : std::string("embedded log"))
            << (insecure_dev_identity ? "; INSECURE development identity: every request acts as "
                                        "dev-user)\n"
                                      : "; sign in: POST /api/v1/sessions)\n");
  int signal = WaitForSignal();
  std::cerr << "caseledger: " << (signal == SIGINT ? "SIGINT" : "SIGTERM")
            << ": finishing requests in flight\n";
  server.Stop();
  return 0;
}

}  // namespace caseledger::app
