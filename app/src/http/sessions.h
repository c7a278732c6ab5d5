// Private: starts a connection's session on its io thread.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <string>

#include "http/server_core.h"
#include "http/streams.h"

namespace caseledger::app::http::internal {

// Takes `socket` (bound to io.ioc) and serves it on io's thread until it closes.
void StartPlainSession(ServerCore& core, IoThread& io, Socket socket, std::string remote);
void StartTlsSession(ServerCore& core, IoThread& io, asio::ssl::context& tls, Socket socket,
                     std::string remote);

}  // namespace caseledger::app::http::internal
