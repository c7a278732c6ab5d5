// An EventLog that counts what passes through another: appends, events, failures and latency,
// into the node's metrics registry.
#pragma once

#include <memory>

#include "app/http/metrics.h"
#include "ledger/event_log.h"

namespace caseledger::app {

std::unique_ptr<ledger::EventLog> MeterLog(std::unique_ptr<ledger::EventLog> inner,
                                           http::MetricsRegistry& metrics);

}  // namespace caseledger::app
