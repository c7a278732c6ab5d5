#include "parsers.h"

namespace caseledger::app::api {

Result<ledger::ReportIncident> ParseReportIncident(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"reference", "occurred_at", "reported_at",
                                                      "channel", "location", "category",
                                                      "sub_category", "hate_incident",
                                                      "hate_strands", "consent_to_refer",
                                                      "description"}));
  ledger::ReportIncident c;
  BOOST_OUTCOME_TRY(auto reference, http::OptionalString(o, "reference", 64));
  c.reference = reference.value_or("");
  BOOST_OUTCOME_TRY(c.occurred_at, RequireTime(o, "occurred_at"));
  BOOST_OUTCOME_TRY(auto reported_at, OptionalTime(o, "reported_at"));
  c.reported_at = reported_at.value_or(0);
  BOOST_OUTCOME_TRY(c.channel, RequireEnum<schema::Channel>(o, "channel"));
  BOOST_OUTCOME_TRY(c.location, ParseLocation(o));
  BOOST_OUTCOME_TRY(c.category, RequireEnum<schema::Category>(o, "category"));
  BOOST_OUTCOME_TRY(auto sub_category, http::OptionalString(o, "sub_category", 100));
  c.sub_category = sub_category.value_or("");
  BOOST_OUTCOME_TRY(auto hate, http::OptionalBool(o, "hate_incident"));
  c.hate_incident = hate.value_or(false);
  BOOST_OUTCOME_TRY(c.hate_strands, ParseHateStrands(o));
  BOOST_OUTCOME_TRY(auto consent, http::OptionalBool(o, "consent_to_refer"));
  c.consent_to_refer = consent.value_or(false);
  BOOST_OUTCOME_TRY(c.description, http::RequireString(o, "description", 20'000));
  return c;
}

Result<ledger::UpdateIncident> ParseUpdateIncident(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"reported_at", "channel", "location",
                                                      "consent_to_refer", "description",
                                                      "reason"}));
  ledger::UpdateIncident c;
  c.incident_id = ctx.PathParam("id");
  BOOST_OUTCOME_TRY(c.reported_at, OptionalTime(o, "reported_at"));
  BOOST_OUTCOME_TRY(c.channel, OptionalEnum<schema::Channel>(o, "channel"));
  if (o.contains("location") && !o.at("location").is_null()) {
    BOOST_OUTCOME_TRY(auto location, ParseLocation(o));
    c.location = std::move(location);
  }
  BOOST_OUTCOME_TRY(c.consent_to_refer, http::OptionalBool(o, "consent_to_refer"));
  BOOST_OUTCOME_TRY(c.description, http::OptionalString(o, "description", 20'000));
  BOOST_OUTCOME_TRY(c.reason, http::RequireString(o, "reason", 1000));
  return c;
}

Result<ledger::ClassifyIncident> ParseClassifyIncident(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"category", "sub_category", "hate_incident",
                                                      "hate_strands", "reason"}));
  ledger::ClassifyIncident c;
  c.incident_id = ctx.PathParam("id");
  BOOST_OUTCOME_TRY(c.category, RequireEnum<schema::Category>(o, "category"));
  BOOST_OUTCOME_TRY(auto sub_category, http::OptionalString(o, "sub_category", 100));
  c.sub_category = sub_category.value_or("");
  BOOST_OUTCOME_TRY(auto hate, http::OptionalBool(o, "hate_incident"));
  c.hate_incident = hate.value_or(false);
  BOOST_OUTCOME_TRY(c.hate_strands, ParseHateStrands(o));
  BOOST_OUTCOME_TRY(c.reason, http::RequireString(o, "reason", 1000));
  return c;
}

Result<ledger::RecordPerson> ParseRecordPerson(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"names", "aliases", "date_of_birth", "phone",
                                                      "email", "address_text",
                                                      "vulnerabilities"}));
  ledger::RecordPerson c;
  BOOST_OUTCOME_TRY(c.details, ParsePersonDetails(o));
  return c;
}

Result<ledger::CorrectPerson> ParseCorrectPerson(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"names", "aliases", "date_of_birth", "phone",
                                                      "email", "address_text", "vulnerabilities",
                                                      "reason"}));
  ledger::CorrectPerson c;
  c.person_id = ctx.PathParam("id");
  BOOST_OUTCOME_TRY(c.details, ParsePersonDetails(o));
  BOOST_OUTCOME_TRY(c.reason, http::RequireString(o, "reason", 1000));
  return c;
}

Result<ledger::RecordAddress> ParseRecordAddress(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"uprn", "text", "postcode", "coordinates"}));
  ledger::RecordAddress c;
  BOOST_OUTCOME_TRY(auto uprn, http::OptionalString(o, "uprn", 12));
  if (uprn && !uprn->empty()) {
    auto [end, ec] = std::from_chars(uprn->data(), uprn->data() + uprn->size(), c.uprn);
    if (ec != std::errc() || end != uprn->data() + uprn->size() || c.uprn == 0) {
      return ledger::InvalidField("uprn", "must be a string of 1 to 12 digits");
    }
  }
  BOOST_OUTCOME_TRY(auto text, http::OptionalString(o, "text", 500));
  c.text = text.value_or("");
  BOOST_OUTCOME_TRY(auto postcode, http::OptionalString(o, "postcode", 10));
  c.postcode = postcode.value_or("");
  BOOST_OUTCOME_TRY(c.coordinates, ParseCoordinates(o, "coordinates"));
  return c;
}

Result<ledger::RecordVehicle> ParseRecordVehicle(const http::RequestContext& ctx) {
  BOOST_OUTCOME_TRY(auto o, BodyObject(ctx.request, {"registration", "make", "model", "colour"}));
  ledger::RecordVehicle c;
  BOOST_OUTCOME_TRY(c.registration, http::RequireString(o, "registration", 20));
  BOOST_OUTCOME_TRY(auto make, http::OptionalString(o, "make", 50));
  c.make = make.value_or("");
  BOOST_OUTCOME_TRY(auto model, http::OptionalString(o, "model", 50));
  c.model = model.value_or("");
  BOOST_OUTCOME_TRY(auto colour, http::OptionalString(o, "colour", 30));
  c.colour = colour.value_or("");
  return c;
}

}  // namespace caseledger::app::api
