#include "app/identity/directory.h"

#include "ledger/enum_names.h"
#include "ledger/envelope.h"
#include "schemas/events_generated.h"

namespace caseledger::app::identity {
namespace {

using schema::EventType;

template <class T>
const T* Payload(const schema::Envelope& e) {
  return flatbuffers::GetRoot<T>(e.payload()->data());
}

std::string Str(const flatbuffers::String* s) { return s == nullptr ? std::string() : s->str(); }

std::vector<std::string> Roles(const flatbuffers::Vector<schema::Role>* roles) {
  std::vector<std::string> out;
  if (roles != nullptr) {
    for (schema::Role role : *roles) out.push_back(ledger::EnumToString(role));
  }
  return out;
}

std::optional<ledger::SealedValue> Credential(const schema::Sealed* s) {
  if (s == nullptr) return std::nullopt;
  ledger::SealedValue out;
  out.subject_id = Str(s->subject_id());
  out.key_version = s->key_version();
  if (s->nonce()) out.nonce.assign(reinterpret_cast<const char*>(s->nonce()->data()), s->nonce()->size());
  if (s->ciphertext()) {
    out.ciphertext.assign(reinterpret_cast<const char*>(s->ciphertext()->data()),
                          s->ciphertext()->size());
  }
  return out;
}

}  // namespace

void FoldIdentityEvent(const schema::Envelope& e, IdentityRecord& r) {
  r.version = e.stream_version();
  switch (e.event_type()) {
    case EventType::OrganisationCreated: {
      const auto* p = Payload<schema::OrganisationCreated>(e);
      r.name = Str(p->name());
      r.justification_required = p->justification_required();
      break;
    }
    case EventType::OrganisationSettingsChanged:
      r.justification_required =
          Payload<schema::OrganisationSettingsChanged>(e)->justification_required();
      break;
    case EventType::TeamCreated: {
      const auto* p = Payload<schema::TeamCreated>(e);
      r.organisation_id = Str(p->organisation_id());
      r.name = Str(p->name());
      break;
    }
    case EventType::UserCreated: {
      const auto* p = Payload<schema::UserCreated>(e);
      r.username = Str(p->username());
      r.organisation_id = Str(p->organisation_id());
      r.team_id = Str(p->team_id());
      r.roles = Roles(p->roles());
      r.active = true;
      r.credential = Credential(p->password());
      r.credential_changed_at = e.recorded_at();
      break;
    }
    case EventType::UserRolesChanged: r.roles = Roles(Payload<schema::UserRolesChanged>(e)->roles()); break;
    case EventType::UserDeactivated: r.active = false; break;
    case EventType::UserReactivated: r.active = true; break;
    case EventType::UserPasswordChanged:
      r.credential = Credential(Payload<schema::UserPasswordChanged>(e)->password());
      r.credential_changed_at = e.recorded_at();
      break;
    case EventType::ApiKeyIssued: {
      const auto* p = Payload<schema::ApiKeyIssued>(e);
      r.user_id = Str(p->user_id());
      r.name = Str(p->name());
      if (p->key_hash()) {
        r.key_hash.assign(reinterpret_cast<const char*>(p->key_hash()->data()), p->key_hash()->size());
      }
      r.expires_at = p->expires_at();
      r.active = true;
      break;
    }
    case EventType::ApiKeyRevoked: r.active = false; break;
    default: break;
  }
}

ledger::Result<std::shared_ptr<const IdentityRecord>> Directory::Find(std::string_view id) {
  BOOST_OUTCOME_TRY(auto head, log_.Head(id));
  if (head.version == 0) return std::shared_ptr<const IdentityRecord>();
  IdentityRecord record;
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(std::string(id));
    if (it != cache_.end()) {
      if (it->second->version == head.version) return it->second;
      record = *it->second;
    }
  }
  record.id = std::string(id);
  constexpr std::size_t kPage = 256;
  while (record.version < head.version) {
    BOOST_OUTCOME_TRY(auto events, log_.ReadStream(id, record.version + 1, kPage));
    if (events.empty()) break;
    for (const auto& event : events) {
      const schema::Envelope* e = event.envelope();
      std::string_view payload(reinterpret_cast<const char*>(e->payload()->data()),
                               e->payload()->size());
      BOOST_OUTCOME_TRY(ledger::VerifyPayload(e->event_type(), payload));
      FoldIdentityEvent(*e, record);
    }
  }
  auto found = std::make_shared<const IdentityRecord>(std::move(record));
  {
    std::lock_guard lock(mu_);
    if (cache_.size() >= max_cached_) cache_.clear();
    auto& cached = cache_[found->id];
    if (!cached || cached->version < found->version) cached = found;
  }
  return found;
}

}  // namespace caseledger::app::identity
