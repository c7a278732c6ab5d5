// Handlers, the context they get and the Responder they answer through.
//
// A handler runs on an io thread and must not block. It answers by calling its Responder exactly
// once, from any thread: inline for cheap reads, or later from the ledger's writer thread once a
// write is durable. The Responder hands the response back to the connection's io thread.
//
// Example:
//   router.Add(Method::kPost, "/api/v1/incidents", Policy{.action = "incident.record"},
//              [&ledger](RequestContext ctx, Responder respond) {
//                ledger.RecordIncident(..., [respond = std::move(respond)](auto result) mutable {
//                  if (!result) return respond(ErrorResponse(result.error()));
//                  respond(JsonResponse(201, ...));      // runs on the writer thread
//                });
//              });
//
// Failure modes the server turns into a JSON 500 (never a hang): the handler throws; the
// Responder is destroyed without being called. A Responder not called within
// ServerOptions::handler_timeout gets a 504; its later answer is dropped.
//
// Thread safety: a Responder is a move-only value; call it once from any one thread.
#pragma once

#include <functional>
#include <memory>

#include "app/http/principal.h"
#include "app/http/request.h"
#include "app/http/response.h"

namespace caseledger::app::http {

struct RouteInfo;

// Receives the one response of one request. Implemented by the server; tests implement it to
// call handlers without a socket.
class ResponseSink {
 public:
  virtual ~ResponseSink() = default;
  // Called at most once per Responder, from any thread. Must not block or throw.
  virtual void Deliver(Response response) noexcept = 0;
};

class Responder {
 public:
  explicit Responder(std::shared_ptr<ResponseSink> sink) noexcept : sink_(std::move(sink)) {}
  Responder(Responder&& other) noexcept = default;
  // Drops (as a 500) the request this Responder was answering, then takes `other`'s.
  Responder& operator=(Responder&& other) noexcept;
  Responder(const Responder&) = delete;
  Responder& operator=(const Responder&) = delete;
  // If never called: delivers a 500 "handler did not respond".
  ~Responder();

  // Sends `response`. Calls after the first are ignored.
  void operator()(Response response) noexcept;
  // Sends ErrorResponse(error).
  void operator()(const ledger::Error& error) noexcept;

  // True until called (or moved from).
  bool pending() const { return sink_ != nullptr; }

 private:
  std::shared_ptr<ResponseSink> sink_;
};

// Everything a handler knows about its request. Owned by the handler: move what outlives it.
struct RequestContext {
  Request request{};
  Principal principal{};
  PathParams path_params{};
  const RouteInfo* route = nullptr;  // the matched route; valid while the server runs

  // Shorthand for path_params.Get(name).
  std::string_view PathParam(std::string_view name) const { return path_params.Get(name); }
};

using Handler = std::function<void(RequestContext, Responder)>;

}  // namespace caseledger::app::http
