// Fuzz target: an HTTP request body as a client could send it, through the JSON limits and every
// /api/v1 command parser. Each must answer a value or an error naming a field and a rule; nothing
// may crash, hang or throw.
#include <cstddef>
#include <cstdint>
#include <string>

#include "api/parsers.h"

namespace {

using caseledger::app::http::RequestContext;

template <class Parser>
void Try(Parser parse, const RequestContext& ctx) {
  auto result = parse(ctx);
  if (!result && result.error().code == caseledger::ledger::Code::kInvalidArgument &&
      result.error().message.empty()) {
    __builtin_trap();  // an invalid-argument error must say what is wrong
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace api = caseledger::app::api;
  RequestContext ctx;
  ctx.request.body.assign(reinterpret_cast<const char*>(data), size);
  Try(api::ParseReportIncident, ctx);
  Try(api::ParseUpdateIncident, ctx);
  Try(api::ParseClassifyIncident, ctx);
  Try(api::ParseRecordPerson, ctx);
  Try(api::ParseCorrectPerson, ctx);
  Try(api::ParseRecordAddress, ctx);
  Try(api::ParseRecordVehicle, ctx);
  Try(api::ParseAddLink, ctx);
  Try(api::ParseRemoveLink, ctx);
  Try(api::ParseOpenCase, ctx);
  Try(api::ParseAssignCase, ctx);
  Try(api::ParseCloseCase, ctx);
  Try(api::ParseReopenCase, ctx);
  Try(api::ParseRecordCaseAction, ctx);
  Try(api::ParseCreateTask, ctx);
  Try(api::ParseCompleteTask, ctx);
  Try(api::ParseAddNote, ctx);
  Try(api::ParseAssessRisk, ctx);
  Try(api::ParseGrantAccess, ctx);
  Try(api::ParseRevokeAccess, ctx);
  Try(api::ParseAttachDocument, ctx);
  Try(api::ParseScheduleMeeting, ctx);
  Try(api::ParseRecordMinutes, ctx);
  Try(api::ParseAssignMeetingAction, ctx);
  Try(api::ParsePublishRiskInstrument, ctx);
  return 0;
}
