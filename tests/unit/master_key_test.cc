// Loading and creating the node's master key file (ledger/personal_data.h, LoadMasterKey).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "ledger/envelope.h"
#include "ledger/personal_data.h"
#include "support/result_assertions.h"
#include "support/temp_dir.h"

namespace caseledger::ledger {
namespace {

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string Raw(const SecretKey& key) { return std::string(key.begin(), key.end()); }

SecretKey Counting(std::uint8_t first) {
  SecretKey key;
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(first + i);
  return key;
}

TEST(MasterKeyTest, CreateWritesAPrivateHexFileThatReadsBack) {
  testing::TempDir dir;
  const std::string path = dir.Path("master.key");

  auto created = LoadMasterKey(path, /*create=*/true);
  auto loaded = LoadMasterKey(path, /*create=*/false);

  ASSERT_OK(created);
  ASSERT_OK(loaded);
  EXPECT_EQ(loaded.value(), created.value());
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(ReadFile(path), ToHex(Raw(created.value())) + "\n");
}

TEST(MasterKeyTest, CreateNeverReplacesAnExistingKey) {
  testing::TempDir dir;
  const std::string path = dir.Path("master.key");
  WriteFile(path, Raw(Counting(0x10)));

  auto loaded = LoadMasterKey(path, /*create=*/true);

  ASSERT_OK(loaded);
  EXPECT_EQ(loaded.value(), Counting(0x10));
  EXPECT_EQ(ReadFile(path), Raw(Counting(0x10)));
}

TEST(MasterKeyTest, AMissingFileWithoutCreateIsNotFound) {
  testing::TempDir dir;

  auto loaded = LoadMasterKey(dir.Path("absent.key"), /*create=*/false);

  EXPECT_ERROR_CODE(loaded, Code::kNotFound);
}

TEST(MasterKeyTest, RawAndHexFormsReadAsTheSameKey) {
  testing::TempDir dir;
  const SecretKey key = Counting(0xa0);
  const std::string hex = ToHex(Raw(key));
  std::string upper = hex;
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  const std::vector<std::string> forms = {Raw(key), hex, hex + "\n", hex + "\r\n", upper};

  for (std::size_t i = 0; i < forms.size(); ++i) {
    const std::string path = dir.Path("key" + std::to_string(i));
    WriteFile(path, forms[i]);

    auto loaded = LoadMasterKey(path, /*create=*/false);

    ASSERT_OK(loaded);
    EXPECT_EQ(loaded.value(), key) << "form " << i;
  }
}

TEST(MasterKeyTest, FilesOfTheWrongLengthOrAlphabetAreRefused) {
  testing::TempDir dir;
  const std::string hex = ToHex(Raw(Counting(0)));
  const std::vector<std::string> bad = {
      "",        std::string(31, 'k'), std::string(33, 'k'),    hex.substr(0, 63),
      hex + "0", std::string(64, 'g'), hex.substr(0, 62) + " 0"};

  for (std::size_t i = 0; i < bad.size(); ++i) {
    const std::string path = dir.Path("bad" + std::to_string(i));
    WriteFile(path, bad[i]);

    auto loaded = LoadMasterKey(path, /*create=*/false);

    EXPECT_ERROR_CODE(loaded, Code::kInvalidArgument) << "case " << i;
  }
}

TEST(MasterKeyTest, ARawKeyEndingInANewlineByteReadsBackIntact) {
  testing::TempDir dir;
  SecretKey key = Counting(0x40);
  key[31] = '\n';
  const std::string path = dir.Path("master.key");
  WriteFile(path, Raw(key));

  auto loaded = LoadMasterKey(path, /*create=*/false);

  ASSERT_OK(loaded);
  EXPECT_EQ(loaded.value(), key);
}

}  // namespace
}  // namespace caseledger::ledger
