// Private: one HTTP/1.1 connection over a plain or TLS stream, as a coroutine.
//
// Per request: wait up to idle_timeout for its first byte, read it within read_timeout
// (header, optional 100-continue, body), dispatch it, await the Responder, write the response.
// Unparseable input gets 400/413/431 and the connection closes after a lingering drain.
#pragma once

#include <algorithm>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include "http/session_base.h"

namespace caseledger::app::http::internal {

namespace http = boost::beast::http;

template <class Stream>
class Session final : public SessionBase {
 public:
  Session(ServerCore& core, IoThread& io, Stream stream, std::string remote_address)
      : SessionBase(core, io, std::move(remote_address)), stream_(std::move(stream)) {}

  asio::awaitable<void> Run();

 private:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
  enum class Next { kContinue, kClose, kCloseAfterError };

  TcpStream& Tcp() { return beast::get_lowest_layer(stream_); }
  void CancelIo() override { Tcp().cancel(); }
  void CloseSocket() override { Tcp().close(); }

  asio::awaitable<Next> ServeOne();
  // Answers a request that could not be read (400/413/431), or gives up silently on a
  // transport error, timeout or a client that went away.
  asio::awaitable<Next> Reject(boost::system::error_code ec,
                               std::chrono::steady_clock::time_point started);
  asio::awaitable<bool> Write(Response response, std::string_view request_id, bool keep_alive,
                              bool head_request);
  asio::awaitable<void> Close(bool linger);

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool first_request_ = true;
};

// Runs `session` to completion; the frame owns the session.
template <class Stream>
asio::awaitable<void> RunSession(std::shared_ptr<Session<Stream>> session) {
  co_await session->Run();
}

}  // namespace caseledger::app::http::internal
