#include "app/http/request.h"

namespace caseledger::app::http {

namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::optional<std::string_view> Request::Header(std::string_view name) const {
  for (const HeaderField& field : headers) {
    if (EqualsIgnoreCase(field.name, name)) return std::string_view(field.value);
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::QueryParam(std::string_view name) const {
  for (const QueryParameter& param : query) {
    if (param.name == name) return std::string_view(param.value);
  }
  return std::nullopt;
}

std::vector<std::string_view> Request::QueryParams(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const QueryParameter& param : query) {
    if (param.name == name) values.emplace_back(param.value);
  }
  return values;
}

std::string_view PathParams::Get(std::string_view name) const {
  for (const auto& [key, value] : params_) {
    if (key == name) return value;
  }
  return {};
}

}  // namespace caseledger::app::http
