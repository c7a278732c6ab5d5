// JSON renderers of the record events: incidents, people, addresses, vehicles and links.
#include "ledger/enum_names.h"
#include "ledger/event_json.h"

namespace caseledger::ledger::event_json {
namespace {

namespace json = boost::json;

json::array HateStrands(const flatbuffers::Vector<schema::HateStrand>* strands) {
  json::array out;
  if (strands == nullptr) return out;
  out.reserve(strands->size());
  for (schema::HateStrand strand : *strands) out.push_back(json::string(EnumToString(strand)));
  return out;
}

}  // namespace

Rendered IncidentReported(const schema::IncidentReported& p, PersonalData* pd) {
  BOOST_OUTCOME_TRY(json::value details, Sealed(p.details(), Plaintext::kIncidentDetails, pd));
  json::object out;
  out["reference"] = Str(p.reference());
  out["owner"] = Owner(p.owner());
  out["reported_at"] = Time(p.reported_at());
  out["channel"] = EnumToString(p.channel());
  out["location"] = Location(p.location());
  out["category"] = EnumToString(p.category());
  out["sub_category"] = Str(p.sub_category());
  out["hate_incident"] = p.hate_incident();
  out["hate_strands"] = HateStrands(p.hate_strands());
  out["consent_to_refer"] = p.consent_to_refer();
  out["details"] = std::move(details);
  return out;
}

Rendered IncidentUpdated(const schema::IncidentUpdated& p, PersonalData* pd) {
  json::object out;
  if (p.reported_at()) out["reported_at"] = Time(*p.reported_at());
  if (p.channel()) out["channel"] = EnumToString(*p.channel());
  if (p.location() != nullptr) out["location"] = Location(p.location());
  if (p.consent_to_refer()) out["consent_to_refer"] = *p.consent_to_refer();
  if (p.details() != nullptr) {
    BOOST_OUTCOME_TRY(json::value details, Sealed(p.details(), Plaintext::kIncidentDetails, pd));
    out["details"] = std::move(details);
  }
  out["reason"] = Str(p.reason());
  return out;
}

Rendered IncidentClassified(const schema::IncidentClassified& p, PersonalData*) {
  json::object out;
  out["category"] = EnumToString(p.category());
  out["sub_category"] = Str(p.sub_category());
  out["hate_incident"] = p.hate_incident();
  out["hate_strands"] = HateStrands(p.hate_strands());
  out["reason"] = Str(p.reason());
  return out;
}

Rendered PersonRecorded(const schema::PersonRecorded& p, PersonalData* pd) {
  BOOST_OUTCOME_TRY(json::value details, Sealed(p.details(), Plaintext::kPersonDetails, pd));
  json::object out;
  out["owner"] = Owner(p.owner());
  out["details"] = std::move(details);
  return out;
}

Rendered PersonCorrected(const schema::PersonCorrected& p, PersonalData* pd) {
  BOOST_OUTCOME_TRY(json::value details, Sealed(p.details(), Plaintext::kPersonDetails, pd));
  json::object out;
  out["details"] = std::move(details);
  out["reason"] = Str(p.reason());
  return out;
}

Rendered AddressRecorded(const schema::AddressRecorded& p, PersonalData*) {
  json::object out;
  out["owner"] = Owner(p.owner());
  out["uprn"] = Uprn(p.uprn());
  out["text"] = Str(p.text());
  out["normalised_text"] = Str(p.normalised_text());
  out["postcode"] = Str(p.postcode());
  out["coordinates"] = Coordinates(p.coordinates());
  return out;
}

Rendered VehicleRecorded(const schema::VehicleRecorded& p, PersonalData*) {
  json::object out;
  out["owner"] = Owner(p.owner());
  out["registration"] = Str(p.registration());
  out["normalised_registration"] = Str(p.normalised_registration());
  out["make"] = Str(p.make());
  out["model"] = Str(p.model());
  out["colour"] = Str(p.colour());
  return out;
}

Rendered LinkAdded(const schema::LinkAdded& p, PersonalData*) {
  json::object out;
  out["from_id"] = Str(p.from_id());
  out["to_id"] = Str(p.to_id());
  out["role"] = EnumToString(p.role());
  out["owner"] = Owner(p.owner());
  out["note"] = Str(p.note());
  return out;
}

Rendered LinkRemoved(const schema::LinkRemoved& p, PersonalData*) {
  json::object out;
  out["reason"] = Str(p.reason());
  return out;
}

}  // namespace caseledger::ledger::event_json
