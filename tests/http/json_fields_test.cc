#include "app/http/json_fields.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace caseledger::app::http {
namespace {

Request WithBody(std::string body) {
  Request request;
  request.body = std::move(body);
  return request;
}

boost::json::object Object(std::string_view text) { return boost::json::parse(text).as_object(); }

TEST(ParseJsonBodyTest, ParsesAnObject) {
  ledger::Result<boost::json::value> body = ParseJsonBody(WithBody(R"({"a":[1,2]})"), {});

  ASSERT_TRUE(body);
  EXPECT_EQ(body.value().at("a").at(1), 2);
}

TEST(ParseJsonBodyTest, MalformedJsonNamesTheBodyWithoutEchoingIt) {
  ledger::Result<boost::json::value> body =
      ParseJsonBody(WithBody(R"({"name": "Jane Doe" "dob": 1})"), {});

  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, ledger::Code::kInvalidArgument);
  EXPECT_EQ(body.error().field, "body");
  EXPECT_TRUE(body.error().rule.starts_with("must be valid JSON (")) << body.error().rule;
  EXPECT_NE(body.error().rule.find("at byte"), std::string::npos) << body.error().rule;
  EXPECT_EQ(body.error().ToString().find("Jane"), std::string::npos);
}

TEST(ParseJsonBodyTest, EmptyAndTruncatedBodiesAreInvalid) {
  EXPECT_EQ(ParseJsonBody(WithBody(""), {}).error().rule, "must be valid JSON (empty body)");
  EXPECT_EQ(ParseJsonBody(WithBody(R"({"a":)"), {}).error().rule,
            "must be valid JSON (incomplete JSON)");
}

TEST(ParseJsonBodyTest, NestingDeeperThanTheLimitIsRejected) {
  std::string deep = std::string(40, '[') + std::string(40, ']');

  ledger::Result<boost::json::value> body =
      ParseJsonBody(WithBody(deep), {.max_depth = 32, .require_object = false});

  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().rule, "must be valid JSON (nested deeper than 32 levels)");
}

TEST(ParseJsonBodyTest, OversizedBodyIsResourceExhausted) {
  ledger::Result<boost::json::value> body =
      ParseJsonBody(WithBody(R"({"a":"0123456789"})"), {.max_bytes = 8});

  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, ledger::Code::kResourceExhausted);
  EXPECT_EQ(body.error().field, "body");
}

TEST(ParseJsonBodyTest, NonObjectIsRejectedWhenAnObjectIsRequired) {
  EXPECT_EQ(ParseJsonBody(WithBody("[1]"), {}).error().rule, "must be a JSON object");
  EXPECT_TRUE(ParseJsonBody(WithBody("[1]"), {.require_object = false}));
}

TEST(JsonFieldsTest, RequireStringReportsEachRule) {
  boost::json::object obj = Object(R"({"s":"héllo","n":1,"e":"","z":null})");

  EXPECT_EQ(RequireString(obj, "s", 5).value(), "héllo");
  EXPECT_EQ(RequireString(obj, "s", 4).error().rule, "must be at most 4 characters");
  EXPECT_EQ(RequireString(obj, "missing", 5).error().rule, "is required");
  EXPECT_EQ(RequireString(obj, "z", 5).error().rule, "is required");
  EXPECT_EQ(RequireString(obj, "n", 5).error().rule, "must be a string");
  EXPECT_EQ(RequireString(obj, "e", 5).error().rule, "must not be empty");
  EXPECT_EQ(RequireString(obj, "n", 5).error().field, "n");
}

TEST(JsonFieldsTest, OptionalStringAllowsAbsenceNullAndEmpty) {
  boost::json::object obj = Object(R"({"e":"","z":null})");

  EXPECT_EQ(OptionalString(obj, "missing", 5).value(), std::nullopt);
  EXPECT_EQ(OptionalString(obj, "z", 5).value(), std::nullopt);
  EXPECT_EQ(OptionalString(obj, "e", 5).value(), std::optional<std::string>(""));
}

TEST(JsonFieldsTest, IntegersAreRangeCheckedAndFractionsRejected) {
  boost::json::object obj = Object(R"({"p":3,"f":1.5,"big":18446744073709551615,"neg":-2})");

  EXPECT_EQ(RequireInt(obj, "p", 1, 5).value(), 3);
  EXPECT_EQ(OptionalInt(obj, "p", 4, 5).error().rule, "must be between 4 and 5");
  EXPECT_EQ(OptionalInt(obj, "f").error().rule, "must be an integer");
  EXPECT_EQ(OptionalInt(obj, "big").error().code, ledger::Code::kInvalidArgument);
  EXPECT_EQ(OptionalInt(obj, "neg", 0, 10).error().field, "neg");
  EXPECT_EQ(OptionalInt(obj, "missing").value(), std::nullopt);
}

TEST(JsonFieldsTest, BoolsAndObjectsAreTypeChecked) {
  boost::json::object obj = Object(R"({"b":true,"o":{"x":1},"s":"x"})");

  EXPECT_EQ(OptionalBool(obj, "b").value(), std::optional<bool>(true));
  EXPECT_EQ(OptionalBool(obj, "s").error().rule, "must be a boolean");
  EXPECT_EQ(RequireObject(obj, "o").value()->at("x"), 1);
  EXPECT_EQ(RequireObject(obj, "s").error().rule, "must be an object");
  EXPECT_EQ(OptionalObject(obj, "missing").value(), nullptr);
}

TEST(JsonFieldsTest, RejectUnknownFieldsNamesTheFirstUnknownField) {
  boost::json::object obj = Object(R"({"description":"x","colour":"red"})");

  ledger::Result<void> checked = RejectUnknownFields(obj, {"description", "priority"});

  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().field, "colour");
  EXPECT_EQ(checked.error().rule, "is not a known field");
  EXPECT_TRUE(RejectUnknownFields(obj, {"description", "colour"}));
}

TEST(JsonFieldsTest, RejectUnknownFieldsSanitisesTheReportedName) {
  boost::json::object obj = Object(R"({"Jane Doe <jane@example.org>":1})");

  ledger::Result<void> checked = RejectUnknownFields(obj, {});

  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().field, "Jane?Doe??jane?example.org?");
}

TEST(JsonFieldsTest, WithFieldPrefixQualifiesNestedFields) {
  ledger::Error error =
      WithFieldPrefix(ledger::InvalidField("uprn", "must be 1 to 12 digits"), "location");

  EXPECT_EQ(error.field, "location.uprn");
  EXPECT_EQ(error.message, "location.uprn must be 1 to 12 digits");
}

}  // namespace
}  // namespace caseledger::app::http
