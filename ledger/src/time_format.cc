#include "ledger/time_format.h"

#include <chrono>
#include <charconv>

#include <fmt/compile.h>
#include <fmt/format.h>

namespace caseledger::ledger {
namespace {

constexpr Micros kMicrosPerSecond = 1'000'000;
constexpr Micros kMicrosPerDay = 86'400 * kMicrosPerSecond;

// Reads exactly `width` digits at `pos`; false if any is not a digit.
bool ReadDigits(std::string_view s, std::size_t pos, std::size_t width, int& out) {
  if (pos + width > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

Result<std::chrono::sys_days> ReadDate(std::string_view s, std::string_view field) {
  int y = 0, m = 0, d = 0;
  if (s.size() < 10 || !ReadDigits(s, 0, 4, y) || s[4] != '-' || !ReadDigits(s, 5, 2, m) ||
      s[7] != '-' || !ReadDigits(s, 8, 2, d)) {
    return InvalidField(std::string(field), "must be a date as YYYY-MM-DD");
  }
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month(m),
                                  std::chrono::day(d)};
  if (!ymd.ok() || y < 1900) {
    return InvalidField(std::string(field), "must be a real calendar date from 1900");
  }
  return std::chrono::sys_days(ymd);
}

}  // namespace

Result<Micros> ParseTimestamp(std::string_view s, std::string_view field) {
  const std::string rule = "must be an RFC 3339 timestamp such as 2026-03-01T18:30:00Z";
  auto date = ReadDate(s, field);
  if (!date) return InvalidField(std::string(field), rule);
  int hh = 0, mm = 0, ss = 0;
  if (s.size() < 19 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !ReadDigits(s, 11, 2, hh) || s[13] != ':' || !ReadDigits(s, 14, 2, mm) || s[16] != ':' ||
      !ReadDigits(s, 17, 2, ss) || hh > 23 || mm > 59 || ss > 60) {
    return InvalidField(std::string(field), rule);
  }
  if (ss == 60) {
    // A leap second can only be second 60 of a minute 59 (local minutes keep UTC's, whole-hour
    // and half-hour offsets aside); it is folded into second 59.
    if (mm != 59) return InvalidField(std::string(field), rule);
    ss = 59;
  }
  std::size_t pos = 19;
  Micros fraction = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    std::size_t digits = 0;
    Micros scale = 100'000;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 6) fraction += (s[pos] - '0') * scale;
      scale /= 10;
      ++digits;
      ++pos;
    }
    if (digits == 0) return InvalidField(std::string(field), rule);
  }
  Micros offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh = 0, om = 0;
    if (!ReadDigits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !ReadDigits(s, pos + 4, 2, om) || oh > 23 || om > 59) {
      return InvalidField(std::string(field), rule);
    }
    offset = (oh * 3600 + om * 60) * kMicrosPerSecond * (s[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return InvalidField(std::string(field), rule + " (with Z or an offset)");
  }
  if (pos != s.size()) return InvalidField(std::string(field), rule);
  Micros days = date.value().time_since_epoch().count();
  return days * kMicrosPerDay + (hh * 3600 + mm * 60 + ss) * kMicrosPerSecond + fraction - offset;
}

std::string FormatTimestamp(Micros t) {
  Micros days = t >= 0 ? t / kMicrosPerDay : (t - kMicrosPerDay + 1) / kMicrosPerDay;
  Micros rest = t - days * kMicrosPerDay;
  std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  Micros secs = rest / kMicrosPerSecond;
  // Compiled format: views stamp every event with times, so this is on the rebuild path.
  return fmt::format(FMT_COMPILE("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z"), int(ymd.year()),
                     unsigned(ymd.month()), unsigned(ymd.day()), secs / 3600, (secs / 60) % 60,
                     secs % 60, rest % kMicrosPerSecond);
}

Result<std::int32_t> ParseDate(std::string_view s, std::string_view field) {
  if (s.size() != 10) return InvalidField(std::string(field), "must be a date as YYYY-MM-DD");
  BOOST_OUTCOME_TRY(auto d, ReadDate(s, field));
  return static_cast<std::int32_t>(d.time_since_epoch().count());
}

}  // namespace caseledger::ledger
