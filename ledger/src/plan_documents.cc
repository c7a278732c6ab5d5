// Planner of documents attached to a case (ledger/documents.h, docs/cases.md).
#include "command_checks.h"
#include "command_impl.h"
#include "ledger/documents.h"
#include "schemas/events_generated.h"

namespace caseledger::ledger {
namespace {

namespace fb = flatbuffers;

bool IsTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$&^_.+-").find(c) != std::string_view::npos;
}

// "type/subtype", each a token (RFC 6838 restricted names), no parameters.
Result<void> CheckMediaType(std::string_view media_type) {
  auto slash = media_type.find('/');
  bool ok = media_type.size() <= 127 && slash != std::string_view::npos && slash > 0 &&
            slash + 1 < media_type.size();
  for (std::size_t i = 0; ok && i < media_type.size(); ++i) {
    ok = i == slash || IsTokenChar(media_type[i]);
  }
  if (!ok) return InvalidField("media_type", "must be a media type such as application/pdf");
  return Ok();
}

Result<void> CheckDocumentName(std::string_view name) {
  BOOST_OUTCOME_TRY(CheckLine(name, "name", 200));
  if (name.empty()) return InvalidField("name", "is required");
  if (name.find_first_of("/\\") != std::string_view::npos || name == "." || name == "..") {
    return InvalidField("name", "must be a file name without a path");
  }
  return Ok();
}

}  // namespace

Result<Plan> PlanCommand(CommandService::Impl& impl, const CommandMeta& meta,
                         const AttachDocument& c) {
  BOOST_OUTCOME_TRY(CheckDocumentName(c.name));
  BOOST_OUTCOME_TRY(CheckMediaType(c.media_type));
  if (c.content.empty() || c.content.size() > kMaxDocumentBytes) {
    return InvalidField("content", "must be 1 to " + std::to_string(kMaxDocumentBytes) + " bytes");
  }
  BOOST_OUTCOME_TRY(auto state, OpenCaseState(impl, meta, c.case_id));
  std::string hash = DocumentHash(c.content);
  fb::FlatBufferBuilder b(c.content.size() + 1024);
  fb::FlatBufferBuilder inner(c.content.size() + 64);
  inner.Finish(schema::CreateDocumentContent(
      inner, inner.CreateVector(reinterpret_cast<const std::uint8_t*>(c.content.data()),
                                c.content.size())));
  BOOST_OUTCOME_TRY(auto content, impl.Seal(b, c.case_id, inner));
  std::string document_id = impl.ids.Next().ToString();
  auto id = b.CreateString(document_id);
  auto name = b.CreateString(c.name);
  auto media_type = b.CreateString(c.media_type);
  auto algorithm = b.CreateString(kDocumentHashAlgorithm);
  auto hash_bytes =
      b.CreateVector(reinterpret_cast<const std::uint8_t*>(hash.data()), hash.size());
  b.Finish(schema::CreateDocumentAttached(b, id, name, media_type, c.content.size(), algorithm,
                                          hash_bytes, content));
  return OneEventPlan(c.case_id, state.version, impl.Draft(EventType::DocumentAttached, b, 0, meta),
                      document_id);
}

}  // namespace caseledger::ledger
