#include "support/test_ledger.h"

#include <gtest/gtest.h>

namespace caseledger::testing {

ledger::SecretKey TestMasterKey() {
  ledger::SecretKey key;
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i + 1);
  return key;
}

std::unique_ptr<TestLedger> TestLedger::Open(const std::string& path, ledger::Micros clock_start,
                                             ledger::EmbeddedLogOptions options,
                                             std::uint64_t seed) {
  std::unique_ptr<TestLedger> node(new TestLedger(clock_start, seed));
  ledger::StoreOptions store_options;
  store_options.path = path;
  store_options.block_cache_bytes = 8u << 20;
  auto store = ledger::Store::Open(store_options);
  if (!store) {
    ADD_FAILURE() << "Store::Open(" << path << "): " << store.error().ToString();
    return nullptr;
  }
  node->store_ = std::move(store).value();
  node->deferred_writes_ = std::make_unique<ledger::DeferredWrites>();
  options.deferred_writes = node->deferred_writes_.get();
  auto log = ledger::OpenEmbeddedLog(*node->store_, node->clock_, options);
  if (!log) {
    ADD_FAILURE() << "OpenEmbeddedLog(" << path << "): " << log.error().ToString();
    return nullptr;
  }
  node->log_ = std::move(log).value();
  node->keys_ =
      ledger::OpenEmbeddedKeyStore(*node->store_, TestMasterKey(), *node->deferred_writes_);
  node->personal_data_ = std::make_unique<ledger::PersonalData>(*node->keys_, node->random_);
  return node;
}

TestLedger::~TestLedger() {
  personal_data_.reset();
  keys_.reset();
  log_.reset();
  store_.reset();
}

}  // namespace caseledger::testing
