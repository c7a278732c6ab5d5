#include "app/http/router.h"

#include <algorithm>

#include "http/percent_decode.h"

namespace caseledger::app::http {

namespace {

constexpr std::size_t kMaxSegments = 32;
using Segments = std::array<std::string_view, kMaxSegments>;

struct Node {
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> literals;
  std::unique_ptr<Node> param;
  std::array<int, kRoutableMethodCount> route{-1, -1, -1, -1, -1, -1, -1};

  bool HasAnyRoute() const {
    return std::any_of(route.begin(), route.end(), [](int r) { return r >= 0; });
  }
};

bool IsParamName(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool IsLiteral(std::string_view segment) {
  return std::all_of(segment.begin(), segment.end(), [](char c) {
    return c > 0x20 && c < 0x7f && c != '{' && c != '}' && c != '%' && c != '?' && c != '#';
  });
}

// Splits "/a/b" into {"a","b"}; "/" into {}. False if too deep or not "/"-rooted.
bool Split(std::string_view path, Segments& out, std::size_t& count) {
  count = 0;
  if (path.empty() || path[0] != '/') return false;
  if (path.size() == 1) return true;
  std::size_t start = 1;
  while (true) {
    if (count == kMaxSegments) return false;
    std::size_t slash = path.find('/', start);
    out[count++] = path.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

// Depth-first, literals before parameters. Returns the node holding a route for `method`, or
// nullptr; `fallback` is the first node that holds routes for other methods (for 405).
const Node* Find(const Node* node, const Segments& segments, std::size_t count, std::size_t i,
                 int method, Segments& bound, std::size_t bound_count, const Node** fallback) {
  if (i == count) {
    if (method >= 0 && node->route[static_cast<std::size_t>(method)] >= 0) return node;
    if (*fallback == nullptr && node->HasAnyRoute()) *fallback = node;
    return nullptr;
  }
  std::string_view segment = segments[i];
  for (const auto& [literal, child] : node->literals) {
    if (internal::DecodedEquals(segment, literal)) {
      if (const Node* hit =
              Find(child.get(), segments, count, i + 1, method, bound, bound_count, fallback)) {
        return hit;
      }
    }
  }
  if (node->param && !segment.empty()) {
    bound[bound_count] = segment;
    return Find(node->param.get(), segments, count, i + 1, method, bound, bound_count + 1,
                fallback);
  }
  return nullptr;
}

}  // namespace

struct Router::Impl {
  Node root;
  std::vector<RouteInfo> routes;
  std::vector<Handler> handlers;
  std::vector<std::vector<std::string>> param_names;
};

Router::Router() : impl_(std::make_unique<Impl>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

ledger::Result<void> Router::Add(Method method, std::string_view pattern, Policy policy,
                                 Handler handler) {
  if (method == Method::kOther) return ledger::InvalidField("method", "must be a known method");
  if (!handler) return ledger::InvalidField("handler", "must not be empty");
  Segments segments;
  std::size_t count = 0;
  if (!Split(pattern, segments, count)) {
    return ledger::InvalidField("pattern", "must start with '/' and have at most 32 segments");
  }
  std::vector<std::string> names;
  Node* node = &impl_->root;
  for (std::size_t i = 0; i < count; ++i) {
    std::string_view segment = segments[i];
    if (segment.size() >= 2 && segment.front() == '{' && segment.back() == '}') {
      std::string_view name = segment.substr(1, segment.size() - 2);
      if (!IsParamName(name)) return ledger::InvalidField("pattern", "has a bad parameter name");
      if (std::find(names.begin(), names.end(), name) != names.end()) {
        return ledger::InvalidField("pattern", "repeats a parameter name");
      }
      names.emplace_back(name);
      if (!node->param) node->param = std::make_unique<Node>();
      node = node->param.get();
      continue;
    }
    if (segment.empty() || !IsLiteral(segment)) {
      return ledger::InvalidField("pattern", "has an empty or malformed segment");
    }
    auto it = std::find_if(node->literals.begin(), node->literals.end(),
                           [&](const auto& entry) { return entry.first == segment; });
    if (it == node->literals.end()) {
      node->literals.emplace_back(std::string(segment), std::make_unique<Node>());
      it = node->literals.end() - 1;
    }
    node = it->second.get();
  }
  int& slot = node->route[static_cast<std::size_t>(method)];
  if (slot >= 0) {
    return ledger::MakeError(ledger::Code::kAlreadyExists,
                             "route already registered: " + std::string(MethodName(method)) + " " +
                                 std::string(pattern));
  }
  slot = static_cast<int>(impl_->routes.size());
  impl_->routes.push_back(RouteInfo{.method = method,
                                    .pattern = std::string(pattern),
                                    .policy = std::move(policy),
                                    .index = impl_->routes.size()});
  impl_->handlers.push_back(std::move(handler));
  impl_->param_names.push_back(std::move(names));
  return ledger::Ok();
}

RouteLookup Router::Match(Method method, std::string_view encoded_path) const {
  RouteLookup lookup;
  Segments segments;
  Segments bound;
  std::size_t count = 0;
  if (!Split(encoded_path, segments, count)) return lookup;
  int method_index = method == Method::kOther ? -1 : static_cast<int>(method);
  const Node* fallback = nullptr;
  const Node* node = Find(&impl_->root, segments, count, 0, method_index, bound, 0, &fallback);
  if (node == nullptr) {
    if (fallback == nullptr) return lookup;
    lookup.outcome = RouteLookup::Outcome::kMethodNotAllowed;
    for (int m = 0; m < kRoutableMethodCount; ++m) {
      if (fallback->route[static_cast<std::size_t>(m)] < 0) continue;
      if (!lookup.allow.empty()) lookup.allow += ", ";
      lookup.allow += MethodName(static_cast<Method>(m));
    }
    return lookup;
  }
  auto route_index = static_cast<std::size_t>(node->route[static_cast<std::size_t>(method)]);
  const std::vector<std::string>& names = impl_->param_names[route_index];
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::optional<std::string> value = internal::PercentDecode(bound[i]);
    if (!value) return RouteLookup{};  // malformed escape: no such resource
    lookup.match.params.Add(names[i], std::move(*value));
  }
  lookup.outcome = RouteLookup::Outcome::kMatched;
  lookup.match.route = &impl_->routes[route_index];
  return lookup;
}

const Handler& Router::handler(const RouteInfo& route) const {
  return impl_->handlers[route.index];
}

const std::vector<RouteInfo>& Router::routes() const { return impl_->routes; }

}  // namespace caseledger::app::http
