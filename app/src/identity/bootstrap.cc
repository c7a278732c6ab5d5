#include "app/identity/bootstrap.h"

#include <sodium.h>

#include <array>

#include "ledger/enum_names.h"
#include "ledger/identity_ids.h"

namespace caseledger::app::identity {
namespace {

using schema::OrganisationKind;
using schema::Role;

constexpr std::string_view kDemoSecretKey = "identity.demo_secret";

struct DemoOrganisation {
  const char* slug;
  const char* name;
  OrganisationKind kind;
  const char* team;
  bool justification_required;
};

constexpr DemoOrganisation kOrganisations[] = {
    {"leicester-city", "Leicester City Council", OrganisationKind::Council, "Community Safety Team", false},
    {"blaby", "Blaby District Council", OrganisationKind::Council, "Community Safety Team", false},
    {"charnwood", "Charnwood Borough Council", OrganisationKind::Council, "Community Safety Team", false},
    {"harborough", "Harborough District Council", OrganisationKind::Council, "Community Safety Team", false},
    {"hinckley-bosworth", "Hinckley & Bosworth Borough Council", OrganisationKind::Council, "Community Safety Team", false},
    {"melton", "Melton Borough Council", OrganisationKind::Council, "Community Safety Team", false},
    {"nw-leicestershire", "North West Leicestershire District Council", OrganisationKind::Council, "Community Safety Team", false},
    {"oadby-wigston", "Oadby & Wigston Borough Council", OrganisationKind::Council, "Community Safety Team", false},
    {"rutland", "Rutland County Council", OrganisationKind::Council, "Community Safety Team", false},
    {"leicestershire-county", "Leicestershire County Council", OrganisationKind::Council, "Community Safety Team", false},
    {"leicestershire-police", "Leicestershire Police", OrganisationKind::Police, "Neighbourhood Policing Team", true},
    {"demo-housing", "Soar Valley Housing (demo housing provider)", OrganisationKind::HousingProvider, "Tenancy Enforcement Team", false},
};

struct DemoUserSpec {
  const char* username;
  const char* display_name;
  const char* organisation;  // slug
  Role role;
};

constexpr DemoUserSpec kUsers[] = {
    {"lcc.caseworker", "Demo Case Worker", "leicester-city", Role::CaseWorker},
    {"lcc.supervisor", "Demo Supervisor", "leicester-city", Role::Supervisor},
    {"partnership.admin", "Demo Partnership Administrator", "leicester-city", Role::PartnershipAdmin},
    {"partnership.auditor", "Demo Auditor", "leicestershire-county", Role::Auditor},
    {"review.panel", "Demo Case Review Panel Member", "leicestershire-county", Role::CaseReviewPanel},
    {"housing.partner", "Demo External Partner", "demo-housing", Role::ExternalPartner},
    {"police.integration", "Demo Police Records Integration", "leicestershire-police", Role::SystemIntegration},
    {"police.caseworker", "Demo Police Case Worker", "leicestershire-police", Role::CaseWorker},
    {"charnwood.caseworker", "Demo Charnwood Case Worker", "charnwood", Role::CaseWorker},
};

ledger::CommandMeta MetaFor(std::string actor, std::string key) {
  ledger::CommandMeta meta;
  meta.actor.user_id = std::move(actor);
  meta.purpose = "identity bootstrap";
  meta.idempotency_key = std::move(key);
  return meta;
}

// The demo secret from the meta family, created on first use.
Result<std::string> DemoSecret(ledger::Store& store) {
  BOOST_OUTCOME_TRY(auto existing, store.GetMeta(kDemoSecretKey));
  if (existing && existing->size() == 32) return *existing;
  std::string secret(32, '\0');
  randombytes_buf(secret.data(), secret.size());
  BOOST_OUTCOME_TRY(store.PutMeta(kDemoSecretKey, secret, true));
  return secret;
}

std::string DemoPassword(const std::string& secret, std::string_view username) {
  static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
  std::array<unsigned char, 32> digest{};
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(username.data()), username.size(),
                     reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  std::string out;
  for (std::size_t i = 0; i < 20; ++i) out.push_back(kAlphabet[digest[i] % (sizeof kAlphabet - 1)]);
  return out;
}

struct Created {
  std::string organisation_id;
  std::string team_id;
};

Result<Created> EnsureOrganisation(Node& node, const std::string& actor, const std::string& slug,
                                   ledger::CreateOrganisation organisation, std::string team) {
  BOOST_OUTCOME_TRY(auto org, node.commands().Run(MetaFor(actor, "bootstrap:organisation:" + slug),
                                                  std::move(organisation)));
  ledger::CreateTeam create_team{org.record_id, std::move(team)};
  BOOST_OUTCOME_TRY(auto created_team, node.commands().Run(MetaFor(actor, "bootstrap:team:" + slug),
                                                           std::move(create_team)));
  return Created{org.record_id, created_team.record_id};
}

// Creates the user unless it exists. Errors: kAlreadyExists when `refuse_existing`.
Result<void> EnsureUser(Node& node, const std::string& actor, ledger::CreateUser user,
                        const std::string& password, const PasswordParams& params,
                        bool refuse_existing) {
  BOOST_OUTCOME_TRY(auto head, node.log().Head(ledger::UserIdForUsername(user.username)));
  if (head.version != 0) {
    if (!refuse_existing) return ledger::Ok();
    ledger::Error e = ledger::MakeError(ledger::Code::kAlreadyExists, "username is already taken");
    e.field = "username";
    e.rule = "is already taken";
    return e;
  }
  BOOST_OUTCOME_TRY(user.password_hash, HashPassword(password, params));
  std::string key = "bootstrap:user:" + ledger::NormaliseUsername(user.username);
  BOOST_OUTCOME_TRY(node.commands().Run(MetaFor(actor, key), std::move(user)));
  return ledger::Ok();
}

}  // namespace

Result<std::vector<DemoUser>> EnsureDemoPartnership(Node& node, const PasswordParams& params) {
  const std::string actor = "caseledger-demo";
  BOOST_OUTCOME_TRY(std::string secret, DemoSecret(node.store()));
  std::vector<std::pair<std::string, Created>> created;
  for (const DemoOrganisation& o : kOrganisations) {
    ledger::CreateOrganisation organisation{o.name, o.kind, o.justification_required};
    BOOST_OUTCOME_TRY(auto ids, EnsureOrganisation(node, actor, o.slug, std::move(organisation), o.team));
    created.emplace_back(o.slug, std::move(ids));
  }
  std::vector<DemoUser> users;
  for (const DemoUserSpec& u : kUsers) {
    std::size_t index = 0;
    while (created[index].first != u.organisation) ++index;
    ledger::CreateUser user;
    user.username = u.username;
    user.display_name = u.display_name;
    user.organisation_id = created[index].second.organisation_id;
    user.team_id = created[index].second.team_id;
    user.roles = {u.role};
    std::string password = DemoPassword(secret, u.username);
    BOOST_OUTCOME_TRY(EnsureUser(node, actor, std::move(user), password, params, false));
    users.push_back({ledger::EnumToString(u.role), u.username, std::move(password),
                     kOrganisations[index].name});
  }
  return users;
}

Result<std::string> CreateAdmin(Node& node, const AdminOptions& options,
                                const PasswordParams& params) {
  const std::string actor = "caseledger-cli";
  BOOST_OUTCOME_TRY(ledger::CheckUsername(options.username));
  ledger::CreateOrganisation organisation{options.organisation_name,
                                          OrganisationKind::OtherAgency, false};
  BOOST_OUTCOME_TRY(auto ids, EnsureOrganisation(node, actor, "administration",
                                                 std::move(organisation), "Administrators"));
  ledger::CreateUser user;
  user.username = options.username;
  user.display_name = options.display_name;
  user.organisation_id = ids.organisation_id;
  user.team_id = ids.team_id;
  user.roles = {Role::PartnershipAdmin};
  std::string password = GeneratePassword();
  BOOST_OUTCOME_TRY(EnsureUser(node, actor, std::move(user), password, params, true));
  return password;
}

}  // namespace caseledger::app::identity
