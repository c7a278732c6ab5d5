#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "app/http/response.h"

namespace caseledger::app::http {
namespace {

using ledger::Code;

boost::json::value Body(const Response& response) { return boost::json::parse(response.body); }

TEST(ErrorResponseTest, InvalidArgumentNamesTheFieldAndTheRule) {
  Response response =
      ErrorResponse(ledger::InvalidField("location.uprn", "must be 1 to 12 digits"));

  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(Body(response),
            (boost::json::value{{"error",
                                 {{"code", "invalid_argument"},
                                  {"message", "location.uprn must be 1 to 12 digits"},
                                  {"field", "location.uprn"},
                                  {"rule", "must be 1 to 12 digits"}}}}));
}

TEST(ErrorResponseTest, VersionConflictCarriesTheCurrentVersion) {
  Response response = ErrorResponse(ledger::Conflict(7, 5));

  EXPECT_EQ(response.status, 409);
  boost::json::value error = Body(response).at("error");
  EXPECT_EQ(error.at("code"), "version_conflict");
  EXPECT_EQ(error.at("current_version"), 7);
  EXPECT_FALSE(error.as_object().contains("field"));
  EXPECT_FALSE(error.as_object().contains("rule"));
}

TEST(ErrorResponseTest, EmptyMembersAreOmitted) {
  Response response = ErrorResponse(ledger::MakeError(Code::kNotFound, ""));

  EXPECT_EQ(Body(response), (boost::json::value{{"error", {{"code", "not_found"}}}}));
}

TEST(ErrorResponseTest, EveryCodeMapsToItsStatus) {
  const std::pair<Code, int> expected[] = {
      {Code::kInvalidArgument, 400},
      {Code::kUnauthenticated, 401},
      {Code::kPermissionDenied, 403},
      {Code::kNotFound, 404},
      {Code::kVersionConflict, 409},
      {Code::kAlreadyExists, 409},
      {Code::kIdempotencyMismatch, 422},
      {Code::kResourceExhausted, 413},
      {Code::kUnavailable, 503},
      {Code::kFenced, 503},
      {Code::kTimeout, 504},
      {Code::kCorruption, 500},
      {Code::kIOError, 500},
      {Code::kInternal, 500},
  };

  for (const auto& [code, status] : expected) {
    EXPECT_EQ(ErrorResponse(ledger::MakeError(code, "m")).status, status) << ledger::CodeName(code);
  }
}

TEST(ErrorResponseTest, RateLimitErrorsMapTo429AndSizeLimitsTo413) {
  EXPECT_EQ(ErrorResponse(RateLimitError()).status, 429);
  EXPECT_EQ(ErrorResponse(ledger::MakeError(Code::kResourceExhausted, "too big")).status, 413);
  Response limited = RateLimitedResponse(3);
  EXPECT_EQ(limited.status, 429);
  ASSERT_EQ(limited.headers.size(), 1u);
  EXPECT_EQ(limited.headers[0], (std::pair<std::string, std::string>{"Retry-After", "3"}));
}

TEST(ErrorResponseTest, UnauthenticatedAddsABearerChallenge) {
  Response response = ErrorResponse(ledger::MakeError(Code::kUnauthenticated, "no token"));

  EXPECT_EQ(response.status, 401);
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].first, "WWW-Authenticate");
  EXPECT_EQ(response.headers[0].second, "Bearer");
}

TEST(ErrorResponseTest, ServerErrorsHideTheirInternalMessage) {
  Response response =
      ErrorResponse(ledger::MakeError(Code::kIOError, "write /var/lib/caseledger/000042.log"));

  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find("/var/lib"), std::string::npos);
  EXPECT_EQ(Body(response).at("error").at("code"), "io_error");
}

TEST(ErrorResponseTest, JsonResponseSerialisesTheValue) {
  Response response = JsonResponse(201, boost::json::object{{"id", "incident-1"}});

  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, R"({"id":"incident-1"})");
}

}  // namespace
}  // namespace caseledger::app::http
