// Private: Response → the Beast message written on the wire.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string_view>

#include "app/http/response.h"

namespace caseledger::app::http::internal {

using WireResponse = boost::beast::http::response<boost::beast::http::string_body>;

// Adds Content-Type, Content-Length, Connection, Date, X-Request-Id, X-Content-Type-Options and
// (unless the handler set one) Cache-Control: no-store. A status outside 100..599 becomes 500.
// For HEAD, the body is dropped but Content-Length still describes it.
WireResponse ToWire(Response response, std::string_view request_id, bool keep_alive,
                    bool head_request);

}  // namespace caseledger::app::http::internal
