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

// A name as typed, for matching: upper case letters and digits; apostrophes, hyphens and dots
// dropped ("O'Neil" and "ONeil" match); other punctuation and runs of spaces fold to one space.
//   NormaliseName(" Mary-Jane  o'neil ") == "MARYJANE ONEIL"
std::string NormaliseName(std::string_view name);

// The Soundex code of one word (letter and three digits), so names that sound alike match:
//   PhoneticCode("Robert") == PhoneticCode("Rupert") == "R163"; PhoneticCode("Smyth") == "S530".
// Empty when the word holds no ASCII letter.
std::string PhoneticCode(std::string_view word);

}  // namespace caseledger::ledger
