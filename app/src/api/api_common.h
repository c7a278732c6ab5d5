// Pieces every /api/v1 handler shares: turning a request into CommandMeta, parsing the common
// JSON shapes, answering a command's result, and reading a view at a position.
#pragma once

#include <boost/json.hpp>

#include <string>
#include <string_view>

#include "api.h"
#include "app/http/handler.h"
#include "app/http/json_fields.h"
#include "app/http/response.h"
#include "ledger/commands.h"
#include "ledger/enum_names.h"

namespace caseledger::app::api {

using ledger::Result;

// Actor from the principal; Idempotency-Key, If-Match, X-Purpose headers; a fingerprint of
// method, path and body. Errors name the header ("If-Match" must be a version number).
Result<ledger::CommandMeta> MetaFrom(const http::RequestContext& ctx);

// The correlation id of the events a request causes (its X-Request-Id as a UUID).
ledger::Uuid CorrelationIdOf(std::string_view request_id);

// The action of the route `ctx` matched ("case.read"), for the access log.
std::string ActionOf(const http::RequestContext& ctx);

// Parses the body as a JSON object with only the `allowed` members.
Result<boost::json::object> BodyObject(const http::Request& request,
                                       std::initializer_list<std::string_view> allowed);

// A required or optional RFC 3339 time member.
Result<ledger::Micros> RequireTime(const boost::json::object& obj, std::string_view name);
Result<std::optional<ledger::Micros>> OptionalTime(const boost::json::object& obj,
                                                   std::string_view name);

template <class E>
Result<E> RequireEnum(const boost::json::object& obj, std::string_view name) {
  BOOST_OUTCOME_TRY(auto text, http::RequireString(obj, name, 64));
  auto value = ledger::ParseEnum<E>(text);
  if (!value) {
    return ledger::InvalidField(std::string(name), "must be one of: " + ledger::EnumChoices<E>());
  }
  return *value;
}

template <class E>
Result<std::optional<E>> OptionalEnum(const boost::json::object& obj, std::string_view name) {
  if (!obj.contains(name) || obj.at(name).is_null()) return std::optional<E>();
  BOOST_OUTCOME_TRY(E value, RequireEnum<E>(obj, name));
  return std::optional<E>(value);
}

// An array of strings (each at most `max_len`), absent → empty.
Result<std::vector<std::string>> StringArray(const boost::json::object& obj, std::string_view name,
                                             std::size_t max_items, std::size_t max_len);

Result<ledger::LocationInput> ParseLocation(const boost::json::object& obj);
Result<std::optional<ledger::Coordinates>> ParseCoordinates(const boost::json::object& obj,
                                                            std::string_view name);
Result<ledger::PersonDetailsInput> ParsePersonDetails(const boost::json::object& obj);
Result<std::vector<schema::HateStrand>> ParseHateStrands(const boost::json::object& obj);

// Runs `command` through the node's command service and answers {id, version, position,
// deduplicated} with `status` (201 for creations), ETag and, for creations, Location.
template <class Command>
void Submit(Node& node, const ledger::CommandMeta& meta, Command command, int status,
            http::Responder respond);

// Answers the stored view of `record_id` once the projections reached ?min_position (if given),
// 404 when there is none (or it is of another kind than `kind`, when given).
void RespondWithView(Node& node, const ApiOptions& options, http::RequestContext ctx,
                     std::string record_id, std::string_view kind, http::Responder respond);

// Waits (without blocking the io thread) until ?min_position is applied, then runs `then`.
// Answers 400 for a malformed position and 503 when the wait times out.
void AfterMinPosition(Node& node, const ApiOptions& options, const http::Request& request,
                      http::Responder respond, std::function<void(http::Responder)> then);

// `handler`, run once ?min_position (if given) is applied. Every read route is registered through
// this, so a read that names the position of a write it follows never misses that write.
http::Handler AtMinPosition(Node& node, const ApiOptions& options, http::Handler handler);

// The response body of a command.
http::Response CommandResponse(const ledger::CommandResult& result, int status);

// A read route for one kind of record ("" = any kind).
http::Handler ViewRoute(Node& node, const ApiOptions& options, std::string kind);

}  // namespace caseledger::app::api

namespace caseledger::app::api {

template <class Command>
void Submit(Node& node, const ledger::CommandMeta& meta, Command command, int status,
            http::Responder respond) {
  node.commands().Execute(
      meta, std::move(command),
      [status, respond = std::make_shared<http::Responder>(std::move(respond))](
          Result<ledger::CommandResult> result) mutable {
        if (!result) return (*respond)(result.error());
        (*respond)(CommandResponse(result.value(), status));
      });
}

}  // namespace caseledger::app::api
