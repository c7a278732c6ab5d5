#include "ledger/time_format.h"
#include "projections/keys.h"
#include "view_builders.h"

namespace caseledger::projections {

boost::json::object Stamp(const schema::Envelope& e, boost::json::storage_ptr storage) {
  boost::json::object view(std::move(storage));
  view["id"] = e.stream_id()->string_view();
  view["version"] = e.stream_version();
  view["created_at"] = ledger::FormatTimestamp(e.recorded_at());
  view["created_by"] = e.actor() ? StringJson(e.actor()->user_id()) : boost::json::value(nullptr);
  view["updated_at"] = ledger::FormatTimestamp(e.recorded_at());
  if (e.source_recorded_at() != 0) {
    view["source_recorded_at"] = ledger::FormatTimestamp(e.source_recorded_at());
  }
  return view;
}

void Touch(boost::json::object& view, const schema::Envelope& e) {
  view["version"] = e.stream_version();
  view["updated_at"] = ledger::FormatTimestamp(e.recorded_at());
}

Result<boost::json::object*> EditTouched(const EventContext& c) {
  BOOST_OUTCOME_TRY(auto* view, c.views.Edit(ViewKey(c.stream_id)));
  if (view == nullptr) {
    return ledger::MakeError(ledger::Code::kCorruption,
                             "projections: a change to a record that was never created");
  }
  Touch(*view, c.envelope);
  return view;
}

boost::json::value OwnerJson(const schema::Owner* owner) {
  boost::json::object out;
  out["organisation_id"] = owner ? StringJson(owner->organisation_id()) : nullptr;
  out["team_id"] = owner ? StringJson(owner->team_id()) : nullptr;
  return out;
}

boost::json::value TimeJson(ledger::Micros t) {
  if (t == 0) return nullptr;
  return boost::json::value(ledger::FormatTimestamp(t));
}

boost::json::value StringJson(const flatbuffers::String* s) {
  if (s == nullptr) return boost::json::value("");
  return boost::json::value(s->string_view());
}

boost::json::value NoteText(const schema::NoteBody& body) { return StringJson(body.text()); }

boost::json::array& ArrayField(boost::json::object& view, std::string_view name) {
  boost::json::value& slot = view[name];
  if (!slot.is_array()) slot = boost::json::array();
  return slot.as_array();
}

}  // namespace caseledger::projections
