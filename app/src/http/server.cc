// HttpServer: binding, the io threads, the accept loop and graceful shutdown. Connections are
// served by Session (session.h); requests are routed and admitted by Dispatch (dispatch.h).
#include "app/http/server.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <cstdlib>
#include <thread>
#include <vector>

#include "http/server_core.h"
#include "http/session_base.h"
#include "http/sessions.h"
#include "http/streams.h"
#include "http/tls_context.h"

namespace caseledger::app::http {

using internal::IoThread;
using internal::kUseTuple;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct HttpServer::Impl {
  Impl(ServerOptions options, Router router, Authorizer& authorizer, MetricsRegistry& metrics)
      : core(std::make_unique<internal::ServerCore>(std::move(options), std::move(router),
                                                    authorizer, metrics)) {}

  ledger::Result<void> Start();
  ledger::Result<tcp::endpoint> ResolveEndpoint();
  asio::awaitable<void> AcceptLoop();
  void Stop();
  // Waits until no connection is left or `deadline` passes; true if none is left.
  bool WaitForSessions(std::chrono::steady_clock::time_point deadline) const;
  bool OnIoThread() const;

  // Declaration order is destruction order reversed: the acceptor goes first, then the io
  // threads (and every session their io_context still owns), then what sessions use.
  std::unique_ptr<internal::ServerCore> core;
  std::unique_ptr<asio::ssl::context> tls;
  std::vector<std::unique_ptr<IoThread>> threads;
  std::optional<asio::basic_socket_acceptor<tcp, internal::Executor>> acceptor;
  std::atomic<std::uint16_t> port{0};
  std::size_t next_thread = 0;  // accept loop only
  bool started = false;
  bool stopped = false;
};

ledger::Result<tcp::endpoint> HttpServer::Impl::ResolveEndpoint() {
  const ServerOptions& options = core->options;
  boost::system::error_code ec;
  asio::ip::address address = asio::ip::make_address(options.host, ec);
  if (ec) {
    asio::io_context resolver_context;
    tcp::resolver resolver(resolver_context);
    auto results = resolver.resolve(options.host, "", ec);
    if (ec || results.empty()) {
      return ledger::InvalidField("host", "must be an IP address or a resolvable host name");
    }
    address = results.begin()->endpoint().address();
  }
  return tcp::endpoint(address, options.port);
}

ledger::Result<void> HttpServer::Impl::Start() {
  const ServerOptions& options = core->options;
  if (started) return ledger::InvalidField("server", "must not be started twice");
  if (options.threads < 1 || options.threads > 256) {
    return ledger::InvalidField("threads", "must be between 1 and 256");
  }
  if (options.tls && !tls) {
    BOOST_OUTCOME_TRY(tls, internal::MakeTlsContext(*options.tls));
  }
  BOOST_OUTCOME_TRY(auto endpoint, ResolveEndpoint());
  for (int i = 0; i < options.threads; ++i) threads.push_back(std::make_unique<IoThread>());

  boost::system::error_code ec;
  acceptor.emplace(threads.front()->ioc.get_executor());
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    acceptor.reset();
    threads.clear();
    return ledger::MakeError(ledger::Code::kUnavailable, "cannot listen on " + options.host + ":" +
                                                             std::to_string(options.port) + ": " +
                                                             ec.message());
  }
  port.store(acceptor->local_endpoint().port());
  started = true;

  asio::co_spawn(threads.front()->ioc, AcceptLoop(), [this](std::exception_ptr error) {
    if (error) core->Log("the accept loop ended with an unexpected exception");
  });
  for (auto& thread : threads) {
    IoThread* io = thread.get();
    io->work.emplace(io->ioc.get_executor());
    io->thread = std::thread([this, io] {
      while (true) {
        try {
          io->ioc.run();
          return;
        } catch (const std::exception&) {
          core->Log("an io thread caught an exception and continues");
        }
      }
    });
  }
  return ledger::Ok();
}

asio::awaitable<void> HttpServer::Impl::AcceptLoop() {
  while (true) {
    IoThread& target = *threads[next_thread++ % threads.size()];
    auto [ec, socket] = co_await acceptor->async_accept(target.ioc, kUseTuple);
    if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
    if (ec) {  // e.g. out of file descriptors: back off instead of spinning
      core->Log("accept failed: " + ec.message());
      internal::Timer pause(acceptor->get_executor());
      pause.expires_after(std::chrono::milliseconds(50));
      co_await pause.async_wait(kUseTuple);
      continue;
    }
    boost::system::error_code ignored;
    if (core->live_sessions.load() >= static_cast<int>(core->options.max_connections)) {
      socket.close(ignored);
      continue;
    }
    socket.set_option(tcp::no_delay(true), ignored);
    asio::ip::address address = socket.remote_endpoint(ignored).address();
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
      address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
    }
    if (tls) {
      internal::StartTlsSession(*core, target, *tls, std::move(socket), address.to_string());
    } else {
      internal::StartPlainSession(*core, target, std::move(socket), address.to_string());
    }
  }
}

bool HttpServer::Impl::WaitForSessions(std::chrono::steady_clock::time_point deadline) const {
  while (core->live_sessions.load() > 0) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

bool HttpServer::Impl::OnIoThread() const {
  for (const auto& thread : threads) {
    if (thread->ioc.get_executor().running_in_this_thread()) return true;
  }
  return false;
}

void HttpServer::Impl::Stop() {
  if (!started || stopped) return;
  if (OnIoThread()) {
    core->Log("HttpServer::Stop called from an io thread; that would deadlock");
    std::abort();
  }
  stopped = true;
  core->stopping.store(true);
  asio::post(threads.front()->ioc, [this] {
    boost::system::error_code ignored;
    acceptor->close(ignored);
  });
  auto for_each_session = [this](auto action) {
    for (auto& thread : threads) {
      asio::post(thread->ioc, [io = thread.get(), action] {
        std::vector<internal::SessionBase*> sessions(io->sessions.begin(), io->sessions.end());
        for (internal::SessionBase* session : sessions) action(*session);
      });
    }
  };
  for_each_session([](internal::SessionBase& session) { session.OnServerStop(); });
  auto now = std::chrono::steady_clock::now();
  if (!WaitForSessions(now + core->options.shutdown_timeout)) {
    core->Log("shutdown timeout: closing connections with requests still in flight");
    for_each_session([](internal::SessionBase& session) { session.ForceClose(); });
    WaitForSessions(std::chrono::steady_clock::now() + std::chrono::seconds(2));
  }
  for (auto& thread : threads) {
    {
      std::lock_guard lock(thread->gate->mu);
      thread->gate->open = false;
    }
    thread->work.reset();
    thread->ioc.stop();
  }
  for (auto& thread : threads) {
    if (thread->thread.joinable()) thread->thread.join();
  }
}

HttpServer::HttpServer(ServerOptions options, Router router, Authorizer& authorizer,
                       MetricsRegistry& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router), authorizer, metrics)) {}

HttpServer::~HttpServer() { impl_->Stop(); }

ledger::Result<void> HttpServer::Start() { return impl_->Start(); }

void HttpServer::Stop() { impl_->Stop(); }

std::uint16_t HttpServer::port() const { return impl_->port.load(); }

const Router& HttpServer::router() const { return impl_->core->router; }

}  // namespace caseledger::app::http
