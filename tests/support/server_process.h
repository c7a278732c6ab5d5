// A `caseledger serve` child process for integration tests: started on a free loopback port,
// waited for until /healthz answers, killed (SIGKILL) or stopped (SIGTERM) on demand.
// By default it runs with `--insecure-dev-identity` (no login; every request is dev-user), as the
// tests written before identity expect; set_dev_identity(false) serves with real sign-in.
//
// Example:
//   ServerProcess server(CASELEDGER_BINARY, dir.Path("data"));
//   ASSERT_TRUE(server.Start());
//   ... requests to server.port() ...
//   server.Kill();            // crash it
//   ASSERT_TRUE(server.Start());
//
// Thread safety: one controlling thread; port() may be read from any thread.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace caseledger::testing {

class ServerProcess {
 public:
  ServerProcess(std::string binary, std::string data_dir, std::vector<std::string> extra_args = {});
  ~ServerProcess();

  // Starts the server and waits (up to 60 s) until GET /healthz answers 200. Picks a new free
  // port on each start. False (with a message on stderr) when it does not come up.
  bool Start();
  // SIGKILL, then reaps it.
  void Kill();
  // SIGTERM, then waits for it to exit; returns its exit status (-1 if it had to be killed).
  int Stop();
  bool running() const { return pid_ > 0; }
  // Whether the next Start() passes --insecure-dev-identity (default: true).
  void set_dev_identity(bool on) { dev_identity_ = on; }
  std::uint16_t port() const { return port_.load(); }
  // The server's stderr so far (it goes to a file beside the data directory).
  std::string Log() const;

 private:
  std::string binary_;
  std::string data_dir_;
  std::vector<std::string> extra_args_;
  std::string log_path_;
  pid_t pid_ = -1;
  bool dev_identity_ = true;
  std::atomic<std::uint16_t> port_{0};
};

// A loopback TCP port nobody listens on right now.
std::uint16_t FreePort();

// Runs the caseledger binary with `args` and returns its exit status; stdout goes to `output`.
int RunCaseledger(const std::string& binary, const std::vector<std::string>& args,
                  std::string* output = nullptr);

}  // namespace caseledger::testing
