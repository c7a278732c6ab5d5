// Private: the stream-independent half of a connection: its state for graceful shutdown and
// the hand-off of one response per request from any thread back to the io thread.
//
// Every member is touched only on the connection's io thread, except through ResponseSlot,
// which crosses threads by posting (guarded by the IoThread's Gate).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "app/http/handler.h"
#include "http/server_core.h"
#include "http/streams.h"

namespace caseledger::app::http::internal {

class SessionBase : public std::enable_shared_from_this<SessionBase> {
 public:
  // Counts the connection as live; the destructor un-counts it.
  SessionBase(ServerCore& core, IoThread& io, std::string remote_address);
  virtual ~SessionBase();
  SessionBase(const SessionBase&) = delete;
  SessionBase& operator=(const SessionBase&) = delete;

  // The response for request `token`; stale tokens and second answers are ignored.
  void OnResponse(std::uint64_t token, Response response);
  // The server is stopping: close now if waiting for a request, else after this response.
  void OnServerStop();
  // The shutdown deadline passed: close now.
  void ForceClose();

 protected:
  enum class State { kIdle, kReading, kHandling, kWriting, kClosing };

  virtual void CancelIo() = 0;
  virtual void CloseSocket() = 0;

  // Registers in the IoThread (call first thing on the io thread).
  void Register();
  // A Responder for the next request; forgets any earlier response.
  Responder NewResponder();
  // Returns once the response is in `response_` (a 504 after handler_timeout), or force-closed.
  asio::awaitable<void> AwaitResponse();
  bool stopping() const { return stopping_ || core_.stopping.load(std::memory_order_relaxed); }

  ServerCore& core_;
  IoThread& io_;
  const std::string remote_address_;
  State state_ = State::kIdle;
  bool force_closed_ = false;
  std::optional<Response> response_;

 private:
  bool stopping_ = false;
  bool registered_ = false;
  std::uint64_t token_ = 0;
  bool responded_ = false;
  Timer response_timer_;
};

}  // namespace caseledger::app::http::internal
