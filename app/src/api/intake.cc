#include "intake.h"

#include <algorithm>
#include <map>
#include <set>

#include "app/node.h"
#include "ledger/ids.h"
#include "ledger/normalise.h"
#include "ledger/time_format.h"
#include "projections/search_index.h"

namespace caseledger::app::api {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxMatches = 200;    // candidates read per term for proposed matches
constexpr std::size_t kMaxHistory = 5'000;  // incidents read per term for a location's history

// Record ids with `value`'s term in `index`, in id order, at most `max`; sets `*more` when there
// were more.
Result<std::vector<std::string>> Find(Node& node, std::string_view index, std::string_view value,
                                      std::size_t max = kMaxMatches, bool* more = nullptr) {
  BOOST_OUTCOME_TRY(std::string term, projections::QueryTerm(index, value));
  BOOST_OUTCOME_TRY(auto ids, projections::FindByTerm(node.projections(), index, term, max + 1));
  if (ids.size() > max) {
    ids.resize(max);
    if (more != nullptr) *more = true;
  }
  return ids;
}

// The records among `ids` with the date of birth `dob`, each checked with one point read (a
// date of birth can be shared by more records than any list of them should hold).
Result<std::vector<std::string>> WithDateOfBirth(Node& node, const std::vector<std::string>& ids,
                                                 std::string_view dob) {
  BOOST_OUTCOME_TRY(std::string term, projections::QueryTerm("dob", dob));
  std::vector<std::string> out;
  for (const auto& id : ids) {
    BOOST_OUTCOME_TRY(bool has, projections::HasTerm(node.projections(), "dob", term, id));
    if (has) out.push_back(id);
  }
  return out;
}

Result<std::optional<json::object>> View(Node& node, std::string_view id) {
  BOOST_OUTCOME_TRY(auto text, node.projections().GetView(id));
  if (!text) return std::optional<json::object>();
  boost::system::error_code ec;
  json::value v = json::parse(*text, ec);
  if (ec || !v.is_object()) {
    return ledger::MakeError(ledger::Code::kCorruption, "projections: stored view is not JSON");
  }
  return std::optional<json::object>(std::move(v.as_object()));
}

std::string_view Str(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
}

// One matched record: by id when the caller may see it, else only who holds it.
Result<std::optional<json::object>> MatchEntry(Node& node, const http::Principal& principal,
                                               const std::string& id, json::array reasons,
                                               std::vector<std::string>& consulted) {
  BOOST_OUTCOME_TRY(auto holder, node.access().HolderOf(id));
  if (!holder) return std::optional<json::object>();
  BOOST_OUTCOME_TRY(bool visible, node.access().CanSeeHolder(principal, *holder));
  json::object entry{{"record_id", id}, {"kind", ledger::RecordKind(id)},
                     {"reasons", std::move(reasons)}, {"visible", visible}};
  if (visible) {
    consulted.push_back(id);
  } else {
    entry["holding_organisation_id"] = holder->organisation_id;
    entry["contact_officer_id"] = holder->created_by;
  }
  return std::optional<json::object>(std::move(entry));
}

// Why each candidate matched: record id -> reasons.
using Reasons = std::map<std::string, std::set<std::string>>;

// The match entries of the candidates of `kind`, in id order.
Result<json::array> MatchEntries(Node& node, const http::Principal& principal,
                                 const Reasons& reasons, std::string_view kind,
                                 std::vector<std::string>& consulted) {
  json::array out;
  for (const auto& [id, why] : reasons) {
    if (ledger::RecordKind(id) != kind) continue;
    json::array r;
    for (const auto& w : why) r.push_back(json::value(w));
    BOOST_OUTCOME_TRY(auto entry, MatchEntry(node, principal, id, std::move(r), consulted));
    if (entry) out.push_back(std::move(*entry));
  }
  return out;
}

// Counts the incidents in `incidents` that occurred within the window ending now.
// `recorded`, when given, is an incident the caller has just recorded: counted from its command.
Result<json::object> Summarise(Node& node, const http::Principal& principal,
                               const std::set<std::string>& incidents, const IntakeOptions& options,
                               std::vector<std::string>& consulted,
                               const RecordedIncident* recorded = nullptr) {
  ledger::Micros now = node.clock().NowMicros();
  ledger::Micros since = now - static_cast<ledger::Micros>(options.repeat_window_days) * 86'400'000'000LL;
  json::array visible_ids;
  std::map<std::string, std::int64_t> elsewhere;  // holding organisation -> incidents
  std::int64_t in_window = 0;
  std::int64_t total = 0;
  bool any_hate = false;
  for (const std::string& id : incidents) {
    std::optional<projections::Holder> holder;
    if (recorded != nullptr && id == recorded->id) {
      ++total;
      if (recorded->occurred_at < since) continue;
      ++in_window;
      any_hate = any_hate || recorded->hate_incident;
      // Its first event's actor is the caller, so the caller's team holds it.
      holder.emplace();
      holder->record_id = id;
      holder->organisation_id = principal.organisation_id;
      holder->team_id = principal.team_id;
      holder->created_by = principal.user_id;
    } else {
      BOOST_OUTCOME_TRY(auto view, View(node, id));
      if (!view) continue;
      ++total;
      auto occurred = ledger::ParseTimestamp(Str(*view, "occurred_at"), "occurred_at");
      if (!occurred || occurred.value() < since) continue;
      ++in_window;
      if (const json::value* hate = view->if_contains("hate_incident"); hate && hate->is_bool()) {
        any_hate = any_hate || hate->as_bool();
      }
      BOOST_OUTCOME_TRY(holder, node.access().HolderOf(id));
    }
    if (!holder) continue;
    BOOST_OUTCOME_TRY(bool visible, node.access().CanSeeHolder(principal, *holder));
    if (visible) {
      visible_ids.push_back(json::value(id));
      consulted.push_back(id);
    } else {
      ++elsewhere[holder->organisation_id];
    }
  }
  json::array held;
  for (const auto& [org, count] : elsewhere) {
    held.push_back(json::object{{"organisation_id", org}, {"incidents", count}});
  }
  return json::object{{"incidents_in_window", in_window},
                      {"incidents_all_time", total},
                      {"window_days", options.repeat_window_days},
                      {"repeat", in_window >= options.repeat_threshold},
                      {"any_hate_incident", any_hate},
                      {"visible_incidents", std::move(visible_ids)},
                      {"held_elsewhere", std::move(held)}};
}

// The records at `location`, from one read of each of its index terms (its UPRN, its normalised
// text) of at most `max` records: the address records, at most kMaxMatches of them per term, with
// the terms they share (when `addresses` is given), and the incidents (when `incidents` is).
// Sets `*more` when a term held more than `max` records.
Result<void> RecordsAt(Node& node, const ledger::LocationInput& location, std::size_t max,
                       Reasons* addresses, std::set<std::string>* incidents, bool* more) {
  auto add = [&](const std::vector<std::string>& ids, const char* reason) {
    std::size_t matched = 0;
    for (const auto& id : ids) {
      std::string_view kind = ledger::RecordKind(id);
      if (kind == "incident" && incidents != nullptr) incidents->insert(id);
      if (kind == "address" && addresses != nullptr && matched++ < kMaxMatches) {
        (*addresses)[id].insert(reason);
      }
    }
  };
  if (location.uprn != 0) {
    BOOST_OUTCOME_TRY(auto ids, Find(node, "uprn", std::to_string(location.uprn), max, more));
    add(ids, "uprn");
  }
  if (!ledger::NormaliseAddressText(location.text).empty()) {
    BOOST_OUTCOME_TRY(auto ids, Find(node, "address", location.text, max, more));
    add(ids, "address_text");
  }
  return ledger::Ok();
}

// The person records that are the same person as `person_id`: itself, and those with the same
// normalised name and date of birth (a date of birth is needed to join records).
Result<std::vector<std::string>> SamePerson(Node& node, std::string_view person_id) {
  std::vector<std::string> same{std::string(person_id)};
  BOOST_OUTCOME_TRY(auto view, View(node, person_id));
  if (!view) return same;
  std::string_view dob = Str(*view, "date_of_birth");
  const json::value* names = view->if_contains("names");
  if (dob.empty() || names == nullptr || !names->is_array()) return same;
  for (const auto& n : names->as_array()) {
    if (!n.is_object()) continue;
    std::string full = std::string(Str(n.as_object(), "given")) + " " +
                       std::string(Str(n.as_object(), "family"));
    BOOST_OUTCOME_TRY(auto by_name, Find(node, "name", full));
    BOOST_OUTCOME_TRY(auto both, WithDateOfBirth(node, by_name, dob));
    for (auto& id : both) {
      if (std::find(same.begin(), same.end(), id) == same.end()) same.push_back(id);
    }
  }
  return same;
}

}  // namespace

Result<json::array> PersonMatches(Node& node, const http::Principal& principal,
                                  const ledger::PersonDetailsInput& details,
                                  std::vector<std::string>& consulted) {
  Reasons reasons;
  for (const auto& name : details.names) {
    std::string full = name.given + " " + name.family;
    if (ledger::NormaliseName(full).empty()) continue;
    BOOST_OUTCOME_TRY(auto by_name, Find(node, "name", full));
    BOOST_OUTCOME_TRY(auto by_sound, Find(node, "phonetic", full));
    if (details.date_of_birth.empty()) {
      for (auto& id : by_name) reasons[id].insert("name");
      continue;
    }
    BOOST_OUTCOME_TRY(auto name_and_dob, WithDateOfBirth(node, by_name, details.date_of_birth));
    BOOST_OUTCOME_TRY(auto sound_and_dob, WithDateOfBirth(node, by_sound, details.date_of_birth));
    for (auto& id : name_and_dob) {
      reasons[id].insert("name");
      reasons[id].insert("date_of_birth");
    }
    for (auto& id : sound_and_dob) {
      reasons[id].insert("phonetic_name");
      reasons[id].insert("date_of_birth");
    }
  }
  return MatchEntries(node, principal, reasons, "person", consulted);
}

Result<json::array> LocationMatches(Node& node, const http::Principal& principal,
                                    const ledger::LocationInput& location,
                                    std::vector<std::string>& consulted) {
  // Incidents at the location are in its history, not among the matches.
  Reasons reasons;
  BOOST_OUTCOME_TRY(RecordsAt(node, location, kMaxMatches, &reasons, nullptr, nullptr));
  return MatchEntries(node, principal, reasons, "address", consulted);
}

Result<json::array> VehicleMatches(Node& node, const http::Principal& principal,
                                   std::string_view registration,
                                   std::vector<std::string>& consulted) {
  Reasons reasons;
  if (!ledger::NormaliseRegistration(registration).empty()) {
    BOOST_OUTCOME_TRY(auto ids, Find(node, "registration", registration));
    for (auto& id : ids) reasons[id].insert("registration");
  }
  return MatchEntries(node, principal, reasons, "vehicle", consulted);
}

Result<json::object> LocationHistory(Node& node, const http::Principal& principal,
                                     const ledger::LocationInput& location,
                                     const IntakeOptions& options,
                                     std::vector<std::string>& consulted) {
  bool more = false;
  std::set<std::string> incidents;
  BOOST_OUTCOME_TRY(RecordsAt(node, location, kMaxHistory, nullptr, &incidents, &more));
  BOOST_OUTCOME_TRY(json::object summary, Summarise(node, principal, incidents, options, consulted));
  // false: the location has more records under its UPRN or address than one answer reads, and
  // the counts cover the first kMaxHistory of them.
  summary["complete"] = !more;
  return summary;
}

Result<json::object> RecordedIncidentIntake(Node& node, const http::Principal& principal,
                                            const ledger::LocationInput& location,
                                            const RecordedIncident& recorded,
                                            const IntakeOptions& options,
                                            std::vector<std::string>& consulted) {
  bool more = false;
  Reasons addresses;
  std::set<std::string> incidents;
  BOOST_OUTCOME_TRY(RecordsAt(node, location, kMaxHistory, &addresses, &incidents, &more));
  BOOST_OUTCOME_TRY(auto matches, MatchEntries(node, principal, addresses, "address", consulted));
  BOOST_OUTCOME_TRY(json::object history,
                    Summarise(node, principal, incidents, options, consulted, &recorded));
  history["complete"] = !more;
  return json::object{{"proposed_matches", std::move(matches)},
                      {"history", json::object{{"location", std::move(history)}}}};
}

Result<json::object> PersonHistory(Node& node, const http::Principal& principal,
                                   std::string_view person_id, std::string_view role,
                                   const IntakeOptions& options,
                                   std::vector<std::string>& consulted) {
  BOOST_OUTCOME_TRY(auto people, SamePerson(node, person_id));
  std::set<std::string> incidents;
  for (const auto& person : people) {
    BOOST_OUTCOME_TRY(auto links, node.projections().GetLinks(person));
    for (const auto& link : links) {
      json::value end = json::parse(link.json);
      const json::object& o = end.as_object();
      if (Str(o, "role") != role) continue;
      std::string_view other = Str(o, "other_id");
      if (ledger::RecordKind(other) == "incident") incidents.insert(std::string(other));
    }
  }
  BOOST_OUTCOME_TRY(json::object summary, Summarise(node, principal, incidents, options, consulted));
  summary["person_id"] = person_id;
  summary["role"] = role;
  summary["person_records"] = people.size();
  return summary;
}

Result<json::object> IncidentHistory(Node& node, const http::Principal& principal,
                                     std::string_view incident_id, const IntakeOptions& options,
                                     std::vector<std::string>& consulted) {
  BOOST_OUTCOME_TRY(auto view, View(node, incident_id));
  if (!view) return ledger::MakeError(ledger::Code::kNotFound, "no such record");
  ledger::LocationInput location;
  if (const json::value* l = view->if_contains("location"); l && l->is_object()) {
    std::string_view uprn = Str(l->as_object(), "uprn");
    if (!uprn.empty()) location.uprn = std::stoull(std::string(uprn));
    location.text = std::string(Str(l->as_object(), "text"));
  }
  json::object out;
  out["incident_id"] = incident_id;
  BOOST_OUTCOME_TRY(out["location"], LocationHistory(node, principal, location, options, consulted));
  json::array victims;
  json::array perpetrators;
  BOOST_OUTCOME_TRY(auto links, node.projections().GetLinks(incident_id));
  for (const auto& link : links) {
    json::value end = json::parse(link.json);
    const json::object& o = end.as_object();
    std::string_view other = Str(o, "other_id");
    std::string_view role = Str(o, "role");
    if (ledger::RecordKind(other) != "person") continue;
    BOOST_OUTCOME_TRY(bool visible, node.access().CanSee(principal, other));
    if (!visible) continue;
    if (role == "victim") {
      BOOST_OUTCOME_TRY(auto h, PersonHistory(node, principal, other, role, options, consulted));
      victims.push_back(std::move(h));
    } else if (role == "alleged_perpetrator") {
      BOOST_OUTCOME_TRY(auto h, PersonHistory(node, principal, other, role, options, consulted));
      perpetrators.push_back(std::move(h));
    }
  }
  out["victims"] = std::move(victims);
  out["alleged_perpetrators"] = std::move(perpetrators);
  bool any_hate = out["location"].as_object()["any_hate_incident"].as_bool();
  bool repeat_victim = false;
  bool repeat_perpetrator = false;
  for (auto& v : out["victims"].as_array()) {
    repeat_victim = repeat_victim || v.as_object()["repeat"].as_bool();
    any_hate = any_hate || v.as_object()["any_hate_incident"].as_bool();
  }
  for (auto& p : out["alleged_perpetrators"].as_array()) {
    repeat_perpetrator = repeat_perpetrator || p.as_object()["repeat"].as_bool();
    any_hate = any_hate || p.as_object()["any_hate_incident"].as_bool();
  }
  out["flags"] = json::object{{"repeat_victim", repeat_victim},
                              {"repeat_location", out["location"].as_object()["repeat"]},
                              {"repeat_perpetrator", repeat_perpetrator},
                              {"any_hate_incident", any_hate}};
  return out;
}

}  // namespace caseledger::app::api
