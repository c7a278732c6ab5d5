// The subcommands of the caseledger binary, one file each (cli_<name>.cc). Each takes the
// arguments after its name and returns the process exit status.
#pragma once

#include <string>
#include <vector>

namespace caseledger::app {

int RunServe(const std::vector<std::string>& args);
int RunRebuild(const std::vector<std::string>& args);
int RunVerify(const std::vector<std::string>& args);
int RunReplay(const std::vector<std::string>& args);
int RunBench(const std::vector<std::string>& args);
int RunMigrateLog(const std::vector<std::string>& args);
int RunCreateAdmin(const std::vector<std::string>& args);

}  // namespace caseledger::app
