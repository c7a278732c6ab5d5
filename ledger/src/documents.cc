#include "ledger/documents.h"

#include <sodium.h>

#include "command_checks.h"
#include "ledger/envelope.h"

namespace caseledger::ledger {
namespace {

std::string Str(const flatbuffers::String* s) { return s == nullptr ? std::string() : s->str(); }

std::string_view Bytes(const flatbuffers::Vector<std::uint8_t>* v) {
  if (v == nullptr) return {};
  return {reinterpret_cast<const char*>(v->data()), v->size()};
}

}  // namespace

std::string DocumentHash(std::string_view bytes) {
  std::string hash(crypto_generichash_BYTES, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(hash.data()), hash.size(),
                     reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), nullptr,
                     0);
  return hash;
}

Result<Document> OpenDocument(const schema::DocumentAttached& event, PersonalData& personal_data) {
  if (event.content() == nullptr) {
    return MakeError(Code::kCorruption, "document: no sealed content");
  }
  Result<std::string> plaintext = personal_data.Open(*event.content());
  if (!plaintext) return plaintext.error();
  const auto* data = reinterpret_cast<const std::uint8_t*>(plaintext.value().data());
  flatbuffers::Verifier verifier(data, plaintext.value().size());
  if (!verifier.VerifyBuffer<schema::DocumentContent>(nullptr)) {
    return MakeError(Code::kCorruption, "document: not a valid DocumentContent FlatBuffer");
  }
  std::string_view bytes = Bytes(flatbuffers::GetRoot<schema::DocumentContent>(data)->bytes());
  if (Str(event.hash_algorithm()) != kDocumentHashAlgorithm) {
    return MakeError(Code::kCorruption, "document: unknown hash algorithm");
  }
  if (bytes.size() != event.size() || DocumentHash(bytes) != Bytes(event.hash())) {
    return MakeError(Code::kCorruption, "document: content does not match its recorded hash");
  }
  Document out;
  out.document_id = Str(event.document_id());
  out.name = Str(event.name());
  out.media_type = Str(event.media_type());
  out.hash_hex = ToHex(Bytes(event.hash()));
  out.content.assign(bytes);
  return out;
}

Result<Document> ReadDocument(EventLog& log, PersonalData& personal_data, std::string_view case_id,
                              std::string_view document_id) {
  constexpr std::size_t kPage = 16;  // events may carry up to 512 KiB each
  for (std::uint64_t from = 1;; from += kPage) {
    BOOST_OUTCOME_TRY(auto events, log.ReadStream(case_id, from, kPage));
    for (const auto& event : events) {
      const schema::Envelope* e = event.envelope();
      if (e->event_type() != EventType::DocumentAttached) continue;
      std::string_view payload(reinterpret_cast<const char*>(e->payload()->data()),
                               e->payload()->size());
      BOOST_OUTCOME_TRY(VerifyPayload(e->event_type(), payload));
      const auto* p = flatbuffers::GetRoot<schema::DocumentAttached>(payload.data());
      if (Str(p->document_id()) == document_id) return OpenDocument(*p, personal_data);
    }
    if (events.size() < kPage) break;
  }
  return NotFoundField("document_id");
}

}  // namespace caseledger::ledger
