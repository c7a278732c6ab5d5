// Commands: what a user asks the ledger to do, as typed values. Field names match the JSON API
// (app/), so a validation error's `field` names what the user sent. Times are microseconds UTC;
// 0 means "not given" unless a comment says otherwise.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ledger/clock.h"
#include "ledger/event.h"
#include "schemas/events_generated.h"

namespace caseledger::ledger {

// Who asks, why, and the controls every write carries.
struct CommandMeta {
  Actor actor;
  std::string purpose;
  Uuid correlation_id;
  std::string idempotency_key;           // empty = none
  std::string fingerprint;               // of the command as received (route + body)
  std::optional<std::uint64_t> expected_version;  // If-Match; nullopt = whatever is current
  Micros source_recorded_at = 0;         // creation time in a system migrated from
};

struct CommandResult {
  std::string record_id;                 // the record created or changed
  std::uint64_t version = 0;             // its stream version after the command
  Position position;                     // log position of the last event written
  bool deduplicated = false;             // answered from an earlier command with the same key
  std::string item_id;                   // the task, action, note or assessment created, if any
};

struct Coordinates {
  double latitude = 0;
  double longitude = 0;
};

struct LocationInput {
  std::uint64_t uprn = 0;
  std::string address_id;                // an address record
  std::string text;
  std::optional<Coordinates> coordinates;
};

struct PersonNameInput {
  std::string given;
  std::string family;
};

struct PersonDetailsInput {
  std::vector<PersonNameInput> names;
  std::vector<std::string> aliases;
  std::string date_of_birth;             // YYYY-MM-DD or empty
  std::string phone;
  std::string email;
  std::string address_text;
  std::vector<std::string> vulnerabilities;
};

struct ReportIncident {
  std::string reference;
  Micros occurred_at = 0;                // required
  Micros reported_at = 0;                // default: now
  schema::Channel channel = schema::Channel::Unspecified;
  LocationInput location;
  schema::Category category = schema::Category::Unspecified;
  std::string sub_category;
  bool hate_incident = false;
  std::vector<schema::HateStrand> hate_strands;
  bool consent_to_refer = false;
  std::string description;
};

struct UpdateIncident {
  std::string incident_id;
  std::optional<Micros> reported_at;
  std::optional<schema::Channel> channel;
  std::optional<LocationInput> location;
  std::optional<bool> consent_to_refer;
  std::optional<std::string> description;
  std::string reason;
};

struct ClassifyIncident {
  std::string incident_id;
  schema::Category category = schema::Category::Unspecified;
  std::string sub_category;
  bool hate_incident = false;
  std::vector<schema::HateStrand> hate_strands;
  std::string reason;
};

struct RecordPerson {
  PersonDetailsInput details;
};

struct CorrectPerson {
  std::string person_id;
  PersonDetailsInput details;
  std::string reason;
};

struct RecordAddress {
  std::uint64_t uprn = 0;
  std::string text;
  std::string postcode;
  std::optional<Coordinates> coordinates;
};

struct RecordVehicle {
  std::string registration;
  std::string make;
  std::string model;
  std::string colour;
};

struct AddLink {
  std::string from_id;
  std::string to_id;
  schema::LinkRole role = schema::LinkRole::Unspecified;
  std::string note;
};

struct RemoveLink {
  std::string link_id;
  std::string reason;
};

struct OpenCase {
  std::string reference;
  schema::CaseType case_type = schema::CaseType::Unspecified;
  std::string title;
  std::string lead_organisation_id;      // default: the actor's organisation
  std::string lead_officer_id;           // default: the actor
  std::string summary;
  Micros opened_at = 0;                  // default: now
};

struct AssignCase {
  std::string case_id;
  std::string lead_organisation_id;
  std::string lead_officer_id;
  std::string team_id;
  std::string reason;
};

struct CloseCase {
  std::string case_id;
  std::string outcome;
  std::string signed_off_by;             // the supervisor who signed the closure off
  std::string reason;
};

struct ReopenCase {
  std::string case_id;
  std::string reason;
};

struct RecordCaseAction {
  std::string case_id;
  schema::ActionType action = schema::ActionType::Unspecified;
  std::string subject_id;                // a person record, when the action is about someone
  Micros taken_at = 0;                   // default: now
  Micros expires_at = 0;
  std::string authorised_by;
  std::string conviction_reference;
  std::string details;
  std::string premises_id;               // closure notice and order: an address record
};

struct CreateTask {
  std::string case_id;
  std::string title;
  Micros due_at = 0;
  std::string assignee_id;
};

struct CompleteTask {
  std::string case_id;
  std::string task_id;
  std::string outcome;
};

struct AddNote {
  std::string record_id;
  std::string text;
};

struct RiskAnswerInput {
  std::string question_id;
  std::int32_t value = 0;
};

// The ledger computes the score, the level, the next review date and the referral from the
// instrument version (docs/risk.md); the client sends only the answers.
struct AssessRisk {
  std::string record_id;                 // the case (or incident) the assessment belongs to
  std::string subject_id;                // the person assessed
  std::string instrument_id;             // default: the built-in instrument
  std::uint32_t instrument_version = 0;  // 0 = the instrument's latest version
  std::vector<RiskAnswerInput> answers;
};

struct GrantAccess {
  std::string record_id;
  schema::GranteeKind grantee_kind = schema::GranteeKind::Unspecified;
  std::string grantee_id;
  std::string reason;
  Micros expires_at = 0;                 // 0 = no expiry
};

struct RevokeAccess {
  std::string grant_id;                  // a grant, or an access request that was granted
  std::string reason;
};

// Asks whoever holds `record_id` for access to it (docs/access.md).
struct RequestAccess {
  std::string record_id;
  std::string reason;
};

// The holder's answer to an access request. A granted request shares the record with its
// requester until `expires_at` (0 = no expiry) or until it is revoked (RevokeAccess).
struct DecideAccessRequest {
  std::string request_id;
  bool granted = false;
  std::string reason;
  Micros expires_at = 0;
};

// ---- identity (docs/identity.md) ----

struct CreateOrganisation {
  std::string name;
  schema::OrganisationKind kind = schema::OrganisationKind::Unspecified;
  bool justification_required = false;
};

struct ChangeOrganisationSettings {
  std::string organisation_id;
  bool justification_required = false;
  std::string reason;
};

struct CreateTeam {
  std::string organisation_id;
  std::string name;
};

// The user's id is UserIdForUsername(username) (ledger/identity_ids.h): a second user with the
// same username is refused with kAlreadyExists naming "username".
struct CreateUser {
  std::string username;
  std::string display_name;
  std::string organisation_id;
  std::string team_id;                   // must belong to organisation_id
  std::vector<schema::Role> roles;       // at least one
  std::string password_hash;             // argon2id (crypto_pwhash_str); empty: cannot log in
};

struct ChangeUserRoles {
  std::string user_id;
  std::vector<schema::Role> roles;
  std::string reason;
};

struct DeactivateUser {
  std::string user_id;
  std::string reason;
};

struct ReactivateUser {
  std::string user_id;
  std::string reason;
};

struct ChangeUserPassword {
  std::string user_id;
  std::string password_hash;             // argon2id (crypto_pwhash_str)
  std::string reason;
};

// The key's id is ApiKeyIdForHash(key_hash) (ledger/identity_ids.h).
struct IssueApiKey {
  std::string user_id;                   // an active user; the key acts as this user
  std::string name;
  std::string key_hash;                  // 32 bytes: BLAKE2b-256 of the key's secret
  Micros expires_at = 0;                 // 0 = no expiry
};

struct RevokeApiKey {
  std::string api_key_id;
  std::string reason;
};

// ---- documents, meetings, risk instruments (docs/cases.md, docs/risk.md) ----

struct AttachDocument {
  std::string case_id;
  std::string name;                      // file name, 1..200 bytes, no path separators
  std::string media_type;                // type/subtype
  std::string content;                   // the document's bytes, at most kMaxDocumentBytes
};

struct ScheduleMeeting {
  std::string case_id;                   // a case of type meeting
  std::string title;
  Micros held_at = 0;                    // required
  std::vector<std::string> attendees;    // user ids, at least one
  std::vector<std::string> agenda;       // agenda item titles
};

struct RecordMinutes {
  std::string case_id;
  std::string meeting_id;
  std::string minutes;
};

struct AssignMeetingAction {
  std::string case_id;
  std::string meeting_id;
  std::string title;
  std::string assignee_id;               // one of the meeting's attendees
  Micros due_at = 0;                     // required
};

// One question of a risk instrument (ledger/risk_instrument.h).
struct RiskQuestion {
  std::string question_id;
  std::string text;
  std::string factor;                    // personal, situational, incidental
  std::int32_t weight = 0;
  std::vector<std::int32_t> allowed_values;
};

// Publishes the next version of `instrument_id` (version 2 onward for the built-in one).
struct PublishRiskInstrument {
  std::string instrument_id;
  std::string title;
  std::vector<RiskQuestion> questions;
  std::int32_t medium_from = 0;
  std::int32_t high_from = 0;
  std::int32_t review_days_standard = 0;
  std::int32_t review_days_medium = 0;
  std::int32_t review_days_high = 0;
  std::int32_t referral_score = 0;       // 0 = never refers
};

}  // namespace caseledger::ledger
