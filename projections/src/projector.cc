#include "projections/projector.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "ledger/envelope.h"
#include "ledger/rocksdb_util.h"
#include "projections/access.h"
#include "projections/keys.h"
#include "projections/search_index.h"
#include "view_batch.h"
#include "view_builders.h"

namespace caseledger::projections {
namespace {

using schema::EventType;

Result<void> ApplyOne(const EventContext& context) {
  switch (context.envelope.event_type()) {
    case EventType::IncidentReported:
    case EventType::IncidentUpdated:
    case EventType::IncidentClassified:
    case EventType::PersonRecorded:
    case EventType::PersonCorrected:
    case EventType::AddressRecorded:
    case EventType::VehicleRecorded:
      return ApplyRecordEvent(context);
    case EventType::LinkAdded:
    case EventType::LinkRemoved:
    case EventType::AccessGranted:
    case EventType::AccessRevoked:
    case EventType::AccessRequested:
    case EventType::AccessRequestDecided:
      return ApplyLinkEvent(context);
    case EventType::CaseOpened:
    case EventType::CaseAssigned:
    case EventType::CaseClosed:
    case EventType::CaseReopened:
    case EventType::CaseActionRecorded:
    case EventType::TaskCreated:
    case EventType::TaskCompleted:
    case EventType::NoteAdded:
    case EventType::RiskAssessed:
    case EventType::DocumentAttached:
    case EventType::MeetingScheduled:
    case EventType::MeetingMinutesRecorded:
    case EventType::MeetingActionAssigned:
      return ApplyCaseEvent(context);
    case EventType::RecordConsulted:  // access log only: never in the event log
    case EventType::RecordDisclosed:
    case EventType::OrganisationCreated:
    case EventType::OrganisationSettingsChanged:
    case EventType::TeamCreated:
    case EventType::UserCreated:
    case EventType::UserRolesChanged:
    case EventType::UserDeactivated:
    case EventType::UserReactivated:
    case EventType::UserPasswordChanged:
    case EventType::ApiKeyIssued:
    case EventType::ApiKeyRevoked:
      return ApplyIdentityEvent(context);
    case EventType::Unknown:
    case EventType::RiskInstrumentPublished:
      return ApplyInstrumentEvent(context);
    default:
      break;
  }
  // A type this version does not know (written by a newer one): nothing to project.
  return ledger::Ok();
}

// Events that change what a record is found by (search_index.h).
bool ChangesIndexTerms(EventType type) {
  switch (type) {
    case EventType::IncidentReported:
    case EventType::IncidentUpdated:
    case EventType::PersonRecorded:
    case EventType::PersonCorrected:
    case EventType::AddressRecorded:
    case EventType::VehicleRecorded:
    case EventType::CaseOpened:
      return true;
    default:
      return false;
  }
}

}  // namespace

Result<void> Projector::Apply(const Generation& generation, std::uint32_t partition,
                              std::span<const ledger::RecordedEvent> events, WriteMode mode) {
  if (events.empty()) return ledger::Ok();
  BOOST_OUTCOME_TRY(auto applied, projections_.AppliedOffset(generation, partition));
  ViewBatch views(projections_.store().db(), generation.family);
  std::uint64_t offset = applied;
  for (const auto& event : events) {
    if (event.position.partition != partition || event.position.offset <= offset) {
      return ledger::MakeError(ledger::Code::kInternal,
                               "projections: events out of order for partition " +
                                   std::to_string(partition));
    }
    offset = event.position.offset;
    BOOST_OUTCOME_TRY(auto* envelope, ledger::VerifyEnvelope(event.bytes));
    std::string_view payload(reinterpret_cast<const char*>(envelope->payload()->data()),
                             envelope->payload()->size());
    BOOST_OUTCOME_TRY(ledger::VerifyPayload(envelope->event_type(), payload));
    EventContext context{*envelope, personal_data_, views, envelope->stream_id()->string_view()};
    if (auto ok = ApplyOne(context); !ok) {
      ledger::Error e = ok.error();
      e.message += " (log position " + event.position.ToString() + ")";
      return e;
    }
    if (ChangesIndexTerms(envelope->event_type())) {
      BOOST_OUTCOME_TRY(Reindex(views, context.stream_id, envelope->stream_version() == 1));
    }
    if (envelope->stream_version() == 1) {
      if (auto entry = AclEntry(HolderOfFirstEvent(*envelope))) {
        views.Set(AclKey(context.stream_id), std::move(*entry));
      }
    }
  }
  rocksdb::WriteBatch batch;
  views.WriteTo(batch);
  batch.Put(generation.family, PartitionKey(partition), ledger::BigEndian64(offset));
  rocksdb::WriteOptions options;
  options.sync = mode.sync;
  options.disableWAL = mode.skip_wal;
  auto written =
      ledger::CheckRocks(projections_.store().db()->Write(options, &batch), "projections: apply");
  projections_.Changed();  // after the write: a read cached before it is now out of date
  return written;
}

}  // namespace caseledger::projections
