// Maps (method, path) to a route: its Policy, its handler and the path parameters it binds.
//
// Patterns are absolute paths of literal segments and `{name}` segments, each `{name}` matching
// one non-empty, percent-decoded segment: "/api/v1/cases/{id}/tasks/{task_id}". A literal
// segment wins over a parameter at the same position. Matching walks a segment trie: no regex,
// no allocation beyond the bound parameter values.
//
// Example:
//   Router router;
//   auto added = router.Add(Method::kGet, "/api/v1/incidents/{id}",
//                           Policy{.action = "incident.read"}, GetIncident);
//   if (!added) return added.error();
//
// Thread safety: Add is not thread-safe and must finish before the server starts; Match and
// routes() are then safe to call concurrently.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/http/handler.h"
#include "app/http/method.h"
#include "app/http/policy.h"
#include "ledger/result.h"

namespace caseledger::app::http {

// One registered route, as listed by routes().
struct RouteInfo {
  Method method{};
  std::string pattern{};
  Policy policy;
  std::size_t index = 0;  // position in registration order; stable for the Router's life
};

// A successful match: the route and the parameters its pattern bound.
struct RouteMatch {
  const RouteInfo* route = nullptr;
  PathParams params{};
};

struct RouteLookup {
  enum class Outcome { kMatched, kNotFound, kMethodNotAllowed };
  Outcome outcome = Outcome::kNotFound;
  RouteMatch match{};   // kMatched
  std::string allow{};  // kMethodNotAllowed: "GET, POST" for the Allow header
};

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Registers a route. Errors (kInvalidArgument field "pattern", or kAlreadyExists):
  // the pattern is not "/"-rooted, has an empty or malformed segment or a repeated parameter
  // name; the method is kOther; the handler is empty; the same method and shape
  // ("/a/{x}" vs "/a/{y}") is already registered.
  ledger::Result<void> Add(Method method, std::string_view pattern, Policy policy, Handler handler);

  // Finds the route for `method` and `encoded_path` (the request target's path, still
  // percent-encoded, without the query). Malformed escapes never match.
  RouteLookup Match(Method method, std::string_view encoded_path) const;

  // The handler of a matched route.
  const Handler& handler(const RouteInfo& route) const;

  // Every route in registration order: the endpoint list, derived from the router.
  const std::vector<RouteInfo>& routes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace caseledger::app::http
