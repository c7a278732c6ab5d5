// `caseledger create-admin`: the first partnership administrator of a new ledger
// (docs/identity.md "Bootstrapping"). Runs against the data directory directly, so the server
// must be stopped; prints the generated password once.
#include <iostream>

#include "app/identity/bootstrap.h"
#include "app/node.h"
#include "cli_commands.h"
#include "cli_options.h"

namespace caseledger::app {

int RunCreateAdmin(const std::vector<std::string>& args) {
  NodeConfig config;
  identity::AdminOptions admin;
  LogFlags log_flags;
  po::options_description options("caseledger create-admin");
  AddDataOption(options, config.data_dir);
  AddLogOptions(options, log_flags);
  options.add_options()
      ("username", po::value<std::string>(&admin.username)->required(),
       "the administrator's username (3 to 64 of a-z 0-9 . _ - @)")
      ("display-name", po::value<std::string>(&admin.display_name), "the administrator's name")
      ("organisation-name",
       po::value<std::string>(&admin.organisation_name)->default_value(admin.organisation_name),
       "name of the administration organisation (created once)")
      ("master-key-file", po::value<std::string>(&config.master_key_file),
       "master key file (default: <data>/master.key)");
  po::variables_map vm;
  int exit_code = 0;
  if (!ParseOptions("create-admin", "--data DIR --username NAME", options, nullptr, args, vm,
                    exit_code)) {
    return exit_code;
  }
  auto kafka = KafkaOptionsFrom(log_flags);
  if (!kafka) {
    std::cerr << "caseledger create-admin: " << kafka.error().ToString() << "\n";
    return 2;
  }
  config.kafka = std::move(kafka).value();
  auto node = Node::Open(config);
  if (!node) {
    if (node.error().message.find("in use") != std::string::npos) {
      std::cerr << "caseledger create-admin: the data directory " << config.data_dir
                << " is in use by another process; stop `caseledger serve` first\n";
    } else {
      std::cerr << "caseledger create-admin: " << node.error().ToString() << "\n";
    }
    return 1;
  }
  auto password = identity::CreateAdmin(*node.value(), admin, identity::PasswordParams{});
  if (!password) {
    if (password.error().code == ledger::Code::kAlreadyExists) {
      std::cerr << "caseledger create-admin: that username is already taken\n";
    } else {
      std::cerr << "caseledger create-admin: " << password.error().ToString() << "\n";
    }
    return 1;
  }
  std::cout << "created partnership administrator " << admin.username << "\n"
            << "password: " << password.value() << "\n"
            << "(shown once; sign in with POST /api/v1/sessions and change it with "
               "POST /api/v1/users/{id}/password)\n";
  return 0;
}

}  // namespace caseledger::app
