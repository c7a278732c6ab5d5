#include "ledger/enum_names.h"
#include "ledger/time_format.h"
#include "projections/keys.h"
#include "schemas/events_generated.h"
#include "view_builders.h"

namespace caseledger::projections {
namespace {

namespace json = boost::json;
using ledger::EnumToString;

template <class T>
const T* Payload(const schema::Envelope& e) {
  return flatbuffers::GetRoot<T>(e.payload()->data());
}

json::value CoordinatesJson(const schema::Coordinates* c) {
  if (c == nullptr) return nullptr;
  return json::object{{"latitude", c->latitude()}, {"longitude", c->longitude()}};
}

json::value LocationJson(const schema::Location* l) {
  if (l == nullptr) return nullptr;
  json::object out;
  out["uprn"] = l->uprn() == 0 ? json::value(nullptr) : json::value(std::to_string(l->uprn()));
  out["address_id"] = l->address_id() ? StringJson(l->address_id()) : nullptr;
  out["text"] = StringJson(l->text());
  out["coordinates"] = CoordinatesJson(l->coordinates());
  return out;
}

json::value StrandsJson(const flatbuffers::Vector<schema::HateStrand>* strands) {
  json::array out;
  if (strands != nullptr) {
    for (auto s : *strands) out.push_back(json::value(EnumToString(s)));
  }
  return out;
}

json::value StringsJson(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* v) {
  json::array out;
  if (v != nullptr) {
    for (const auto* s : *v) out.push_back(StringJson(s));
  }
  return out;
}

json::value IncidentDetailsJson(const schema::IncidentDetails& d) {
  return StringJson(d.description());
}

json::value PersonDetailsJson(const schema::PersonDetails& d) {
  json::object out;
  json::array names;
  if (d.names() != nullptr) {
    for (const auto* n : *d.names()) {
      names.push_back(json::object{{"given", StringJson(n->given())},
                                   {"family", StringJson(n->family())}});
    }
  }
  out["names"] = std::move(names);
  out["aliases"] = StringsJson(d.aliases());
  out["date_of_birth"] = d.date_of_birth() && d.date_of_birth()->size() > 0
                             ? StringJson(d.date_of_birth())
                             : json::value(nullptr);
  out["phone"] = StringJson(d.phone());
  out["email"] = StringJson(d.email());
  out["address_text"] = StringJson(d.address_text());
  out["vulnerabilities"] = StringsJson(d.vulnerabilities());
  return out;
}

constexpr std::string_view kPersonDetailFields[] = {
    "names", "aliases", "date_of_birth", "phone", "email", "address_text", "vulnerabilities"};

// Writes the person's details into the view: the fields of PersonDetails; or, when the subject's
// key was destroyed, removes every one of them (even those projected before) and marks the view.
// An event without details changes none of them. "disposed" is placed when the view is created,
// before the detail fields, and only ever changed in place: a view built while the key was alive
// and then disposed of has the same bytes as one rebuilt after the key was gone.
void SetPersonDetails(json::object& view, json::value details) {
  if (details.is_object()) {
    for (auto& [key, value] : details.as_object()) view[key] = std::move(value);
    view["disposed"] = false;
  } else if (details.is_string() && details.as_string() == "disposed") {
    for (std::string_view field : kPersonDetailFields) view.stable_erase(field);
    view["disposed"] = true;
  }
}

Result<void> IncidentReported(const EventContext& c) {
  const auto* p = Payload<schema::IncidentReported>(c.envelope);
  json::object view = Stamp(c.envelope, c.views.storage());
  view["kind"] = "incident";
  view["reference"] = StringJson(p->reference());
  view["owner"] = OwnerJson(p->owner());
  view["occurred_at"] = ledger::FormatTimestamp(c.envelope.occurred_at());
  view["reported_at"] = TimeJson(p->reported_at());
  view["channel"] = EnumToString(p->channel());
  view["location"] = LocationJson(p->location());
  view["category"] = EnumToString(p->category());
  view["sub_category"] = StringJson(p->sub_category());
  view["hate_incident"] = p->hate_incident();
  view["hate_strands"] = StrandsJson(p->hate_strands());
  view["consent_to_refer"] = p->consent_to_refer();
  BOOST_OUTCOME_TRY(auto description, OpenSealed(c, p->details(), &IncidentDetailsJson));
  view["description"] = std::move(description);
  c.views.Set(ViewKey(c.stream_id), std::move(view));
  return ledger::Ok();
}

Result<void> IncidentUpdated(const EventContext& c, json::object& view) {
  const auto* p = Payload<schema::IncidentUpdated>(c.envelope);
  view["update_reason"] = StringJson(p->reason());
  if (p->reported_at()) view["reported_at"] = TimeJson(*p->reported_at());
  if (p->channel()) view["channel"] = EnumToString(*p->channel());
  if (p->location()) view["location"] = LocationJson(p->location());
  if (p->consent_to_refer()) view["consent_to_refer"] = *p->consent_to_refer();
  if (p->details()) {
    BOOST_OUTCOME_TRY(auto description, OpenSealed(c, p->details(), &IncidentDetailsJson));
    view["description"] = std::move(description);
  }
  return ledger::Ok();
}

void IncidentClassified(const EventContext& c, json::object& view) {
  const auto* p = Payload<schema::IncidentClassified>(c.envelope);
  view["category"] = EnumToString(p->category());
  view["sub_category"] = StringJson(p->sub_category());
  view["hate_incident"] = p->hate_incident();
  view["hate_strands"] = StrandsJson(p->hate_strands());
  view["classification_reason"] = StringJson(p->reason());
}

Result<void> PersonRecorded(const EventContext& c) {
  const auto* p = Payload<schema::PersonRecorded>(c.envelope);
  json::object view = Stamp(c.envelope, c.views.storage());
  view["kind"] = "person";
  view["owner"] = OwnerJson(p->owner());
  view["disposed"] = false;
  BOOST_OUTCOME_TRY(auto details, OpenSealed(c, p->details(), &PersonDetailsJson));
  SetPersonDetails(view, std::move(details));
  c.views.Set(ViewKey(c.stream_id), std::move(view));
  return ledger::Ok();
}

Result<void> PersonCorrected(const EventContext& c, json::object& view) {
  const auto* p = Payload<schema::PersonCorrected>(c.envelope);
  BOOST_OUTCOME_TRY(auto details, OpenSealed(c, p->details(), &PersonDetailsJson));
  SetPersonDetails(view, std::move(details));
  view["correction_reason"] = StringJson(p->reason());
  return ledger::Ok();
}

void AddressRecorded(const EventContext& c) {
  const auto* p = Payload<schema::AddressRecorded>(c.envelope);
  json::object view = Stamp(c.envelope, c.views.storage());
  view["kind"] = "address";
  view["owner"] = OwnerJson(p->owner());
  view["uprn"] = p->uprn() == 0 ? json::value(nullptr) : json::value(std::to_string(p->uprn()));
  view["text"] = StringJson(p->text());
  view["normalised_text"] = StringJson(p->normalised_text());
  view["postcode"] = StringJson(p->postcode());
  view["coordinates"] = CoordinatesJson(p->coordinates());
  c.views.Set(ViewKey(c.stream_id), std::move(view));
}

void VehicleRecorded(const EventContext& c) {
  const auto* p = Payload<schema::VehicleRecorded>(c.envelope);
  json::object view = Stamp(c.envelope, c.views.storage());
  view["kind"] = "vehicle";
  view["owner"] = OwnerJson(p->owner());
  view["registration"] = StringJson(p->registration());
  view["normalised_registration"] = StringJson(p->normalised_registration());
  view["make"] = StringJson(p->make());
  view["model"] = StringJson(p->model());
  view["colour"] = StringJson(p->colour());
  c.views.Set(ViewKey(c.stream_id), std::move(view));
}

}  // namespace

Result<void> ApplyRecordEvent(const EventContext& c) {
  using schema::EventType;
  EventType type = c.envelope.event_type();
  switch (type) {
    case EventType::IncidentReported: return IncidentReported(c);
    case EventType::PersonRecorded: return PersonRecorded(c);
    case EventType::AddressRecorded: AddressRecorded(c); return ledger::Ok();
    case EventType::VehicleRecorded: VehicleRecorded(c); return ledger::Ok();
    default: break;
  }
  BOOST_OUTCOME_TRY(auto* view, EditTouched(c));
  switch (type) {
    case EventType::IncidentUpdated: return IncidentUpdated(c, *view);
    case EventType::IncidentClassified: IncidentClassified(c, *view); return ledger::Ok();
    case EventType::PersonCorrected: return PersonCorrected(c, *view);
    default: return ledger::Ok();
  }
}

}  // namespace caseledger::projections
