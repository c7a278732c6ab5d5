// Routes of the access rules (docs/access.md): search, access requests and their decisions, a
// record's access log and its disclosures; and the check of the records a command's body names.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "api_common.h"

namespace caseledger::app::api {

// GET /api/v1/search?name=&phonetic=&dob=&address=&uprn=&registration=&reference=
http::Handler SearchRoute(Node& node);
// GET /api/v1/records/{id}/access-requests: the pending requests on a record (its holder).
http::Handler PendingRequestsRoute(Node& node);
// GET /api/v1/records/{id}/access-log: who consulted or disclosed it, and when (auditors).
http::Handler AccessLogRoute(Node& node);
// POST /api/v1/records/{id}/disclosures: record a disclosure and its recipients.
http::Handler DisclosureRoute(Node& node);

// The body of POST /api/v1/records/{id}/disclosures: {recipients, legal_basis, details}.
struct Disclosure {
  std::vector<std::string> recipients;  // 1 to 20, none empty
  std::string legal_basis;
  std::string details;  // "" when not given
};
Result<Disclosure> ParseDisclosure(const http::RequestContext& ctx);

Result<ledger::RequestAccess> ParseRequestAccess(const http::RequestContext& ctx);
Result<ledger::DecideAccessRequest> ParseDecideAccessRequest(const http::RequestContext& ctx);

// The records a command's body names, as {field, record id}: each must be one the caller can
// see, else the command is refused as if the record did not exist (404 naming the field).
using NamedRecords = std::vector<std::pair<std::string, std::string>>;
template <class Command>
NamedRecords RecordsNamedBy(const Command&) {
  return {};
}
NamedRecords RecordsNamedBy(const ledger::ReportIncident& c);
NamedRecords RecordsNamedBy(const ledger::UpdateIncident& c);
NamedRecords RecordsNamedBy(const ledger::AddLink& c);
NamedRecords RecordsNamedBy(const ledger::RecordCaseAction& c);
NamedRecords RecordsNamedBy(const ledger::AssessRisk& c);
NamedRecords RecordsNamedBy(const ledger::GrantAccess& c);

// Ok when the caller may see every record in `named`; else the not-found error naming the
// first field whose record it may not see (the same answer as for a record that does not exist).
Result<void> CheckNamedRecords(Node& node, const http::Principal& principal,
                               const NamedRecords& named);

// Only a record's holders (its team, or a supervisor of its organisation) may share it or decide
// a request for it; a grantee may not pass access on. Errors: kPermissionDenied.
Result<void> CheckHolds(Node& node, const http::Principal& principal, std::string_view record_id,
                        std::string_view field);

// Commands only a record's holders may give: sharing it, deciding a request for it, revoking.
template <class Command>
std::optional<std::pair<std::string, std::string>> HolderOnly(const Command&) {
  return std::nullopt;
}
inline std::optional<std::pair<std::string, std::string>> HolderOnly(const ledger::GrantAccess& c) {
  return std::pair<std::string, std::string>{"record_id", c.record_id};
}
inline std::optional<std::pair<std::string, std::string>> HolderOnly(
    const ledger::DecideAccessRequest& c) {
  return std::pair<std::string, std::string>{"id", c.request_id};
}
inline std::optional<std::pair<std::string, std::string>> HolderOnly(const ledger::RevokeAccess& c) {
  return std::pair<std::string, std::string>{"id", c.grant_id};
}

// A case's closure is signed off by an active supervisor of the caller's organisation
// (ASB.md): `signed_off_by` must name one, else kInvalidArgument naming the field.
template <class Command>
Result<void> CheckSignOff(Node&, const http::Principal&, const Command&) {
  return ledger::Ok();
}
Result<void> CheckSignOff(Node& node, const http::Principal& principal, const ledger::CloseCase& c);

// A write route: parse the request into a command, check the records its body names are ones
// the caller may see (and, for sharing, holds), run it, answer its result.
template <class Command>
http::Handler CommandRoute(Node& node, int status,
                           Result<Command> (*parse)(const http::RequestContext&)) {
  return [&node, status, parse](http::RequestContext ctx, http::Responder respond) {
    auto meta = MetaFrom(ctx);
    if (!meta) return respond(meta.error());
    auto command = parse(ctx);
    if (!command) return respond(command.error());
    if (auto ok = CheckNamedRecords(node, ctx.principal, RecordsNamedBy(command.value())); !ok) {
      return respond(ok.error());
    }
    if (auto holder_only = HolderOnly(command.value())) {
      if (auto ok = CheckHolds(node, ctx.principal, holder_only->second, holder_only->first);
          !ok) {
        return respond(ok.error());
      }
    }
    if (auto ok = CheckSignOff(node, ctx.principal, command.value()); !ok) {
      return respond(ok.error());
    }
    Submit(node, meta.value(), std::move(command).value(), status, std::move(respond));
  };
}

}  // namespace caseledger::app::api
