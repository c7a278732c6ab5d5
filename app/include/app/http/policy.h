// What a route requires. Every route carries a Policy; there is no default one, so a route
// cannot be added without deciding who may call it.
//
// Example:
//   router.Add(Method::kGet, "/api/v1/incidents/{id}", Policy{.action = "incident.read"}, h);
//   router.Add(Method::kGet, "/healthz", Policy::Public(), health);
//
// Thread safety: a plain value.
#pragma once

#include <string>
#include <string_view>

namespace caseledger::app::http {

// The name of the permission a route needs ("incident.read", "case.task.update"). Has no
// default constructor, which is what makes Policy impossible to default-construct.
class Action {
 public:
  Action(const char* name) : name_(name) {}             // NOLINT(google-explicit-constructor)
  Action(std::string_view name) : name_(name) {}        // NOLINT(google-explicit-constructor)
  Action(std::string name) : name_(std::move(name)) {}  // NOLINT(google-explicit-constructor)

  const std::string& name() const { return name_; }
  bool operator==(const Action&) const = default;

 private:
  std::string name_;
};

struct Policy {
  Action action;
  // True only for routes anyone may call (health, metrics, the public report form). The server
  // still authenticates (falling back to an anonymous Principal) and still calls Authorize.
  bool allow_anonymous = false;

  // action "public", allow_anonymous.
  static Policy Public() { return Policy{.action = "public", .allow_anonymous = true}; }

  bool operator==(const Policy&) const = default;
};

}  // namespace caseledger::app::http
