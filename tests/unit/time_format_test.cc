// RFC 3339 timestamps and calendar dates (ledger/time_format.h).
#include "ledger/time_format.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "support/result_assertions.h"

namespace caseledger::ledger {
namespace {

constexpr Micros kSecond = 1'000'000;
constexpr Micros kDay = 86'400 * kSecond;

TEST(TimeFormatTest, ParseTimestampMatchesTheDocumentedExample) {
  auto t = ParseTimestamp("2026-11-26T20:22:04.5Z");

  ASSERT_OK(t);
  EXPECT_EQ(t.value(), 1'795'724'524'500'000);
  EXPECT_EQ(FormatTimestamp(t.value()), "2026-11-26T20:22:04.500000Z");
}

TEST(TimeFormatTest, FormatTimestampWritesMicrosecondsAndZ) {
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatTimestamp(1), "1970-01-01T00:00:00.000001Z");
  EXPECT_EQ(FormatTimestamp(-1), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(FormatTimestamp(-kDay), "1969-12-31T00:00:00.000000Z");
  EXPECT_EQ(FormatTimestamp(951'782'400 * kSecond), "2000-02-29T00:00:00.000000Z");
}

TEST(TimeFormatTest, FormatThenParseRoundTripsRandomTimesFrom1900To9999) {
  std::mt19937_64 random(1900);
  const Micros first = -2'208'988'800 * kSecond;  // 1900-01-01T00:00:00Z
  const Micros last = 253'402'300'799 * kSecond;  // 9999-12-31T23:59:59Z
  std::uniform_int_distribution<Micros> in_range(first, last);

  for (int i = 0; i < 20000; ++i) {
    Micros t = i == 0 ? first : i == 1 ? last : in_range(random);

    auto parsed = ParseTimestamp(FormatTimestamp(t));

    ASSERT_OK(parsed);
    ASSERT_EQ(parsed.value(), t) << FormatTimestamp(t);
  }
}

TEST(TimeFormatTest, ParseTimestampAppliesOffsets) {
  auto utc = ParseTimestamp("2026-03-01T17:30:00Z");
  auto plus_one = ParseTimestamp("2026-03-01T18:30:00+01:00");
  auto minus_half = ParseTimestamp("2026-03-01T12:00:00-05:30");
  auto across_midnight = ParseTimestamp("2026-03-01T00:30:00+01:00");

  ASSERT_OK(utc);
  ASSERT_OK(plus_one);
  ASSERT_OK(minus_half);
  ASSERT_OK(across_midnight);
  EXPECT_EQ(plus_one.value(), utc.value());
  EXPECT_EQ(minus_half.value(), utc.value());
  EXPECT_EQ(FormatTimestamp(across_midnight.value()), "2026-02-28T23:30:00.000000Z");
}

TEST(TimeFormatTest, ParseTimestampReadsFractionsOfAnyLengthToTheMicrosecond) {
  auto base = ParseTimestamp("2026-03-01T17:30:00Z");
  ASSERT_OK(base);

  struct Case {
    const char* text;
    Micros fraction;
  };
  const std::vector<Case> cases = {
      {"2026-03-01T17:30:00.5Z", 500'000},      {"2026-03-01T17:30:00.05Z", 50'000},
      {"2026-03-01T17:30:00.123456Z", 123'456}, {"2026-03-01T17:30:00.1234569Z", 123'456},
      {"2026-03-01T17:30:00.000001+00:00", 1},  {"2026-03-01T17:30:00.999999999Z", 999'999}};
  for (const Case& c : cases) {
    auto t = ParseTimestamp(c.text);

    ASSERT_OK(t);
    EXPECT_EQ(t.value() - base.value(), c.fraction) << c.text;
  }
}

TEST(TimeFormatTest, ParseTimestampAcceptsLowerCaseSpaceSeparatorAndLeapSecond) {
  auto base = ParseTimestamp("2026-03-01T17:30:00Z");
  auto lower = ParseTimestamp("2026-03-01t17:30:00z");
  auto space = ParseTimestamp("2026-03-01 17:30:00Z");
  auto leap = ParseTimestamp("2016-12-31T23:59:60Z");

  ASSERT_OK(base);
  ASSERT_OK(lower);
  ASSERT_OK(space);
  ASSERT_OK(leap);
  EXPECT_EQ(lower.value(), base.value());
  EXPECT_EQ(space.value(), base.value());
  EXPECT_EQ(FormatTimestamp(leap.value()), "2016-12-31T23:59:59.000000Z");
}

TEST(TimeFormatTest, ParseTimestampRejectsMalformedInputNamingTheField) {
  const std::vector<std::string> invalid = {
      "",
      "2026-03-01",
      "2026-03-01T18:30:00",
      "2026-03-01T18:30Z",
      "2026-3-01T18:30:00Z",
      "2026-03-01X18:30:00Z",
      "2026-13-01T18:30:00Z",
      "2026-02-30T18:30:00Z",
      "2026-03-01T24:00:00Z",
      "2026-03-01T18:60:00Z",
      "2026-03-01T18:30:61Z",
      "2026-03-01T18:30:00.Z",
      "2026-03-01T18:30:00+24:00",
      "2026-03-01T18:30:00+01:60",
      "2026-03-01T18:30:00+0100",
      "2026-03-01T18:30:00+01",
      "2026-03-01T18:30:00+01:0",
      "2026-03-01T18:30:00Zjunk",
      "2026-03-01T18:30:00Z ",
      " 2026-03-01T18:30:00Z",
      "1899-12-31T23:59:59Z",
      "2026-03-01T1a:30:00Z",
      "abcd-ef-ghTij:kl:mnZ",
  };

  for (const std::string& text : invalid) {
    auto t = ParseTimestamp(text, "occurred_at");

    ASSERT_FALSE(t) << "accepted \"" << text << "\"";
    EXPECT_EQ(t.error().code, Code::kInvalidArgument) << text;
    EXPECT_EQ(t.error().field, "occurred_at") << text;
    EXPECT_FALSE(t.error().rule.empty()) << text;
  }
}

TEST(TimeFormatTest, ParseTimestampNamesTheDefaultField) {
  auto t = ParseTimestamp("yesterday");

  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().field, "timestamp");
}

TEST(TimeFormatTest, ParseDateReturnsDaysSinceTheEpoch) {
  EXPECT_EQ(ParseDate("1970-01-01").value(), 0);
  EXPECT_EQ(ParseDate("1969-12-31").value(), -1);
  EXPECT_EQ(ParseDate("1900-01-01").value(), -25'567);
  EXPECT_EQ(ParseDate("2026-11-26").value(), 20'783);
  EXPECT_EQ(ParseDate("9999-12-31").value(), 2'932'896);
}

TEST(TimeFormatTest, ParseDateAcceptsFebruary29OnlyInLeapYears) {
  EXPECT_OK(ParseDate("2024-02-29"));
  EXPECT_OK(ParseDate("2000-02-29"));
  EXPECT_ERROR_CODE(ParseDate("2023-02-29"), Code::kInvalidArgument);
  EXPECT_ERROR_CODE(ParseDate("1900-02-29"), Code::kInvalidArgument);
  EXPECT_ERROR_CODE(ParseDate("2100-02-29"), Code::kInvalidArgument);
  EXPECT_EQ(ParseDate("2024-03-01").value() - ParseDate("2024-02-28").value(), 2);
  EXPECT_EQ(ParseDate("2023-03-01").value() - ParseDate("2023-02-28").value(), 1);
}

TEST(TimeFormatTest, ParseDateRejectsImpossibleOrMalformedDatesNamingTheField) {
  const std::vector<std::string> invalid = {
      "",           "2026-04-31",  "2026-06-31",           "2026-00-10",     "2026-13-01",
      "2026-01-00", "2026-01-32",  "1899-12-31",           "2026-1-01",      "26-11-2026",
      "2026/11/26", "2026-11-26 ", "2026-11-26T00:00:00Z", "２０２６-11-26",
  };

  for (const std::string& text : invalid) {
    auto d = ParseDate(text, "date_of_birth");

    ASSERT_FALSE(d) << "accepted \"" << text << "\"";
    EXPECT_EQ(d.error().code, Code::kInvalidArgument) << text;
    EXPECT_EQ(d.error().field, "date_of_birth") << text;
    EXPECT_FALSE(d.error().rule.empty()) << text;
  }
}

TEST(TimeFormatTest, ParseDateAgreesWithParseTimestampAtMidnight) {
  std::mt19937 random(29);

  for (int i = 0; i < 2000; ++i) {
    Micros t = static_cast<Micros>(random() % 3'000'000) * kDay / 100 - 2'208'988'800 * kSecond;
    t -= ((t % kDay) + kDay) % kDay;  // midnight
    std::string text = FormatTimestamp(t).substr(0, 10);

    auto days = ParseDate(text);

    ASSERT_OK(days);
    EXPECT_EQ(days.value() * kDay, t) << text;
  }
}

}  // namespace
}  // namespace caseledger::ledger
