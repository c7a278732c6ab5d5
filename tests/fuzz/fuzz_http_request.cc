// Fuzz target: raw bytes as a client could send them, down the server's request path without a
// socket: Beast's request parser with the server's header and body limits, the server's request
// building (target, percent-decoding, query parameters, headers, request id), routing over every
// route `caseledger serve` registers, then what handlers read before they act: the command
// headers (Idempotency-Key, If-Match, X-Purpose, X-Request-Id), ?min_position, ?as_of and, for a
// write route, its body parser. Nothing may crash, hang, throw or leak; every refusal must name
// a field and a rule; the request id echoed on the response must be header-safe.
//
// Seeds (tests/fuzz/corpus/http_request/): whole HTTP/1.1 requests.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "api/api_common.h"
#include "api/body_parsers.h"
#include "api/server_routes.h"
#include "app/http/server.h"
#include "http/request_builder.h"
#include "ledger/time_format.h"
#include "support/temp_dir.h"

namespace {

namespace app = caseledger::app;
namespace http = caseledger::app::http;
namespace ledger = caseledger::ledger;
namespace beast_http = boost::beast::http;

// Every route of the server, over a node in a temporary directory; built once per process.
struct Routes {
  Routes() {
    app::NodeConfig config;
    config.data_dir = dir.Path("data");
    config.block_cache_mb = 8;
    auto opened = app::Node::Open(config);
    if (!opened) __builtin_trap();
    node = std::move(opened).value();
    auto opened_identity = app::Identity::Open(*node);
    if (!opened_identity) __builtin_trap();
    identity = std::move(opened_identity).value();
    if (!app::api::RegisterServerRoutes(router, *node, *identity, metrics)) __builtin_trap();
  }

  caseledger::testing::TempDir dir;
  http::MetricsRegistry metrics;
  std::unique_ptr<app::Node> node;
  std::unique_ptr<app::Identity> identity;  // destroyed before the node
  http::Router router;
};

void CheckRefusal(const ledger::Error& error) {
  if (error.code != ledger::Code::kInvalidArgument &&
      error.code != ledger::Code::kResourceExhausted) {
    __builtin_trap();
  }
  if (error.field.empty() || error.rule.empty()) __builtin_trap();
}

bool HeaderSafe(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

const app::api::BodyParser* WriteRoute(const http::RouteInfo& route) {
  for (const app::api::BodyParser& parser : app::api::BodyParsers()) {
    if (parser.method == route.method && parser.pattern == route.pattern) return &parser;
  }
  return nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Routes routes;
  static const http::ServerOptions limits;

  beast_http::request_parser<beast_http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
  parser.body_limit(limits.max_body_bytes);
  parser.eager(true);
  boost::system::error_code ec;
  const char* at = reinterpret_cast<const char*>(data);
  std::size_t left = size;
  while (left > 0 && !parser.is_done()) {
    std::size_t used = parser.put(boost::asio::buffer(at, left), ec);
    if (ec) return 0;  // malformed, over a limit, or incomplete: the server answers 4xx or waits
    if (used == 0) return 0;
    at += used;
    left -= used;
  }
  if (!parser.is_done()) return 0;

  beast_http::request<beast_http::string_body> message = parser.release();
  auto built = http::internal::BuildRequest(message, "127.0.0.1");
  if (!built) {
    CheckRefusal(built.error());
    return 0;
  }
  http::Request& request = built.value().request;
  if (!HeaderSafe(request.request_id)) __builtin_trap();

  http::RouteLookup lookup = routes.router.Match(request.method, built.value().encoded_path);
  if (lookup.outcome != http::RouteLookup::Outcome::kMatched) return 0;
  for (const auto& [name, value] : lookup.match.params.items()) {
    if (name.empty() || value.empty()) __builtin_trap();
  }

  http::DevAuthorizer authorizer;
  auto principal = authorizer.Authenticate(request);
  http::RequestContext ctx{
      .request = std::move(request),
      .principal = principal ? std::move(principal).value() : http::Principal{},
      .path_params = std::move(lookup.match.params),
      .route = lookup.match.route};
  if (auto meta = app::api::MetaFrom(ctx); !meta) CheckRefusal(meta.error());
  if (auto position = ctx.request.QueryParam("min_position")) {
    (void)ledger::Position::Parse(*position);
  }
  if (auto as_of = ctx.request.QueryParam("as_of")) {
    if (auto t = ledger::ParseTimestamp(*as_of, "as_of"); !t) CheckRefusal(t.error());
  }
  if (const app::api::BodyParser* write = WriteRoute(*lookup.match.route)) {
    if (auto parsed = write->parse(ctx); !parsed) CheckRefusal(parsed.error());
  }
  return 0;
}
