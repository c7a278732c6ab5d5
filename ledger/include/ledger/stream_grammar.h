// Which event types may stand where in a record's stream: the first event of an `incident-…`
// stream is IncidentReported and no later one is; a NoteAdded may follow on incidents, people
// and cases but not on links; and so on. The log refuses an append that breaks it, so readers can
// rely on a record's stream beginning with its creation and holding only its own kinds of event.
// The command service checks every plan against it before appending (a violation is our bug,
// kInternal); the log itself stays generic. Streams whose kind is not a record kind are not checked.
#pragma once

#include <cstdint>
#include <string_view>

#include "ledger/event.h"
#include "ledger/result.h"

namespace caseledger::ledger {

// Errors: kInvalidArgument naming `field` with the rule broken.
Result<void> CheckStreamGrammar(std::string_view stream_id, std::uint64_t version, EventType type,
                                std::string_view field);

}  // namespace caseledger::ledger
