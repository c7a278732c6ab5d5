#include "http/wire_response.h"

#include <boost/beast/http/field.hpp>
#include <ctime>

#include "app/http/request.h"

namespace caseledger::app::http::internal {

namespace http = boost::beast::http;

namespace {

// "Sun, 06 Nov 1994 08:49:37 GMT", recomputed at most once a second per thread.
std::string_view HttpDate() {
  thread_local std::time_t cached_second = 0;
  thread_local char text[40] = {};
  thread_local std::size_t length = 0;
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    length = std::strftime(text, sizeof(text), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached_second = now;
  }
  return {text, length};
}

// A header a handler may send: a token name and a value without control characters (no CR or
// LF, so no response splitting). Others are dropped.
bool IsSafeHeader(std::string_view name, std::string_view value) {
  if (name.empty()) return false;
  for (char c : name) {
    bool token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!token) return false;
  }
  for (char c : value) {
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) return false;
  }
  return true;
}

// Framing and correlation headers only the server may set.
bool IsServerOwned(std::string_view name) {
  return EqualsIgnoreCase(name, "Content-Length") || EqualsIgnoreCase(name, "Connection") ||
         EqualsIgnoreCase(name, "Transfer-Encoding") || EqualsIgnoreCase(name, "Date") ||
         EqualsIgnoreCase(name, "X-Request-Id") || EqualsIgnoreCase(name, "Content-Type");
}

}  // namespace

WireResponse ToWire(Response response, std::string_view request_id, bool keep_alive,
                    bool head_request) {
  int status = response.status >= 100 && response.status <= 599 ? response.status : 500;
  WireResponse wire{static_cast<http::status>(status), 11};
  wire.set(http::field::date, HttpDate());
  wire.set(http::field::content_type, IsSafeHeader("Content-Type", response.content_type)
                                          ? std::string_view(response.content_type)
                                          : std::string_view("application/octet-stream"));
  wire.set("X-Request-Id", request_id);
  wire.set("X-Content-Type-Options", "nosniff");
  bool has_cache_control = false;
  for (auto& [name, value] : response.headers) {
    if (IsServerOwned(name) || !IsSafeHeader(name, value)) continue;
    has_cache_control = has_cache_control || EqualsIgnoreCase(name, "Cache-Control");
    wire.insert(name, value);
  }
  if (status < 200 || status == 204 || status == 304) response.body.clear();  // no body allowed
  if (!has_cache_control) wire.set(http::field::cache_control, "no-store");
  wire.keep_alive(keep_alive);
  std::size_t body_size = response.body.size();
  wire.body() = std::move(response.body);
  wire.prepare_payload();
  if (head_request) {
    wire.body().clear();
    wire.content_length(body_size);
  }
  return wire;
}

}  // namespace caseledger::app::http::internal
