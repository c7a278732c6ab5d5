// Template definitions for view_builders.h.
#pragma once

namespace caseledger::projections {

template <class Table>
Result<boost::json::value> OpenSealed(const EventContext& context, const schema::Sealed* sealed,
                                      boost::json::value (*render)(const Table&)) {
  if (sealed == nullptr) return boost::json::value(nullptr);
  auto plaintext = context.personal_data.Open(*sealed);
  if (!plaintext) {
    if (plaintext.error().code == ledger::Code::kNotFound) return boost::json::value("disposed");
    ledger::Error e = plaintext.error();
    e.message = "projections: event " + std::to_string(context.envelope.stream_version()) +
                " of a stream cannot be unsealed: " + e.message;
    return e;
  }
  const auto* data = reinterpret_cast<const std::uint8_t*>(plaintext.value().data());
  flatbuffers::Verifier verifier(data, plaintext.value().size());
  if (!verifier.VerifyBuffer<Table>(nullptr)) {
    return ledger::MakeError(ledger::Code::kCorruption, "projections: sealed plaintext malformed");
  }
  return render(*flatbuffers::GetRoot<Table>(data));
}

}  // namespace caseledger::projections
