#include "ledger/normalise.h"

namespace caseledger::ledger {
namespace {

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

char Upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

}  // namespace

std::string NormaliseRegistration(std::string_view registration) {
  std::string out;
  for (char c : registration) {
    if (IsAlnum(c)) out.push_back(Upper(c));
  }
  return out;
}

std::string NormaliseAddressText(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    // Bytes of multi-byte UTF-8 characters are kept as they are.
    if (IsAlnum(c) || static_cast<unsigned char>(c) >= 0x80) {
      if (space && !out.empty()) out.push_back(' ');
      space = false;
      out.push_back(Upper(c));
    } else {
      space = true;
    }
  }
  return out;
}

std::string NormalisePostcode(std::string_view postcode) {
  std::string compact = NormaliseRegistration(postcode);
  if (compact.size() < 5 || compact.size() > 7) return {};
  return compact.substr(0, compact.size() - 3) + " " + compact.substr(compact.size() - 3);
}

}  // namespace caseledger::ledger
