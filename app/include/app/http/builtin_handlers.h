// Handlers every deployment mounts: health and metrics. Register them with Policy::Public()
// (or a stricter policy where /metrics must not be public).
//
// Example:
//   router.Add(Method::kGet, "/healthz", Policy::Public(), HealthHandler());
//   router.Add(Method::kGet, "/metrics", Policy::Public(), MetricsHandler(registry));
//
// Thread safety: the returned handlers are thread-safe; `registry` must outlive them.
#pragma once

#include "app/http/handler.h"
#include "app/http/metrics.h"

namespace caseledger::app::http {

// 200 {"status":"ok"}.
Handler HealthHandler();

// 200 with registry.Render(), Content-Type text/plain; version=0.0.4.
Handler MetricsHandler(const MetricsRegistry& registry);

}  // namespace caseledger::app::http
