#include "support/random_workload.h"

#include "support/appends.h"
#include "support/event_builders.h"

namespace caseledger::testing {
namespace {

using ledger::EventType;

constexpr const char* kWords[] = {"loud",     "music",   "night", "shouting", "bins",
                                  "graffiti", "car",     "park",  "dog",      "door",
                                  "window",   "threats", "smoke"};

void AddEvent(ledger::AppendRequest& r, const std::string& stream, EventType type,
              std::string payload, ledger::Micros occurred_at) {
  for (auto& s : r.streams) {
    if (s.stream_id == stream) {
      s.events.push_back(Draft(type, std::move(payload), occurred_at));
      return;
    }
  }
  r.streams.push_back(
      {stream, ledger::kAnyVersion, {Draft(type, std::move(payload), occurred_at)}});
}

}  // namespace

RandomWorkload::RandomWorkload(std::uint64_t seed, ledger::PersonalData& personal_data,
                               std::uint64_t id_base)
    : random_(seed), personal_data_(personal_data), next_id_(id_base) {}

std::vector<std::string> RandomWorkload::records() const {
  std::vector<std::string> out;
  for (const auto* v : {&incidents_, &people_, &places_, &links_}) {
    out.insert(out.end(), v->begin(), v->end());
  }
  for (const auto& g : grants_) out.push_back(g.first);
  for (const auto& c : cases_) out.push_back(c.id);
  return out;
}

std::string RandomWorkload::NewId(const char* kind) { return StreamId(kind, ++next_id_); }

std::string RandomWorkload::Pick(const std::vector<std::string>& from) {
  return from[random_() % from.size()];
}

std::string RandomWorkload::AnyRecord() {
  std::vector<std::string> all = incidents_;
  all.insert(all.end(), people_.begin(), people_.end());
  all.insert(all.end(), places_.begin(), places_.end());
  for (const auto& c : cases_) all.push_back(c.id);
  return Pick(all);
}

std::string RandomWorkload::Words() {
  std::string out;
  int n = 1 + static_cast<int>(random_() % 6);
  for (int i = 0; i < n; ++i) {
    if (i > 0) out += ' ';
    out += kWords[random_() % std::size(kWords)];
  }
  return out;
}

ledger::Micros RandomWorkload::SomeTime() {
  return kTestEpoch - static_cast<ledger::Micros>(random_() % (400ull * 86'400)) * 1'000'000;
}

ledger::SealedValue RandomWorkload::Seal(const std::string& subject, const std::string& plaintext) {
  return SealOrFail(personal_data_, subject, plaintext);
}

ledger::AppendRequest RandomWorkload::Next() {
  ledger::AppendRequest r;
  r.context = Context("user-" + std::to_string(random_() % 5));
  int roll = static_cast<int>(random_() % 100);
  if (people_.empty()) {
    RecordPerson(r);
  } else if (incidents_.empty() || roll < 12) {
    ReportIncident(r);
  } else if (roll < 22) {
    ChangeIncident(r);
  } else if (roll < 32) {
    RecordPerson(r);
  } else if (roll < 38) {
    RecordPlace(r);
  } else if (roll < 50) {
    ChangeLinks(r);
  } else if (cases_.empty() || roll < 56) {
    OpenCase(r);
  } else if (roll < 80) {
    WorkOnCase(r);
  } else if (roll < 92) {
    AddNote(r);
  } else {
    ChangeGrants(r);
  }
  for (const auto& s : r.streams) events_ += s.events.size();
  return r;
}

void RandomWorkload::ReportIncident(ledger::AppendRequest& r) {
  std::string id = NewId("incident");
  IncidentReportedSpec spec;
  spec.reference = "INC-" + std::to_string(next_id_);
  spec.channel = static_cast<schema::Channel>(1 + random_() % 7);
  spec.category = static_cast<schema::Category>(1 + random_() % 3);
  spec.sub_category = Words();
  spec.hate_incident = random_() % 5 == 0;
  if (spec.hate_incident) spec.hate_strands = {static_cast<schema::HateStrand>(1 + random_() % 6)};
  spec.consent_to_refer = random_() % 2 == 0;
  spec.location->uprn = random_() % 3 == 0 ? 0 : 100000000000 + random_() % 1000;
  spec.location->coordinates->latitude = 52.5 + static_cast<double>(random_() % 10000) / 1e5;
  spec.details = Seal(id, MakeIncidentDetails(Words()));
  AddEvent(r, id, EventType::IncidentReported, MakeIncidentReported(spec), SomeTime());
  incidents_.push_back(id);
  if (!people_.empty() && random_() % 4 != 0) {
    std::string link = NewId("link");
    AddEvent(r, link, EventType::LinkAdded,
             MakeLinkAdded({.from_id = id,
                            .to_id = Pick(people_),
                            .role = static_cast<schema::LinkRole>(1 + random_() % 9)}),
             SomeTime());
    links_.push_back(link);
  }
}

void RandomWorkload::ChangeIncident(ledger::AppendRequest& r) {
  std::string id = Pick(incidents_);
  if (random_() % 2 == 0) {
    IncidentUpdatedSpec spec;
    if (random_() % 2) spec.reported_at = SomeTime();
    if (random_() % 2) spec.channel = static_cast<schema::Channel>(1 + random_() % 7);
    if (random_() % 3 == 0) spec.location = LocationSpec{.uprn = random_() % 1000, .text = Words()};
    if (random_() % 2) spec.consent_to_refer = random_() % 2 == 0;
    if (random_() % 2) spec.details = Seal(id, MakeIncidentDetails(Words()));
    AddEvent(r, id, EventType::IncidentUpdated, MakeIncidentUpdated(spec), SomeTime());
  } else {
    AddEvent(r, id, EventType::IncidentClassified,
             MakeIncidentClassified({.category = static_cast<schema::Category>(1 + random_() % 3),
                                     .sub_category = Words(),
                                     .hate_incident = random_() % 2 == 0}),
             SomeTime());
  }
}

void RandomWorkload::RecordPerson(ledger::AppendRequest& r) {
  if (!people_.empty() && random_() % 3 == 0) {
    std::string id = Pick(people_);
    AddEvent(r, id, EventType::PersonCorrected,
             MakePersonCorrected({.details = Seal(id, MakePersonDetails({.phone = Words()}))}),
             SomeTime());
    return;
  }
  std::string id = NewId("person");
  PersonDetailsSpec details;
  details.names = {{Words(), Words()}};
  details.date_of_birth = random_() % 2 ? "1985-07-01" : "";
  AddEvent(r, id, EventType::PersonRecorded,
           MakePersonRecorded({.details = Seal(id, MakePersonDetails(details))}), SomeTime());
  people_.push_back(id);
}

void RandomWorkload::RecordPlace(ledger::AppendRequest& r) {
  if (random_() % 2 == 0) {
    std::string id = NewId("address");
    AddEvent(r, id, EventType::AddressRecorded,
             MakeAddressRecorded({.uprn = random_() % 100000, .text = Words()}), SomeTime());
    places_.push_back(id);
  } else {
    std::string id = NewId("vehicle");
    AddEvent(r, id, EventType::VehicleRecorded, MakeVehicleRecorded({.colour = Words()}),
             SomeTime());
    places_.push_back(id);
  }
}

void RandomWorkload::ChangeLinks(ledger::AppendRequest& r) {
  if (!links_.empty() && random_() % 3 == 0) {
    std::size_t i = random_() % links_.size();
    AddEvent(r, links_[i], EventType::LinkRemoved, MakeLinkRemoved({.reason = Words()}),
             SomeTime());
    links_.erase(links_.begin() + static_cast<std::ptrdiff_t>(i));
    return;
  }
  std::string link = NewId("link");
  AddEvent(r, link, EventType::LinkAdded,
           MakeLinkAdded({.from_id = AnyRecord(),
                          .to_id = AnyRecord(),
                          .role = static_cast<schema::LinkRole>(1 + random_() % 9),
                          .note = Words()}),
           SomeTime());
  links_.push_back(link);
}

void RandomWorkload::OpenCase(ledger::AppendRequest& r) {
  Case c{NewId("case")};
  AddEvent(r, c.id, EventType::CaseOpened,
           MakeCaseOpened({.reference = "CASE-" + std::to_string(next_id_),
                           .case_type = static_cast<schema::CaseType>(1 + random_() % 4),
                           .title = Words(),
                           .summary = Seal(c.id, MakeNoteBody(Words()))}),
           SomeTime());
  if (random_() % 2 == 0) {  // opened with its first task
    AddEvent(r, c.id, EventType::TaskCreated,
             MakeTaskCreated({.task_id = "task-1", .title = Words()}), SomeTime());
    c.open_tasks.push_back("task-1");
    c.next_task = 2;
  }
  cases_.push_back(std::move(c));
}

void RandomWorkload::WorkOnCase(ledger::AppendRequest& r) {
  Case& c = cases_[random_() % cases_.size()];
  switch (random_() % 7) {
    case 0:
      AddEvent(r, c.id, EventType::CaseAssigned, MakeCaseAssigned({.reason = Words()}), SomeTime());
      break;
    case 1:
      AddEvent(
          r, c.id, c.closed ? EventType::CaseReopened : EventType::CaseClosed,
          c.closed ? MakeCaseReopened({.reason = Words()}) : MakeCaseClosed({.outcome = Words()}),
          SomeTime());
      c.closed = !c.closed;
      break;
    case 2:
      AddEvent(
          r, c.id, EventType::CaseActionRecorded,
          MakeCaseActionRecorded({.action_id = "action-" + std::to_string(random_() % 100),
                                  .action = static_cast<schema::ActionType>(1 + random_() % 16),
                                  .subject_id = people_.empty() ? "" : Pick(people_),
                                  .taken_at = SomeTime(),
                                  .details = Seal(c.id, MakeNoteBody(Words()))}),
          SomeTime());
      break;
    case 3: {  // a task and a note at once
      std::string task = "task-" + std::to_string(c.next_task++);
      AddEvent(r, c.id, EventType::TaskCreated, MakeTaskCreated({.task_id = task}), SomeTime());
      AddEvent(r, c.id, EventType::NoteAdded,
               MakeNoteAdded({.note_id = task, .body = Seal(c.id, MakeNoteBody(Words()))}),
               SomeTime());
      c.open_tasks.push_back(task);
      break;
    }
    case 4: {
      std::string task = "task-" + std::to_string(c.next_task++);
      AddEvent(r, c.id, EventType::TaskCreated,
               MakeTaskCreated({.task_id = task, .title = Words(), .due_at = SomeTime()}),
               SomeTime());
      c.open_tasks.push_back(task);
      break;
    }
    case 5:
      if (!c.open_tasks.empty()) {
        AddEvent(r, c.id, EventType::TaskCompleted,
                 MakeTaskCompleted({.task_id = c.open_tasks.back(), .outcome = Words()}),
                 SomeTime());
        c.open_tasks.pop_back();
        break;
      }
      [[fallthrough]];
    default:
      AddEvent(r, c.id, EventType::RiskAssessed,
               MakeRiskAssessed({.assessment_id = "risk-" + std::to_string(random_() % 1000),
                                 .subject_id = people_.empty() ? "" : Pick(people_),
                                 .score = static_cast<std::int32_t>(random_() % 30),
                                 .level = static_cast<schema::RiskLevel>(1 + random_() % 3)}),
               SomeTime());
  }
}

void RandomWorkload::AddNote(ledger::AppendRequest& r) {
  std::string id = AnyRecord();
  if (id.starts_with("address") || id.starts_with("vehicle")) id = Pick(incidents_);
  AddEvent(r, id, EventType::NoteAdded,
           MakeNoteAdded({.note_id = "note-" + std::to_string(random_() % 10000),
                          .body = Seal(id, MakeNoteBody(Words()))}),
           SomeTime());
}

void RandomWorkload::ChangeGrants(ledger::AppendRequest& r) {
  if (!grants_.empty() && random_() % 3 == 0) {
    std::size_t i = random_() % grants_.size();
    AddEvent(r, grants_[i].first, EventType::AccessRevoked,
             MakeAccessRevoked({.record_id = grants_[i].second, .reason = Words()}), SomeTime());
    grants_.erase(grants_.begin() + static_cast<std::ptrdiff_t>(i));
    return;
  }
  std::string grant = NewId("grant");
  std::string record = AnyRecord();
  AddEvent(r, grant, EventType::AccessGranted,
           MakeAccessGranted({.record_id = record,
                              .grantee_kind = static_cast<schema::GranteeKind>(1 + random_() % 3),
                              .grantee_id = Words(),
                              .expires_at = random_() % 2 ? 0 : SomeTime()}),
           SomeTime());
  grants_.emplace_back(grant, record);
}

}  // namespace caseledger::testing
