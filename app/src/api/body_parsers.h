// Every write route of /api/v1 in one table: its method and path template, the permission it
// needs, the parser that turns its JSON body into a command, and the handler that runs it.
// api.cc registers the write routes from this table, the request-body fuzz target
// (tests/fuzz/fuzz_request_bodies.cc) picks a parser from it by its first input byte, and
// tests/api checks that every POST and PATCH route the server registers has an entry, so a new
// write route cannot go unfuzzed or undocumented.
//
// Adding a write route: write `ParseX` in parse_*.cc (declared in parsers.h), then append
// a line to kBodyParsers in body_parsers.cc (append, so the committed fuzz seeds keep their
// parser), describe it in docs/openapi.json and add a seed under
// tests/fuzz/corpus/request_bodies/.
//
// Thread safety: the table is constant; parsers are pure functions.
#pragma once

#include <span>
#include <string_view>

#include "app/http/handler.h"
#include "app/http/method.h"
#include "app/node.h"
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
  // The route's handler: request metadata, then the parser, then the command on `node`.
  // nullptr for a route registered elsewhere with a handler of its own: the table then only
  // lists its parser, for the fuzzer and the tests.
  http::Handler (*handler)(Node& node, int success_status);
};

// Every write route, in a fixed order (new ones at the end).
std::span<const BodyParser> BodyParsers();

}  // namespace caseledger::app::api
