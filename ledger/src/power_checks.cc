#include "power_checks.h"

#include <algorithm>
#include <chrono>

#include "ledger/time_format.h"

namespace caseledger::ledger {
namespace {

using schema::ActionType;
namespace chr = std::chrono;

constexpr Micros kDay = 86'400'000'000LL;
constexpr Micros kHour = 3'600'000'000LL;

chr::year_month_day DayOf(Micros t) {
  Micros days = t >= 0 ? t / kDay : (t - kDay + 1) / kDay;
  return chr::year_month_day(chr::sys_days(chr::days(days)));
}

Micros MicrosOf(chr::year_month_day day) {
  return Micros{chr::sys_days(day).time_since_epoch().count()} * kDay;
}

Result<void> RequireSubject(const RecordCaseAction& c, std::string_view power) {
  if (!c.subject_id.empty()) return Ok();
  return InvalidField("subject_id", "is required: a " + std::string(power) +
                                        " is directed at a person (a person record)");
}

Result<void> RequireAge(const RecordCaseAction& c, const PowerFacts& facts,
                        std::string_view power, int years, std::string_view person) {
  BOOST_OUTCOME_TRY(RequireSubject(c, power));
  std::string age = std::to_string(years) + " or over";
  if (!facts.subject_date_of_birth || facts.subject_date_of_birth->empty()) {
    return InvalidField("subject_id", "a " + std::string(power) +
                                          " needs the subject's date of birth on their person "
                                          "record, to show the " + std::string(person) +
                                          " is aged " + age);
  }
  BOOST_OUTCOME_TRY(bool old_enough, AgedAtLeast(*facts.subject_date_of_birth, facts.taken_at, years));
  if (!old_enough) {
    return InvalidField("subject_id", "a " + std::string(power) + "'s " + std::string(person) +
                                          " must be aged " + age + " on the day it is taken");
  }
  return Ok();
}

Result<void> RequireExpiry(const RecordCaseAction& c, std::string_view rule) {
  if (c.expires_at != 0) return Ok();
  return InvalidField("expires_at", std::string(rule));
}

Result<void> AtMostHours(const RecordCaseAction& c, const PowerFacts& facts,
                         std::string_view power, int hours) {
  BOOST_OUTCOME_TRY(RequireExpiry(c, "is required: a " + std::string(power) + " lasts at most " +
                                         std::to_string(hours) + " hours"));
  if (c.expires_at - facts.taken_at > hours * kHour) {
    return InvalidField("expires_at", "a " + std::string(power) + " lasts at most " +
                                          std::to_string(hours) + " hours after taken_at");
  }
  return Ok();
}

Result<void> RequireAuthorisation(const RecordCaseAction& c, std::string_view rule) {
  if (!c.authorised_by.empty()) return Ok();
  return InvalidField("authorised_by", std::string(rule));
}

Result<void> RequirePremises(const RecordCaseAction& c, std::string_view power) {
  if (!c.premises_id.empty()) return Ok();
  return InvalidField("premises_id", "is required: a " + std::string(power) +
                                         " closes premises (an address record)");
}

// A notice needs an earlier warning to the same subject on this case whose period to comply
// has passed.
Result<void> CheckNoticeFollowsWarning(const RecordCaseAction& c, const PowerFacts& facts) {
  bool warned = false;
  bool period_passed = false;
  for (const ActionFact& a : *facts.earlier) {
    if (a.action != ActionType::CommunityProtectionWarning || a.subject_id != c.subject_id ||
        a.taken_at >= facts.taken_at) {
      continue;
    }
    warned = true;
    if (a.expires_at <= facts.taken_at) period_passed = true;
  }
  if (!warned) {
    return InvalidField("subject_id",
                        "a Community Protection Notice needs an earlier Community Protection "
                        "Warning to the same subject");
  }
  if (!period_passed) {
    return InvalidField("taken_at",
                        "a Community Protection Notice can be issued only once the period the "
                        "Community Protection Warning gave to comply (its expires_at) has passed");
  }
  return Ok();
}

Result<void> CheckClosureOrder(const RecordCaseAction& c, const PowerFacts& facts) {
  BOOST_OUTCOME_TRY(RequirePremises(c, "closure order"));
  BOOST_OUTCOME_TRY(RequireExpiry(c, "is required: a closure order lasts at most 3 months"));
  if (c.expires_at > AddCalendarMonths(facts.taken_at, 3)) {
    return InvalidField("expires_at", "a closure order lasts at most 3 months after taken_at");
  }
  // An order that starts before an earlier one for the same premises ends extends it; the chain
  // of an order and its extensions lasts at most 6 months in total.
  Micros start = facts.taken_at;
  for (bool changed = true; changed;) {
    changed = false;
    for (const ActionFact& a : *facts.earlier) {
      if (a.action == ActionType::ClosureOrder && a.premises_id == c.premises_id &&
          a.taken_at < start && a.expires_at >= start) {
        start = a.taken_at;
        changed = true;
      }
    }
  }
  if (c.expires_at > AddCalendarMonths(start, 6)) {
    return InvalidField("expires_at",
                        "a closure order and its extensions last at most 6 months in total for "
                        "the same premises");
  }
  return Ok();
}

}  // namespace

bool NeedsSubjectAge(ActionType action) {
  return action == ActionType::CommunityProtectionNotice || action == ActionType::CivilInjunction;
}

Result<bool> AgedAtLeast(std::string_view date_of_birth, Micros at, int years) {
  BOOST_OUTCOME_TRY(std::int32_t born_days, ParseDate(date_of_birth, "date_of_birth"));
  chr::year_month_day born = DayOf(Micros{born_days} * kDay);
  chr::year_month_day birthday{born.year() + chr::years(years), born.month(), born.day()};
  if (!birthday.ok()) {  // 29 February in a year without one: 1 March
    birthday = chr::year_month_day{birthday.year(), chr::March, chr::day(1)};
  }
  return DayOf(at) >= birthday;
}

Micros AddCalendarMonths(Micros t, int months) {
  chr::year_month_day day = DayOf(t);
  Micros time_of_day = t - MicrosOf(day);
  chr::year_month_day shifted = day + chr::months(months);
  if (!shifted.ok()) {
    shifted = chr::year_month_day_last(shifted.year(), chr::month_day_last(shifted.month()));
  }
  return MicrosOf(shifted) + time_of_day;
}

Result<void> CheckPower(const RecordCaseAction& c, const PowerFacts& facts) {
  switch (c.action) {
    case ActionType::AcceptableBehaviourContract:
      return RequireSubject(c, "Acceptable Behaviour Contract");
    case ActionType::CommunityProtectionWarning: {
      BOOST_OUTCOME_TRY(RequireSubject(c, "Community Protection Warning"));
      return RequireExpiry(c, "is required: a Community Protection Warning gives a reasonable "
                              "period to comply, which ends at expires_at");
    }
    case ActionType::CommunityProtectionNotice: {
      BOOST_OUTCOME_TRY(RequireSubject(c, "Community Protection Notice"));
      BOOST_OUTCOME_TRY(CheckNoticeFollowsWarning(c, facts));
      return RequireAge(c, facts, "Community Protection Notice", 16, "subject");
    }
    case ActionType::CivilInjunction:
      return RequireAge(c, facts, "civil injunction", 10, "respondent");
    case ActionType::CriminalBehaviourOrder: {
      BOOST_OUTCOME_TRY(RequireSubject(c, "Criminal Behaviour Order"));
      if (c.conviction_reference.empty()) {
        return InvalidField("conviction_reference",
                            "is required: a Criminal Behaviour Order is made only on conviction");
      }
      return Ok();
    }
    case ActionType::DispersalDirection: {
      BOOST_OUTCOME_TRY(RequireSubject(c, "dispersal direction"));
      BOOST_OUTCOME_TRY(RequireAuthorisation(
          c, "is required: a dispersal direction is authorised by a police inspector or above"));
      return AtMostHours(c, facts, "dispersal direction", 48);
    }
    case ActionType::ClosureNotice: {
      BOOST_OUTCOME_TRY(RequirePremises(c, "closure notice"));
      BOOST_OUTCOME_TRY(RequireAuthorisation(
          c, "is required: a closure notice is authorised by a police inspector or above, or by "
             "the local authority"));
      return AtMostHours(c, facts, "closure notice", 48);
    }
    case ActionType::ClosureOrder:
      return CheckClosureOrder(c, facts);
    case ActionType::CommunityRemedy:
      return RequireSubject(c, "Community Remedy");
    case ActionType::Possession:
      return RequireSubject(c, "possession claim");
    default:
      return Ok();
  }
}

}  // namespace caseledger::ledger
