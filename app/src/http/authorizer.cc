#include "app/http/authorizer.h"

namespace caseledger::app::http {

namespace {

bool IsPrintableAscii(std::string_view text) {
  for (char c : text) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

ledger::Result<Principal> DevAuthorizer::Authenticate(const Request& request) {
  Principal principal;
  principal.user_id = "dev-user";
  principal.organisation_id = "dev-org";
  principal.team_id = "dev-team";
  principal.roles = {"partnership_admin"};
  if (std::optional<std::string_view> user = request.Header(kUserHeader)) {
    if (user->empty() || user->size() > 128 || !IsPrintableAscii(*user)) {
      return ledger::MakeError(ledger::Code::kUnauthenticated,
                               "X-Caseledger-User must be 1 to 128 printable ASCII characters");
    }
    principal.user_id = std::string(*user);
  }
  return principal;
}

ledger::Result<void> DevAuthorizer::Authorize(const Principal& /*principal*/,
                                              const Policy& /*policy*/, const RouteMatch& /*match*/,
                                              const Request& /*request*/) {
  return ledger::Ok();
}

}  // namespace caseledger::app::http
