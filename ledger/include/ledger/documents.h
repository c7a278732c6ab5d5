// Documents attached to a case (docs/cases.md). A document's bytes travel in its
// DocumentAttached event, sealed to the case like the case's other personal data, beside their
// BLAKE2b-256 hash, name, media type and size in the clear. Reading one opens the sealed bytes and
// checks them against the recorded hash, so a reader never returns bytes that are not the ones
// attached; disposal of the case's key disposes of its documents with it.
//
// Example:
//   BOOST_OUTCOME_TRY(auto document, ReadDocument(log, personal_data, case_id, document_id));
//   respond(document.media_type, document.content);
//
// Thread safety: pure functions; ReadDocument is as thread-safe as the log and personal data.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "ledger/event_log.h"
#include "ledger/personal_data.h"
#include "ledger/result.h"
#include "schemas/events_generated.h"

namespace caseledger::ledger {

// The largest document accepted: it must fit one event on either log backend (a Kafka message is
// at most 1 MiB by default), and a base64 upload must fit the API's 1 MiB body.
inline constexpr std::size_t kMaxDocumentBytes = 512 * 1024;
inline constexpr std::string_view kDocumentHashAlgorithm = "blake2b-256";

// BLAKE2b-256 of `bytes` (32 raw bytes).
std::string DocumentHash(std::string_view bytes);

struct Document {
  std::string document_id;
  std::string name;
  std::string media_type;
  std::string hash_hex;     // of `content`, as recorded
  std::string content;      // the bytes, verified against the recorded hash
};

// Opens a DocumentAttached payload and verifies its bytes. Errors: kNotFound when the case's data
// was disposed of; kCorruption when the sealed bytes fail authentication or do not match the
// recorded size or hash.
Result<Document> OpenDocument(const schema::DocumentAttached& event, PersonalData& personal_data);

// Finds document `document_id` on case `case_id` and opens it. Errors: kNotFound naming
// "document_id"; those of OpenDocument and of the log.
Result<Document> ReadDocument(EventLog& log, PersonalData& personal_data, std::string_view case_id,
                              std::string_view document_id);

}  // namespace caseledger::ledger
