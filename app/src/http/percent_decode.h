// Percent-decoding of URL path segments (RFC 3986 §2.1). Private to the HTTP layer.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace caseledger::app::http::internal {

inline int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes `encoded`; nullopt on a malformed escape ("%", "%4", "%zz"). '+' stays '+'.
inline std::optional<std::string> PercentDecode(std::string_view encoded) {
  std::string out;
  out.reserve(encoded.size());
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    char c = encoded[i];
    if (c != '%') {
      out += c;
      continue;
    }
    if (i + 2 >= encoded.size()) return std::nullopt;
    int hi = HexValue(encoded[i + 1]);
    int lo = HexValue(encoded[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// True if `encoded` decodes to exactly `literal`, without allocating.
inline bool DecodedEquals(std::string_view encoded, std::string_view literal) {
  std::size_t j = 0;
  for (std::size_t i = 0; i < encoded.size(); ++i, ++j) {
    char c = encoded[i];
    if (c == '%') {
      if (i + 2 >= encoded.size()) return false;
      int hi = HexValue(encoded[i + 1]);
      int lo = HexValue(encoded[i + 2]);
      if (hi < 0 || lo < 0) return false;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (j >= literal.size() || literal[j] != c) return false;
  }
  return j == literal.size();
}

}  // namespace caseledger::app::http::internal
