// The JSON spelling of schema enums: snake_case of the FlatBuffers name ("alleged_perpetrator"
// for LinkRole::AllegedPerpetrator). `Unspecified` spells "unspecified" and is never accepted
// from input.
//
// Example:
//   EnumToString(schema::LinkRole::Victim) == "victim"
//   ParseEnum<schema::LinkRole>("witness") == schema::LinkRole::Witness
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schemas/events_generated.h"

namespace caseledger::ledger {

// "AllegedPerpetrator" -> "alleged_perpetrator".
std::string SnakeCase(std::string_view camel);

template <class E>
struct EnumTraits;

#define CASELEDGER_ENUM_TRAITS(E)                                            \
  template <>                                                                \
  struct EnumTraits<schema::E> {                                             \
    static const char* Name(schema::E v) { return schema::EnumName##E(v); }  \
    static const auto& Values() { return schema::EnumValues##E(); }          \
  }

CASELEDGER_ENUM_TRAITS(Channel);
CASELEDGER_ENUM_TRAITS(Category);
CASELEDGER_ENUM_TRAITS(HateStrand);
CASELEDGER_ENUM_TRAITS(LinkRole);
CASELEDGER_ENUM_TRAITS(CaseType);
CASELEDGER_ENUM_TRAITS(ActionType);
CASELEDGER_ENUM_TRAITS(RiskLevel);
CASELEDGER_ENUM_TRAITS(GranteeKind);
CASELEDGER_ENUM_TRAITS(OrganisationKind);
CASELEDGER_ENUM_TRAITS(Role);
#undef CASELEDGER_ENUM_TRAITS

template <class E>
std::string EnumToString(E v) {
  const char* name = EnumTraits<E>::Name(v);
  return name == nullptr || *name == '\0' ? std::string("unknown") : SnakeCase(name);
}

// nullopt for unknown names and for "unspecified".
template <class E>
std::optional<E> ParseEnum(std::string_view text) {
  for (E v : EnumTraits<E>::Values()) {
    if (static_cast<int>(v) != 0 && EnumToString(v) == text) return v;
  }
  return std::nullopt;
}

// Every accepted spelling, for error messages ("must be one of: phone, online_form, ...").
template <class E>
std::string EnumChoices() {
  std::string out;
  for (E v : EnumTraits<E>::Values()) {
    if (static_cast<int>(v) == 0) continue;
    if (!out.empty()) out += ", ";
    out += EnumToString(v);
  }
  return out;
}

}  // namespace caseledger::ledger
