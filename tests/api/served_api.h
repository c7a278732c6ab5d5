// The routes `caseledger serve` mounts, over a real Node in a temporary directory, called
// in-process: a request goes through the server's own request building (BuildRequest), the
// router and the development identity, then the route's handler; the test waits for its answer.
// Also: docs/openapi.json, parsed, with helpers to find an operation and resolve its $refs.
//
// Example:
//   ServedApi api;
//   ASSERT_TRUE(api.ok());
//   CallResult r = api.Call("POST", "/api/v1/vehicles", R"({"registration":"AB12CDE"})");
//   EXPECT_EQ(r.status, 201);
//
// Thread safety: one test thread.
#pragma once

#include <boost/json/value.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/http/metrics.h"
#include "app/http/principal.h"
#include "app/http/router.h"
#include "app/identity.h"
#include "app/node.h"
#include "support/temp_dir.h"

namespace caseledger::app::api::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct CallResult {
  int status = 0;  // 0: no route matched or no answer in time
  std::string content_type;
  std::string body;
  Headers headers;

  std::string Header(std::string_view name) const;  // "" when absent
  boost::json::value Json() const;                  // null when not JSON
  // error.field / error.code of an error answer, "" otherwise.
  std::string ErrorField() const;
  std::string ErrorCode() const;
};

class ServedApi {
 public:
  ServedApi();
  ~ServedApi();

  // False (and `error()` says why) when the node or the routes could not be set up.
  bool ok() const { return node_ != nullptr && identity_ != nullptr && registered_; }
  const std::string& error() const { return error_; }

  http::Router& router() { return router_; }
  Node& node() { return *node_; }
  Identity& identity() { return *identity_; }
  http::MetricsRegistry& metrics() { return metrics_; }

  // Another router with every route of the server over the same node, to start a real
  // HttpServer with (a Router is frozen once a server has it).
  ledger::Result<http::Router> NewRouter();

  // Calls from now on act as `principal` rather than the development user (dev-user of
  // dev-org), for rules that need a real organisation, such as a case's sign-off.
  void ActAs(http::Principal principal) { acting_as_ = std::move(principal); }

  // Runs one request as the server would route it, as the development user.
  CallResult Call(std::string_view method, std::string_view target, std::string body = {},
                  const Headers& headers = {});

 private:
  caseledger::testing::TempDir dir_;
  http::MetricsRegistry metrics_;
  std::unique_ptr<Node> node_;
  std::unique_ptr<Identity> identity_;  // destroyed before the node, as Identity requires
  http::Router router_;
  std::optional<http::Principal> acting_as_;
  bool registered_ = false;
  std::string error_;
};

// docs/openapi.json from the source tree: its bytes, and parsed.
std::string OpenApiFileBytes();
const boost::json::object& OpenApiDocumentJson();

// Follows a {"$ref": "#/components/..."} (repeatedly); other values are returned as they are.
const boost::json::value& Resolve(const boost::json::value& value);

// paths[pattern][lowercase method], or nullptr.
const boost::json::object* FindOperation(std::string_view pattern, std::string_view method);

// The requestBody's application/json schema (resolved) and example of an operation, or nullptr.
const boost::json::object* BodySchema(const boost::json::object& operation);
const boost::json::value* BodyExample(const boost::json::object& operation);

// Whether the operation lists {"$ref": "#/components/parameters/<name>"}.
bool TakesParameter(const boost::json::object& operation, std::string_view name);

// "/api/v1/cases/{id}/tasks/{task_id}" with each {name} replaced by `value`.
std::string FillPath(std::string_view pattern, std::string_view value);

std::string Lowercase(std::string_view text);

// POST, PATCH, PUT, DELETE: the routes that take a command body and the command headers.
bool IsWriteMethod(http::Method method);

// "POST /api/v1/cases", for messages.
std::string RouteName(http::Method method, std::string_view pattern);

}  // namespace caseledger::app::api::testing
