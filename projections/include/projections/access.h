// Who may see a record's content (docs/access.md; design decision 8): the record's owning team,
// and whoever it was shared with (a user, a team or an organisation; until the grant expires or
// is revoked). Roles widen this in two ways only: a supervisor sees every record its
// organisation holds, an auditor sees every record (read only; every read is logged).
//
// The projection keeps one small entry per record under AclKey (keys.h), written when the record
// is created: who holds it. Grants live under GrantPrefix. A record created a moment ago may not
// be projected yet; RecordAccess then reads its first event from the log, so a caller can act on
// a record it has just created.
//
// Example:
//   RecordAccess access(projections, log, clock);
//   auto holder = access.Holder(record_id);               // nullopt: no such record
//   if (!access.CanSee(viewer, record_id)) return NotFound();
//
// Thread safety: all methods are thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/clock.h"
#include "ledger/envelope.h"
#include "ledger/event_log.h"
#include "ledger/result.h"
#include "projections/projection_store.h"

namespace caseledger::projections {

using ledger::Result;

// Who asks: the caller's identity and the roles that widen what it sees.
struct Viewer {
  std::string user_id;
  std::string organisation_id;
  std::string team_id;
  bool sees_organisation = false;  // supervisor: every record of its organisation
  bool sees_everything = false;    // auditor
};

struct Grant {
  std::string grant_id;
  std::string grantee_kind;        // "user", "team", "organisation"
  std::string grantee_id;
  ledger::Micros expires_at = 0;   // 0 = no expiry
};

// Who holds a record. For a grant or an access request, `of` is the record it is about and
// `grantee_*` or `requester` who it is for: those records are visible to whoever holds `of`
// and to the grantee or requester.
struct Holder {
  std::string record_id;
  std::string organisation_id;
  std::string team_id;
  std::string created_by;          // the user who created it: the contact officer
  std::string of;                  // grants and access requests: the record they concern
  std::string grantee_kind;
  std::string grantee_id;
};

// Record kinds whose content is locked down (every kind a case worker records, plus grants
// and access requests). Identity records (organisations, teams, users) are a directory every
// signed-in user may read.
bool IsLockedDownKind(std::string_view kind);

// Who holds the record whose first event is `first` (the owner is always the creator's team).
Holder HolderOfFirstEvent(const schema::Envelope& first);

// The ACL entry the projector stores under AclKey; nullopt for kinds not locked down.
std::optional<boost::json::object> AclEntry(const Holder& holder);
Result<Holder> ParseAclEntry(std::string_view record_id, std::string_view json);

class RecordAccess {
 public:
  RecordAccess(const ProjectionStore& projections, ledger::EventLog& log, const ledger::Clock& clock)
      : projections_(projections), log_(log), clock_(clock) {}

  // Who holds `record_id`; nullopt when there is no such record.
  Result<std::optional<Holder>> FindHolder(std::string_view record_id) const;

  // The grants in force on `record_id` now (expired ones left out).
  Result<std::vector<Grant>> GrantsInForce(std::string_view record_id) const;

  // True when `viewer` may see the content of `record_id`. False for a record that does not
  // exist: the two are indistinguishable to the caller.
  Result<bool> CanSee(const Viewer& viewer, std::string_view record_id) const;

  // As CanSee, when the holder is already known.
  Result<bool> CanSeeHeld(const Viewer& viewer, const Holder& holder) const;

 private:
  Result<std::optional<Holder>> HolderFromLog(std::string_view record_id) const;
  Result<bool> Shared(const Viewer& viewer, std::string_view record_id) const;

  const ProjectionStore& projections_;
  ledger::EventLog& log_;
  const ledger::Clock& clock_;
};

}  // namespace caseledger::projections
