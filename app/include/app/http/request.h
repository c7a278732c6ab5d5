// An HTTP request as handlers and the Authorizer see it: decoded, owned, free of Boost.Beast.
//
// Example:
//   std::optional<std::string_view> etag = request.Header("if-match");
//   std::optional<std::string_view> limit = request.QueryParam("limit");
//
// Thread safety: a plain value; const methods may be called concurrently.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/http/method.h"

namespace caseledger::app::http {

struct HeaderField {
  std::string name{};  // as sent; compare case-insensitively
  std::string value{};
};

// One decoded query parameter ("a=1&a=2&b" → {a,1}, {a,2}, {b,""}). '+' decodes to a space.
struct QueryParameter {
  std::string name{};
  std::string value{};
};

struct Request {
  Method method = Method::kOther;
  std::string path{};                 // percent-decoded, without the query
  std::vector<QueryParameter> query;  // decoded, in request order, repeats kept
  std::vector<HeaderField> headers;   // in request order
  std::string body{};
  std::string remote_address;  // the peer's IP address ("127.0.0.1", "::1")
  std::string request_id{};    // echoed in X-Request-Id on the response

  // The first header with this name, compared case-insensitively; nullopt if absent.
  std::optional<std::string_view> Header(std::string_view name) const;

  // The first query parameter with this (decoded, case-sensitive) name.
  std::optional<std::string_view> QueryParam(std::string_view name) const;

  // Every value of a repeated query parameter, in order.
  std::vector<std::string_view> QueryParams(std::string_view name) const;
};

// ASCII case-insensitive equality, for header names and tokens.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Path parameters bound by a route pattern ("/cases/{id}" + "/cases/case-1" → id=case-1).
class PathParams {
 public:
  void Add(std::string_view name, std::string value) {
    params_.emplace_back(std::string(name), std::move(value));
  }
  // The decoded value of `name`, or empty if the pattern has no such parameter.
  std::string_view Get(std::string_view name) const;
  std::size_t size() const { return params_.size(); }
  const std::vector<std::pair<std::string, std::string>>& items() const { return params_; }

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

}  // namespace caseledger::app::http
