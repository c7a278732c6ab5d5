// docs/openapi.json against the server: the document lists exactly the routes `caseledger serve`
// registers (method and path template), says who may call each, spells the enumerations as the
// ledger does, and is what GET /api/v1/openapi.json serves, byte for byte.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <string>

#include "api/openapi.h"
#include "ledger/enum_names.h"
#include "served_api.h"

namespace caseledger::app::api::testing {
namespace {

namespace json = boost::json;

const std::set<std::string> kHttpMethods = {"get",     "put",  "post",  "delete",
                                            "options", "head", "patch", "trace"};

std::string HowToDocument(const http::RouteInfo& route) {
  return std::string(http::MethodName(route.method)) + " " + route.pattern +
         " is served but missing from docs/openapi.json: add paths[\"" + route.pattern + "\"]." +
         Lowercase(http::MethodName(route.method)) + " (docs/api.md, \"Adding a route\", says how)";
}

class OpenApiDocumentTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(api_.ok()) << api_.error(); }
  ServedApi api_;
};

TEST_F(OpenApiDocumentTest, EveryServedRouteIsDocumentedWithItsMethodAndPath) {
  const auto& routes = api_.router().routes();

  ASSERT_FALSE(routes.empty());
  for (const http::RouteInfo& route : routes) {
    EXPECT_NE(FindOperation(route.pattern, http::MethodName(route.method)), nullptr)
        << HowToDocument(route);
  }
}

TEST_F(OpenApiDocumentTest, EveryDocumentedOperationIsServed) {
  std::set<std::pair<std::string, std::string>> served;
  for (const http::RouteInfo& route : api_.router().routes()) {
    served.emplace(Lowercase(http::MethodName(route.method)), route.pattern);
  }

  for (const auto& [path, item] : OpenApiDocumentJson().at("paths").as_object()) {
    for (const auto& [method, operation] : item.as_object()) {
      if (!kHttpMethods.contains(std::string(method))) continue;
      EXPECT_TRUE(served.contains({std::string(method), std::string(path)}))
          << "docs/openapi.json documents " << method << " " << path
          << " but the server registers no such route (app/src/api/server_routes.cc)";
    }
  }
}

TEST_F(OpenApiDocumentTest, PublicRoutesOptOutOfBearerAuthAndTheRestNameTheirAction) {
  const json::object& doc = OpenApiDocumentJson();
  ASSERT_TRUE(doc.contains("security"));
  EXPECT_EQ(doc.at("security"), json::parse(R"([{"bearerAuth":[]}])"));
  const json::value& bearer = doc.at("components").at("securitySchemes").at("bearerAuth");
  EXPECT_EQ(bearer.at("type"), "http");
  EXPECT_EQ(bearer.at("scheme"), "bearer");

  for (const http::RouteInfo& route : api_.router().routes()) {
    const json::object* op = FindOperation(route.pattern, http::MethodName(route.method));
    if (op == nullptr) continue;  // reported by EveryServedRouteIsDocumented...
    std::string name = std::string(http::MethodName(route.method)) + " " + route.pattern;
    if (route.policy.allow_anonymous) {
      ASSERT_TRUE(op->contains("security")) << name << " is public: give it \"security\": []";
      EXPECT_TRUE(op->at("security").as_array().empty()) << name;
    } else {
      EXPECT_FALSE(op->contains("security"))
          << name << " needs a login: leave it under the document's bearerAuth";
      ASSERT_TRUE(op->contains("x-caseledger-action"))
          << name << ": add \"x-caseledger-action\": \"" << route.policy.action.name() << "\"";
      EXPECT_EQ(op->at("x-caseledger-action"), route.policy.action.name().c_str()) << name;
    }
  }
}

// Every signed-in request may need X-Purpose (AccessAuthorizer), and every read of /api/v1 waits
// for ?min_position (AtMinPosition wraps each GET route at registration).
TEST_F(OpenApiDocumentTest, SignedInRoutesTakeXPurposeAndReadsTakeMinPosition) {
  for (const http::RouteInfo& route : api_.router().routes()) {
    const json::object* op = FindOperation(route.pattern, http::MethodName(route.method));
    if (op == nullptr || route.policy.allow_anonymous) continue;
    std::string name = RouteName(route.method, route.pattern);

    EXPECT_TRUE(TakesParameter(*op, "XPurpose")) << name << ": list XPurpose in its parameters";
    if (route.method == http::Method::kGet) {
      EXPECT_TRUE(TakesParameter(*op, "MinPosition"))
          << name << ": list MinPosition in its parameters";
    }
  }
}

TEST_F(OpenApiDocumentTest, OperationIdsAreUnique) {
  std::set<std::string> ids;
  for (const auto& [path, item] : OpenApiDocumentJson().at("paths").as_object()) {
    for (const auto& [method, operation] : item.as_object()) {
      if (!kHttpMethods.contains(std::string(method))) continue;
      ASSERT_TRUE(operation.as_object().contains("operationId")) << method << " " << path;
      std::string id(operation.at("operationId").as_string());
      EXPECT_TRUE(ids.insert(id).second) << "operationId " << id << " is used twice";
    }
  }
}

TEST_F(OpenApiDocumentTest, TheServedDocumentIsDocsOpenApiJsonByteForByte) {
  std::string file = OpenApiFileBytes();

  CallResult served = api_.Call("GET", "/api/v1/openapi.json");

  ASSERT_FALSE(file.empty());
  EXPECT_EQ(served.status, 200);
  EXPECT_EQ(served.content_type, "application/json");
  EXPECT_TRUE(served.body == file)
      << "the binary embeds an old docs/openapi.json: rebuild (CMake regenerates it)";
  EXPECT_TRUE(OpenApiDocument() == file);
}

TEST_F(OpenApiDocumentTest, TheDocumentIsOpenApi3WithEveryComponentItReferences) {
  const json::object& doc = OpenApiDocumentJson();

  ASSERT_TRUE(doc.contains("openapi"));
  EXPECT_TRUE(std::string_view(doc.at("openapi").as_string()).starts_with("3."));
  // Every "$ref" in the document resolves.
  std::vector<const json::value*> pending = {&OpenApiDocumentJson().at("paths")};
  pending.push_back(&doc.at("components"));
  int refs = 0;
  while (!pending.empty()) {
    const json::value* v = pending.back();
    pending.pop_back();
    if (v->is_array()) {
      for (const json::value& item : v->as_array()) pending.push_back(&item);
    } else if (v->is_object()) {
      if (const json::value* ref = v->as_object().if_contains("$ref")) {
        ++refs;
        EXPECT_NE(&Resolve(*v), v) << "unresolved $ref " << ref->as_string();
      }
      for (const auto& [key, item] : v->as_object()) pending.push_back(&item);
    }
  }
  EXPECT_GT(refs, 0);
}

template <class E>
void ExpectEnumDocumented(std::string_view schema_name) {
  const json::value* schema =
      OpenApiDocumentJson().at("components").at("schemas").as_object().if_contains(schema_name);
  ASSERT_NE(schema, nullptr) << "components.schemas." << schema_name << " is missing";
  std::string documented;
  for (const json::value& v : schema->at("enum").as_array()) {
    if (!documented.empty()) documented += ", ";
    documented += v.as_string();
  }
  EXPECT_EQ(documented, ledger::EnumChoices<E>()) << "components.schemas." << schema_name;
}

TEST(OpenApiEnumTest, EnumerationsAreSpelledAsTheLedgerParsesThem) {
  ExpectEnumDocumented<schema::Channel>("Channel");
  ExpectEnumDocumented<schema::Category>("Category");
  ExpectEnumDocumented<schema::HateStrand>("HateStrand");
  ExpectEnumDocumented<schema::LinkRole>("LinkRole");
  ExpectEnumDocumented<schema::CaseType>("CaseType");
  ExpectEnumDocumented<schema::ActionType>("ActionType");
  ExpectEnumDocumented<schema::RiskLevel>("RiskLevel");
  ExpectEnumDocumented<schema::GranteeKind>("GranteeKind");
  ExpectEnumDocumented<schema::OrganisationKind>("OrganisationKind");
  ExpectEnumDocumented<schema::Role>("Role");
}

}  // namespace
}  // namespace caseledger::app::api::testing
