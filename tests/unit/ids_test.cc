// UUIDs, UUIDv7 generation, record ids and log positions (ledger/ids.h, ledger/event.h).
#include "ledger/ids.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "ledger/event.h"

namespace caseledger::ledger {
namespace {

constexpr Micros kStart = 1'767'225'600'123'456;  // 2026-01-01T00:00:00.123456Z

std::uint64_t TimestampMillis(const Uuid& id) {
  std::uint64_t ms = 0;
  for (int i = 0; i < 6; ++i) ms = ms << 8 | id.bytes[i];
  return ms;
}

TEST(IdGeneratorTest, IdsCarryVersion7TheVariantAndTheClockMilliseconds) {
  ManualClock clock(kStart);
  SeededRandom random(1);
  IdGenerator ids(clock, random);

  for (int i = 0; i < 1000; ++i) {
    Uuid id = ids.Next();

    EXPECT_EQ(id.bytes[6] >> 4, 7) << id.ToString();
    EXPECT_EQ(id.bytes[8] & 0xc0, 0x80) << id.ToString();
    EXPECT_EQ(id.ToString()[14], '7');
    EXPECT_EQ(TimestampMillis(id), static_cast<std::uint64_t>(clock.NowMicros() / 1000));
    clock.Advance(1000);
  }
}

TEST(IdGeneratorTest, IdsAreStrictlyIncreasingUnderAFrozenClock) {
  ManualClock clock(kStart);
  SeededRandom random(2);
  IdGenerator ids(clock, random);
  std::vector<Uuid> generated;

  for (int i = 0; i < 10000; ++i) generated.push_back(ids.Next());

  for (std::size_t i = 1; i < generated.size(); ++i) {
    ASSERT_LT(generated[i - 1], generated[i]) << "at " << i;
    ASSERT_LT(generated[i - 1].ToString(), generated[i].ToString()) << "at " << i;
    EXPECT_EQ(generated[i].bytes[6] >> 4, 7);
    EXPECT_EQ(generated[i].bytes[8] & 0xc0, 0x80);
  }
  EXPECT_EQ(TimestampMillis(generated.front()), static_cast<std::uint64_t>(kStart / 1000));
  EXPECT_GE(TimestampMillis(generated.back()), static_cast<std::uint64_t>(kStart / 1000));
}

TEST(IdGeneratorTest, AClockThatStepsBackNeverReordersIds) {
  ManualClock clock(kStart);
  SeededRandom random(3);
  IdGenerator ids(clock, random);
  Uuid previous = ids.Next();

  for (int i = 0; i < 500; ++i) {
    clock.Advance(i % 3 == 0 ? -5'000'000 : 700);
    Uuid id = ids.Next();

    ASSERT_LT(previous, id) << "step " << i;
    previous = id;
  }
}

TEST(IdGeneratorTest, IdsFromManyThreadsAreUniqueAndIncreasingPerThread) {
  ManualClock clock(kStart);
  SeededRandom random(4);
  IdGenerator ids(clock, random);
  std::vector<std::vector<Uuid>> per_thread(8);

  std::vector<std::thread> threads;
  for (auto& out : per_thread) {
    threads.emplace_back([&ids, &out] {
      for (int i = 0; i < 1000; ++i) out.push_back(ids.Next());
    });
  }
  for (auto& t : threads) t.join();

  std::set<Uuid> all;
  for (const auto& out : per_thread) {
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (i > 0) {
        EXPECT_LT(out[i - 1], out[i]);
      }
      all.insert(out[i]);
    }
  }
  EXPECT_EQ(all.size(), 8000u);
}

TEST(IdGeneratorTest, TheSameSeedAndClockGiveTheSameIds) {
  ManualClock clock_a(kStart), clock_b(kStart);
  SeededRandom random_a(42), random_b(42);
  IdGenerator a(clock_a, random_a), b(clock_b, random_b);

  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(a.Next(), b.Next()) << "at " << i;
  }
}

TEST(UuidTest, ToStringThenParseRoundTripsRandomIds) {
  std::mt19937_64 random(5);

  for (int i = 0; i < 2000; ++i) {
    Uuid id;
    for (auto& b : id.bytes) b = static_cast<std::uint8_t>(random());

    std::string text = id.ToString();
    auto parsed = Uuid::Parse(text);

    ASSERT_EQ(text.size(), 36u);
    EXPECT_EQ(text[8], '-');
    EXPECT_EQ(text[13], '-');
    EXPECT_EQ(text[18], '-');
    EXPECT_EQ(text[23], '-');
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(*parsed, id);
  }
}

TEST(UuidTest, ParseAcceptsUpperCaseAndWritesLowerCase) {
  auto id = Uuid::Parse("0190A5D2-AC96-7ABC-8DEF-0123456789AB");

  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->ToString(), "0190a5d2-ac96-7abc-8def-0123456789ab");
  EXPECT_EQ(id->bytes[0], 0x01);
  EXPECT_EQ(id->bytes[15], 0xab);
}

TEST(UuidTest, ParseRejectsAnythingButThe36CharacterForm) {
  const std::vector<std::string> invalid = {
      "",
      "0190a5d2ac967abc8def0123456789ab",
      "{0190a5d2-ac96-7abc-8def-0123456789ab}",
      "0190a5d2-ac96-7abc-8def-0123456789a",
      "0190a5d2-ac96-7abc-8def-0123456789abc",
      "0190a5d2-ac96-7abc-8def_0123456789ab",
      "0190a5d-2ac96-7abc-8def-0123456789ab",
      "0190a5d2-ac96-7abc-8def-0123456789ag",
      "0190a5d2-ac96-7abc-8def-01234567 9ab",
      "g190a5d2-ac96-7abc-8def-0123456789ab",
      "0190a5d2--ac96-7abc-8def-0123456789a",
  };

  for (const std::string& text : invalid) {
    EXPECT_FALSE(Uuid::Parse(text).has_value()) << "accepted \"" << text << "\"";
  }
}

TEST(UuidTest, OnlyTheAllZeroIdIsNil) {
  Uuid nil;
  Uuid one;
  one.bytes[15] = 1;

  EXPECT_TRUE(nil.IsNil());
  EXPECT_FALSE(one.IsNil());
  EXPECT_EQ(nil.ToString(), "00000000-0000-0000-0000-000000000000");
}

TEST(RecordIdTest, RecordIdsJoinKindAndUuid) {
  Uuid id = *Uuid::Parse("0190a5d2-ac96-7abc-8def-0123456789ab");

  std::string record = RecordId("incident", id);

  EXPECT_EQ(record, "incident-0190a5d2-ac96-7abc-8def-0123456789ab");
  EXPECT_EQ(RecordKind(record), "incident");
  EXPECT_TRUE(IsRecordId(record));
}

TEST(RecordIdTest, IsRecordIdAcceptsEveryKnownKindAndNothingElse) {
  Uuid id = *Uuid::Parse("0190a5d2-ac96-7abc-8def-0123456789ab");

  for (const char* kind : {"incident", "person", "address", "vehicle", "link", "case", "grant",
                           "instrument"}) {
    EXPECT_TRUE(IsRecordId(RecordId(kind, id))) << kind;
  }
  EXPECT_FALSE(IsRecordId(RecordId("incidents", id)));
  EXPECT_FALSE(IsRecordId(RecordId("Incident", id)));
  EXPECT_FALSE(IsRecordId("incident-"));
  EXPECT_FALSE(IsRecordId("incident"));
  EXPECT_FALSE(IsRecordId("incident-0190a5d2-ac96-7abc-8def-0123456789ab-x"));
  EXPECT_FALSE(IsRecordId("-0190a5d2-ac96-7abc-8def-0123456789ab"));
  EXPECT_EQ(RecordKind("nodash"), "");
}

TEST(PositionTest, ParseAcceptsPartitionAndOffsetOrABareOffset) {
  auto full = Position::Parse("3:42");
  auto bare = Position::Parse("42");
  auto big = Position::Parse("4294967295:18446744073709551615");

  ASSERT_TRUE(full.has_value());
  ASSERT_TRUE(bare.has_value());
  ASSERT_TRUE(big.has_value());
  EXPECT_EQ(*full, (Position{3, 42}));
  EXPECT_EQ(*bare, (Position{0, 42}));
  EXPECT_EQ(*big, (Position{4294967295u, 18446744073709551615u}));
}

TEST(PositionTest, ToStringThenParseRoundTrips) {
  for (Position p : {Position{0, 0}, Position{0, 1}, Position{7, 123456789}}) {
    auto parsed = Position::Parse(p.ToString());

    ASSERT_TRUE(parsed.has_value()) << p.ToString();
    EXPECT_EQ(*parsed, p);
  }
  EXPECT_EQ((Position{0, 42}).ToString(), "0:42");
}

TEST(PositionTest, ParseRejectsMalformedOrOutOfRangeText) {
  const std::vector<std::string> invalid = {
      "",    ":",     "1:",   ":1",           "a:1",
      "1:b", "1:2:3", "-1",   "1:-2",         " 1",
      "1 ",  "+1",    "0x10", "4294967296:1", "18446744073709551616",
      "1.5",
  };

  for (const std::string& text : invalid) {
    EXPECT_FALSE(Position::Parse(text).has_value()) << "accepted \"" << text << "\"";
  }
}

TEST(PositionTest, PositionsOrderByPartitionThenOffset) {
  EXPECT_LT((Position{0, 5}), (Position{1, 1}));
  EXPECT_LT((Position{1, 2}), (Position{1, 3}));
  EXPECT_EQ((Position{2, 9}), (Position{2, 9}));
}

}  // namespace
}  // namespace caseledger::ledger
