// Every write route of the server that reads a JSON body, in one table: its method and path
// template, the permission it needs and the parser that turns its body into a command. The
// routes themselves are registered with their own handlers (api.cc, identity_routes.cc): the
// table only lists their parsers. The request-body fuzz target
// (tests/fuzz/fuzz_request_bodies.cc) picks a parser from it by its first input byte, and
// tests/api checks that every write route the server registers has an entry (or is listed in
// BodilessWriteRoutes), so a new write route cannot go unfuzzed or undocumented.
//
// Adding a write route: write `ParseX` (parsers.h, parse_identity.h or access_routes.h), register
// the route with its handler, then append a line to kBodyParsers in body_parsers.cc (append, so
// the committed fuzz seeds keep their parser), describe it in docs/openapi.json and add a seed
// under tests/fuzz/corpus/request_bodies/.
//
// Thread safety: the tables are constant; parsers are pure functions.
#pragma once

#include <span>
#include <string_view>

#include "app/http/handler.h"
#include "app/http/method.h"
#include "ledger/result.h"

namespace caseledger::app::api {

struct BodyParser {
  http::Method method;
  std::string_view pattern;  // as registered: "/api/v1/cases/{id}/tasks"
  std::string_view action;   // the route's Policy action: "case.create_task"
  int success_status;        // 201 for creations, else 200
  std::string_view name;     // the parser's name, for messages: "ParseCreateTask"
  // Parses ctx.request.body (and the path parameters) into the command and drops it: for the
  // fuzzer and the tests. Errors as the parser's (kInvalidArgument naming field and rule, or
  // kResourceExhausted for an oversized body).
  ledger::Result<void> (*parse)(const http::RequestContext& ctx);
};

// Every write route that reads a body, in a fixed order (new ones at the end).
std::span<const BodyParser> BodyParsers();

struct BodilessWriteRoute {
  http::Method method;
  std::string_view pattern;
};

// The write routes whose handler reads no body (DELETE /api/v1/sessions/current), so have no
// parser to list.
std::span<const BodilessWriteRoute> BodilessWriteRoutes();

}  // namespace caseledger::app::api
