#include "http/sessions.h"

#include <boost/asio/co_spawn.hpp>
#include <exception>

#include "http/session_impl.h"

namespace caseledger::app::http::internal {

template class Session<TcpStream>;
template class Session<TlsStream>;

namespace {

template <class Stream>
void Spawn(ServerCore& core, IoThread& io, std::shared_ptr<Session<Stream>> session) {
  asio::co_spawn(io.ioc, RunSession(std::move(session)), [&core](std::exception_ptr error) {
    if (error) core.Log("an HTTP connection ended with an unexpected exception");
  });
}

}  // namespace

void StartPlainSession(ServerCore& core, IoThread& io, Socket socket, std::string remote) {
  Spawn(core, io,
        std::make_shared<Session<TcpStream>>(core, io, TcpStream(std::move(socket)),
                                             std::move(remote)));
}

void StartTlsSession(ServerCore& core, IoThread& io, asio::ssl::context& tls, Socket socket,
                     std::string remote) {
  Spawn(core, io,
        std::make_shared<Session<TlsStream>>(core, io, TlsStream(std::move(socket), tls),
                                             std::move(remote)));
}

}  // namespace caseledger::app::http::internal
