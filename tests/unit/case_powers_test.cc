// The statutory checks of actions and powers (docs/cases.md), through the real command service:
// each limit is accepted at its boundary and refused just past it, naming the field and the rule.
#include <gtest/gtest.h>

#include "../../ledger/src/power_checks.h"
#include "ledger/time_format.h"
#include "support/command_fixture.h"
#include "support/result_assertions.h"

namespace caseledger {
namespace {

using ledger::Micros;
using schema::ActionType;

constexpr Micros kSecond = 1'000'000;
constexpr Micros kHour = 3600 * kSecond;
constexpr Micros kDay = 24 * kHour;

Micros At(const char* text) { return ledger::ParseTimestamp(text).value(); }

class CasePowersTest : public testing::CommandFixture {
 protected:
  ledger::Result<ledger::CommandResult> Action(const std::string& case_id, ActionType action,
                                               const std::string& subject, Micros taken_at,
                                               Micros expires_at = 0) {
    ledger::RecordCaseAction c;
    c.case_id = case_id;
    c.action = action;
    c.subject_id = subject;
    c.taken_at = taken_at;
    c.expires_at = expires_at;
    c.authorised_by = "user-inspector";
    return Run(std::move(c));
  }

  void ExpectRefused(const ledger::Result<ledger::CommandResult>& result, const std::string& field,
                     const std::string& rule_part) {
    ASSERT_FALSE(result) << "expected a refusal on " << field;
    EXPECT_EQ(result.error().code, ledger::Code::kInvalidArgument);
    EXPECT_EQ(result.error().field, field);
    EXPECT_NE(result.error().rule.find(rule_part), std::string::npos) << result.error().rule;
  }
};

TEST_F(CasePowersTest, NoticeWithoutAnEarlierWarningIsRefused) {
  std::string c = Case(schema::CaseType::CommunityProtection);
  std::string person = Person("1990-01-01");

  auto result = Action(c, ActionType::CommunityProtectionNotice, person, At("2025-06-01T10:00:00Z"));

  ExpectRefused(result, "subject_id",
                "a Community Protection Notice needs an earlier Community Protection Warning to "
                "the same subject");
}

TEST_F(CasePowersTest, NoticeIsAcceptedOnceTheWarningPeriodHasPassedAndNotBefore) {
  std::string c = Case(schema::CaseType::CommunityProtection);
  std::string person = Person("1990-01-01");
  Micros warned = At("2025-06-01T10:00:00Z");
  ASSERT_OK(Action(c, ActionType::CommunityProtectionWarning, person, warned, warned + 14 * kDay));

  auto early = Action(c, ActionType::CommunityProtectionNotice, person, warned + 14 * kDay - kSecond);
  auto on_time = Action(c, ActionType::CommunityProtectionNotice, person, warned + 14 * kDay);

  ExpectRefused(early, "taken_at", "once the period the Community Protection Warning gave");
  EXPECT_OK(on_time);
}

TEST_F(CasePowersTest, WarningToAnotherSubjectDoesNotAllowANotice) {
  std::string c = Case();
  std::string warned_person = Person("1990-01-01");
  std::string other = Person("1990-01-01");
  Micros warned = At("2025-06-01T10:00:00Z");
  ASSERT_OK(Action(c, ActionType::CommunityProtectionWarning, warned_person, warned, warned + kDay));

  auto result = Action(c, ActionType::CommunityProtectionNotice, other, warned + 2 * kDay);

  ExpectRefused(result, "subject_id", "needs an earlier Community Protection Warning");
}

TEST_F(CasePowersTest, WarningNeedsAPeriodToComply) {
  std::string c = Case();
  std::string person = Person("1990-01-01");

  auto result = Action(c, ActionType::CommunityProtectionWarning, person, At("2025-06-01T10:00:00Z"));

  ExpectRefused(result, "expires_at", "reasonable period to comply");
}

TEST_F(CasePowersTest, NoticeSubjectAged16OnTheDayIsAcceptedAndTheDayBeforeRefused) {
  std::string c = Case();
  std::string person = Person("2009-06-15");  // 16 on 2025-06-15
  ASSERT_OK(Action(c, ActionType::CommunityProtectionWarning, person, At("2025-05-01T09:00:00Z"),
                   At("2025-05-15T09:00:00Z")));

  auto day_before = Action(c, ActionType::CommunityProtectionNotice, person,
                           At("2025-06-14T23:59:59Z"));
  auto birthday = Action(c, ActionType::CommunityProtectionNotice, person,
                         At("2025-06-15T00:00:00Z"));

  ExpectRefused(day_before, "subject_id", "must be aged 16 or over");
  EXPECT_OK(birthday);
}

TEST_F(CasePowersTest, NoticeSubjectWithoutADateOfBirthIsRefused) {
  std::string c = Case();
  std::string person = Person("");
  ASSERT_OK(Action(c, ActionType::CommunityProtectionWarning, person, At("2025-05-01T09:00:00Z"),
                   At("2025-05-15T09:00:00Z")));

  auto result = Action(c, ActionType::CommunityProtectionNotice, person, At("2025-06-01T09:00:00Z"));

  ExpectRefused(result, "subject_id", "needs the subject's date of birth");
}

TEST_F(CasePowersTest, NoticeWithoutASubjectIsRefused) {
  std::string c = Case();

  auto result = Action(c, ActionType::CommunityProtectionNotice, "", At("2025-06-01T09:00:00Z"));

  ExpectRefused(result, "subject_id", "is directed at a person");
}

TEST_F(CasePowersTest, InjunctionRespondentAged10OnTheDayIsAcceptedAndTheDayBeforeRefused) {
  std::string c = Case();
  std::string person = Person("2015-03-01");  // 10 on 2025-03-01

  auto day_before = Action(c, ActionType::CivilInjunction, person, At("2025-02-28T23:59:59Z"));
  auto birthday = Action(c, ActionType::CivilInjunction, person, At("2025-03-01T00:00:00Z"));

  ExpectRefused(day_before, "subject_id", "respondent must be aged 10 or over");
  EXPECT_OK(birthday);
}

TEST_F(CasePowersTest, CriminalBehaviourOrderNeedsAConviction) {
  std::string c = Case();
  std::string person = Person("1990-01-01");
  ledger::RecordCaseAction order;
  order.case_id = c;
  order.action = ActionType::CriminalBehaviourOrder;
  order.subject_id = person;
  order.taken_at = At("2025-06-01T09:00:00Z");

  auto without = Run(order);
  order.conviction_reference = "CONV-2025-0042";
  auto with = Run(order);

  ExpectRefused(without, "conviction_reference", "only on conviction");
  EXPECT_OK(with);
}

TEST_F(CasePowersTest, DispersalLastsAtMost48Hours) {
  std::string c = Case();
  std::string person = Person("1990-01-01");
  Micros t = At("2025-06-01T20:00:00Z");

  auto over = Action(c, ActionType::DispersalDirection, person, t, t + 48 * kHour + kSecond);
  auto exact = Action(c, ActionType::DispersalDirection, person, t, t + 48 * kHour);

  ExpectRefused(over, "expires_at", "lasts at most 48 hours");
  EXPECT_OK(exact);
}

TEST_F(CasePowersTest, DispersalNeedsAnAuthorisingOfficer) {
  std::string c = Case();
  ledger::RecordCaseAction d;
  d.case_id = c;
  d.action = ActionType::DispersalDirection;
  d.subject_id = Person("1990-01-01");
  d.taken_at = At("2025-06-01T20:00:00Z");
  d.expires_at = d.taken_at + kHour;

  auto result = Run(d);

  ExpectRefused(result, "authorised_by", "inspector or above");
}

TEST_F(CasePowersTest, ClosureNoticeLastsAtMost48HoursAndNamesThePremises) {
  std::string c = Case();
  std::string premises = Address();
  ledger::RecordCaseAction n;
  n.case_id = c;
  n.action = ActionType::ClosureNotice;
  n.taken_at = At("2025-06-01T12:00:00Z");
  n.expires_at = n.taken_at + 48 * kHour;
  n.authorised_by = "user-inspector";

  auto no_premises = Run(n);
  n.premises_id = premises;
  n.expires_at = n.taken_at + 48 * kHour + kSecond;
  auto over = Run(n);
  n.expires_at = n.taken_at + 48 * kHour;
  auto exact = Run(n);

  ExpectRefused(no_premises, "premises_id", "closes premises");
  ExpectRefused(over, "expires_at", "closure notice lasts at most 48 hours");
  EXPECT_OK(exact);
}

TEST_F(CasePowersTest, ClosureOrderLastsAtMost3MonthsAndSixWithExtensions) {
  std::string c = Case();
  std::string premises = Address();
  std::string other_premises = Address();
  auto order = [&](const std::string& where, const char* from, Micros to) {
    ledger::RecordCaseAction o;
    o.case_id = c;
    o.action = ActionType::ClosureOrder;
    o.premises_id = where;
    o.taken_at = At(from);
    o.expires_at = to;
    return Run(o);
  };

  auto over_3_months = order(premises, "2025-01-10T12:00:00Z", At("2025-04-10T12:00:01Z"));
  auto first = order(premises, "2025-01-10T12:00:00Z", At("2025-04-10T12:00:00Z"));
  auto extension = order(premises, "2025-04-10T12:00:00Z", At("2025-07-10T12:00:00Z"));
  auto beyond_6_months = order(premises, "2025-07-10T12:00:00Z", At("2025-07-11T12:00:00Z"));
  auto elsewhere = order(other_premises, "2025-07-10T12:00:00Z", At("2025-07-11T12:00:00Z"));

  ExpectRefused(over_3_months, "expires_at", "lasts at most 3 months");
  EXPECT_OK(first);
  EXPECT_OK(extension);
  ExpectRefused(beyond_6_months, "expires_at", "6 months in total for the same premises");
  EXPECT_OK(elsewhere);
}

TEST(PowerCalendarTest, TwentyNinthOfFebruaryBirthdaysFallOnTheFirstOfMarch) {
  EXPECT_EQ(ledger::AgedAtLeast("2008-02-29", At("2024-02-29T00:00:00Z"), 16).value(), true);
  EXPECT_EQ(ledger::AgedAtLeast("2009-02-28", At("2025-02-27T23:59:59Z"), 16).value(), false);
  EXPECT_EQ(ledger::AgedAtLeast("2008-02-29", At("2023-02-28T12:00:00Z"), 15).value(), false);
  EXPECT_EQ(ledger::AgedAtLeast("2008-02-29", At("2023-03-01T00:00:00Z"), 15).value(), true);
}

TEST(PowerCalendarTest, CalendarMonthsClampToTheEndOfTheMonth) {
  EXPECT_EQ(ledger::AddCalendarMonths(At("2025-01-31T08:00:00Z"), 1), At("2025-02-28T08:00:00Z"));
  EXPECT_EQ(ledger::AddCalendarMonths(At("2025-11-15T00:00:00Z"), 3), At("2026-02-15T00:00:00Z"));
}

class CaseClosureTest : public testing::CommandFixture {};

TEST_F(CaseClosureTest, ClosingWithoutARecordedActionIsRefused) {
  std::string c = Case();

  auto result = Run(ledger::CloseCase{c, "resolved", "user-supervisor", ""});

  ASSERT_ERROR_CODE(result, ledger::Code::kInvalidArgument);
  EXPECT_EQ(result.error().field, "case_id");
  EXPECT_EQ(result.error().rule, "must have a recorded action before it can close");
}

TEST_F(CaseClosureTest, ClosingWithoutASupervisorsSignOffIsRefused) {
  std::string c = Case();
  ASSERT_OK(Run(testing::SimpleAction(c, ActionType::Advice)));

  auto result = Run(ledger::CloseCase{c, "resolved", "", ""});

  ASSERT_ERROR_CODE(result, ledger::Code::kInvalidArgument);
  EXPECT_EQ(result.error().field, "signed_off_by");
}

TEST_F(CaseClosureTest, ClosingWithAnActionAndSignOffStoresTheSigner) {
  std::string c = Case();
  ASSERT_OK(Run(testing::SimpleAction(c, ActionType::Advice)));

  ASSERT_OK(Run(ledger::CloseCase{c, "resolved", "user-supervisor", "no reports for 8 weeks"}));

  boost::json::value view = View(c);
  EXPECT_EQ(view.at("status").as_string(), "closed");
  EXPECT_EQ(view.at("signed_off_by").as_string(), "user-supervisor");
}

}  // namespace
}  // namespace caseledger
