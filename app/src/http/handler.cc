#include "app/http/handler.h"

namespace caseledger::app::http {

namespace {

Response DroppedResponse() {
  return ErrorResponse(ledger::MakeError(ledger::Code::kInternal, "handler did not respond"));
}

}  // namespace

Responder& Responder::operator=(Responder&& other) noexcept {
  if (this != &other) {
    if (sink_) sink_->Deliver(DroppedResponse());
    sink_ = std::move(other.sink_);
  }
  return *this;
}

Responder::~Responder() {
  if (sink_) sink_->Deliver(DroppedResponse());
}

void Responder::operator()(Response response) noexcept {
  if (!sink_) return;
  std::shared_ptr<ResponseSink> sink = std::move(sink_);
  sink->Deliver(std::move(response));
}

void Responder::operator()(const ledger::Error& error) noexcept {
  if (!sink_) return;
  (*this)(ErrorResponse(error));
}

}  // namespace caseledger::app::http
