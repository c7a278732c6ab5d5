// The caseledger command line: `caseledger <subcommand> [options]`. Returns the exit status.
#pragma once

namespace caseledger::app {

int RunCli(int argc, char** argv);

}  // namespace caseledger::app
