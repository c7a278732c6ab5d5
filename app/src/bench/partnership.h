// The synthetic partnership the benchmark history is recorded by: the ten Leicester,
// Leicestershire and Rutland councils, Leicestershire Police and one invited housing provider
// (../shared/domain/partnership-llr.json), their areas, teams and officers.
//
// Thread safety: immutable after construction.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ledger/event.h"

namespace caseledger::app::bench {

struct Organisation {
  std::string id;                // "leicester-city-council"
  std::string name;              // "Leicester City Council"
  std::string kind;              // "unitary council", "police force", ...
  std::string reference_prefix;  // "LCC": incident and case references
  std::uint32_t officers = 0;    // case workers who record incidents and work cases
};

// One local authority area; incidents happen in an area.
struct Area {
  std::string name;               // "Charnwood"
  std::string town;               // the main town, for addresses
  std::string postcode_district;  // "LE11"
  double population_share = 0;    // weight of incidents (ONS mid-2021 estimates, rounded)
  std::uint32_t council = 0;      // index of the district or unitary council
  bool in_county = false;         // Leicestershire County Council also works here
  std::uint64_t uprn_base = 0;    // UPRNs of this area start here
};

class Partnership {
 public:
  Partnership();

  const std::vector<Organisation>& organisations() const { return organisations_; }
  const std::vector<Area>& areas() const { return areas_; }
  std::uint32_t police() const { return police_; }
  std::uint32_t county() const { return county_; }
  std::uint32_t housing() const { return housing_; }
  std::vector<double> AreaWeights() const;

  // Actors are numbered: every officer of every organisation, then one supervisor each.
  std::uint32_t actor_count() const { return static_cast<std::uint32_t>(actors_.size()); }
  const ledger::Actor& actor(std::uint32_t index) const { return actors_[index]; }
  std::uint32_t OfficerActor(std::uint32_t organisation, std::uint32_t officer) const;
  std::uint32_t SupervisorActor(std::uint32_t organisation) const;
  std::uint32_t OrganisationOf(std::uint32_t actor) const { return actor_organisation_[actor]; }

 private:
  std::vector<Organisation> organisations_;
  std::vector<Area> areas_;
  std::vector<ledger::Actor> actors_;
  std::vector<std::uint32_t> actor_organisation_;
  std::vector<std::uint32_t> first_officer_;
  std::uint32_t first_supervisor_ = 0;
  std::uint32_t police_ = 0;
  std::uint32_t county_ = 0;
  std::uint32_t housing_ = 0;
};

// The one partnership every generated history uses.
const Partnership& LlrPartnership();

}  // namespace caseledger::app::bench
