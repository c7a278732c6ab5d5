// Password hashing (docs/identity.md "Passwords"): argon2id at the documented cost, verified
// against the right password only, and refused below the OWASP floor.
#include <gtest/gtest.h>

#include "app/identity/passwords.h"
#include "support/result_assertions.h"

namespace caseledger::app::identity {
namespace {

TEST(PasswordsTest, DefaultParametersAreArgon2idAt64MiBAndThreePasses) {
  ASSERT_OK_AND_ASSIGN(std::string hash, HashPassword("correct horse battery"));

  EXPECT_EQ(hash.rfind("$argon2id$v=19$m=65536,t=3,p=1$", 0), 0u) << hash;
  EXPECT_GE(PasswordParams{}.opslimit, kMinimumOpslimit);
  EXPECT_GE(PasswordParams{}.memlimit, kMinimumMemlimit);
}

TEST(PasswordsTest, VerifiesTheRightPasswordOnly) {
  PasswordParams cheap{.opslimit = kMinimumOpslimit, .memlimit = kMinimumMemlimit};
  ASSERT_OK_AND_ASSIGN(std::string hash, HashPassword("correct horse battery", cheap));

  EXPECT_TRUE(VerifyPassword(hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(hash, "correct horse batterY"));
  EXPECT_FALSE(VerifyPassword(hash, ""));
  EXPECT_FALSE(VerifyPassword("", "correct horse battery"));
  EXPECT_FALSE(VerifyPassword("$argon2id$garbage", "correct horse battery"));
}

TEST(PasswordsTest, TheSamePasswordHashesWithADifferentSaltEachTime) {
  PasswordParams cheap{.opslimit = kMinimumOpslimit, .memlimit = kMinimumMemlimit};
  ASSERT_OK_AND_ASSIGN(std::string a, HashPassword("correct horse battery", cheap));
  ASSERT_OK_AND_ASSIGN(std::string b, HashPassword("correct horse battery", cheap));

  EXPECT_NE(a, b);
}

TEST(PasswordsTest, ParametersBelowTheOwaspFloorAreRefused) {
  auto weak = HashPassword("correct horse battery", {.opslimit = 1, .memlimit = 64u << 20});
  auto small = HashPassword("correct horse battery", {.opslimit = 3, .memlimit = 8u << 20});

  ASSERT_FALSE(weak);
  ASSERT_FALSE(small);
  EXPECT_EQ(weak.error().code, ledger::Code::kInvalidArgument);
}

TEST(PasswordsTest, PolicyWantsTwelveToOneThousandAndTwentyFourBytes) {
  EXPECT_FALSE(CheckPasswordPolicy("short"));
  EXPECT_OK(CheckPasswordPolicy("twelve chars"));
  auto too_long = CheckPasswordPolicy(std::string(1025, 'x'));
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().field, "password");
}

TEST(PasswordsTest, GeneratedPasswordsPassThePolicyAndDiffer) {
  std::string a = GeneratePassword();
  std::string b = GeneratePassword();

  EXPECT_EQ(a.size(), 20u);
  EXPECT_OK(CheckPasswordPolicy(a));
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace caseledger::app::identity
