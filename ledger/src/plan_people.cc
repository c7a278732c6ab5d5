#include "command_checks.h"
#include "command_impl.h"
#include "ledger/normalise.h"
#include "schemas/events_generated.h"

namespace caseledger::ledger {
namespace {

namespace fb = flatbuffers;

std::vector<fb::Offset<fb::String>> Strings(fb::FlatBufferBuilder& b,
                                            const std::vector<std::string>& values) {
  std::vector<fb::Offset<fb::String>> out;
  for (const auto& v : values) out.push_back(b.CreateString(v));
  return out;
}

Result<fb::Offset<schema::Sealed>> SealDetails(CommandService::Impl& impl,
                                               fb::FlatBufferBuilder& b, std::string_view subject,
                                               const PersonDetailsInput& d) {
  fb::FlatBufferBuilder inner(512);
  std::vector<fb::Offset<schema::PersonName>> names;
  for (const auto& n : d.names) {
    names.push_back(schema::CreatePersonNameDirect(inner, n.given.c_str(), n.family.c_str()));
  }
  auto names_vector = inner.CreateVector(names);
  auto aliases = inner.CreateVector(Strings(inner, d.aliases));
  auto dob = inner.CreateString(d.date_of_birth);
  auto phone = inner.CreateString(d.phone);
  auto email = inner.CreateString(d.email);
  auto address_text = inner.CreateString(d.address_text);
  auto vulnerabilities = inner.CreateVector(Strings(inner, d.vulnerabilities));
  inner.Finish(schema::CreatePersonDetails(inner, names_vector, aliases, dob, phone, email,
                                           address_text, vulnerabilities));
  return impl.Seal(b, subject, inner);
}

}  // namespace

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const RecordPerson& c) {
  BOOST_OUTCOME_TRY(CheckPersonDetails(c.details, "", impl.clock));
  std::string id = impl.NewRecordId("person", meta);
  fb::FlatBufferBuilder b(1024);
  BOOST_OUTCOME_TRY(auto details, SealDetails(impl, b, id, c.details));
  auto owner = OwnerOf(b, meta.actor);
  b.Finish(schema::CreatePersonRecorded(b, owner, details));
  Plan plan{id, {}, {}};
  plan.streams.push_back(CommandService::Impl::Single(
      id, kNoStream, impl.Draft(EventType::PersonRecorded, b, 0, meta)));
  return plan;
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const CorrectPerson& c) {
  BOOST_OUTCOME_TRY(CheckRecordId(c.person_id, "person_id", {"person"}));
  BOOST_OUTCOME_TRY(CheckPersonDetails(c.details, "", impl.clock));
  BOOST_OUTCOME_TRY(CheckText(c.reason, "reason", 1, 1000));
  BOOST_OUTCOME_TRY(auto state, impl.Target(c.person_id, "person_id", meta));
  fb::FlatBufferBuilder b(1024);
  BOOST_OUTCOME_TRY(auto details, SealDetails(impl, b, c.person_id, c.details));
  auto reason = b.CreateString(c.reason);
  b.Finish(schema::CreatePersonCorrected(b, details, reason));
  Plan plan{c.person_id, {}, {}};
  plan.streams.push_back(CommandService::Impl::Single(
      c.person_id, state.version, impl.Draft(EventType::PersonCorrected, b, 0, meta)));
  return plan;
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const RecordAddress& c) {
  if (c.uprn == 0 && c.text.empty()) return InvalidField("text", "is required without a uprn");
  if (c.uprn > 999'999'999'999ULL) return InvalidField("uprn", "must be 1 to 12 digits");
  BOOST_OUTCOME_TRY(CheckLine(c.text, "text", 500));
  BOOST_OUTCOME_TRY(CheckLine(c.postcode, "postcode", 10));
  std::string postcode = NormalisePostcode(c.postcode);
  if (!c.postcode.empty() && postcode.empty()) {
    return InvalidField("postcode", "must be a UK postcode such as LE1 5WW");
  }
  if (c.coordinates) {
    BOOST_OUTCOME_TRY(CheckCoordinates(*c.coordinates, "coordinates"));
  }
  std::string id = impl.NewRecordId("address", meta);
  fb::FlatBufferBuilder b(512);
  auto owner = OwnerOf(b, meta.actor);
  auto text = b.CreateString(c.text);
  auto normalised = b.CreateString(NormaliseAddressText(c.text));
  auto postcode_offset = b.CreateString(postcode);
  fb::Offset<schema::Coordinates> coordinates = 0;
  if (c.coordinates) {
    coordinates = schema::CreateCoordinates(b, c.coordinates->latitude, c.coordinates->longitude);
  }
  b.Finish(schema::CreateAddressRecorded(b, owner, c.uprn, text, normalised, postcode_offset,
                                         coordinates));
  Plan plan{id, {}, {}};
  plan.streams.push_back(CommandService::Impl::Single(
      id, kNoStream, impl.Draft(EventType::AddressRecorded, b, 0, meta)));
  return plan;
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const RecordVehicle& c) {
  std::string normalised = NormaliseRegistration(c.registration);
  if (normalised.empty() || normalised.size() > 10) {
    return InvalidField("registration", "must hold 1 to 10 letters and digits");
  }
  BOOST_OUTCOME_TRY(CheckLine(c.registration, "registration", 20));
  BOOST_OUTCOME_TRY(CheckLine(c.make, "make", 50));
  BOOST_OUTCOME_TRY(CheckLine(c.model, "model", 50));
  BOOST_OUTCOME_TRY(CheckLine(c.colour, "colour", 30));
  std::string id = impl.NewRecordId("vehicle", meta);
  fb::FlatBufferBuilder b(256);
  auto owner = OwnerOf(b, meta.actor);
  b.Finish(schema::CreateVehicleRecordedDirect(b, owner, c.registration.c_str(),
                                               normalised.c_str(), c.make.c_str(),
                                               c.model.c_str(), c.colour.c_str()));
  Plan plan{id, {}, {}};
  plan.streams.push_back(CommandService::Impl::Single(
      id, kNoStream, impl.Draft(EventType::VehicleRecorded, b, 0, meta)));
  return plan;
}

}  // namespace caseledger::ledger
