#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace caseledger::testing {

TempDir::TempDir() {
  // TEST_TMPDIR (the Bazel/GoogleTest convention) may point elsewhere, e.g. a tmpfs for speed.
  const char* base = std::getenv("TEST_TMPDIR");
  std::string pattern =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/caseledger-test-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed for " << pattern;
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::Path(std::string_view name) const {
  std::string out = path_;
  out.push_back('/');
  out.append(name);
  return out;
}

}  // namespace caseledger::testing
