#include "partnership.h"

#include <fmt/format.h>

namespace caseledger::app::bench {

Partnership::Partnership() {
  organisations_ = {
      {"blaby-district-council", "Blaby District Council", "district council", "BDC", 6},
      {"charnwood-borough-council", "Charnwood Borough Council", "borough council", "CBC", 10},
      {"harborough-district-council", "Harborough District Council", "district council", "HDC", 6},
      {"hinckley-bosworth-borough-council", "Hinckley and Bosworth Borough Council",
       "borough council", "HBBC", 7},
      {"leicester-city-council", "Leicester City Council", "unitary council", "LCC", 24},
      {"leicestershire-county-council", "Leicestershire County Council", "county council", "LCoC",
       8},
      {"melton-borough-council", "Melton Borough Council", "borough council", "MBC", 4},
      {"north-west-leicestershire-district-council", "North West Leicestershire District Council",
       "district council", "NWLDC", 6},
      {"oadby-wigston-borough-council", "Oadby and Wigston Borough Council", "borough council",
       "OWBC", 4},
      {"rutland-county-council", "Rutland County Council", "unitary council", "RCC", 3},
      {"leicestershire-police", "Leicestershire Police", "police force", "LP", 40},
      {"llr-housing-association", "LLR Housing Association", "housing provider", "HA", 8},
  };
  county_ = 5;
  police_ = 10;
  housing_ = 11;
  areas_ = {
      {"Blaby", "Blaby", "LE8", 0.091, 0, true, 100'010'000'000},
      {"Charnwood", "Loughborough", "LE11", 0.164, 1, true, 100'020'000'000},
      {"Harborough", "Market Harborough", "LE16", 0.087, 2, true, 100'030'000'000},
      {"Hinckley and Bosworth", "Hinckley", "LE10", 0.101, 3, true, 100'040'000'000},
      {"Leicester", "Leicester", "LE2", 0.330, 4, false, 2'465'000'000},
      {"Melton", "Melton Mowbray", "LE13", 0.046, 6, true, 100'060'000'000},
      {"North West Leicestershire", "Coalville", "LE67", 0.093, 7, true, 100'070'000'000},
      {"Oadby and Wigston", "Wigston", "LE18", 0.051, 8, true, 100'080'000'000},
      {"Rutland", "Oakham", "LE15", 0.037, 9, false, 100'090'000'000},
  };
  for (std::uint32_t o = 0; o < organisations_.size(); ++o) {
    const Organisation& org = organisations_[o];
    first_officer_.push_back(static_cast<std::uint32_t>(actors_.size()));
    std::string team = o == police_ ? "neighbourhood-policing" : "asb-team";
    for (std::uint32_t i = 0; i < org.officers; ++i) {
      actors_.push_back({fmt::format("{}.officer{:02}", org.id, i + 1), org.id, team});
      actor_organisation_.push_back(o);
    }
  }
  first_supervisor_ = static_cast<std::uint32_t>(actors_.size());
  for (std::uint32_t o = 0; o < organisations_.size(); ++o) {
    const Organisation& org = organisations_[o];
    std::string team = o == police_ ? "neighbourhood-policing" : "asb-team";
    actors_.push_back({org.id + ".supervisor", org.id, team});
    actor_organisation_.push_back(o);
  }
}

std::vector<double> Partnership::AreaWeights() const {
  std::vector<double> weights;
  for (const auto& a : areas_) weights.push_back(a.population_share);
  return weights;
}

std::uint32_t Partnership::OfficerActor(std::uint32_t organisation, std::uint32_t officer) const {
  return first_officer_[organisation] + officer % organisations_[organisation].officers;
}

std::uint32_t Partnership::SupervisorActor(std::uint32_t organisation) const {
  return first_supervisor_ + organisation;
}

const Partnership& LlrPartnership() {
  static const Partnership partnership;
  return partnership;
}

}  // namespace caseledger::app::bench
