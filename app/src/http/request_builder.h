// Private: turns a parsed Beast request into the layer's own Request.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <string_view>

#include "app/http/request.h"
#include "ledger/result.h"

namespace caseledger::app::http::internal {

struct BuiltRequest {
  Request request;
  std::string encoded_path;  // for the router: still percent-encoded
};

// Moves the body and copies the headers out of `message`. Errors: kInvalidArgument field
// "target" when the request target is not a valid origin-form URI ("/path?query").
ledger::Result<BuiltRequest> BuildRequest(
    boost::beast::http::request<boost::beast::http::string_body>& message,
    std::string_view remote_address);

}  // namespace caseledger::app::http::internal
