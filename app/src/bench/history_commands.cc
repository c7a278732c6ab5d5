#include "history_commands.h"

#include <fmt/format.h>

#include <algorithm>

#include "ledger/risk_instrument.h"

#include "partnership.h"
#include "rng.h"
#include "text_source.h"

namespace caseledger::app::bench {
namespace {

using ledger::Micros;
using schema::ActionType;
using schema::Category;

constexpr Micros kSecond = 1'000'000;
constexpr Micros kDay = 86'400 * kSecond;

ledger::Uuid RandomUuid(Rng& rng) {
  ledger::Uuid id;
  for (std::size_t i = 0; i < id.bytes.size(); i += 8) {
    std::uint64_t v = rng.Next();
    for (std::size_t j = 0; j < 8; ++j) id.bytes[i + j] = static_cast<std::uint8_t>(v >> (8 * j));
  }
  id.bytes[6] = static_cast<std::uint8_t>(0x40 | (id.bytes[6] & 0x0f));  // version 4
  id.bytes[8] = static_cast<std::uint8_t>(0x80 | (id.bytes[8] & 0x3f));
  return id;
}

// UPRNs are fixed by the address step, so an incident at that address can repeat it.
std::uint64_t UprnOf(const PlanStep& address, std::size_t index) {
  if (address.seed % 10 == 0) return 0;  // one address in ten has no UPRN
  return LlrPartnership().areas()[address.area].uprn_base + index;
}

Category RandomCategory(Rng& rng) {
  const double weights[] = {0.33, 0.52, 0.15};
  return static_cast<Category>(1 + rng.Weighted(weights));
}

std::vector<schema::HateStrand> HateStrands(Rng& rng) {
  const double weights[] = {0.55, 0.15, 0.12, 0.12, 0.04, 0.02};
  return {static_cast<schema::HateStrand>(1 + rng.Weighted(weights))};
}

struct Builder {
  const RunContext& run;
  const PlanStep& step;
  std::size_t index;
  const StepRefs& refs;
  Rng rng{step.seed};

  const Partnership& p = LlrPartnership();
  const ledger::Actor& actor() const { return p.actor(step.actor); }
  const Organisation& organisation() const {
    return p.organisations()[p.OrganisationOf(step.actor)];
  }
  const Area& area() const { return p.areas()[step.area]; }
  Micros at() const { return run.end_of_history - step.seconds_ago * kSecond; }

  ledger::ReportIncident Incident() {
    ledger::ReportIncident c;
    c.reference = fmt::format("{}-{}", organisation().reference_prefix, index);
    c.occurred_at = at();
    c.reported_at =
        c.occurred_at + rng.Between(0, std::min<std::int64_t>(step.seconds_ago, 7200)) * kSecond;
    const double channels[] = {0.45, 0.20, 0.05, 0.15, 0.10, 0.05};
    c.channel = static_cast<schema::Channel>(1 + rng.Weighted(channels));
    c.location.address_id = refs.other;
    c.location.uprn = UprnOf(run.plan.steps()[static_cast<std::size_t>(step.other)],
                             static_cast<std::size_t>(step.other));
    c.category = static_cast<Category>(step.variant);
    c.sub_category = SubCategory(rng, c.category);
    if (c.category == Category::Personal && rng.Chance(0.12)) {
      c.hate_incident = true;
      c.hate_strands = HateStrands(rng);
    }
    c.consent_to_refer = rng.Chance(0.7);
    c.description = Prose(rng, ProseKind::kIncidentDescription, step.text_bytes);
    return c;
  }

  ledger::UpdateIncident Update() {
    ledger::UpdateIncident c;
    c.incident_id = refs.target;
    c.description = Prose(rng, ProseKind::kIncidentDescription, step.text_bytes);
    if (rng.Chance(0.3)) c.consent_to_refer = rng.Chance(0.5);
    c.reason = Reason(rng);
    return c;
  }

  ledger::ClassifyIncident Classify() {
    ledger::ClassifyIncident c;
    c.incident_id = refs.target;
    c.category = static_cast<Category>(step.variant);
    c.sub_category = SubCategory(rng, c.category);
    if (c.category == Category::Personal && rng.Chance(0.2)) {
      c.hate_incident = true;
      c.hate_strands = HateStrands(rng);
    }
    c.reason = Reason(rng);
    return c;
  }

  ledger::CorrectPerson Correct() {
    const PlanStep& original = run.plan.steps()[static_cast<std::size_t>(step.target)];
    Rng original_rng(original.seed);
    ledger::CorrectPerson c;
    c.person_id = refs.target;
    c.details = PersonDetails(original_rng, static_cast<PersonRole>(original.variant), area(),
                              original.seed);
    c.details.phone = fmt::format("07{:03} {:06}", rng.Between(100, 999), rng.Between(0, 999'999));
    c.reason = "Contact details updated by the victim.";
    return c;
  }

  ledger::AddLink Link() {
    ledger::AddLink c;
    c.from_id = refs.target;
    c.to_id = refs.other;
    c.role = static_cast<schema::LinkRole>(step.variant);
    if (rng.Chance(0.1)) c.note = Reason(rng);
    return c;
  }

  ledger::OpenCase Case() {
    ledger::OpenCase c;
    c.reference = fmt::format("{}/ASB/{}", organisation().reference_prefix, index);
    c.case_type = static_cast<schema::CaseType>(step.variant);
    c.title = CaseTitle(rng, RandomCategory(rng));
    c.summary = Prose(rng, ProseKind::kCaseSummary, step.text_bytes);
    c.opened_at = at();
    return c;
  }

  // Answers to every question of the built-in instrument; the ledger scores them.
  ledger::AssessRisk Risk() {
    ledger::AssessRisk c;
    c.record_id = refs.target;
    c.subject_id = refs.other;
    for (const auto& q : ledger::DefaultRiskInstrument().questions) {
      double u = rng.Unit();
      std::size_t pick = u < 0.45 ? 0 : u < 0.8 ? 1 : u < 0.95 ? 2 : 3;
      pick = std::min(pick, q.allowed_values.size() - 1);
      c.answers.push_back({q.question_id, q.allowed_values[pick]});
    }
    return c;
  }

  ledger::RecordCaseAction Action() {
    ledger::RecordCaseAction c;
    c.case_id = refs.target;
    c.action = static_cast<ActionType>(step.variant);
    c.subject_id = refs.other;
    c.taken_at = at();
    if (c.action == ActionType::AcceptableBehaviourContract) c.expires_at = c.taken_at + 182 * kDay;
    // A warning gives a period to comply (docs/cases.md).
    if (c.action == ActionType::CommunityProtectionWarning) c.expires_at = c.taken_at + 28 * kDay;
    if (c.action == ActionType::CommunityProtectionWarning ||
        c.action == ActionType::CommunityProtectionNotice) {
      c.authorised_by = p.actor(p.SupervisorActor(p.OrganisationOf(step.actor))).user_id;
    }
    c.details = Prose(rng, ProseKind::kActionDetails, step.text_bytes);
    return c;
  }

  ledger::CloseCase Close() {
    ledger::CloseCase c;
    c.case_id = refs.target;
    c.outcome = Prose(rng, ProseKind::kOutcome, step.text_bytes);
    c.signed_off_by = p.actor(p.SupervisorActor(p.OrganisationOf(step.actor))).user_id;
    c.reason = "All agreed actions complete.";
    return c;
  }

  ledger::GrantAccess Grant() {
    ledger::GrantAccess c;
    c.record_id = refs.target;
    c.grantee_kind = schema::GranteeKind::Organisation;
    c.grantee_id = p.organisations()[step.variant].id;
    c.reason = "Shared so the partner can assist with the case.";
    return c;
  }

  ledger::CommandMeta Meta() {
    ledger::CommandMeta meta;
    meta.actor = actor();
    meta.purpose = "ASB case management";
    meta.correlation_id = RandomUuid(rng);
    meta.idempotency_key = fmt::format("bench-{:x}-{}", run.run_nonce, index);
    return meta;
  }
};

}  // namespace

void ExecuteStep(ledger::CommandService& commands, const RunContext& run, std::size_t index,
                 const StepRefs& refs, ledger::CommandService::Done done) {
  const PlanStep& step = run.plan.steps()[index];
  Builder b{run, step, index, refs};
  ledger::CommandMeta meta = b.Meta();
  switch (step.kind) {
    case StepKind::kRecordAddress: {
      ledger::RecordAddress c = Address(b.rng, b.area(), UprnOf(step, index));
      return commands.Execute(meta, std::move(c), std::move(done));
    }
    case StepKind::kRecordPerson: {
      ledger::RecordPerson c{
          PersonDetails(b.rng, static_cast<PersonRole>(step.variant), b.area(), step.seed)};
      return commands.Execute(meta, std::move(c), std::move(done));
    }
    case StepKind::kRecordVehicle:
      return commands.Execute(meta, Vehicle(b.rng), std::move(done));
    case StepKind::kReportIncident:
      return commands.Execute(meta, b.Incident(), std::move(done));
    case StepKind::kUpdateIncident:
      return commands.Execute(meta, b.Update(), std::move(done));
    case StepKind::kClassifyIncident:
      return commands.Execute(meta, b.Classify(), std::move(done));
    case StepKind::kCorrectPerson:
      return commands.Execute(meta, b.Correct(), std::move(done));
    case StepKind::kAddLink:
      return commands.Execute(meta, b.Link(), std::move(done));
    case StepKind::kAddNote:
      return commands.Execute(
          meta, ledger::AddNote{refs.target, Prose(b.rng, ProseKind::kNote, step.text_bytes)},
          std::move(done));
    case StepKind::kOpenCase:
      return commands.Execute(meta, b.Case(), std::move(done));
    case StepKind::kAssignCase: {
      ledger::AssignCase c{refs.target, "", b.actor().user_id, b.actor().team_id, Reason(b.rng)};
      return commands.Execute(meta, std::move(c), std::move(done));
    }
    case StepKind::kAssessRisk:
      return commands.Execute(meta, b.Risk(), std::move(done));
    case StepKind::kCreateTask: {
      ledger::CreateTask c{refs.target, TaskTitle(b.rng), b.at() + 14 * kDay, b.actor().user_id};
      return commands.Execute(meta, std::move(c), std::move(done));
    }
    case StepKind::kCompleteTask: {
      ledger::CompleteTask c{refs.target, refs.task_id,
                             Prose(b.rng, ProseKind::kOutcome, step.text_bytes)};
      return commands.Execute(meta, std::move(c), std::move(done));
    }
    case StepKind::kRecordCaseAction:
      return commands.Execute(meta, b.Action(), std::move(done));
    case StepKind::kCloseCase:
      return commands.Execute(meta, b.Close(), std::move(done));
    case StepKind::kReopenCase:
      return commands.Execute(meta, ledger::ReopenCase{refs.target, Reason(b.rng)},
                              std::move(done));
    case StepKind::kGrantAccess:
      return commands.Execute(meta, b.Grant(), std::move(done));
  }
}

}  // namespace caseledger::app::bench
