// Views of the identity records: organisations, teams, users and API keys (projections/views.md).
// A user's view never holds a password or its hash, an API key's never its hash.
#include "ledger/enum_names.h"
#include "ledger/time_format.h"
#include "projections/keys.h"
#include "schemas/events_generated.h"
#include "view_builders.h"

namespace caseledger::projections {
namespace {

namespace json = boost::json;
using ledger::EnumToString;
using schema::EventType;

template <class T>
const T* Payload(const schema::Envelope& e) {
  return flatbuffers::GetRoot<T>(e.payload()->data());
}

json::array RolesJson(const flatbuffers::Vector<schema::Role>* roles) {
  json::array out;
  if (roles != nullptr) {
    for (schema::Role role : *roles) out.push_back(json::value(EnumToString(role)));
  }
  return out;
}

void Create(const EventContext& c) {
  const schema::Envelope& e = c.envelope;
  json::object view = Stamp(e, c.views.storage());
  switch (e.event_type()) {
    case EventType::OrganisationCreated: {
      const auto* p = Payload<schema::OrganisationCreated>(e);
      view["kind"] = "organisation";
      view["name"] = StringJson(p->name());
      view["organisation_kind"] = EnumToString(p->kind());
      view["justification_required"] = p->justification_required();
      break;
    }
    case EventType::TeamCreated: {
      const auto* p = Payload<schema::TeamCreated>(e);
      view["kind"] = "team";
      view["organisation_id"] = StringJson(p->organisation_id());
      view["name"] = StringJson(p->name());
      break;
    }
    case EventType::UserCreated: {
      const auto* p = Payload<schema::UserCreated>(e);
      view["kind"] = "user";
      view["username"] = StringJson(p->username());
      view["display_name"] = StringJson(p->display_name());
      view["organisation_id"] = StringJson(p->organisation_id());
      view["team_id"] = StringJson(p->team_id());
      view["roles"] = RolesJson(p->roles());
      view["active"] = true;
      view["has_password"] = p->password() != nullptr;
      view["password_changed_at"] =
          p->password() != nullptr ? TimeJson(e.recorded_at()) : json::value(nullptr);
      break;
    }
    case EventType::ApiKeyIssued: {
      const auto* p = Payload<schema::ApiKeyIssued>(e);
      view["kind"] = "apikey";
      view["user_id"] = StringJson(p->user_id());
      view["name"] = StringJson(p->name());
      view["expires_at"] = TimeJson(p->expires_at());
      view["revoked"] = false;
      break;
    }
    default: break;
  }
  c.views.Set(ViewKey(c.stream_id), std::move(view));
}

void Change(const EventContext& c, json::object& view) {
  const schema::Envelope& e = c.envelope;
  switch (e.event_type()) {
    case EventType::OrganisationSettingsChanged: {
      const auto* p = Payload<schema::OrganisationSettingsChanged>(e);
      view["justification_required"] = p->justification_required();
      view["settings_reason"] = StringJson(p->reason());
      break;
    }
    case EventType::UserRolesChanged: {
      const auto* p = Payload<schema::UserRolesChanged>(e);
      view["roles"] = RolesJson(p->roles());
      view["roles_reason"] = StringJson(p->reason());
      break;
    }
    case EventType::UserDeactivated:
      view["active"] = false;
      view["status_reason"] = StringJson(Payload<schema::UserDeactivated>(e)->reason());
      break;
    case EventType::UserReactivated:
      view["active"] = true;
      view["status_reason"] = StringJson(Payload<schema::UserReactivated>(e)->reason());
      break;
    case EventType::UserPasswordChanged:
      view["has_password"] = true;
      view["password_changed_at"] = TimeJson(e.recorded_at());
      break;
    case EventType::ApiKeyRevoked:
      view["revoked"] = true;
      view["revocation_reason"] = StringJson(Payload<schema::ApiKeyRevoked>(e)->reason());
      break;
    default: break;
  }
}

}  // namespace

Result<void> ApplyIdentityEvent(const EventContext& c) {
  switch (c.envelope.event_type()) {
    case EventType::OrganisationCreated:
    case EventType::TeamCreated:
    case EventType::UserCreated:
    case EventType::ApiKeyIssued:
      Create(c);
      return ledger::Ok();
    default: break;
  }
  BOOST_OUTCOME_TRY(auto* view, EditTouched(c));
  Change(c, *view);
  return ledger::Ok();
}

}  // namespace caseledger::projections
