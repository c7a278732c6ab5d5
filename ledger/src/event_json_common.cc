// The building blocks of event JSON: times, strings, owners, locations and sealed fields.
#include "ledger/event_json.h"
#include "ledger/time_format.h"

namespace caseledger::ledger::event_json {
namespace {

namespace json = boost::json;

template <class Table>
const Table* VerifiedRoot(std::string_view bytes) {
  flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(),
                                 /*max_depth=*/16, /*max_tables=*/100000);
  if (!verifier.VerifyBuffer<Table>(nullptr)) return nullptr;
  return flatbuffers::GetRoot<Table>(bytes.data());
}

json::object IncidentDetails(const schema::IncidentDetails& d) {
  json::object out;
  out["description"] = Str(d.description());
  return out;
}

json::object PersonDetails(const schema::PersonDetails& d) {
  json::array names;
  if (d.names() != nullptr) {
    for (const schema::PersonName* name : *d.names()) {
      json::object n;
      n["given"] = Str(name->given());
      n["family"] = Str(name->family());
      names.push_back(std::move(n));
    }
  }
  json::object out;
  out["names"] = std::move(names);
  out["aliases"] = Strings(d.aliases());
  out["date_of_birth"] = Str(d.date_of_birth());
  out["phone"] = Str(d.phone());
  out["email"] = Str(d.email());
  out["address_text"] = Str(d.address_text());
  out["vulnerabilities"] = Strings(d.vulnerabilities());
  return out;
}

json::object NoteBody(const schema::NoteBody& d) {
  json::object out;
  out["text"] = Str(d.text());
  return out;
}

Result<json::value> PlaintextToJson(Plaintext plaintext, std::string_view bytes) {
  const char* table = "";
  switch (plaintext) {
    case Plaintext::kIncidentDetails:
      if (auto* d = VerifiedRoot<schema::IncidentDetails>(bytes)) return IncidentDetails(*d);
      table = "IncidentDetails";
      break;
    case Plaintext::kPersonDetails:
      if (auto* d = VerifiedRoot<schema::PersonDetails>(bytes)) return PersonDetails(*d);
      table = "PersonDetails";
      break;
    case Plaintext::kNoteBody:
      if (auto* d = VerifiedRoot<schema::NoteBody>(bytes)) return NoteBody(*d);
      table = "NoteBody";
      break;
  }
  return MakeError(Code::kCorruption,
                   std::string("sealed value: plaintext is not a valid ") + table + " FlatBuffer");
}

json::object Marked(std::string_view mark, const schema::Sealed& sealed) {
  json::object out;
  out[mark] = true;
  out["subject_id"] = Str(sealed.subject_id());
  return out;
}

}  // namespace

json::value Time(Micros t) {
  if (t == 0) return nullptr;
  return json::string(FormatTimestamp(t));
}

json::string Str(const flatbuffers::String* s) {
  if (s == nullptr) return {};
  return json::string(s->string_view());
}

json::array Strings(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* v) {
  json::array out;
  if (v == nullptr) return out;
  out.reserve(v->size());
  for (const flatbuffers::String* s : *v) out.push_back(Str(s));
  return out;
}

json::value Uprn(std::uint64_t uprn) {
  if (uprn == 0) return nullptr;
  return uprn;
}

json::value Owner(const schema::Owner* owner) {
  if (owner == nullptr) return nullptr;
  json::object out;
  out["organisation_id"] = Str(owner->organisation_id());
  out["team_id"] = Str(owner->team_id());
  return out;
}

json::value Coordinates(const schema::Coordinates* coordinates) {
  if (coordinates == nullptr) return nullptr;
  json::object out;
  out["latitude"] = coordinates->latitude();
  out["longitude"] = coordinates->longitude();
  return out;
}

json::value Location(const schema::Location* location) {
  if (location == nullptr) return nullptr;
  json::object out;
  out["uprn"] = Uprn(location->uprn());
  out["address_id"] = Str(location->address_id());
  out["text"] = Str(location->text());
  out["coordinates"] = Coordinates(location->coordinates());
  return out;
}

Result<json::value> Sealed(const schema::Sealed* sealed, Plaintext plaintext,
                           PersonalData* personal_data) {
  if (sealed == nullptr) return json::value(nullptr);
  if (personal_data == nullptr) return json::value(Marked("sealed", *sealed));
  Result<std::string> opened = personal_data->Open(*sealed);
  if (!opened) {
    if (opened.error().code == Code::kNotFound) return json::value(Marked("disposed", *sealed));
    return opened.error();
  }
  return PlaintextToJson(plaintext, opened.value());
}

}  // namespace caseledger::ledger::event_json
