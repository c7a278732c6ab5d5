#include "http/session_base.h"

#include <boost/asio/post.hpp>

namespace caseledger::app::http::internal {

namespace {

// Delivers a Responder's answer to its session: directly when already on the session's io
// thread (inline answers), otherwise by posting there, and only while the server runs. The gate
// mutex is per io thread and uncontended unless another thread answers at the same moment.
class ResponseSlot final : public ResponseSink {
 public:
  ResponseSlot(std::weak_ptr<SessionBase> session, std::uint64_t token, std::shared_ptr<Gate> gate,
               Executor executor)
      : session_(std::move(session)), token_(token), gate_(std::move(gate)), executor_(executor) {}

  void Deliver(Response response) noexcept override {
    // The gate first: once it is closed the io_context may be gone, executor_ included.
    std::lock_guard lock(gate_->mu);
    if (!gate_->open) return;  // the server has stopped; nobody is waiting
    std::shared_ptr<SessionBase> session = session_.lock();
    if (!session) return;
    if (executor_.running_in_this_thread()) {
      session->OnResponse(token_, std::move(response));
      return;
    }
    asio::post(executor_, [session = std::move(session), token = token_,
                           response = std::move(response)]() mutable {
      session->OnResponse(token, std::move(response));
    });
  }

 private:
  std::weak_ptr<SessionBase> session_;
  std::uint64_t token_;
  std::shared_ptr<Gate> gate_;
  Executor executor_;
};

}  // namespace

SessionBase::SessionBase(ServerCore& core, IoThread& io, std::string remote_address)
    : core_(core),
      io_(io),
      remote_address_(std::move(remote_address)),
      response_timer_(io.ioc.get_executor()) {
  core_.live_sessions.fetch_add(1);
  core_.metrics.ConnectionOpened();
}

SessionBase::~SessionBase() {
  if (registered_) io_.sessions.erase(this);
  core_.metrics.ConnectionClosed();
  core_.live_sessions.fetch_sub(1);
}

void SessionBase::Register() {
  io_.sessions.insert(this);
  registered_ = true;
}

void SessionBase::OnResponse(std::uint64_t token, Response response) {
  if (token != token_ || responded_) return;
  responded_ = true;
  response_ = std::move(response);
  response_timer_.cancel();
}

void SessionBase::OnServerStop() {
  stopping_ = true;
  if (state_ == State::kIdle) CancelIo();
}

void SessionBase::ForceClose() {
  force_closed_ = true;
  response_timer_.cancel();
  CloseSocket();
}

Responder SessionBase::NewResponder() {
  ++token_;
  responded_ = false;
  response_.reset();
  return Responder(
      std::make_shared<ResponseSlot>(weak_from_this(), token_, io_.gate, io_.ioc.get_executor()));
}

asio::awaitable<void> SessionBase::AwaitResponse() {
  if (responded_) co_return;
  response_timer_.expires_after(core_.options.handler_timeout);
  co_await response_timer_.async_wait(kUseTuple);
  if (!responded_ && !force_closed_) {
    responded_ = true;
    response_ =
        ErrorResponse(ledger::MakeError(ledger::Code::kTimeout, "handler did not respond in time"));
  }
}

}  // namespace caseledger::app::http::internal
