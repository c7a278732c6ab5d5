#include "app/identity.h"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <sodium.h>

#include <array>

#include "app/http/role_policy.h"
#include "ledger/identity_ids.h"
#include "schemas/events_generated.h"

namespace caseledger::app {
namespace {

ledger::Error Unauthenticated(std::string message) {
  return ledger::MakeError(ledger::Code::kUnauthenticated, std::move(message));
}

constexpr std::string_view kWrongLogin = "username or password is wrong";

// The token of `Authorization: Bearer <token>`; nullopt when absent or of another scheme.
std::optional<std::string_view> BearerToken(const http::Request& request) {
  auto header = request.Header("Authorization");
  if (!header) return std::nullopt;
  std::string_view value = *header;
  if (value.size() < 7 || !http::EqualsIgnoreCase(value.substr(0, 7), "bearer ")) {
    return std::nullopt;
  }
  value.remove_prefix(7);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty() || value.size() > 200) return std::nullopt;
  return value;
}

// The throttle key of a username: a hash, so no username is kept in memory longer than a login.
std::string UsernameKey(std::string_view username) {
  return identity::TokenHash("caseledger.login-throttle.v1:" + ledger::NormaliseUsername(username));
}

}  // namespace

struct Identity::Pool {
  explicit Pool(int threads) : pool(static_cast<std::size_t>(std::max(1, threads))) {}
  boost::asio::thread_pool pool;
};

Identity::Identity(Node& node, IdentityOptions options)
    : node_(node),
      options_(options),
      directory_(node.log()),
      throttle_(node.clock(), options.throttle),
      pool_(std::make_unique<Pool>(options.worker_threads)) {}

Identity::~Identity() { pool_->pool.join(); }

Result<std::unique_ptr<Identity>> Identity::Open(Node& node, IdentityOptions options) {
  std::unique_ptr<Identity> identity(new Identity(node, options));
  BOOST_OUTCOME_TRY(identity->sessions_,
                    identity::SessionStore::Open(options.persist_sessions ? &node.store() : nullptr,
                                                 node.clock(), ledger::SystemRandom::Instance()));
  return identity;
}

ledger::Result<http::Principal> Identity::PrincipalOf(std::string_view user_id) {
  BOOST_OUTCOME_TRY(auto user, directory_.Find(user_id));
  if (!user || !user->active || ledger::RecordKind(user_id) != "user") {
    return Unauthenticated("the user is unknown or deactivated");
  }
  http::Principal principal;
  principal.user_id = user->id;
  principal.organisation_id = user->organisation_id;
  principal.team_id = user->team_id;
  principal.roles = user->roles;
  BOOST_OUTCOME_TRY(principal.justification_required,
                    JustificationRequired(user->organisation_id));
  return principal;
}

ledger::Result<http::Principal> Identity::FromSession(std::string_view token) {
  auto session = sessions_->Find(token);
  if (!session) return Unauthenticated("the session token is unknown, expired or logged out");
  BOOST_OUTCOME_TRY(auto user, directory_.Find(session->user_id));
  if (!user || !user->active || session->created_at < user->credential_changed_at) {
    // Deactivated, or the password changed since: this node's sessions of the user end now.
    (void)sessions_->RevokeUser(session->user_id);
    return Unauthenticated("the session token is unknown, expired or logged out");
  }
  return PrincipalOf(session->user_id);
}

ledger::Result<http::Principal> Identity::FromApiKey(std::string_view key) {
  std::string hash = identity::TokenHash(key);
  BOOST_OUTCOME_TRY(auto record, directory_.Find(ledger::ApiKeyIdForHash(hash)));
  if (!record || record->key_hash.size() != hash.size() ||
      sodium_memcmp(record->key_hash.data(), hash.data(), hash.size()) != 0 || !record->active ||
      (record->expires_at != 0 && record->expires_at <= node_.clock().NowMicros())) {
    return Unauthenticated("the API key is unknown, expired or revoked");
  }
  return PrincipalOf(record->user_id);
}

ledger::Result<http::Principal> Identity::Authenticate(const http::Request& request) {
  auto token = BearerToken(request);
  if (!token) return Unauthenticated("sign in: send Authorization: Bearer <token>");
  if (token->starts_with(identity::kSessionTokenPrefix)) return FromSession(*token);
  if (token->starts_with(kApiKeyPrefix)) return FromApiKey(*token);
  return Unauthenticated("the bearer token is neither a session token nor an API key");
}

std::optional<std::int64_t> Identity::AdmitLogin(std::string_view username,
                                                 std::string_view address) {
  return throttle_.Admit(UsernameKey(username), address);
}

void Identity::ClearLoginFailures(std::string_view username, std::string_view address) {
  throttle_.Succeeded(UsernameKey(username), address);
}

std::optional<std::string> Identity::PasswordHashOf(const identity::IdentityRecord& user) {
  if (!user.credential) return std::nullopt;
  auto opened = node_.personal_data().Open(*user.credential);
  if (!opened) return std::nullopt;
  const std::string& bytes = opened.value();
  flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  if (!verifier.VerifyBuffer<schema::Credential>(nullptr)) return std::nullopt;
  const auto* credential = flatbuffers::GetRoot<schema::Credential>(bytes.data());
  if (credential->password_hash() == nullptr) return std::nullopt;
  return credential->password_hash()->str();
}

bool Identity::CheckUserPassword(std::string_view user_id, std::string_view password) {
  auto user = directory_.Find(user_id);
  std::optional<std::string> hash;
  if (user && user.value() && user.value()->active) hash = PasswordHashOf(*user.value());
  if (!hash) {
    identity::VerifyDummyPassword(password);
    return false;
  }
  return identity::VerifyPassword(*hash, password);
}

void Identity::VerifyLogin(std::string username, std::string password, std::string address,
                           std::function<void(ledger::Result<Login>)> done) {
  boost::asio::post(pool_->pool, [this, username = std::move(username), password = std::move(password),
                            address = std::move(address), done = std::move(done)]() mutable {
    auto fail = [&]() { done(Unauthenticated(std::string(kWrongLogin))); };
    if (!ledger::CheckUsername(username)) {
      identity::VerifyDummyPassword(password);
      return fail();
    }
    std::string user_id = ledger::UserIdForUsername(username);
    bool ok = CheckUserPassword(user_id, password);
    sodium_memzero(password.data(), password.size());
    if (!ok) return fail();
    auto principal = PrincipalOf(user_id);
    if (!principal) return fail();
    ClearLoginFailures(username, address);
    auto issued = sessions_->Create(user_id, options_.session_ttl);
    if (!issued) return done(issued.error());
    done(Login{std::move(issued.value().token), issued.value().session.expires_at,
               std::move(principal).value()});
  });
}

ledger::Result<void> Identity::Logout(const http::Request& request) {
  auto token = BearerToken(request);
  if (!token || !token->starts_with(identity::kSessionTokenPrefix)) {
    return ledger::InvalidField("Authorization", "must carry a session token to log out");
  }
  return sessions_->Revoke(*token);
}

ledger::Result<void> Identity::EndSessionsOf(std::string_view user_id) {
  return sessions_->RevokeUser(user_id);
}

void Identity::HashPasswordAsync(std::string password,
                                 std::function<void(ledger::Result<std::string>)> done) {
  boost::asio::post(pool_->pool, [this, password = std::move(password), done = std::move(done)]() mutable {
    auto hash = identity::HashPassword(password, options_.password);
    sodium_memzero(password.data(), password.size());
    done(std::move(hash));
  });
}

void Identity::Post(std::function<void()> work) { boost::asio::post(pool_->pool, std::move(work)); }

ledger::Result<bool> Identity::JustificationRequired(std::string_view organisation_id) {
  if (organisation_id.empty()) return false;
  BOOST_OUTCOME_TRY(auto organisation, directory_.Find(organisation_id));
  return organisation && organisation->justification_required;
}

Identity::NewApiKey Identity::GenerateApiKey() {
  ledger::InitialiseSodium();
  std::array<unsigned char, 32> secret{};
  randombytes_buf(secret.data(), secret.size());
  NewApiKey out;
  out.key = std::string(kApiKeyPrefix) +
            identity::Base64Url({reinterpret_cast<const char*>(secret.data()), secret.size()});
  sodium_memzero(secret.data(), secret.size());
  out.key_hash = identity::TokenHash(out.key);
  return out;
}

ledger::Result<http::Principal> IdentityAuthorizer::Authenticate(const http::Request& request) {
  return identity_.Authenticate(request);
}

ledger::Result<void> IdentityAuthorizer::Authorize(const http::Principal& principal,
                                                   const http::Policy& policy,
                                                   const http::RouteMatch& /*match*/,
                                                   const http::Request& /*request*/) {
  return http::RolePermits(principal, policy);
}

}  // namespace caseledger::app
