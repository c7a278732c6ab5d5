#include "app/http/builtin_handlers.h"

namespace caseledger::app::http {

Handler HealthHandler() {
  return [](RequestContext /*ctx*/, Responder respond) {
    respond(TextResponse(200, R"({"status":"ok"})", std::string(kJsonContentType)));
  };
}

Handler MetricsHandler(const MetricsRegistry& registry) {
  return [&registry](RequestContext /*ctx*/, Responder respond) {
    respond(TextResponse(200, registry.Render(), std::string(MetricsRegistry::kContentType)));
  };
}

}  // namespace caseledger::app::http
