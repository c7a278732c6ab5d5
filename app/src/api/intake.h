// Intake that links instead of duplicating (docs/intake.md): when a person, an incident, an
// address or a vehicle is recorded, or a person is linked to an incident, the answer carries the
// records it probably matches and the history that matters to whoever records the next
// incident (repeat victim, repeat location, repeat perpetrator; any hate incident), across every
// agency's records.
//
// Access: a match or an incident in a record the caller may see is given by id (and the
// consultation logged); one it may not see counts only as existence, with who holds it.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "api_common.h"

namespace caseledger::app::api {

// Person records that match `details`: same normalised name and date of birth, or a phonetic
// name match with the same date of birth, or the same name when no date of birth is known.
// {"proposed_matches": [...]}; visible matches are added to `consulted`.
Result<boost::json::array> PersonMatches(Node& node, const http::Principal& principal,
                                         const ledger::PersonDetailsInput& details,
                                         std::vector<std::string>& consulted);

// Address records and incidents at the same UPRN or normalised address text.
Result<boost::json::array> LocationMatches(Node& node, const http::Principal& principal,
                                           const ledger::LocationInput& location,
                                           std::vector<std::string>& consulted);

// Vehicle records with the same normalised registration.
Result<boost::json::array> VehicleMatches(Node& node, const http::Principal& principal,
                                          std::string_view registration,
                                          std::vector<std::string>& consulted);

// Incidents at `location` within the window: count, repeat flag, any hate incident.
Result<boost::json::object> LocationHistory(Node& node, const http::Principal& principal,
                                            const ledger::LocationInput& location,
                                            const IntakeOptions& options,
                                            std::vector<std::string>& consulted);

// An incident a request has just recorded, as its command gave it.
struct RecordedIncident {
  std::string id;
  ledger::Micros occurred_at = 0;
  bool hate_incident = false;
};

// The answer to recording an incident: {"proposed_matches": the address records at its location,
// "history": {"location": the location's history}}, as LocationMatches and LocationHistory give
// them, from one read of each of the location's index terms. The incident just recorded is
// counted from `recorded`, not read back: the caller's team holds it.
Result<boost::json::object> RecordedIncidentIntake(Node& node, const http::Principal& principal,
                                                   const ledger::LocationInput& location,
                                                   const RecordedIncident& recorded,
                                                   const IntakeOptions& options,
                                                   std::vector<std::string>& consulted);

// Incidents where `person_id` (or a person record matching it by name and date of birth) was
// linked with `role` ("victim" or "alleged_perpetrator") within the window.
Result<boost::json::object> PersonHistory(Node& node, const http::Principal& principal,
                                          std::string_view person_id, std::string_view role,
                                          const IntakeOptions& options,
                                          std::vector<std::string>& consulted);

// The whole history around one incident: its location, its victims and alleged perpetrators.
Result<boost::json::object> IncidentHistory(Node& node, const http::Principal& principal,
                                            std::string_view incident_id,
                                            const IntakeOptions& options,
                                            std::vector<std::string>& consulted);

}  // namespace caseledger::app::api
