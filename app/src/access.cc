#include "app/access.h"

#include <flatbuffers/flatbuffers.h>

#include <future>

#include "api/api_common.h"
#include "app/node.h"
#include "ledger/ids.h"
#include "schemas/events_generated.h"

namespace caseledger::app {
namespace {

ledger::Error NoSuchRecord() { return ledger::MakeError(ledger::Code::kNotFound, "no such record"); }

}  // namespace

AccessService::AccessService(Node& node)
    : node_(node),
      log_(node.access_log()),
      records_(node.projections(), node.log(), node.clock()) {}

projections::Viewer AccessService::ViewerOf(const http::Principal& principal) {
  projections::Viewer v;
  v.user_id = principal.user_id;
  v.organisation_id = principal.organisation_id;
  v.team_id = principal.team_id;
  v.sees_organisation = principal.HasRole("supervisor");
  v.sees_everything = principal.HasRole("auditor");
  return v;
}

ledger::Result<bool> AccessService::CanSee(const http::Principal& principal,
                                           std::string_view record_id) {
  if (principal.anonymous) return false;
  return records_.CanSee(ViewerOf(principal), record_id);
}

ledger::Result<bool> AccessService::CanSeeHolder(const http::Principal& principal,
                                                 const projections::Holder& holder) {
  if (principal.anonymous) return false;
  return records_.CanSeeHeld(ViewerOf(principal), holder);
}

ledger::Result<bool> AccessService::Holds(const http::Principal& principal,
                                          std::string_view record_id) {
  if (principal.anonymous) return false;
  BOOST_OUTCOME_TRY(auto holder, records_.FindHolder(record_id));
  if (!holder) return false;
  if (!holder->of.empty()) {
    BOOST_OUTCOME_TRY(holder, records_.FindHolder(holder->of));
    if (!holder) return false;
  }
  auto viewer = ViewerOf(principal);
  if (!viewer.team_id.empty() && holder->team_id == viewer.team_id) return true;
  return viewer.sees_organisation && holder->organisation_id == viewer.organisation_id;
}

void AccessService::WhenApplied(const ledger::Position& position,
                                std::chrono::milliseconds max_wait,
                                std::function<void(bool)> then) {
  node_.runner().WhenApplied(position, std::chrono::steady_clock::now() + max_wait,
                             std::move(then));
}

ledger::Result<void> AccessService::CheckRecord(const http::Principal& principal,
                                                std::string_view record_id) {
  if (!projections::IsLockedDownKind(ledger::RecordKind(record_id))) return ledger::Ok();
  BOOST_OUTCOME_TRY(bool visible, CanSee(principal, record_id));
  if (!visible) return NoSuchRecord();
  return ledger::Ok();
}

ledger::Result<std::optional<projections::Holder>> AccessService::HolderOf(
    std::string_view record_id) {
  return records_.FindHolder(record_id);
}

void AccessService::Log(const http::RequestContext& ctx, AccessLogEntry entry,
                        std::function<void(ledger::Result<void>)> then) {
  if (entry.record_ids.empty()) return then(ledger::Ok());
  ledger::AppendRequest request;
  request.context.actor.user_id = ctx.principal.user_id;
  request.context.actor.organisation_id = ctx.principal.organisation_id;
  request.context.actor.team_id = ctx.principal.team_id;
  if (auto purpose = ctx.request.Header("X-Purpose")) {
    request.context.purpose = std::string(purpose->substr(0, 500));
  }
  const std::string& request_id = ctx.request.request_id;
  request.context.correlation_id = api::CorrelationIdOf(request_id);
  ledger::Micros now = node_.clock().NowMicros();
  for (const std::string& id : entry.record_ids) {
    flatbuffers::FlatBufferBuilder b(256);
    if (entry.recipients.empty()) {
      b.Finish(schema::CreateRecordConsultedDirect(b, entry.action.c_str(), request_id.c_str()));
    } else {
      std::vector<flatbuffers::Offset<flatbuffers::String>> recipients;
      for (const auto& r : entry.recipients) recipients.push_back(b.CreateString(r));
      b.Finish(schema::CreateRecordDisclosed(b, b.CreateVector(recipients),
                                             b.CreateString(entry.legal_basis),
                                             b.CreateString(entry.details),
                                             b.CreateString(request_id)));
    }
    ledger::EventDraft draft;
    draft.event_id = node_.ids().Next();
    draft.type = entry.recipients.empty() ? schema::EventType::RecordConsulted
                                                : schema::EventType::RecordDisclosed;
    draft.occurred_at = now;
    draft.payload.assign(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
    ledger::StreamAppend stream;
    stream.stream_id = id;
    stream.expected_version = ledger::kAnyVersion;
    stream.events.push_back(std::move(draft));
    request.streams.push_back(std::move(stream));
  }
  log_.AppendAsync(std::move(request),
                   [then = std::move(then)](ledger::Result<ledger::AppendResult> result) {
                     if (!result) return then(result.error());
                     then(ledger::Ok());
                   });
}

void AccessService::AnswerLogged(const http::RequestContext& ctx, AccessLogEntry entry,
                                 http::Response response, http::Responder respond) {
  Log(ctx, std::move(entry),
      [response = std::move(response),
       respond = std::make_shared<http::Responder>(std::move(respond))](
          ledger::Result<void> logged) mutable {
        if (!logged) return (*respond)(logged.error());
        (*respond)(std::move(response));
      });
}

ledger::Result<void> AccessAuthorizer::Authorize(const http::Principal& principal,
                                                 const http::Policy& policy,
                                                 const http::RouteMatch& match,
                                                 const http::Request& request) {
  if (policy.allow_anonymous) return ledger::Ok();
  if (principal.anonymous) {
    return ledger::MakeError(ledger::Code::kUnauthenticated, "sign in first");
  }
  BOOST_OUTCOME_TRY(sign_in_.Authorize(principal, policy, match, request));
  if (principal.justification_required) {
    auto purpose = request.Header("X-Purpose");
    if (!purpose || purpose->empty()) {
      return ledger::InvalidField("X-Purpose",
                                  "is required by your organisation: say why you need this");
    }
  }
  std::string_view id = match.params.Get("id");
  if (id.empty()) return ledger::Ok();
  return access_.CheckRecord(principal, id);
}

http::Response MinPositionNotReached() {
  http::Response response = http::ErrorResponse(ledger::MakeError(
      ledger::Code::kUnavailable, "the projections have not reached min_position yet"));
  response.headers.emplace_back("Retry-After", "1");
  return response;
}

bool AccessAuthorizer::ReadyToJudge(const http::Request& request) {
  return !request.QueryParam("min_position");
}

void AccessAuthorizer::AwaitJudgement(const http::Request& request,
                                      std::function<void(std::optional<http::Response>)> then) {
  auto position = ledger::Position::Parse(*request.QueryParam("min_position"));
  // A malformed position is judged at once; the route answers 400 naming the parameter.
  if (!position) return then(std::nullopt);
  access_.WhenApplied(*position, max_read_wait_, [then = std::move(then)](bool reached) {
    if (reached) return then(std::nullopt);
    then(MinPositionNotReached());
  });
}

}  // namespace caseledger::app
