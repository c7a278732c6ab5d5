// JSON renderers of the identity events: organisations, teams, users and API keys. A password is
// never shown, not even when the caller could open it: its Sealed field always renders as
// {"sealed":true,"subject_id":...}.
#include "ledger/enum_names.h"
#include "ledger/envelope.h"
#include "ledger/event_json.h"

namespace caseledger::ledger::event_json {
namespace {

namespace json = boost::json;

json::array Roles(const flatbuffers::Vector<schema::Role>* roles) {
  json::array out;
  if (roles == nullptr) return out;
  for (schema::Role role : *roles) out.push_back(json::string(EnumToString(role)));
  return out;
}

// The sealed-credential marker, without ever opening it.
Result<json::value> Password(const schema::Sealed* sealed) {
  return Sealed(sealed, Plaintext::kNoteBody, nullptr);
}

}  // namespace

Rendered OrganisationCreated(const schema::OrganisationCreated& p, PersonalData*) {
  json::object out;
  out["name"] = Str(p.name());
  out["kind"] = EnumToString(p.kind());
  out["justification_required"] = p.justification_required();
  return out;
}

Rendered OrganisationSettingsChanged(const schema::OrganisationSettingsChanged& p, PersonalData*) {
  json::object out;
  out["justification_required"] = p.justification_required();
  out["reason"] = Str(p.reason());
  return out;
}

Rendered TeamCreated(const schema::TeamCreated& p, PersonalData*) {
  json::object out;
  out["organisation_id"] = Str(p.organisation_id());
  out["name"] = Str(p.name());
  return out;
}

Rendered UserCreated(const schema::UserCreated& p, PersonalData*) {
  BOOST_OUTCOME_TRY(json::value password, Password(p.password()));
  json::object out;
  out["username"] = Str(p.username());
  out["display_name"] = Str(p.display_name());
  out["organisation_id"] = Str(p.organisation_id());
  out["team_id"] = Str(p.team_id());
  out["roles"] = Roles(p.roles());
  out["password"] = std::move(password);
  return out;
}

Rendered UserRolesChanged(const schema::UserRolesChanged& p, PersonalData*) {
  json::object out;
  out["roles"] = Roles(p.roles());
  out["reason"] = Str(p.reason());
  return out;
}

Rendered UserDeactivated(const schema::UserDeactivated& p, PersonalData*) {
  json::object out;
  out["reason"] = Str(p.reason());
  return out;
}

Rendered UserReactivated(const schema::UserReactivated& p, PersonalData*) {
  json::object out;
  out["reason"] = Str(p.reason());
  return out;
}

Rendered UserPasswordChanged(const schema::UserPasswordChanged& p, PersonalData*) {
  BOOST_OUTCOME_TRY(json::value password, Password(p.password()));
  json::object out;
  out["password"] = std::move(password);
  out["reason"] = Str(p.reason());
  return out;
}

Rendered ApiKeyIssued(const schema::ApiKeyIssued& p, PersonalData*) {
  json::object out;
  out["user_id"] = Str(p.user_id());
  out["name"] = Str(p.name());
  std::string_view hash;
  if (p.key_hash() != nullptr) {
    hash = {reinterpret_cast<const char*>(p.key_hash()->data()), p.key_hash()->size()};
  }
  out["key_hash"] = ToHex(hash);
  out["expires_at"] = Time(p.expires_at());
  return out;
}

Rendered ApiKeyRevoked(const schema::ApiKeyRevoked& p, PersonalData*) {
  json::object out;
  out["reason"] = Str(p.reason());
  return out;
}

}  // namespace caseledger::ledger::event_json
