#include "app/http/json_fields.h"

#include <algorithm>

namespace caseledger::app::http {

namespace {

using ledger::InvalidField;

std::size_t CodePoints(std::string_view utf8) {
  // Counts bytes that do not continue a sequence; the JSON parser already validated UTF-8.
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

const boost::json::value* Find(const boost::json::object& obj, std::string_view name) {
  auto it = obj.find(name);
  if (it == obj.end() || it->value().is_null()) return nullptr;
  return &it->value();
}

ledger::Result<std::string> ReadString(const boost::json::value& value, std::string_view name,
                                       std::size_t max_len) {
  if (!value.is_string()) return InvalidField(std::string(name), "must be a string");
  const boost::json::string& text = value.get_string();
  if (text.size() > max_len && CodePoints(text) > max_len) {
    return InvalidField(std::string(name),
                        "must be at most " + std::to_string(max_len) + " characters");
  }
  return std::string(text);
}

ledger::Result<std::int64_t> ReadInt(const boost::json::value& value, std::string_view name,
                                     std::int64_t min, std::int64_t max) {
  std::int64_t number = 0;
  if (value.is_int64()) {
    number = value.get_int64();
  } else if (value.is_uint64()) {
    if (value.get_uint64() > static_cast<std::uint64_t>(max)) {
      return InvalidField(std::string(name),
                          "must be between " + std::to_string(min) + " and " + std::to_string(max));
    }
    number = static_cast<std::int64_t>(value.get_uint64());
  } else {
    return InvalidField(std::string(name), "must be an integer");
  }
  if (number < min || number > max) {
    return InvalidField(std::string(name),
                        "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return number;
}

std::string SafeFieldName(std::string_view name) {
  // An empty member name ({"": 1}) must still give the error a field to name.
  if (name.empty()) return "\"\"";
  std::string out(name.substr(0, 64));
  for (char& c : out) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) c = '?';
  }
  return out;
}

}  // namespace

ledger::Result<std::string> RequireString(const boost::json::object& obj, std::string_view name,
                                          std::size_t max_len) {
  const boost::json::value* value = Find(obj, name);
  if (value == nullptr) return InvalidField(std::string(name), "is required");
  BOOST_OUTCOME_TRY(auto text, ReadString(*value, name, max_len));
  if (text.empty()) return InvalidField(std::string(name), "must not be empty");
  return text;
}

ledger::Result<std::optional<std::string>> OptionalString(const boost::json::object& obj,
                                                          std::string_view name,
                                                          std::size_t max_len) {
  const boost::json::value* value = Find(obj, name);
  if (value == nullptr) return std::optional<std::string>();
  BOOST_OUTCOME_TRY(auto text, ReadString(*value, name, max_len));
  return std::optional<std::string>(std::move(text));
}

ledger::Result<std::int64_t> RequireInt(const boost::json::object& obj, std::string_view name,
                                        std::int64_t min, std::int64_t max) {
  const boost::json::value* value = Find(obj, name);
  if (value == nullptr) return InvalidField(std::string(name), "is required");
  return ReadInt(*value, name, min, max);
}

ledger::Result<std::optional<std::int64_t>> OptionalInt(const boost::json::object& obj,
                                                        std::string_view name, std::int64_t min,
                                                        std::int64_t max) {
  const boost::json::value* value = Find(obj, name);
  if (value == nullptr) return std::optional<std::int64_t>();
  BOOST_OUTCOME_TRY(auto number, ReadInt(*value, name, min, max));
  return std::optional<std::int64_t>(number);
}

ledger::Result<std::optional<bool>> OptionalBool(const boost::json::object& obj,
                                                 std::string_view name) {
  const boost::json::value* value = Find(obj, name);
  if (value == nullptr) return std::optional<bool>();
  if (!value->is_bool()) return InvalidField(std::string(name), "must be a boolean");
  return std::optional<bool>(value->get_bool());
}

ledger::Result<const boost::json::object*> RequireObject(const boost::json::object& obj,
                                                         std::string_view name) {
  const boost::json::value* value = Find(obj, name);
  if (value == nullptr) return InvalidField(std::string(name), "is required");
  if (!value->is_object()) return InvalidField(std::string(name), "must be an object");
  return &value->get_object();
}

ledger::Result<const boost::json::object*> OptionalObject(const boost::json::object& obj,
                                                          std::string_view name) {
  const boost::json::value* value = Find(obj, name);
  if (value == nullptr) return static_cast<const boost::json::object*>(nullptr);
  if (!value->is_object()) return InvalidField(std::string(name), "must be an object");
  return &value->get_object();
}

ledger::Result<void> RejectUnknownFields(const boost::json::object& obj,
                                         std::initializer_list<std::string_view> allowed) {
  for (const auto& member : obj) {
    if (std::find(allowed.begin(), allowed.end(), member.key()) == allowed.end()) {
      return InvalidField(SafeFieldName(member.key()), "is not a known field");
    }
  }
  return ledger::Ok();
}

ledger::Error WithFieldPrefix(ledger::Error error, std::string_view prefix) {
  if (prefix.empty()) return error;
  error.field = error.field.empty() ? std::string(prefix) : std::string(prefix) + "." + error.field;
  if (error.code == ledger::Code::kInvalidArgument && !error.rule.empty()) {
    error.message = error.field + " " + error.rule;
  }
  return error;
}

}  // namespace caseledger::app::http
