#include "support/command_fixture.h"

#include "support/result_assertions.h"

namespace caseledger::testing {

ledger::RecordCaseAction SimpleAction(const std::string& case_id, schema::ActionType action) {
  ledger::RecordCaseAction c;
  c.case_id = case_id;
  c.action = action;
  return c;
}

void CommandFixture::SetUp() {
  h_ = ProjectionHarness::Open(dir_.Path("db"));
  ASSERT_NE(h_, nullptr);
  ids_ = std::make_unique<ledger::IdGenerator>(h_->node().clock(), h_->node().random());
  commands_ = std::make_unique<ledger::CommandService>(h_->log(), h_->personal_data(), *ids_,
                                                       h_->node().clock());
  meta_.actor = {"user-officer", "org-council", "team-asb"};
}

std::string CommandFixture::Person(const std::string& date_of_birth) {
  ledger::RecordPerson c;
  c.details.names = {{"Alex", "Example"}};
  c.details.date_of_birth = date_of_birth;
  auto result = Run(std::move(c));
  EXPECT_TRUE(result) << (result ? "" : result.error().ToString());
  return result ? result.value().record_id : std::string();
}

std::string CommandFixture::Address() {
  ledger::RecordAddress c;
  c.text = "1 Test Street";
  auto result = Run(std::move(c));
  EXPECT_TRUE(result) << (result ? "" : result.error().ToString());
  return result ? result.value().record_id : std::string();
}

std::string CommandFixture::Case(schema::CaseType type) {
  ledger::OpenCase c;
  c.case_type = type;
  c.title = "Noise, Test Street";
  auto result = Run(std::move(c));
  EXPECT_TRUE(result) << (result ? "" : result.error().ToString());
  return result ? result.value().record_id : std::string();
}

boost::json::value CommandFixture::View(const std::string& record_id) {
  EXPECT_OK(h_->ApplyAll());
  return h_->View(record_id);
}

}  // namespace caseledger::testing
