#include <boost/json.hpp>

#include <iostream>

#include "cli_commands.h"
#include "cli_options.h"
#include "ledger/embedded_log.h"
#include "ledger/event_json.h"
#include "ledger/personal_data.h"
#include "ledger/time_format.h"
#include "ledger/verify.h"

namespace caseledger::app {

int RunReplay(const std::vector<std::string>& args) {
  std::string data_dir, stream, as_of_text, key_file;
  po::options_description options("caseledger replay");
  AddDataOption(options, data_dir);
  options.add_options()
      ("stream", po::value<std::string>(&stream)->required(), "the record (stream) id to replay")
      ("as-of", po::value<std::string>(&as_of_text),
       "show only what was recorded by this RFC 3339 time")
      ("master-key-file", po::value<std::string>(&key_file),
       "master key to open personal data (default: <data>/master.key)")
      ("sealed", "do not open personal data; show sealed fields as sealed");
  po::positional_options_description positional;
  positional.add("stream", 1);
  po::variables_map vm;
  int exit_code = 0;
  if (!ParseOptions("replay", "STREAM [--as-of TIME] [--data DIR]", options, &positional, args,
                    vm, exit_code)) {
    return exit_code;
  }
  std::optional<ledger::Micros> as_of;
  if (!as_of_text.empty()) {
    auto t = ledger::ParseTimestamp(as_of_text, "--as-of");
    if (!t) {
      std::cerr << "caseledger replay: --as-of " << t.error().rule << "\n";
      return 2;
    }
    as_of = t.value();
  }
  ledger::StoreOptions store_options;
  store_options.path = data_dir;
  store_options.create_if_missing = false;
  auto store = ledger::Store::Open(store_options);
  if (!store) {
    std::cerr << "caseledger replay: " << store.error().ToString() << "\n";
    return 2;
  }
  std::unique_ptr<ledger::KeyStore> keys;
  std::unique_ptr<ledger::PersonalData> personal_data;
  if (!vm.count("sealed")) {
    auto master = ledger::LoadMasterKey(key_file.empty() ? data_dir + "/master.key" : key_file,
                                        false);
    if (!master) {
      std::cerr << "caseledger replay: " << master.error().ToString() << "\n";
      return 2;
    }
    keys = ledger::OpenEmbeddedKeyStore(*store.value(), master.value());
    personal_data = std::make_unique<ledger::PersonalData>(*keys, ledger::SystemRandom::Instance());
  }
  auto log = ledger::OpenEmbeddedLog(*store.value(), ledger::SystemClock::Instance());
  if (!log) {
    std::cerr << "caseledger replay: " << log.error().ToString() << "\n";
    return 2;
  }
  auto events = ledger::ReplayStream(*log.value(), stream, as_of);
  if (!events) {
    std::cerr << "caseledger replay: " << events.error().ToString() << "\n";
    return 1;
  }
  if (events.value().empty()) {
    std::cerr << "caseledger replay: no events for that stream"
              << (as_of ? " recorded by that time" : "") << "\n";
    return 1;
  }
  for (const auto& event : events.value()) {
    auto json = ledger::EventToJson(*event.envelope(), personal_data.get(), event.position);
    if (!json) {
      std::cerr << "caseledger replay: " << json.error().ToString() << "\n";
      return 1;
    }
    std::cout << boost::json::serialize(json.value()) << "\n";
  }
  return 0;
}

}  // namespace caseledger::app
