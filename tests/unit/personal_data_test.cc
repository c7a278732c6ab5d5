// Sealing personal data per data subject and crypto-shredding (ledger/personal_data.h).
#include "ledger/personal_data.h"

#include <gtest/gtest.h>

#include <latch>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "schemas/common_generated.h"
#include "support/appends.h"
#include "support/event_builders.h"
#include "support/fixed_key_store.h"
#include "support/result_assertions.h"
#include "support/temp_dir.h"
#include "support/test_ledger.h"

namespace caseledger::ledger {
namespace {

using testing::TestLedger;

constexpr std::string_view kPerson = "person-0190a5d2-ac96-7abc-8def-0123456789ab";
constexpr std::string_view kOther = "person-0190a5d2-ac96-7abc-8def-0123456789ac";

class PersonalDataTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    node_.reset();
    node_ = TestLedger::Open(dir_.Path("db"));
    ASSERT_NE(node_, nullptr);
  }

  PersonalData& pd() { return node_->personal_data(); }
  KeyStore& keys() { return node_->keys(); }

  SealedValue Seal(std::string_view subject, std::string_view plaintext) {
    auto sealed = pd().Seal(subject, plaintext);
    EXPECT_TRUE(sealed) << testing::Describe(sealed);
    return sealed ? sealed.value() : SealedValue{};
  }


  // What a store reading only the keys family holds for `subject`, version 1.
  Result<SecretKey> Stored(std::string_view subject) {
    auto reader = OpenEmbeddedKeyStore(node_->store(), testing::TestMasterKey());
    return reader->Key(subject, 1);
  }
  void AppendAnEvent(int n) {
    auto appended = node_->log().Append(testing::OneStream(
        testing::StreamId("incident", n), kNoStream,
        {testing::Draft(EventType::IncidentReported, testing::MakeIncidentReported())}));
    ASSERT_OK(appended);
  }

  testing::TempDir dir_;
  std::unique_ptr<TestLedger> node_;
};

TEST_F(PersonalDataTest, SealThenOpenRoundTripsAnyPlaintext) {
  const std::vector<std::string> plaintexts = {"", "Jordan Example", std::string("\0\x01\xff", 3),
                                               std::string(100'000, 'p')};

  for (const std::string& plaintext : plaintexts) {
    SealedValue sealed = Seal(kPerson, plaintext);

    auto opened = pd().Open(sealed);

    ASSERT_OK(opened);
    EXPECT_EQ(opened.value(), plaintext);
    EXPECT_EQ(sealed.subject_id, kPerson);
    EXPECT_EQ(sealed.key_version, 1u);
    EXPECT_EQ(sealed.nonce.size(), 24u);
    EXPECT_EQ(sealed.ciphertext.size(), plaintext.size() + 16);
  }
}

TEST_F(PersonalDataTest, SealingTwiceUsesFreshNoncesAndHidesThePlaintext) {
  SealedValue a = Seal(kPerson, "same words");
  SealedValue b = Seal(kPerson, "same words");

  EXPECT_NE(a.nonce, b.nonce);
  EXPECT_NE(a.ciphertext, b.ciphertext);
  EXPECT_EQ(a.ciphertext.find("same words"), std::string::npos);
}

TEST_F(PersonalDataTest, OpenAcceptsTheSchemaSealedTable) {
  SealedValue sealed = Seal(kPerson, "in a flatbuffer");
  flatbuffers::FlatBufferBuilder b;
  std::vector<std::uint8_t> nonce(sealed.nonce.begin(), sealed.nonce.end());
  std::vector<std::uint8_t> ciphertext(sealed.ciphertext.begin(), sealed.ciphertext.end());
  b.Finish(schema::CreateSealedDirect(b, sealed.subject_id.c_str(), sealed.key_version, &nonce,
                                      &ciphertext));

  auto opened = pd().Open(*flatbuffers::GetRoot<schema::Sealed>(b.GetBufferPointer()));

  ASSERT_OK(opened);
  EXPECT_EQ(opened.value(), "in a flatbuffer");
}

TEST_F(PersonalDataTest, AValueMovedToAnotherSubjectFailsAsCorruption) {
  Seal(kOther, "gives the other subject a key");
  SealedValue sealed = Seal(kPerson, "secret");
  sealed.subject_id = kOther;

  auto opened = pd().Open(sealed);

  EXPECT_ERROR_CODE(opened, Code::kCorruption);
}

TEST(PersonalDataAdditionalDataTest, TheSubjectIdIsBoundEvenUnderTheSameKey) {
  testing::SharedKeyStore keys(testing::FixtureMasterKey());
  SeededRandom random(1);
  PersonalData pd(keys, random);
  auto sealed = pd.Seal(kPerson, "secret");
  ASSERT_OK(sealed);
  SealedValue moved = sealed.value();
  moved.subject_id = kOther;

  auto original = pd.Open(sealed.value());
  auto opened = pd.Open(moved);

  EXPECT_OK(original);
  EXPECT_ERROR_CODE(opened, Code::kCorruption);
}

TEST_F(PersonalDataTest, AnyTamperedByteFailsAsCorruption) {
  const SealedValue sealed = Seal(kPerson, "do not change me");

  for (std::size_t i = 0; i < sealed.ciphertext.size(); ++i) {
    SealedValue tampered = sealed;
    tampered.ciphertext[i] ^= 0x01;
    EXPECT_ERROR_CODE(pd().Open(tampered), Code::kCorruption) << "ciphertext byte " << i;
  }
  for (std::size_t i = 0; i < sealed.nonce.size(); ++i) {
    SealedValue tampered = sealed;
    tampered.nonce[i] ^= 0x80;
    EXPECT_ERROR_CODE(pd().Open(tampered), Code::kCorruption) << "nonce byte " << i;
  }
}

TEST_F(PersonalDataTest, MalformedSealedValuesFailCleanly) {
  SealedValue sealed = Seal(kPerson, "x");
  SealedValue short_nonce = sealed;
  short_nonce.nonce.pop_back();
  SealedValue short_ciphertext = sealed;
  short_ciphertext.ciphertext.resize(15);
  SealedValue unknown_version = sealed;
  unknown_version.key_version = 2;

  EXPECT_ERROR_CODE(pd().Open(short_nonce), Code::kCorruption);
  EXPECT_ERROR_CODE(pd().Open(short_ciphertext), Code::kCorruption);
  EXPECT_ERROR_CODE(pd().Open(unknown_version), Code::kCorruption);  // never held, not disposed
  EXPECT_ERROR_CODE(pd().Seal("", "x"), Code::kInvalidArgument);
}

TEST_F(PersonalDataTest, DestroyMakesSealedDataUnreadableAndRefusesNewKeys) {
  SealedValue sealed = Seal(kPerson, "Jordan Example");
  SealedValue other = Seal(kOther, "someone else");

  ASSERT_OK(keys().Destroy(kPerson));

  EXPECT_ERROR_CODE(pd().Open(sealed), Code::kNotFound);
  EXPECT_ERROR_CODE(keys().CurrentKey(kPerson), Code::kNotFound);
  EXPECT_ERROR_CODE(keys().Key(kPerson, 1), Code::kNotFound);
  EXPECT_ERROR_CODE(pd().Seal(kPerson, "new data"), Code::kNotFound);
  EXPECT_OK(pd().Open(other));
  EXPECT_OK(keys().Destroy(kPerson));  // idempotent
}

TEST_F(PersonalDataTest, DestroyingASubjectThatNeverHadAKeyStillRefusesOne) {
  ASSERT_OK(keys().Destroy(kPerson));

  EXPECT_ERROR_CODE(keys().CurrentKey(kPerson), Code::kNotFound);
}

TEST_F(PersonalDataTest, DestroyLeavesSubjectsWhoseIdsExtendTheDestroyedOne) {
  SealedValue longer = Seal("person-1x", "kept");
  SealedValue digits = Seal("person-10", "kept too");
  Seal("person-1", "gone");

  ASSERT_OK(keys().Destroy("person-1"));

  EXPECT_OK(pd().Open(longer));
  EXPECT_OK(pd().Open(digits));
  EXPECT_OK(keys().CurrentKey("person-10"));
}

TEST_F(PersonalDataTest, KeysAndDestructionSurviveAReopen) {
  SealedValue kept = Seal(kPerson, "still readable");
  SealedValue shredded = Seal(kOther, "gone for good");
  auto key_before = keys().CurrentKey(kPerson);
  ASSERT_OK(key_before);
  ASSERT_OK(keys().Destroy(kOther));

  Reopen();

  auto opened = pd().Open(kept);
  ASSERT_OK(opened);
  EXPECT_EQ(opened.value(), "still readable");
  auto key_after = keys().CurrentKey(kPerson);
  ASSERT_OK(key_after);
  EXPECT_EQ(key_after.value(), key_before.value());
  EXPECT_ERROR_CODE(pd().Open(shredded), Code::kNotFound);
  EXPECT_ERROR_CODE(keys().CurrentKey(kOther), Code::kNotFound);
}

// Read from the store, not the cache: a subject's keys and tombstone are told apart from those of
// subjects whose ids extend its id.
TEST_F(PersonalDataTest, AfterAReopenSubjectsWhoseIdsExtendAnotherKeepTheirOwnKeys) {
  auto extended = keys().CurrentKey("person-10");
  ASSERT_OK(extended);
  auto destroyed_extension = keys().CurrentKey("person-20");
  ASSERT_OK(destroyed_extension);
  ASSERT_OK(keys().Destroy("person-20"));
  ASSERT_OK(keys().Destroy("person-1"));
  AppendAnEvent(1);  // stores the keys waiting for the log's next batch

  Reopen();

  EXPECT_ERROR_CODE(keys().CurrentKey("person-1"), Code::kNotFound);
  auto again = keys().CurrentKey("person-10");
  ASSERT_OK(again);
  EXPECT_EQ(again.value(), extended.value());
  EXPECT_ERROR_CODE(keys().CurrentKey("person-20"), Code::kNotFound);
  auto fresh = keys().CurrentKey("person-2");
  ASSERT_OK(fresh);  // person-20's tombstone is not person-2's
  EXPECT_NE(fresh.value().second, extended.value().second);
}

// A new key is not written by a Put of its own: it rides in the event log's next batch, so it is
// stored by the time the append that follows its creation is acknowledged, and never after the
// event sealed with it (ledger/deferred_writes.h).
using DeferredKeyTest = PersonalDataTest;

TEST_F(DeferredKeyTest, ANewKeyIsStoredWithTheNextAppendAndNotBefore) {
  auto created = keys().CurrentKey(kPerson);
  ASSERT_OK(created);

  EXPECT_ERROR_CODE(Stored(kPerson), Code::kCorruption);  // not in the keys family yet
  EXPECT_OK(keys().Key(kPerson, 1));                       // but usable at once

  AppendAnEvent(1);

  auto stored = Stored(kPerson);
  ASSERT_OK(stored);
  EXPECT_EQ(stored.value(), created.value().second);
}

TEST_F(DeferredKeyTest, AKeyDestroyedBeforeAnyAppendIsNeverWritten) {
  ASSERT_OK(keys().CurrentKey(kPerson));
  ASSERT_OK(keys().CurrentKey(kOther));

  ASSERT_OK(keys().Destroy(kPerson));
  AppendAnEvent(1);

  EXPECT_ERROR_CODE(Stored(kPerson), Code::kNotFound);  // destroyed, not resurrected
  EXPECT_OK(Stored(kOther));
  Reopen();
  EXPECT_ERROR_CODE(keys().CurrentKey(kPerson), Code::kNotFound);
}

TEST_F(DeferredKeyTest, AKeyCreatedSinceTheLastAppendIsKeptOnACleanClose) {
  SealedValue sealed = Seal(kPerson, "written at close");

  Reopen();

  auto opened = pd().Open(sealed);
  ASSERT_OK(opened);
  EXPECT_EQ(opened.value(), "written at close");
}

TEST_F(PersonalDataTest, AnotherMasterKeyCannotUnwrapStoredKeys) {
  SealedValue sealed = Seal(kPerson, "secret");
  AppendAnEvent(1);  // which stores the key
  SecretKey wrong = testing::TestMasterKey();
  wrong[0] ^= 1;
  auto other_keys = OpenEmbeddedKeyStore(node_->store(), wrong);
  PersonalData other(*other_keys, node_->random());

  auto opened = other.Open(sealed);

  EXPECT_ERROR_CODE(opened, Code::kCorruption);
}

TEST_F(PersonalDataTest, ConcurrentFirstUsesOfASubjectAgreeOnOneKey) {
  constexpr int kThreads = 8;
  std::vector<Result<std::pair<std::uint32_t, SecretKey>>> keys_seen(
      kThreads, MakeError(Code::kInternal, "not run"));
  std::latch start(kThreads);

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      keys_seen[t] = keys().CurrentKey(kPerson);
    });
  }
  for (auto& t : threads) t.join();

  std::set<SecretKey> distinct;
  for (const auto& k : keys_seen) {
    ASSERT_OK(k);
    EXPECT_EQ(k.value().first, 1u);
    distinct.insert(k.value().second);
  }
  EXPECT_EQ(distinct.size(), 1u);
  Reopen();
  auto stored = keys().CurrentKey(kPerson);
  ASSERT_OK(stored);
  EXPECT_EQ(stored.value().second, *distinct.begin());
}

}  // namespace
}  // namespace caseledger::ledger
