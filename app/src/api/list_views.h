// Pages of the views of one kind of record, for list routes (GET /api/v1/organisations, ...):
// `?limit=N` (1 to 1000, default 100) views in id order after `?after=<id>`, answered as
// {"items": [...], "next_after": <id of the last item when there is more, else null>}.
#pragma once

#include <boost/json/object.hpp>

#include <string_view>

#include "api.h"
#include "app/http/request.h"

namespace caseledger::app::api {

// Errors: kInvalidArgument (field "limit" or "after"), kIOError.
Result<boost::json::object> ListViews(Node& node, const http::Request& request,
                                      std::string_view kind);

}  // namespace caseledger::app::api
