#include "json_pretty.h"

#include <fmt/format.h>

#include <cmath>

namespace caseledger::app::bench {
namespace {

bool IsScalar(const boost::json::value& v) { return !v.is_object() && !v.is_array(); }

void Print(const boost::json::value& v, int indent, int depth, std::string& out) {
  std::string pad(static_cast<std::size_t>(indent * (depth + 1)), ' ');
  std::string close_pad(static_cast<std::size_t>(indent * depth), ' ');
  if (v.is_object()) {
    const auto& o = v.get_object();
    if (o.empty()) {
      out += "{}";
      return;
    }
    out += "{\n";
    bool first = true;
    for (const auto& [key, member] : o) {
      if (!first) out += ",\n";
      first = false;
      out += pad;
      out += boost::json::serialize(boost::json::value(key));
      out += ": ";
      Print(member, indent, depth + 1, out);
    }
    out += "\n" + close_pad + "}";
  } else if (v.is_array()) {
    const auto& a = v.get_array();
    bool flat = true;
    for (const auto& e : a) flat &= IsScalar(e);
    if (flat) {
      out += "[";
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (i > 0) out += ", ";
        Print(a[i], indent, depth + 1, out);
      }
      out += "]";
      return;
    }
    out += "[\n";
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (i > 0) out += ",\n";
      out += pad;
      Print(a[i], indent, depth + 1, out);
    }
    out += "\n" + close_pad + "]";
  } else if (v.is_double() && std::isfinite(v.get_double())) {
    out += fmt::format("{}", v.get_double());  // shortest exact form, never 1.4939E4
  } else {
    out += boost::json::serialize(v);
  }
}

}  // namespace

std::string PrettyJson(const boost::json::value& value, int indent) {
  std::string out;
  Print(value, indent, 0, out);
  out += "\n";
  return out;
}

}  // namespace caseledger::app::bench
