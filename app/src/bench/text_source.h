// Realistic-looking content for the benchmark's synthetic history: prose of an exact size built
// from sentences of the kind case workers write, names, dates of birth, addresses with postcodes
// and UPRNs, vehicles. Everything is drawn from a seeded Rng, so it is reproducible; nothing is
// real personal data.
#pragma once

#include <cstdint>
#include <string>

#include "ledger/commands.h"
#include "partnership.h"
#include "rng.h"

namespace caseledger::app::bench {

enum class ProseKind : std::uint8_t {
  kIncidentDescription,  // what the caller reported
  kNote,                 // a case worker's note on a case or incident
  kCaseSummary,
  kActionDetails,
  kOutcome,
  kReason,
};

// Exactly `bytes` bytes of printable ASCII sentences (with the odd newline between paragraphs).
std::string Prose(Rng& rng, ProseKind kind, std::uint32_t bytes);

// One whole sentence giving the reason for a change.
std::string Reason(Rng& rng);

// A short title: a case title or a task title.
std::string CaseTitle(Rng& rng, schema::Category category);
std::string TaskTitle(Rng& rng);

// The people of an incident. Perpetrators skew younger; victims may carry vulnerabilities.
enum class PersonRole : std::uint8_t { kVictim, kPerpetrator, kWitness };
ledger::PersonDetailsInput PersonDetails(Rng& rng, PersonRole role, const Area& area,
                                         std::uint64_t house_number_seed);

// An address in `area`: most have a UPRN (`uprn` non-zero), all have text and a postcode.
ledger::RecordAddress Address(Rng& rng, const Area& area, std::uint64_t uprn);

ledger::RecordVehicle Vehicle(Rng& rng);

// The sub-category a council or force would file an incident under.
std::string SubCategory(Rng& rng, schema::Category category);

}  // namespace caseledger::app::bench
