// The identity commands end to end below HTTP: organisations, teams, users and API keys become
// events, their views never hold a password, usernames are unique, and the Directory that
// authentication reads folds every change at once.
#include <gtest/gtest.h>

#include "app/identity/directory.h"
#include "ledger/command_service.h"
#include "ledger/event_json.h"
#include "ledger/identity_ids.h"
#include "support/projection_harness.h"
#include "support/result_assertions.h"
#include "support/temp_dir.h"

namespace caseledger {
namespace {

// A fixed argon2id-shaped string: the ledger checks the shape, the app hashes.
constexpr const char* kHash = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";

// The directory's record of `id`, which must exist (an empty record and a failure otherwise).
app::identity::IdentityRecord Found(app::identity::Directory& directory, const std::string& id) {
  auto found = directory.Find(id);
  EXPECT_TRUE(found && found.value() != nullptr) << id;
  if (!found || found.value() == nullptr) return {};
  return *found.value();
}

class IdentityCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_ = testing::ProjectionHarness::Open(dir_.Path("db"));
    ASSERT_NE(h_, nullptr);
    ids_ = std::make_unique<ledger::IdGenerator>(h_->node().clock(), h_->node().random());
    commands_ = std::make_unique<ledger::CommandService>(h_->log(), h_->personal_data(), *ids_,
                                                         h_->node().clock());
    meta_.actor = {"user-admin", "organisation-admin", "team-admin"};
    auto org = commands_->Run(meta_, ledger::CreateOrganisation{
                                         "Blaby District Council",
                                         schema::OrganisationKind::Council, true});
    ASSERT_TRUE(org) << org.error().ToString();
    org_ = org.value().record_id;
    auto team = commands_->Run(meta_, ledger::CreateTeam{org_, "Community Safety Team"});
    ASSERT_TRUE(team) << team.error().ToString();
    team_ = team.value().record_id;
  }

  ledger::CreateUser User(std::string username) {
    ledger::CreateUser c;
    c.username = std::move(username);
    c.display_name = "A Case Worker";
    c.organisation_id = org_;
    c.team_id = team_;
    c.roles = {schema::Role::CaseWorker};
    c.password_hash = kHash;
    return c;
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::ProjectionHarness> h_;
  std::unique_ptr<ledger::IdGenerator> ids_;
  std::unique_ptr<ledger::CommandService> commands_;
  ledger::CommandMeta meta_;
  std::string org_, team_;
};

TEST_F(IdentityCommandsTest, AUserIsAnEventAndItsViewHoldsNoPassword) {
  ASSERT_OK_AND_ASSIGN(auto created, commands_->Run(meta_, User("J.Smith")));

  EXPECT_EQ(created.record_id, ledger::UserIdForUsername("j.smith"));
  ASSERT_OK(h_->ApplyAll());
  boost::json::value view = h_->View(created.record_id);
  ASSERT_TRUE(view.is_object());
  EXPECT_EQ(view.at("kind"), "user");
  EXPECT_EQ(view.at("username"), "j.smith");
  EXPECT_EQ(view.at("roles").as_array().size(), 1u);
  EXPECT_EQ(view.at("roles").at(0), "case_worker");
  EXPECT_EQ(view.at("active"), true);
  EXPECT_EQ(boost::json::serialize(view).find("argon2"), std::string::npos);
  EXPECT_EQ(h_->View(org_).at("justification_required"), true);
  EXPECT_EQ(h_->View(team_).at("organisation_id"), org_.c_str());
}

TEST_F(IdentityCommandsTest, TheEventJsonNeverOpensThePassword) {
  ASSERT_OK_AND_ASSIGN(auto created, commands_->Run(meta_, User("j.smith")));
  auto events = h_->log().ReadStream(created.record_id, 1, 10);
  ASSERT_TRUE(events && events.value().size() == 1);

  ASSERT_OK_AND_ASSIGN(auto json, ledger::EventToJson(*events.value()[0].envelope(),
                                                      &h_->personal_data(),
                                                      events.value()[0].position));
  EXPECT_EQ(json.at("event_type"), "user_created");
  EXPECT_EQ(json.at("payload").at("password").at("sealed"), true);
  EXPECT_EQ(boost::json::serialize(json).find("argon2"), std::string::npos);
}

TEST_F(IdentityCommandsTest, ATakenUsernameIsRefusedWhateverItsCase) {
  ASSERT_OK(commands_->Run(meta_, User("j.smith")));

  auto again = commands_->Run(meta_, User("J.SMITH"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ledger::Code::kAlreadyExists);
  EXPECT_EQ(again.error().field, "username");
}

TEST_F(IdentityCommandsTest, BadUsersAreRefusedNamingTheField) {
  auto bad_name = User("x");
  auto no_roles = User("no.roles");
  no_roles.roles.clear();
  auto bad_hash = User("bad.hash");
  bad_hash.password_hash = "plaintext";
  auto other_team = User("other.team");
  ASSERT_OK_AND_ASSIGN(auto org2, commands_->Run(meta_, ledger::CreateOrganisation{
                                                            "Melton Borough Council",
                                                            schema::OrganisationKind::Council}));
  other_team.organisation_id = org2.record_id;

  for (auto [command, field] : {std::pair{bad_name, "username"}, {no_roles, "roles"},
                                {bad_hash, "password"}, {other_team, "team_id"}}) {
    auto r = commands_->Run(meta_, command);
    ASSERT_FALSE(r) << field;
    EXPECT_EQ(r.error().field, field);
  }
}

TEST_F(IdentityCommandsTest, TheDirectoryFoldsEveryChangeAtOnce) {
  ASSERT_OK_AND_ASSIGN(auto created, commands_->Run(meta_, User("j.smith")));
  app::identity::Directory directory(h_->log());
  std::string id = created.record_id;
  app::identity::IdentityRecord before = Found(directory, id);
  EXPECT_TRUE(before.active);
  EXPECT_EQ(before.roles, std::vector<std::string>{"case_worker"});
  ASSERT_TRUE(before.credential.has_value());
  ASSERT_OK_AND_ASSIGN(auto opened, h_->personal_data().Open(before.credential.value()));
  EXPECT_NE(opened.find(kHash), std::string::npos);

  ASSERT_OK(commands_->Run(meta_, ledger::ChangeUserRoles{id, {schema::Role::Supervisor}, ""}));
  ASSERT_OK(commands_->Run(meta_, ledger::DeactivateUser{id, "left"}));

  app::identity::IdentityRecord after = Found(directory, id);
  EXPECT_FALSE(after.active);
  EXPECT_EQ(after.roles, std::vector<std::string>{"supervisor"});
  EXPECT_FALSE(commands_->Run(meta_, ledger::DeactivateUser{id, "again"}));
  ASSERT_OK(commands_->Run(meta_, ledger::ReactivateUser{id, "back"}));
  EXPECT_TRUE(Found(directory, id).active);
  ASSERT_OK_AND_ASSIGN(auto nobody, directory.Find(ledger::UserIdForUsername("nobody")));
  EXPECT_EQ(nobody, nullptr);
}

TEST_F(IdentityCommandsTest, AnApiKeyIsNamedByItsHashAndCanBeRevoked) {
  ASSERT_OK_AND_ASSIGN(auto user, commands_->Run(meta_, User("police.integration")));
  std::string hash(32, '\x5a');
  ASSERT_OK_AND_ASSIGN(auto key, commands_->Run(meta_, ledger::IssueApiKey{
                                                           user.record_id, "records system",
                                                           hash, 0}));

  EXPECT_EQ(key.record_id, ledger::ApiKeyIdForHash(hash));
  app::identity::Directory directory(h_->log());
  app::identity::IdentityRecord issued = Found(directory, key.record_id);
  EXPECT_TRUE(issued.active);
  EXPECT_EQ(issued.key_hash, hash);
  EXPECT_EQ(issued.user_id, user.record_id);
  ASSERT_OK(commands_->Run(meta_, ledger::RevokeApiKey{key.record_id, "rotated"}));
  EXPECT_FALSE(Found(directory, key.record_id).active);
  auto short_hash = commands_->Run(meta_, ledger::IssueApiKey{user.record_id, "k", "abc", 0});
  ASSERT_FALSE(short_hash);
  EXPECT_EQ(short_hash.error().field, "key_hash");
}

TEST_F(IdentityCommandsTest, OrganisationSettingsChangeJustificationRequired) {
  ASSERT_OK(commands_->Run(meta_, ledger::ChangeOrganisationSettings{org_, false, "pilot over"}));

  app::identity::Directory directory(h_->log());
  EXPECT_FALSE(Found(directory, org_).justification_required);
  ASSERT_OK(h_->ApplyAll());
  EXPECT_EQ(h_->View(org_).at("justification_required"), false);
}

}  // namespace
}  // namespace caseledger
