// Normal forms used to match records that were typed differently.
//
// Example:
//   NormaliseRegistration(" ab12 cde ") == "AB12CDE"
//   NormaliseAddressText("12, High St.  Leicester") == "12 HIGH ST LEICESTER"
#pragma once

#include <string>
#include <string_view>

namespace caseledger::ledger {

// Upper case ASCII letters and digits only.
std::string NormaliseRegistration(std::string_view registration);

// Upper case; punctuation becomes a space; runs of spaces fold to one; trimmed.
std::string NormaliseAddressText(std::string_view text);

// Upper case, no spaces, then a single space before the last three characters ("LE1 5WW").
// Empty when the result is not 5 to 7 characters long.
std::string NormalisePostcode(std::string_view postcode);

}  // namespace caseledger::ledger
