#include "http/server_core.h"

#include <cstdio>

namespace caseledger::app::http::internal {

ServerCore::ServerCore(ServerOptions options_in, Router router_in, Authorizer& authorizer_in,
                       MetricsRegistry& registry)
    : options(std::move(options_in)),
      router(std::move(router_in)),
      authorizer(authorizer_in),
      rate_limiter(options.rate_limit, ledger::SystemClock::Instance()),
      metrics(registry, router) {}

void ServerCore::Log(std::string_view line) const {
  if (options.log) {
    options.log(line);
    return;
  }
  std::fprintf(stderr, "caseledger http: %.*s\n", static_cast<int>(line.size()), line.data());
}

}  // namespace caseledger::app::http::internal
