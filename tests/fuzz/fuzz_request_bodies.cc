// Fuzz target: a request body through one write route's parser, chosen by the first input byte
// from the route table (app/src/api/body_parsers.h), so a route added to the table is fuzzed
// without touching this file. The rest of the input is the body. Every parser must answer a
// command or an error naming a field and a rule; nothing may crash, hang, throw or leak.
//
// Seeds (tests/fuzz/corpus/request_bodies/): one byte, the table index, then the body.
#include <cstddef>
#include <cstdint>
#include <string>

#include "api/body_parsers.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace api = caseledger::app::api;
  namespace ledger = caseledger::ledger;
  auto parsers = api::BodyParsers();
  if (size == 0 || parsers.empty()) return 0;
  const api::BodyParser& route = parsers[data[0] % parsers.size()];

  caseledger::app::http::RequestContext ctx;
  ctx.request.method = route.method;
  ctx.request.body.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
  ctx.path_params.Add("id", "incident-0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
  ctx.path_params.Add("task_id", "task-1");
  ctx.path_params.Add("meeting_id", "meeting-1");
  auto parsed = route.parse(ctx);
  if (parsed) return 0;

  const ledger::Error& error = parsed.error();
  // Bad input is a 400 (or a 413 for an oversized body) that names the field and the rule.
  if (error.code != ledger::Code::kInvalidArgument &&
      error.code != ledger::Code::kResourceExhausted) {
    __builtin_trap();
  }
  if (error.field.empty() || error.rule.empty() || error.message.empty()) __builtin_trap();
  return 0;
}
