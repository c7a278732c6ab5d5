// Every write route's body as documented in docs/openapi.json against its parser: the parser
// table covers every POST and PATCH route the server registers; each documented body schema
// refuses unknown members; removing each `required` member is a 400 naming it, removing any
// other member still parses, and an unknown member (at any depth) is a 400 naming it.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "api/body_parsers.h"
#include "app/http/handler.h"
#include "served_api.h"

namespace caseledger::app::api::testing {
namespace {

namespace json = boost::json;

constexpr const char* kFakeId = "record-0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
constexpr const char* kUnknown = "unexpected_member";

// Sets every path parameter a write route's parser reads.
void AddPathParams(http::RequestContext& ctx) {
  ctx.path_params.Add("id", kFakeId);
  ctx.path_params.Add("task_id", "task-1");
  ctx.path_params.Add("meeting_id", "meeting-1");
}

// Runs the table's parser for `route` on `body`, with every path parameter set.
ledger::Result<void> Parse(const BodyParser& route, const json::value& body) {
  http::RequestContext ctx;
  ctx.request.method = route.method;
  ctx.request.body = json::serialize(body);
  AddPathParams(ctx);
  return route.parse(ctx);
}

struct DocumentedBody {
  const BodyParser* route = nullptr;
  const json::object* schema = nullptr;
  json::object example{};
};

class RequestBodyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(api_.ok()) << api_.error();
    for (const BodyParser& route : BodyParsers()) {
      const json::object* op = FindOperation(route.pattern, http::MethodName(route.method));
      std::string name = RouteName(route.method, route.pattern);
      ASSERT_NE(op, nullptr) << name << " is not in docs/openapi.json";
      DocumentedBody body{.route = &route, .schema = BodySchema(*op)};
      ASSERT_NE(body.schema, nullptr) << name << ": document its application/json requestBody";
      const json::value* example = BodyExample(*op);
      ASSERT_TRUE(example != nullptr && example->is_object())
          << name << ": give its requestBody an example using every member";
      body.example = example->as_object();
      bodies_.push_back(std::move(body));
    }
  }

  std::vector<std::string> Required(const json::object& schema) {
    std::vector<std::string> out;
    if (const json::value* required = schema.if_contains("required")) {
      for (const json::value& name : required->as_array()) out.emplace_back(name.as_string());
    }
    return out;
  }

  CallResult Send(const DocumentedBody& body, const json::value& payload) {
    return api_.Call(http::MethodName(body.route->method), FillPath(body.route->pattern, kFakeId),
                     json::serialize(payload), {{"Content-Type", "application/json"}});
  }

  ServedApi api_;
  std::vector<DocumentedBody> bodies_;
};

TEST_F(RequestBodyTest, EveryWriteRouteTheServerRegistersHasAParserInTheTable) {
  for (const http::RouteInfo& route : api_.router().routes()) {
    if (!IsWriteMethod(route.method)) continue;
    bool found = false;
    for (const BodyParser& parser : BodyParsers()) {
      found = found || (parser.method == route.method && parser.pattern == route.pattern);
    }
    for (const BodilessWriteRoute& bodiless : BodilessWriteRoutes()) {
      found = found || (bodiless.method == route.method && bodiless.pattern == route.pattern);
    }
    EXPECT_TRUE(found) << RouteName(route.method, route.pattern)
                       << " has no entry in kBodyParsers (app/src/api/body_parsers.cc): add one "
                          "so its body is documented, tested and fuzzed";
  }
}

// The table only lists parsers; its action and status must still be the served route's.
TEST_F(RequestBodyTest, EveryTableEntryIsAServedRouteWithTheSameActionAndDocumentedStatus) {
  for (const BodyParser& parser : BodyParsers()) {
    const http::RouteInfo* served = nullptr;
    for (const http::RouteInfo& route : api_.router().routes()) {
      if (route.method == parser.method && route.pattern == parser.pattern) served = &route;
    }
    std::string name = RouteName(parser.method, parser.pattern);

    ASSERT_NE(served, nullptr) << name << " is in kBodyParsers but the server has no such route";
    EXPECT_EQ(served->policy.action.name(), parser.action) << name;
    const json::object* op = FindOperation(parser.pattern, http::MethodName(parser.method));
    ASSERT_NE(op, nullptr) << name;
    EXPECT_TRUE(op->at("responses").as_object().contains(std::to_string(parser.success_status)))
        << name << " answers " << parser.success_status << ": document it";
  }
}

TEST_F(RequestBodyTest, EveryDocumentedExampleParses) {
  for (const DocumentedBody& body : bodies_) {
    auto parsed = Parse(*body.route, body.example);

    EXPECT_TRUE(parsed) << RouteName(body.route->method, body.route->pattern) << ": "
                        << (parsed ? "" : parsed.error().ToString());
  }
}

// Checks `schema` and every object schema under it, following $refs.
void ExpectClosedObjects(const json::value& value, const std::string& where) {
  const json::value& schema = Resolve(value);
  if (!schema.is_object()) return;
  const json::object& s = schema.as_object();
  if (s.contains("properties")) {
    EXPECT_TRUE(s.contains("additionalProperties") && s.at("additionalProperties") == false)
        << where
        << " must say \"additionalProperties\": false (the parsers refuse unknown members)";
    for (const auto& [name, member] : s.at("properties").as_object()) {
      ExpectClosedObjects(member, where + "." + std::string(name));
    }
  }
  if (const json::value* items = s.if_contains("items")) ExpectClosedObjects(*items, where + "[]");
  for (const char* combinator : {"anyOf", "oneOf", "allOf"}) {
    if (const json::value* options = s.if_contains(combinator)) {
      for (const json::value& option : options->as_array()) ExpectClosedObjects(option, where);
    }
  }
}

TEST_F(RequestBodyTest, EveryDocumentedBodySchemaRefusesUnknownMembers) {
  for (const DocumentedBody& body : bodies_) {
    ExpectClosedObjects(json::value(*body.schema),
                        RouteName(body.route->method, body.route->pattern) + " body");
  }
}

TEST_F(RequestBodyTest, ExamplesUseEveryDocumentedMember) {
  for (const DocumentedBody& body : bodies_) {
    for (const auto& [name, member] : body.schema->at("properties").as_object()) {
      EXPECT_TRUE(body.example.contains(name))
          << RouteName(body.route->method, body.route->pattern) << ": the example lacks " << name
          << ", so nothing shows the parser accepts it";
    }
  }
}

TEST_F(RequestBodyTest, LeavingOutARequiredMemberIsA400NamingIt) {
  int checked = 0;
  for (const DocumentedBody& body : bodies_) {
    for (const std::string& member : Required(*body.schema)) {
      json::object without = body.example;
      without.erase(member);

      CallResult answer = Send(body, without);

      std::string name = RouteName(body.route->method, body.route->pattern) + " without " + member;
      EXPECT_EQ(answer.status, 400) << name << ": " << answer.body;
      EXPECT_EQ(answer.ErrorCode(), "invalid_argument") << name;
      EXPECT_EQ(answer.ErrorField(), member) << name << ": " << answer.body;
      ++checked;
    }
  }
  EXPECT_GT(checked, 20);
}

TEST_F(RequestBodyTest, LeavingOutAnOptionalMemberStillParses) {
  for (const DocumentedBody& body : bodies_) {
    std::vector<std::string> required = Required(*body.schema);
    for (const auto& [name, member] : body.example) {
      if (std::find(required.begin(), required.end(), name) != required.end()) continue;
      json::object without = body.example;
      without.erase(name);

      auto parsed = Parse(*body.route, without);

      EXPECT_TRUE(parsed) << RouteName(body.route->method, body.route->pattern) << " without "
                          << name << " is refused, so docs/openapi.json must list it as "
                          << "required: " << (parsed ? "" : parsed.error().ToString());
    }
  }
}

// Adds kUnknown to `object` and to every object below it (and the first element of each array
// of objects), one at a time, calling `check(body, expected field)` for each.
template <class Check>
void ForEachUnknownMember(const json::object& root, json::object& object, const std::string& path,
                          const Check& check) {
  object[kUnknown] = 1;
  check(root, path.empty() ? std::string(kUnknown) : path + "." + kUnknown);
  object.erase(kUnknown);
  for (auto& [name, member] : object) {
    std::string at = path.empty() ? std::string(name) : path + "." + std::string(name);
    if (member.is_object()) {
      ForEachUnknownMember(root, member.as_object(), at, check);
    } else if (member.is_array() && !member.as_array().empty() &&
               member.as_array()[0].is_object()) {
      ForEachUnknownMember(root, member.as_array()[0].as_object(), at + "[0]", check);
    }
  }
}

TEST_F(RequestBodyTest, AnUnknownMemberAtAnyDepthIsA400NamingIt) {
  int checked = 0;
  for (const DocumentedBody& body : bodies_) {
    json::object payload = body.example;
    // Maps (free-form member names, such as AssessRisk's answers) take any name.
    std::vector<std::string> maps;
    for (const auto& [name, member] : body.schema->at("properties").as_object()) {
      const json::value& s = Resolve(member);
      if (s.is_object() && s.as_object().contains("additionalProperties") &&
          s.at("additionalProperties").is_object()) {
        maps.emplace_back(name);
      }
    }
    json::object probe = payload;
    for (const std::string& map : maps) probe.erase(map);

    ForEachUnknownMember(probe, probe, "", [&](const json::object& with, const std::string& field) {
      CallResult answer = Send(body, with);

      std::string name = RouteName(body.route->method, body.route->pattern) + " with " + field;
      EXPECT_EQ(answer.status, 400) << name << ": " << answer.body;
      EXPECT_EQ(answer.ErrorField(), field) << name << ": " << answer.body;
      ++checked;
    });
  }
  EXPECT_GT(checked, 23);
}

TEST_F(RequestBodyTest, ARiskAnswerWiderThan32BitsIsRefusedRatherThanCut) {
  json::object body = json::parse(
      R"({"subject_id":"person-1","instrument_id":"i","instrument_version":1,)"
      R"("answers":{"q1":4294967297}})").as_object();

  CallResult answer = api_.Call("POST", "/api/v1/cases/case-1/risk-assessments",
                                json::serialize(body), {{"Content-Type", "application/json"}});

  EXPECT_EQ(answer.status, 400) << answer.body;
  EXPECT_EQ(answer.ErrorField(), "answers.q1") << answer.body;
}

// Found by fuzz_request_bodies: {"": 1} was refused with an empty field.
TEST_F(RequestBodyTest, AMemberWithAnEmptyNameIsA400ThatStillNamesAField) {
  CallResult top = api_.Call("POST", "/api/v1/vehicles", R"({"registration":"AB12CDE","":1})",
                             {{"Content-Type", "application/json"}});
  CallResult nested = api_.Call("POST", "/api/v1/addresses", R"({"coordinates":{"":1}})",
                                {{"Content-Type", "application/json"}});

  EXPECT_EQ(top.status, 400) << top.body;
  EXPECT_EQ(top.ErrorField(), "\"\"") << top.body;
  EXPECT_EQ(nested.status, 400) << nested.body;
  EXPECT_EQ(nested.ErrorField(), "coordinates.\"\"") << nested.body;
}

// tests/fuzz/corpus/request_bodies/valid_NN_ParseX.bin: byte NN selects the table's parser, the
// rest is a body it accepts. A reordered table or a parser without a seed fails here.
TEST(RequestBodySeedTest, EveryParserHasAValidSeedThatItsFirstByteSelects) {
  std::filesystem::path dir =
      std::filesystem::path(CASELEDGER_SOURCE_DIR) / "tests/fuzz/corpus/request_bodies";
  auto parsers = BodyParsers();
  std::set<std::size_t> seeded;

  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::string file = entry.path().filename().string();
    if (!file.starts_with("valid_")) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_FALSE(bytes.empty()) << file;
    std::size_t index = static_cast<unsigned char>(bytes[0]) % parsers.size();
    const BodyParser& parser = parsers[index];
    http::RequestContext ctx;
    ctx.request.body = bytes.substr(1);
    AddPathParams(ctx);

    auto parsed = parser.parse(ctx);

    EXPECT_NE(file.find(std::string(parser.name)), std::string::npos)
        << file << " selects " << parser.name << ": append new parsers at the end of the table";
    EXPECT_TRUE(parsed) << file << ": " << (parsed ? "" : parsed.error().ToString());
    seeded.insert(index);
  }
  for (std::size_t i = 0; i < parsers.size(); ++i) {
    EXPECT_TRUE(seeded.contains(i))
        << parsers[i].name << " (" << parsers[i].pattern << ") has no seed: add "
        << "tests/fuzz/corpus/request_bodies/valid_" << (i < 10 ? "0" : "") << i << "_"
        << parsers[i].name << ".bin (byte " << i << ", then a valid body)";
  }
}

}  // namespace
}  // namespace caseledger::app::api::testing
