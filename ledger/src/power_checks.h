// The statutory checks of actions and powers (Anti-social Behaviour, Crime and Policing Act 2014):
// a power's own limits (age, duration, prerequisite warning, conviction, authorisation) are
// checked when it is recorded. docs/cases.md lists every rule.
//
// The checks are pure: the planner gathers the facts (the case's earlier actions, the subject's
// date of birth) and CheckPower decides. Each refusal is kInvalidArgument naming the field and
// the rule, and never repeats a value (a date of birth is personal data).
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/commands.h"
#include "ledger/result.h"
#include "stream_state.h"

namespace caseledger::ledger {

struct PowerFacts {
  Micros taken_at = 0;                         // the action's taken_at (defaulted to now)
  const std::vector<ActionFact>* earlier = nullptr;  // actions already on the case
  // The subject's date of birth ("YYYY-MM-DD"); nullopt when unknown (not recorded, or the
  // person's data was disposed of). Only gathered for powers with an age limit.
  std::optional<std::string> subject_date_of_birth;
};

// True for powers with a minimum age, whose check needs the subject's date of birth.
bool NeedsSubjectAge(schema::ActionType action);

// Checks `c` against its power's statutory rules.
Result<void> CheckPower(const RecordCaseAction& c, const PowerFacts& facts);

// Whether a person born on `date_of_birth` ("YYYY-MM-DD") is at least `years` old on the UTC
// day of `at`. A 29 February birthday falls on 1 March in other years. Errors: a malformed date.
Result<bool> AgedAtLeast(std::string_view date_of_birth, Micros at, int years);

// `t` plus `months` calendar months, the day clamped to the month's last (31 Jan + 1 = 28/29 Feb).
Micros AddCalendarMonths(Micros t, int months);

}  // namespace caseledger::ledger
