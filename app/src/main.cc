#include "app/cli.h"

int main(int argc, char** argv) { return caseledger::app::RunCli(argc, argv); }
