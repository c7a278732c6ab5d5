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
  // A random (version 4) UUID, so the id is also the correlation id of the request's events.
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint8_t bytes[16];
  for (int half = 0; half < 2; ++half) {
    std::uint64_t r = NextRandom();
    for (int i = 0; i < 8; ++i) bytes[half * 8 + i] = static_cast<std::uint8_t>(r >> (i * 8));
  }
  bytes[6] = static_cast<std::uint8_t>(0x40 | (bytes[6] & 0x0f));
  bytes[8] = static_cast<std::uint8_t>(0x80 | (bytes[8] & 0x3f));
  std::string id;
  id.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) id.push_back('-');
    id.push_back(kHex[bytes[i] >> 4]);
    id.push_back(kHex[bytes[i] & 0xf]);
  }
  return id;
}

}  // namespace caseledger::app::http::internal
