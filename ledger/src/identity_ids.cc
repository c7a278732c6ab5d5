#include "ledger/identity_ids.h"

#include "ledger/idempotency.h"
#include "ledger/ids.h"

namespace caseledger::ledger {

std::string NormaliseUsername(std::string_view username) {
  std::string out(username);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Result<void> CheckUsername(std::string_view username, std::string_view field) {
  constexpr std::string_view kRule =
      "must be 3 to 64 characters of letters, digits, '.', '_', '-' and '@', starting with a "
      "letter or digit";
  if (username.size() < 3 || username.size() > 64) return InvalidField(std::string(field), std::string(kRule));
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (!alnum(username.front())) return InvalidField(std::string(field), std::string(kRule));
  for (char c : username) {
    if (!alnum(c) && c != '.' && c != '_' && c != '-' && c != '@') {
      return InvalidField(std::string(field), std::string(kRule));
    }
  }
  return Ok();
}

std::string UserIdForUsername(std::string_view username) {
  return RecordId("user", Uuid::FromDigest(Fingerprint(
                              {"caseledger.user-id.v1", NormaliseUsername(username)})));
}

std::string ApiKeyIdForHash(std::string_view key_hash) {
  return RecordId("apikey", Uuid::FromDigest(Fingerprint({"caseledger.apikey-id.v1", key_hash})));
}

}  // namespace caseledger::ledger
