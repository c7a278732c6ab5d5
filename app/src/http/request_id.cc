#include "http/request_id.h"

#include <algorithm>
#include <cstdint>
#include <random>

namespace caseledger::app::http::internal {

namespace {

bool IsAcceptable(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

std::uint64_t NextRandom() {
  thread_local std::mt19937_64 engine = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  return engine();
}

}  // namespace

std::string RequestIdFor(std::optional<std::string_view> client_supplied) {
  if (client_supplied && IsAcceptable(*client_supplied)) return std::string(*client_supplied);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  std::uint64_t parts[2] = {NextRandom(), NextRandom()};
  for (int i = 0; i < 32; ++i) {
    id[static_cast<std::size_t>(i)] = kHex[(parts[i / 16] >> ((i % 16) * 4)) & 0xf];
  }
  return id;
}

}  // namespace caseledger::app::http::internal
