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

std::string NormaliseName(std::string_view name) {
  std::string cleaned;
  for (char c : name) {
    if (c == '\'' || c == '-' || c == '.') continue;
    cleaned.push_back(c);
  }
  return NormaliseAddressText(cleaned);
}

std::string PhoneticCode(std::string_view word) {
  // Soundex digit of an upper-case letter; '0' for vowels and Y, '-' for H and W (which do not
  // separate equal digits).
  auto digit = [](char c) -> char {
    switch (c) {
      case 'B': case 'F': case 'P': case 'V': return '1';
      case 'C': case 'G': case 'J': case 'K': case 'Q': case 'S': case 'X': case 'Z': return '2';
      case 'D': case 'T': return '3';
      case 'L': return '4';
      case 'M': case 'N': return '5';
      case 'R': return '6';
      case 'H': case 'W': return '-';
      default: return '0';
    }
  };
  std::string out;
  char last = 0;
  for (char raw : word) {
    char c = Upper(raw);
    if (c < 'A' || c > 'Z') continue;
    char d = digit(c);
    if (out.empty()) {
      out.push_back(c);
      last = d;
      continue;
    }
    if (d == '-') continue;
    if (d != '0' && d != last) out.push_back(d);
    last = d;
    if (out.size() == 4) break;
  }
  if (out.empty()) return out;
  out.resize(4, '0');
  return out;
}

}  // namespace caseledger::ledger
