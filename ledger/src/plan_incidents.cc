#include "command_checks.h"
#include "command_impl.h"
#include "schemas/events_generated.h"

namespace caseledger::ledger {
namespace {

namespace fb = flatbuffers;

fb::Offset<schema::Location> BuildLocation(fb::FlatBufferBuilder& b, const LocationInput& l) {
  auto address_id = l.address_id.empty() ? 0 : b.CreateString(l.address_id);
  auto text = l.text.empty() ? 0 : b.CreateString(l.text);
  fb::Offset<schema::Coordinates> coordinates = 0;
  if (l.coordinates) {
    coordinates = schema::CreateCoordinates(b, l.coordinates->latitude, l.coordinates->longitude);
  }
  return schema::CreateLocation(b, l.uprn, address_id, text, coordinates);
}

Result<void> CheckClassification(schema::Category category, std::string_view sub_category,
                                 bool hate_incident,
                                 const std::vector<schema::HateStrand>& strands) {
  BOOST_OUTCOME_TRY(CheckEnumGiven(category, "category"));
  BOOST_OUTCOME_TRY(CheckLine(sub_category, "sub_category", 100));
  if (hate_incident && strands.empty()) {
    return InvalidField("hate_strands", "must name at least one strand of a hate incident");
  }
  if (!hate_incident && !strands.empty()) {
    return InvalidField("hate_strands", "must be empty unless hate_incident is true");
  }
  for (std::size_t i = 0; i < strands.size(); ++i) {
    if (strands[i] == schema::HateStrand::Unspecified) {
      return InvalidField("hate_strands[" + std::to_string(i) + "]", "is required");
    }
  }
  return Ok();
}

Result<fb::Offset<schema::Sealed>> SealDescription(CommandService::Impl& impl,
                                                   fb::FlatBufferBuilder& b,
                                                   std::string_view subject,
                                                   std::string_view description) {
  fb::FlatBufferBuilder inner;
  inner.Finish(schema::CreateIncidentDetailsDirect(inner, std::string(description).c_str()));
  return impl.Seal(b, subject, inner);
}

}  // namespace

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const ReportIncident& c) {
  BOOST_OUTCOME_TRY(CheckLine(c.reference, "reference", 64));
  BOOST_OUTCOME_TRY(CheckTime(c.occurred_at, "occurred_at", true, impl.clock));
  BOOST_OUTCOME_TRY(CheckTime(c.reported_at, "reported_at", false, impl.clock));
  if (c.reported_at != 0 && c.reported_at < c.occurred_at) {
    return InvalidField("reported_at", "must not be before occurred_at");
  }
  BOOST_OUTCOME_TRY(CheckEnumGiven(c.channel, "channel"));
  BOOST_OUTCOME_TRY(CheckLocation(c.location, "location"));
  if (!c.location.address_id.empty()) {
    BOOST_OUTCOME_TRY(impl.Referenced(c.location.address_id, "location.address_id"));
  }
  BOOST_OUTCOME_TRY(CheckClassification(c.category, c.sub_category, c.hate_incident, c.hate_strands));
  BOOST_OUTCOME_TRY(CheckText(c.description, "description", 1, 20'000));

  std::string id = impl.NewRecordId("incident", meta);
  fb::FlatBufferBuilder b(1024);
  BOOST_OUTCOME_TRY(auto details, SealDescription(impl, b, id, c.description));
  auto reference = c.reference.empty() ? 0 : b.CreateString(c.reference);
  auto owner = OwnerOf(b, meta.actor);
  auto location = BuildLocation(b, c.location);
  auto sub_category = c.sub_category.empty() ? 0 : b.CreateString(c.sub_category);
  auto strands = b.CreateVector(reinterpret_cast<const std::uint8_t*>(c.hate_strands.data()),
                                c.hate_strands.size());
  schema::IncidentReportedBuilder p(b);
  p.add_reference(reference);
  p.add_owner(owner);
  p.add_reported_at(c.reported_at != 0 ? c.reported_at : impl.clock.NowMicros());
  p.add_channel(c.channel);
  p.add_location(location);
  p.add_category(c.category);
  p.add_sub_category(sub_category);
  p.add_hate_incident(c.hate_incident);
  p.add_hate_strands(fb::Offset<fb::Vector<schema::HateStrand>>(strands.o));
  p.add_consent_to_refer(c.consent_to_refer);
  p.add_details(details);
  b.Finish(p.Finish());
  Plan plan{id, {}, {}};
  plan.streams.push_back(CommandService::Impl::Single(
      id, kNoStream, impl.Draft(EventType::IncidentReported, b, c.occurred_at, meta)));
  return plan;
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const UpdateIncident& c) {
  BOOST_OUTCOME_TRY(CheckRecordId(c.incident_id, "incident_id", {"incident"}));
  if (!c.reported_at && !c.channel && !c.location && !c.consent_to_refer && !c.description) {
    return InvalidField("body", "must change at least one field");
  }
  if (c.reported_at) {
    BOOST_OUTCOME_TRY(CheckTime(*c.reported_at, "reported_at", true, impl.clock));
  }
  if (c.channel) {
    BOOST_OUTCOME_TRY(CheckEnumGiven(*c.channel, "channel"));
  }
  if (c.location) {
    BOOST_OUTCOME_TRY(CheckLocation(*c.location, "location"));
  }
  if (c.description) {
    BOOST_OUTCOME_TRY(CheckText(*c.description, "description", 1, 20'000));
  }
  BOOST_OUTCOME_TRY(CheckText(c.reason, "reason", 1, 1000));
  BOOST_OUTCOME_TRY(auto state, impl.Target(c.incident_id, "incident_id", meta));

  fb::FlatBufferBuilder b(1024);
  fb::Offset<schema::Sealed> details = 0;
  if (c.description) {
    BOOST_OUTCOME_TRY(details, SealDescription(impl, b, c.incident_id, *c.description));
  }
  fb::Offset<schema::Location> location = 0;
  if (c.location) location = BuildLocation(b, *c.location);
  auto reason = b.CreateString(c.reason);
  schema::IncidentUpdatedBuilder p(b);
  if (c.reported_at) p.add_reported_at(*c.reported_at);
  if (c.channel) p.add_channel(*c.channel);
  if (c.location) p.add_location(location);
  if (c.consent_to_refer) p.add_consent_to_refer(*c.consent_to_refer);
  if (c.description) p.add_details(details);
  p.add_reason(reason);
  b.Finish(p.Finish());
  Plan plan{c.incident_id, {}, {}};
  plan.streams.push_back(CommandService::Impl::Single(
      c.incident_id, state.version, impl.Draft(EventType::IncidentUpdated, b, 0, meta)));
  return plan;
}

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const ClassifyIncident& c) {
  BOOST_OUTCOME_TRY(CheckRecordId(c.incident_id, "incident_id", {"incident"}));
  BOOST_OUTCOME_TRY(CheckClassification(c.category, c.sub_category, c.hate_incident, c.hate_strands));
  BOOST_OUTCOME_TRY(CheckText(c.reason, "reason", 1, 1000));
  BOOST_OUTCOME_TRY(auto state, impl.Target(c.incident_id, "incident_id", meta));

  fb::FlatBufferBuilder b(256);
  auto strands = b.CreateVector(reinterpret_cast<const std::uint8_t*>(c.hate_strands.data()),
                                c.hate_strands.size());
  auto sub_category = b.CreateString(c.sub_category);
  auto reason = b.CreateString(c.reason);
  b.Finish(schema::CreateIncidentClassified(
      b, c.category, sub_category, c.hate_incident,
      fb::Offset<fb::Vector<schema::HateStrand>>(strands.o), reason));
  Plan plan{c.incident_id, {}, {}};
  plan.streams.push_back(CommandService::Impl::Single(
      c.incident_id, state.version, impl.Draft(EventType::IncidentClassified, b, 0, meta)));
  return plan;
}

}  // namespace caseledger::ledger
