#include "http/request_builder.h"

#include <boost/url/parse.hpp>

#include "http/request_id.h"

namespace caseledger::app::http::internal {

ledger::Result<BuiltRequest> BuildRequest(
    boost::beast::http::request<boost::beast::http::string_body>& message,
    std::string_view remote_address) {
  auto target = boost::urls::parse_origin_form(message.target());
  if (!target) {
    return ledger::InvalidField("target", "must be a valid origin-form URI (\"/path?query\")");
  }
  BuiltRequest built;
  Request& request = built.request;
  request.method = ParseMethod(message.method_string());
  built.encoded_path = std::string(target->encoded_path());
  request.path = target->path();
  if (target->has_query()) {
    boost::urls::encoding_opts options;
    options.space_as_plus = true;
    for (const boost::urls::param& param : target->params(options)) {
      request.query.push_back(QueryParameter{param.key, param.value});
    }
  }
  std::size_t field_count = 0;
  for (auto it = message.begin(); it != message.end(); ++it) ++field_count;
  request.headers.reserve(field_count);
  for (const auto& field : message) {
    request.headers.push_back(
        HeaderField{std::string(field.name_string()), std::string(field.value())});
  }
  request.body = std::move(message.body());
  request.remote_address = std::string(remote_address);
  request.request_id = RequestIdFor(request.Header("X-Request-Id"));
  return built;
}

}  // namespace caseledger::app::http::internal
