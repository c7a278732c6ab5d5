// HTTP request methods the router knows. Anything else parses as kOther, which no route can
// register, so a known path answers 405 and an unknown one 404.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>

namespace caseledger::app::http {

enum class Method : std::uint8_t {
  kGet,
  kHead,
  kPost,
  kPut,
  kPatch,
  kDelete,
  kOptions,
  kOther,  // any other token; never routable
};

inline constexpr int kRoutableMethodCount = 7;  // every Method before kOther

// "GET", "POST", ...; "OTHER" for kOther.
std::string_view MethodName(Method method);

// Exact, case-sensitive (RFC 9110 method tokens are case-sensitive). Unknown → kOther.
Method ParseMethod(std::string_view token);

}  // namespace caseledger::app::http
