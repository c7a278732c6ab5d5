// Private: the member definitions of Session<Stream>. Included by sessions.cc only, which
// instantiates them for TcpStream and TlsStream.
#pragma once

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "http/dispatch.h"
#include "http/request_builder.h"
#include "http/request_id.h"
#include "http/session.h"
#include "http/wire_response.h"

namespace caseledger::app::http::internal {

inline constexpr std::size_t kReadChunk = 8192;
inline constexpr std::chrono::seconds kLingerTime{1};
inline constexpr std::size_t kLingerBytes = 16 << 20;

template <class Stream>
asio::awaitable<void> Session<Stream>::Run() {
  Register();
  bool linger = false;
  if constexpr (kTls) {
    Tcp().expires_after(core_.options.read_timeout);
    auto [ec] = co_await stream_.async_handshake(asio::ssl::stream_base::server, kUseTuple);
    if (ec) force_closed_ = true;  // nothing to say to a peer that cannot do TLS
  }
  while (!force_closed_) {
    Next next = co_await ServeOne();
    if (next == Next::kContinue) continue;
    linger = next == Next::kCloseAfterError;
    break;
  }
  co_await Close(linger);
}

template <class Stream>
asio::awaitable<typename Session<Stream>::Next> Session<Stream>::ServeOne() {
  const ServerOptions& options = core_.options;
  state_ = State::kIdle;
  if (stopping()) co_return Next::kClose;
  if (buffer_.size() == 0) {
    // A new connection must start its first request promptly; later ones may idle longer.
    Tcp().expires_after(first_request_ ? std::min(options.idle_timeout, options.read_timeout)
                                       : options.idle_timeout);
    auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(kReadChunk), kUseTuple);
    if (ec) co_return Next::kClose;
    buffer_.commit(n);
  }
  state_ = State::kReading;
  first_request_ = false;
  const auto started = std::chrono::steady_clock::now();
  Tcp().expires_after(options.read_timeout);
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
  parser_->body_limit(options.max_body_bytes);
  {
    auto [ec, n] = co_await http::async_read_header(stream_, buffer_, *parser_, kUseTuple);
    if (ec) co_return co_await Reject(ec, started);
  }
  if (auto length = parser_->content_length(); length && *length > options.max_body_bytes) {
    co_return co_await Reject(http::error::body_limit, started);
  }
  if (!parser_->is_done()) {
    if (EqualsIgnoreCase(parser_->get()[http::field::expect], "100-continue")) {
      http::response<http::empty_body> proceed{http::status::continue_, 11};
      auto [ec, n] = co_await http::async_write(stream_, proceed, kUseTuple);
      if (ec) co_return Next::kClose;
    }
    auto [ec, n] = co_await http::async_read(stream_, buffer_, *parser_, kUseTuple);
    if (ec) co_return co_await Reject(ec, started);
  }
  Tcp().expires_never();

  http::request<http::string_body> message = parser_->release();
  const bool head_request = message.method() == http::verb::head;
  const Method method = ParseMethod(message.method_string());
  bool keep_alive = message.keep_alive();
  ledger::Result<BuiltRequest> built = BuildRequest(message, remote_address_);
  std::string request_id;
  const RouteInfo* route = nullptr;
  Response response;
  if (!built) {
    request_id = RequestIdFor(std::nullopt);
    response = ErrorResponse(built.error());
  } else {
    request_id = built.value().request.request_id;
    state_ = State::kHandling;
    route = Dispatch(core_, std::move(built).value(), NewResponder());
    co_await AwaitResponse();
    if (force_closed_) co_return Next::kClose;
    response = std::move(*response_);
  }
  keep_alive = keep_alive && !stopping();
  const int status = response.status;
  bool written = co_await Write(std::move(response), request_id, keep_alive, head_request);
  auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
  core_.metrics.Record(io_.metrics_cache, route, !built, method, status, elapsed.count());
  co_return written&& keep_alive ? Next::kContinue : Next::kClose;
}

template <class Stream>
asio::awaitable<typename Session<Stream>::Next> Session<Stream>::Reject(
    boost::system::error_code ec, std::chrono::steady_clock::time_point started) {
  const bool http_error = ec.category() == make_error_code(http::error::end_of_stream).category();
  if (!http_error || ec == http::error::end_of_stream || ec == http::error::partial_message) {
    co_return Next::kClose;  // timeout, reset, or the client went away mid-request
  }
  ledger::Error error;
  int status = 400;
  if (ec == http::error::body_limit) {
    error = ledger::InvalidField(
        "body", "must be at most " + std::to_string(core_.options.max_body_bytes) + " bytes");
    error.code = ledger::Code::kResourceExhausted;
    status = 413;
  } else if (ec == http::error::header_limit) {
    error = ledger::InvalidField(
        "headers", "must be at most " + std::to_string(core_.options.max_header_bytes) + " bytes");
    error.code = ledger::Code::kResourceExhausted;
    status = 431;
  } else {
    error = ledger::InvalidField("request", "must be well-formed HTTP/1.1 (" + ec.message() + ")");
  }
  Response response = ErrorResponse(error);
  response.status = status;
  co_await Write(std::move(response), RequestIdFor(std::nullopt), false, false);
  auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
  core_.metrics.Record(io_.metrics_cache, nullptr, true, Method::kOther, status, elapsed.count());
  co_return Next::kCloseAfterError;
}

template <class Stream>
asio::awaitable<bool> Session<Stream>::Write(Response response, std::string_view request_id,
                                             bool keep_alive, bool head_request) {
  state_ = State::kWriting;
  WireResponse wire = ToWire(std::move(response), request_id, keep_alive, head_request);
  Tcp().expires_after(core_.options.read_timeout);
  auto [ec, n] = co_await http::async_write(stream_, wire, kUseTuple);
  co_return !ec;
}

template <class Stream>
asio::awaitable<void> Session<Stream>::Close(bool linger) {
  state_ = State::kClosing;
  if (force_closed_) {
    CloseSocket();
    co_return;
  }
  if constexpr (kTls) {
    Tcp().expires_after(kLingerTime);
    co_await stream_.async_shutdown(kUseTuple);  // best effort: the peer may already be gone
  } else {
    boost::system::error_code ignored;
    Tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    if (linger) {
      // Read what the client is still sending so closing does not reset the connection
      // before it has read our error response.
      Tcp().expires_after(kLingerTime);
      std::size_t drained = 0;
      char scratch[4096];
      while (drained < kLingerBytes) {
        auto [ec, n] = co_await stream_.async_read_some(asio::buffer(scratch), kUseTuple);
        if (ec) break;
        drained += n;
      }
    }
  }
  CloseSocket();
}

}  // namespace caseledger::app::http::internal
