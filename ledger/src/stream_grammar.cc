#include "ledger/stream_grammar.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "ledger/envelope.h"
#include "ledger/ids.h"

namespace caseledger::ledger {
namespace {

struct Grammar {
  std::string_view kind;
  EventType creation;
  std::vector<EventType> changes;
};

const std::array<Grammar, 13>& Grammars() {
  static const std::array<Grammar, 13> grammars = {{
      {"incident", EventType::IncidentReported,
       {EventType::IncidentUpdated, EventType::IncidentClassified, EventType::NoteAdded,
        EventType::RiskAssessed}},
      {"person", EventType::PersonRecorded, {EventType::PersonCorrected, EventType::NoteAdded}},
      {"address", EventType::AddressRecorded, {}},
      {"vehicle", EventType::VehicleRecorded, {}},
      {"link", EventType::LinkAdded, {EventType::LinkRemoved}},
      {"case", EventType::CaseOpened,
       {EventType::CaseAssigned, EventType::CaseClosed, EventType::CaseReopened,
        EventType::CaseActionRecorded, EventType::TaskCreated, EventType::TaskCompleted,
        EventType::NoteAdded, EventType::RiskAssessed, EventType::DocumentAttached,
        EventType::MeetingScheduled, EventType::MeetingMinutesRecorded,
        EventType::MeetingActionAssigned}},
      {"instrument", EventType::RiskInstrumentPublished, {EventType::RiskInstrumentPublished}},
      {"grant", EventType::AccessGranted, {EventType::AccessRevoked}},
      {"accessrequest", EventType::AccessRequested,
       {EventType::AccessRequestDecided, EventType::AccessRevoked}},
      {"organisation", EventType::OrganisationCreated, {EventType::OrganisationSettingsChanged}},
      {"team", EventType::TeamCreated, {}},
      {"user", EventType::UserCreated,
       {EventType::UserRolesChanged, EventType::UserDeactivated, EventType::UserReactivated,
        EventType::UserPasswordChanged}},
      {"apikey", EventType::ApiKeyIssued, {EventType::ApiKeyRevoked}},
  }};
  return grammars;
}

}  // namespace

Result<void> CheckStreamGrammar(std::string_view stream_id, std::uint64_t version, EventType type,
                                std::string_view field) {
  std::string_view kind = RecordKind(stream_id);
  for (const Grammar& g : Grammars()) {
    if (g.kind != kind) continue;
    std::string name(EventTypeName(type));
    if (version == 1 && type != g.creation) {
      return InvalidField(std::string(field), "must begin a " + std::string(kind) + " stream with " +
                                                  std::string(EventTypeName(g.creation)));
    }
    if (version > 1 && std::find(g.changes.begin(), g.changes.end(), type) == g.changes.end()) {
      return InvalidField(std::string(field),
                          name + " cannot follow on a " + std::string(kind) + " stream");
    }
    return Ok();
  }
  return Ok();
}

}  // namespace caseledger::ledger
