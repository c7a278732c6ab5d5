// Boost.JSON (1.81) serialises compactly only; this prints a value indented for people to read.
// Arrays of scalars stay on one line.
#pragma once

#include <boost/json.hpp>
#include <string>

namespace caseledger::app::bench {

std::string PrettyJson(const boost::json::value& value, int indent = 2);

}  // namespace caseledger::app::bench
