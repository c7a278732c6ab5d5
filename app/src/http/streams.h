// Private: the stream types and completion token the server uses.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace caseledger::app::http::internal {

namespace asio = boost::asio;
namespace beast = boost::beast;

using Executor = asio::io_context::executor_type;
using Socket = asio::basic_stream_socket<asio::ip::tcp, Executor>;
using TcpStream = beast::basic_stream<asio::ip::tcp, Executor, beast::unlimited_rate_policy>;
using TlsStream = beast::ssl_stream<TcpStream>;
using Timer = asio::basic_waitable_timer<std::chrono::steady_clock,
                                         asio::wait_traits<std::chrono::steady_clock>, Executor>;

// Errors come back as values: no exception per timeout or reset connection.
inline constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

}  // namespace caseledger::app::http::internal
