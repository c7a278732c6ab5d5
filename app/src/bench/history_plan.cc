// HistoryPlan::Make: decides the whole synthetic history from a seed. The proportions below are
// the ones docs/benchmarks.md documents; change both together.
#include <queue>
#include <unordered_map>

#include "history_generator.h"
#include "partnership.h"
#include "rng.h"

namespace caseledger::app::bench {
namespace {

using schema::ActionType;
using schema::CaseType;
using schema::Category;
using schema::LinkRole;

// The history covers two years, ending when it is generated.
constexpr std::int64_t kSpanSeconds = 2 * 365 * 86'400;

// Intake: how often a record is new rather than one seen before.
constexpr double kNewAddress = 0.40;  // the rest are hotspots, picked by earlier incidents
constexpr double kNewVictim = 0.45;   // the rest are repeat victims, likewise
// Repeats come from the area's recent past: the last this many appearances.
constexpr std::size_t kRecentAddresses = 4000;
constexpr std::size_t kRecentPeople = 2000;
constexpr double kPerpetratorKnown = 0.55;  // of personal and nuisance incidents
constexpr double kNewPerpetrator = 0.50;
constexpr double kWitness = 0.20;
constexpr double kSeparateReporter = 0.15;  // a neighbour, warden or officer reports it
constexpr double kVehicle = 0.07;
// Follow-ups on an incident.
constexpr double kReclassified = 0.12;
constexpr double kUpdated = 0.20;
constexpr double kIncidentNotesMean = 2.0;
constexpr double kPersonCorrected = 0.03;
// Cases: chance that an incident opens one, by the victim's incidents so far (this one included).
constexpr double kCaseFirstIncident = 0.12;
constexpr double kCaseSecondIncident = 0.40;
constexpr double kCaseRepeatVictim = 0.60;
// A case's life, spread over the incidents recorded after it opened.
constexpr std::int64_t kCaseMinSpan = 20, kCaseMaxSpan = 400;
constexpr double kCaseNotesMean = 12;  // plus three
constexpr double kTaskCompleted = 0.85;
constexpr double kReassigned = 0.30;
constexpr double kShared = 0.35;
constexpr double kRiskReviewed = 0.60;
constexpr double kClosed = 0.65;
constexpr double kReopened = 0.12;  // of closed cases

enum class CaseItem : std::uint8_t {
  kRisk,
  kTask,
  kCompleteTask,
  kNote,
  kAction,
  kAssign,
  kGrant,
  kClose,
  kReopen,
};

struct Scheduled {
  std::uint64_t due;    // incident index at which it happens
  std::uint64_t order;  // ties: in the order scheduled
  std::uint32_t case_index;
  CaseItem item;
  std::uint32_t task = 0;  // kTask / kCompleteTask: the case's task number
  bool operator>(const Scheduled& o) const { return due != o.due ? due > o.due : order > o.order; }
};

struct CaseState {
  std::int32_t opened = kNoStep;
  std::int32_t last = kNoStep;  // last step on the case's stream
  std::uint32_t organisation = 0;
  std::uint32_t actor = 0;
  std::uint16_t area = 0;
  std::int32_t victim = kNoStep;
  std::int32_t perpetrator = kNoStep;
  std::vector<std::int32_t> tasks;  // CreateTask step by task number (kNoStep until created)
  bool warned = false;              // a Community Protection Warning was recorded
  bool closed = false;
  bool ever_closed = false;
};

}  // namespace

class Planner {
 public:
  Planner(std::uint64_t seed, std::uint64_t incidents, HistoryPlan& plan)
      : rng_(seed),
        incidents_(incidents),
        plan_(plan),
        p_(LlrPartnership()),
        area_weights_(p_.AreaWeights()) {
    victims_.resize(p_.areas().size());
    addresses_.resize(p_.areas().size());
    perpetrators_.resize(p_.areas().size());
    plan_.steps_.reserve(incidents * 16);
  }

  void Run() {
    for (std::uint64_t i = 0; i < incidents_; ++i) {
      now_ago_ = kSpanSeconds * static_cast<std::int64_t>(incidents_ - i) /
                 static_cast<std::int64_t>(incidents_);
      Incident();
      EmitDue(i);
    }
    now_ago_ = 0;
    EmitDue(~std::uint64_t{0});
    PlanStats& s = plan_.stats_;
    s.incidents = incidents_;
    s.commands = s.events = plan_.steps_.size();
    for (const auto& [person, n] : victim_count_) {
      s.max_incidents_per_victim = std::max(s.max_incidents_per_victim, n);
    }
    for (const auto& [address, n] : address_count_) {
      s.max_incidents_per_address = std::max(s.max_incidents_per_address, n);
    }
  }

 private:
  std::int32_t Emit(PlanStep step) {
    step.seed = rng_.Next();
    if (step.seconds_ago == 0) step.seconds_ago = now_ago_;
    auto& s = plan_.stats_;
    ++s.by_kind[static_cast<std::size_t>(step.kind)];
    s.text_bytes += step.text_bytes;
    plan_.steps_.push_back(step);
    return static_cast<std::int32_t>(plan_.steps_.size() - 1);
  }

  // A record from the last `recent` entries of `pool` (each entry one earlier appearance, so a
  // record is picked in proportion to how often it appeared lately), or a new one from `make`
  // with probability `p_new`.
  // A record already seen `n` times is taken again only with probability 1 / (1 + (n / soft)^2),
  // so the rich-get-richer tail stays within what reviews report (33 and 88 incidents from one
  // victim over years) instead of growing with the size of the history.
  template <class Make>
  std::int32_t PickOrNew(std::vector<std::int32_t>& pool, std::size_t recent, double p_new,
                         std::unordered_map<std::int32_t, std::uint32_t>& counts, double soft,
                         bool& reused, Make make) {
    std::int32_t chosen = kNoStep;
    reused = !pool.empty() && !rng_.Chance(p_new);
    if (reused) {
      chosen = pool[pool.size() - 1 - rng_.Below(std::min(recent, pool.size()))];
      double n = counts[chosen] / soft;
      reused = rng_.Chance(1.0 / (1.0 + n * n));
    }
    if (!reused) chosen = make();
    pool.push_back(chosen);
    ++counts[chosen];
    return chosen;
  }

  std::int32_t Person(std::uint16_t area, std::uint32_t actor, std::uint8_t role) {
    ++plan_.stats_.people;
    return Emit({.kind = StepKind::kRecordPerson, .variant = role, .area = area, .actor = actor});
  }

  std::int32_t Link(std::int32_t from, std::int32_t to, LinkRole role, std::uint32_t actor,
                    std::uint16_t area) {
    return Emit({.kind = StepKind::kAddLink,
                 .variant = static_cast<std::uint8_t>(role),
                 .area = area,
                 .actor = actor,
                 .target = from,
                 .other = to});
  }

  std::uint32_t RecordingOrganisation(const Area& area) {
    double r = rng_.Unit();
    if (r < 0.45) return p_.police();
    if (r < 0.55) return p_.housing();
    if (r < 0.62 && area.in_county) return p_.county();
    return area.council;
  }

  void Incident() {
    auto& stats = plan_.stats_;
    auto area = static_cast<std::uint16_t>(rng_.Weighted(area_weights_));
    std::uint32_t organisation = RecordingOrganisation(p_.areas()[area]);
    std::uint32_t actor = p_.OfficerActor(organisation, static_cast<std::uint32_t>(rng_.Next()));
    const double category_weights[] = {0.33, 0.52, 0.15};
    auto category = static_cast<Category>(1 + rng_.Weighted(category_weights));

    bool reused = false;
    std::int32_t address =
        PickOrNew(addresses_[area], kRecentAddresses, kNewAddress, address_count_, 40, reused, [&] {
          ++stats.addresses;
          return Emit({.kind = StepKind::kRecordAddress, .area = area, .actor = actor});
        });
    stats.addresses_reused += reused;

    std::int32_t incident = Emit({.kind = StepKind::kReportIncident,
                                  .variant = static_cast<std::uint8_t>(category),
                                  .area = area,
                                  .actor = actor,
                                  .text_bytes = rng_.SkewedSize(200, 1500),
                                  .other = address});
    Link(incident, address, LinkRole::Related, actor, area);

    std::int32_t victim = PickOrNew(victims_[area], kRecentPeople, kNewVictim, victim_count_, 25,
                                    reused, [&] { return Person(area, actor, 0); });
    stats.victims_reused += reused;
    std::uint32_t victim_incidents = victim_count_[victim];
    Link(incident, victim,
         category == Category::Environmental ? LinkRole::Reporter : LinkRole::Victim, actor, area);

    std::int32_t perpetrator = kNoStep;
    if (category != Category::Environmental && rng_.Chance(kPerpetratorKnown)) {
      perpetrator =
          PickOrNew(perpetrators_[area], kRecentPeople, kNewPerpetrator, perpetrator_count_, 25,
                    reused, [&] { return Person(area, actor, 1); });
      ++stats.perpetrators;
      stats.perpetrators_reused += reused;
      Link(incident, perpetrator, LinkRole::AllegedPerpetrator, actor, area);
    }
    if (category != Category::Environmental && rng_.Chance(kSeparateReporter)) {
      Link(incident, Person(area, actor, 2), LinkRole::Reporter, actor, area);
    }
    if (rng_.Chance(kWitness)) {
      ++stats.witnesses;
      Link(incident, Person(area, actor, 2), LinkRole::Witness, actor, area);
    }
    if (rng_.Chance(kVehicle)) {
      ++stats.vehicles;
      std::int32_t vehicle = Emit({.kind = StepKind::kRecordVehicle, .area = area, .actor = actor});
      Link(incident, vehicle, LinkRole::Related, actor, area);
    }

    std::int32_t last = incident;
    auto follow_up = [&](StepKind kind, std::uint8_t variant, std::uint32_t bytes) {
      last = Emit({.kind = kind,
                   .variant = variant,
                   .area = area,
                   .actor = actor,
                   .text_bytes = bytes,
                   .target = incident,
                   .after = last});
    };
    if (rng_.Chance(kReclassified)) {
      follow_up(StepKind::kClassifyIncident, static_cast<std::uint8_t>(1 + rng_.Below(3)), 0);
    }
    if (rng_.Chance(kUpdated)) follow_up(StepKind::kUpdateIncident, 0, rng_.SkewedSize(200, 1500));
    for (std::uint32_t n = rng_.Geometric(kIncidentNotesMean); n > 0; --n) {
      follow_up(StepKind::kAddNote, 0, rng_.SkewedSize(100, 800));
    }
    if (victim_incidents > 1 && rng_.Chance(kPersonCorrected)) {
      auto& previous = person_last_[victim];
      previous = Emit({.kind = StepKind::kCorrectPerson,
                       .area = area,
                       .actor = actor,
                       .target = victim,
                       .after = previous == 0 ? kNoStep : previous});
    }

    auto open = open_case_by_victim_.find(victim);
    if (open != open_case_by_victim_.end()) {
      CaseState& c = cases_[open->second];
      Link(c.opened, incident, LinkRole::Related, c.actor, c.area);
      return;
    }
    double p = victim_incidents >= 3   ? kCaseRepeatVictim
               : victim_incidents == 2 ? kCaseSecondIncident
                                       : kCaseFirstIncident;
    if (rng_.Chance(p)) OpenCase(area, organisation, incident, victim, perpetrator);
  }

  void OpenCase(std::uint16_t area, std::uint32_t organisation, std::int32_t incident,
                std::int32_t victim, std::int32_t perpetrator) {
    auto& stats = plan_.stats_;
    ++stats.cases;
    CaseState c;
    c.organisation = organisation;
    c.actor = p_.OfficerActor(organisation, static_cast<std::uint32_t>(rng_.Next()));
    c.area = area;
    c.victim = victim;
    c.perpetrator = perpetrator;
    const double type_weights[] = {0.80, 0.08, 0.10, 0.02};
    auto type = static_cast<std::uint8_t>(1 + rng_.Weighted(type_weights));
    c.opened = c.last = Emit({.kind = StepKind::kOpenCase,
                              .variant = type,
                              .area = area,
                              .actor = c.actor,
                              .text_bytes = rng_.SkewedSize(100, 800)});
    Link(c.opened, incident, LinkRole::Related, c.actor, area);
    Link(c.opened, victim, LinkRole::Victim, c.actor, area);
    if (perpetrator != kNoStep)
      Link(c.opened, perpetrator, LinkRole::AllegedPerpetrator, c.actor, area);
    auto index = static_cast<std::uint32_t>(cases_.size());
    cases_.push_back(std::move(c));
    open_case_by_victim_[victim] = index;
    ScheduleLife(index);
  }

  void Schedule(std::uint32_t case_index, std::int64_t offset, CaseItem item,
                std::uint32_t task = 0) {
    queue_.push({position_ + static_cast<std::uint64_t>(offset), order_++, case_index, item, task});
  }

  void ScheduleLife(std::uint32_t index) {
    std::int64_t span = rng_.Between(kCaseMinSpan, kCaseMaxSpan);
    auto at = [&](double from, double to) {
      return static_cast<std::int64_t>(span * (from + (to - from) * rng_.Unit()));
    };
    Schedule(index, rng_.Between(0, 2), CaseItem::kRisk);
    auto tasks = static_cast<std::uint32_t>(rng_.Between(2, 6));
    cases_[index].tasks.assign(tasks, kNoStep);
    std::vector<std::int64_t> created(tasks);
    for (std::uint32_t t = 0; t < tasks; ++t) {
      created[t] = at(0.0, 0.6);
      Schedule(index, created[t], CaseItem::kTask, t);
    }
    for (std::uint32_t t = 0; t < tasks; ++t) {
      if (rng_.Chance(kTaskCompleted)) {
        Schedule(index, created[t] + at(0.0, 0.4), CaseItem::kCompleteTask, t);
      }
    }
    for (std::uint32_t n = 3 + rng_.Geometric(kCaseNotesMean); n > 0; --n) {
      Schedule(index, at(0.0, 1.0), CaseItem::kNote);
    }
    for (auto n = rng_.Between(1, 3); n > 0; --n) Schedule(index, at(0.2, 0.9), CaseItem::kAction);
    if (rng_.Chance(kReassigned)) Schedule(index, at(0.1, 0.8), CaseItem::kAssign);
    if (rng_.Chance(kShared)) Schedule(index, at(0.0, 0.5), CaseItem::kGrant);
    if (rng_.Chance(kRiskReviewed)) Schedule(index, at(0.4, 0.6), CaseItem::kRisk);
    if (!rng_.Chance(kClosed)) return;
    Schedule(index, span, CaseItem::kClose);
    if (!rng_.Chance(kReopened)) return;
    std::int64_t reopened = span + rng_.Between(5, 50);
    Schedule(index, reopened, CaseItem::kReopen);
    Schedule(index, reopened + 1, CaseItem::kNote);
    Schedule(index, reopened + 2, CaseItem::kAction);
    Schedule(index, reopened + rng_.Between(3, 30), CaseItem::kClose);
  }

  void EmitDue(std::uint64_t position) {
    while (!queue_.empty() && queue_.top().due <= position) {
      Scheduled s = queue_.top();
      queue_.pop();
      EmitCaseItem(s);
    }
    position_ = position + 1;
  }

  void EmitCaseItem(const Scheduled& s) {
    CaseState& c = cases_[s.case_index];
    auto& stats = plan_.stats_;
    PlanStep step{.area = c.area, .actor = c.actor, .target = c.opened, .after = c.last};
    switch (s.item) {
      case CaseItem::kRisk:
        step.kind = StepKind::kAssessRisk;
        step.other = c.victim;
        break;
      case CaseItem::kTask:
        step.kind = StepKind::kCreateTask;
        break;
      case CaseItem::kCompleteTask:
        step.kind = StepKind::kCompleteTask;
        step.other = c.tasks.at(s.task);
        step.text_bytes = rng_.SkewedSize(20, 300);
        break;
      case CaseItem::kNote:
        step.kind = StepKind::kAddNote;
        step.text_bytes = rng_.SkewedSize(100, 800);
        break;
      case CaseItem::kAction:
        step.kind = StepKind::kRecordCaseAction;
        step.variant = static_cast<std::uint8_t>(PickAction(c));
        if (c.perpetrator != kNoStep &&
            step.variant != static_cast<std::uint8_t>(ActionType::Referral)) {
          step.other = c.perpetrator;
        }
        step.text_bytes = rng_.SkewedSize(100, 800);
        break;
      case CaseItem::kAssign:
        step.kind = StepKind::kAssignCase;
        c.actor = p_.OfficerActor(c.organisation, static_cast<std::uint32_t>(rng_.Next()));
        step.actor = c.actor;  // the new lead officer takes the case over
        break;
      case CaseItem::kGrant:
        step.kind = StepKind::kGrantAccess;
        step.after = kNoStep;  // a grant is its own stream
        step.variant = static_cast<std::uint8_t>(
            c.organisation == p_.police() ? p_.areas()[c.area].council : p_.police());
        break;
      case CaseItem::kClose:
        step.kind = StepKind::kCloseCase;
        step.text_bytes = rng_.SkewedSize(50, 400);
        if (!c.ever_closed) ++stats.cases_closed;
        c.closed = c.ever_closed = true;
        if (auto it = open_case_by_victim_.find(c.victim);
            it != open_case_by_victim_.end() && it->second == s.case_index) {
          open_case_by_victim_.erase(it);
        }
        break;
      case CaseItem::kReopen:
        step.kind = StepKind::kReopenCase;
        ++stats.cases_reopened;
        c.closed = false;
        break;
    }
    std::int32_t index = Emit(step);
    if (step.kind == StepKind::kCreateTask) c.tasks[s.task] = index;
    if (step.kind != StepKind::kGrantAccess) c.last = index;
  }

  ActionType PickAction(CaseState& c) {
    if (c.perpetrator == kNoStep) {
      const ActionType options[] = {ActionType::Advice, ActionType::Visit, ActionType::Referral};
      return options[rng_.Below(3)];
    }
    const ActionType options[] = {ActionType::Advice,
                                  ActionType::WarningLetter,
                                  ActionType::Visit,
                                  ActionType::Mediation,
                                  ActionType::Referral,
                                  ActionType::AcceptableBehaviourContract,
                                  ActionType::CommunityProtectionWarning,
                                  ActionType::CommunityProtectionNotice,
                                  ActionType::CommunityRemedy};
    const double weights[] = {0.18, 0.22, 0.22, 0.06, 0.10, 0.08, 0.07, 0.04, 0.03};
    ActionType action = options[rng_.Weighted(weights)];
    // A notice only follows a written warning whose period has passed, to someone aged 16 or
    // over (2014 Act s.43); the plan models neither the period nor ages, so a notice is planned
    // as the warning it would need (or, once warned, as a warning letter).
    if (action == ActionType::CommunityProtectionNotice) {
      action = c.warned ? ActionType::WarningLetter : ActionType::CommunityProtectionWarning;
    }
    if (action == ActionType::CommunityProtectionWarning) c.warned = true;
    return action;
  }

  Rng rng_;
  const std::uint64_t incidents_;
  HistoryPlan& plan_;
  const Partnership& p_;
  const std::vector<double> area_weights_;
  std::int64_t now_ago_ = 0;
  std::uint64_t position_ = 0;  // the incident index being planned
  std::uint64_t order_ = 0;
  std::vector<std::vector<std::int32_t>> victims_, addresses_, perpetrators_;  // per area
  std::unordered_map<std::int32_t, std::uint32_t> victim_count_, address_count_, perpetrator_count_;
  std::unordered_map<std::int32_t, std::int32_t> person_last_;
  std::unordered_map<std::int32_t, std::uint32_t> open_case_by_victim_;
  std::vector<CaseState> cases_;
  std::priority_queue<Scheduled, std::vector<Scheduled>, std::greater<>> queue_;
};

HistoryPlan HistoryPlan::Make(std::uint64_t seed, std::uint64_t incidents) {
  HistoryPlan plan;
  plan.seed_ = seed;
  if (incidents > 0) Planner(seed, incidents, plan).Run();
  return plan;
}

}  // namespace caseledger::app::bench
