// A test fixture that runs commands through a real CommandService over a ProjectionHarness, with
// helpers to record the people, addresses and cases the domain rules look at.
//
// Example:
//   class MyTest : public testing::CommandFixture {};
//   TEST_F(MyTest, Something) {
//     std::string person = Person("1990-01-01");
//     auto result = Run(ledger::RecordCaseAction{...});
//   }
//
// Thread safety: none.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "ledger/command_service.h"
#include "support/projection_harness.h"
#include "support/temp_dir.h"

namespace caseledger::testing {

// An action of `action` on `case_id`, taken now, with no other fields.
ledger::RecordCaseAction SimpleAction(const std::string& case_id, schema::ActionType action);

class CommandFixture : public ::testing::Test {
 protected:
  void SetUp() override;

  template <class Command>
  ledger::Result<ledger::CommandResult> Run(Command command) {
    return commands_->Run(meta_, std::move(command));
  }

  // A person record with `date_of_birth` ("" = unknown); fails the test on error.
  std::string Person(const std::string& date_of_birth);
  // An address record; fails the test on error.
  std::string Address();
  // An open case of `type`; fails the test on error.
  std::string Case(schema::CaseType type = schema::CaseType::AsbCase);
  // The record's view once every event is projected.
  boost::json::value View(const std::string& record_id);

  ledger::ManualClock& clock() { return h_->node().clock(); }

  TempDir dir_;
  std::unique_ptr<ProjectionHarness> h_;
  std::unique_ptr<ledger::IdGenerator> ids_;
  std::unique_ptr<ledger::CommandService> commands_;
  ledger::CommandMeta meta_;
};

}  // namespace caseledger::testing
