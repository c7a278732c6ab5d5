// A unique directory under /tmp (or $TEST_TMPDIR when set) for one test, removed with everything
// in it when the TempDir is destroyed.
//
// Example:
//   TempDir dir;
//   auto ledger = TestLedger::Open(dir.Path("db"));
//
// Thread safety: const methods are thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace caseledger::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();

  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // `name` inside the directory (not created).
  std::string Path(std::string_view name) const;

 private:
  std::string path_;
};

}  // namespace caseledger::testing
