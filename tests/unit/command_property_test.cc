// Property test: for random sequences of commands (valid and invalid, from a seeded generator),
// the state the projection runner builds incrementally, the state a rebuild produces, and the
// state replayed from the log's streams all equal what an independent model of the commands
// says, and the incremental and rebuilt projections are identical byte for byte. A seed that
// fails replays exactly: the clock, the ids and the choices all come from it.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>
#include <random>

#include "consumers/projection_runner.h"
#include "ledger/command_service.h"
#include "ledger/enum_names.h"
#include "ledger/event_json.h"
#include "ledger/risk_instrument.h"
#include "ledger/verify.h"
#include "support/projection_harness.h"
#include "support/result_assertions.h"
#include "support/temp_dir.h"

namespace caseledger {
namespace {

namespace json = boost::json;
using ledger::Code;
using ledger::CommandMeta;

// What the model expects of one record.
struct Model {
  std::string kind;
  std::vector<std::string> events;      // event type names, in order
  std::string category;                 // incident
  bool hate = false;
  std::string description;
  bool consent = false;
  std::string family;                   // person
  bool closed = false;                  // case
  int actions = 0;
  std::map<std::string, bool> tasks;    // task id -> completed
  int notes = 0;
  int risks = 0;
  bool active = false;                  // link, grant
  std::string from, to;                 // link
};

class CommandPropertyTest : public ::testing::TestWithParam<std::uint64_t> {
 protected:
  void SetUp() override {
    seed_ = GetParam();
    random_.seed(seed_);
    h_ = testing::ProjectionHarness::Open(dir_.Path("db"));
    ASSERT_NE(h_, nullptr);
    ids_ = std::make_unique<ledger::IdGenerator>(h_->node().clock(), h_->node().random());
    commands_ = std::make_unique<ledger::CommandService>(h_->log(), h_->personal_data(), *ids_,
                                                         h_->node().clock());
    consumers::RunnerOptions options;
    options.batch_events = 1 + random_() % 40;  // batch boundaries differ from the rebuild's
    options.poll = std::chrono::milliseconds(5);
    runner_ = std::make_unique<consumers::ProjectionRunner>(h_->log(), h_->projections(),
                                                            h_->projector(), options);
    ASSERT_OK(runner_->Start());
    meta_.actor = {"user-prop", "org-prop", "team-prop"};
  }

  void TearDown() override {
    if (runner_) runner_->Stop();
  }

  bool Chance(int percent) { return static_cast<int>(random_() % 100) < percent; }

  template <class T>
  const T& Pick(const std::vector<T>& from) {
    return from[random_() % from.size()];
  }

  std::vector<std::string> Of(std::string_view kind, bool only_open_cases = false) {
    std::vector<std::string> out;
    for (const auto& [id, m] : records_) {
      if (m.kind == kind && !(only_open_cases && m.closed)) out.push_back(id);
    }
    return out;
  }

  // Runs `command`; checks it was accepted or refused as `valid` says; on acceptance returns the
  // result and records the event in the model.
  template <class Command>
  std::optional<ledger::CommandResult> Run(Command command, bool valid, const char* event,
                                           std::optional<std::uint64_t> if_match = {}) {
    h_->node().clock().Advance(1'000'000);
    CommandMeta meta = meta_;
    meta.expected_version = if_match;
    auto result = commands_->Run(meta, std::move(command));
    ++commands_run_;
    EXPECT_EQ(result.has_value(), valid)
        << "seed " << seed_ << " command " << commands_run_ << " (" << event << "): "
        << (result ? std::string("accepted") : result.error().ToString());
    if (!result || !valid) return std::nullopt;
    Model& m = records_[result.value().record_id];
    m.events.push_back(event);
    EXPECT_EQ(result.value().version, m.events.size()) << "seed " << seed_;
    return result.value();
  }

  void Step();
  void CheckViews();
  void CheckReplay();

  std::uint64_t seed_ = 0;
  std::mt19937_64 random_;
  testing::TempDir dir_;
  std::unique_ptr<testing::ProjectionHarness> h_;
  std::unique_ptr<ledger::IdGenerator> ids_;
  std::unique_ptr<ledger::CommandService> commands_;
  std::unique_ptr<consumers::ProjectionRunner> runner_;
  CommandMeta meta_;
  std::map<std::string, Model> records_;
  int commands_run_ = 0;
};

ledger::LocationInput SomePlace() {
  ledger::LocationInput l;
  l.text = "Market Square";
  return l;
}

void CommandPropertyTest::Step() {
  auto incidents = Of("incident");
  auto people = Of("person");
  auto cases = Of("case");
  auto open_cases = Of("case", true);
  auto links = Of("link");
  auto grants = Of("grant");
  int choice = static_cast<int>(random_() % 100);

  if (choice < 14 || incidents.empty()) {
    ledger::ReportIncident c;
    c.occurred_at = h_->node().clock().NowMicros() - 3'600'000'000LL;
    c.channel = schema::Channel::Phone;
    c.location = SomePlace();
    c.category = Chance(50) ? schema::Category::Personal : schema::Category::Nuisance;
    c.hate_incident = Chance(20);
    if (c.hate_incident) c.hate_strands = {schema::HateStrand::Race};
    c.description = "report " + std::to_string(random_() % 100000);
    bool valid = !Chance(10);
    if (!valid) c.description.clear();  // refused: description is required
    auto r = Run(c, valid, "incident_reported");
    if (r) {
      Model& m = records_[r->record_id];
      m.kind = "incident";
      m.category = ledger::EnumToString(c.category);
      m.hate = c.hate_incident;
      m.description = c.description;
    }
  } else if (choice < 22) {
    ledger::UpdateIncident c;
    c.incident_id = Pick(incidents);
    c.consent_to_refer = Chance(50);
    c.description = "updated " + std::to_string(random_() % 1000);
    c.reason = "more detail";
    Model& m = records_[c.incident_id];
    bool stale = Chance(10);
    std::optional<std::uint64_t> if_match;
    if (stale) if_match = m.events.size() + 7;
    if (Run(c, !stale, "incident_updated", if_match)) {
      m.consent = *c.consent_to_refer;
      m.description = *c.description;
    }
  } else if (choice < 28) {
    ledger::ClassifyIncident c;
    c.incident_id = Pick(incidents);
    c.category = schema::Category::Environmental;
    c.reason = "reviewed";
    c.hate_incident = Chance(30);
    bool valid = !Chance(15);
    if (c.hate_incident && valid) c.hate_strands = {schema::HateStrand::Disability};
    if (!valid) c.hate_strands = {schema::HateStrand::Religion}, c.hate_incident = false;
    if (Run(c, valid, "incident_classified")) {
      Model& m = records_[c.incident_id];
      m.category = "environmental";
      m.hate = c.hate_incident;
    }
  } else if (choice < 38 || people.empty()) {
    ledger::RecordPerson c;
    c.details.names = {{"Sam", "Family" + std::to_string(random_() % 1000)}};
    c.details.date_of_birth = Chance(10) ? "2999-01-01" : "1980-05-17";
    bool valid = c.details.date_of_birth != "2999-01-01";
    if (auto r = Run(c, valid, "person_recorded")) {
      records_[r->record_id].kind = "person";
      records_[r->record_id].family = c.details.names[0].family;
    }
  } else if (choice < 42) {
    ledger::CorrectPerson c;
    c.person_id = Pick(people);
    c.details.names = {{"Sam", "Corrected" + std::to_string(random_() % 1000)}};
    c.reason = "spelling";
    if (Run(c, true, "person_corrected")) records_[c.person_id].family = c.details.names[0].family;
  } else if (choice < 52) {
    ledger::AddLink c;
    c.from_id = Pick(incidents);
    bool valid = !Chance(10);
    c.to_id = valid ? Pick(people) : ledger::RecordId("person", ids_->Next());  // unknown person
    c.role = schema::LinkRole::Victim;
    if (auto r = Run(c, valid, "link_added")) {
      Model& m = records_[r->record_id];
      m.kind = "link";
      m.active = true;
      m.from = c.from_id;
      m.to = c.to_id;
    }
  } else if (choice < 55 && !links.empty()) {
    ledger::RemoveLink c;
    c.link_id = Pick(links);
    c.reason = "entered in error";
    Model& m = records_[c.link_id];
    if (Run(c, m.active, "link_removed")) m.active = false;
  } else if (choice < 62 || cases.empty()) {
    ledger::OpenCase c;
    c.case_type = schema::CaseType::AsbCase;
    c.title = "case " + std::to_string(random_() % 1000);
    if (auto r = Run(c, true, "case_opened")) records_[r->record_id].kind = "case";
  } else if (choice < 68) {
    ledger::RecordCaseAction c;
    c.case_id = Pick(cases);
    c.action = schema::ActionType::WarningLetter;
    Model& m = records_[c.case_id];
    if (Run(c, !m.closed, "case_action_recorded")) ++m.actions;
  } else if (choice < 74) {
    ledger::CreateTask c;
    c.case_id = Pick(cases);
    c.title = "visit";
    Model& m = records_[c.case_id];
    if (auto r = Run(c, !m.closed, "task_created")) m.tasks[r->item_id] = false;
  } else if (choice < 79) {
    ledger::CompleteTask c;
    c.case_id = Pick(cases);
    Model& m = records_[c.case_id];
    if (m.tasks.empty()) return;
    auto it = m.tasks.begin();
    std::advance(it, random_() % m.tasks.size());
    c.task_id = it->first;
    if (Run(c, !m.closed && !it->second, "task_completed")) it->second = true;
  } else if (choice < 84) {
    ledger::CloseCase c;
    c.case_id = Pick(cases);
    c.outcome = "resolved";
    c.signed_off_by = Chance(10) ? "" : "supervisor-1";
    Model& m = records_[c.case_id];
    bool valid = !m.closed && m.actions > 0 && !c.signed_off_by.empty();
    if (Run(c, valid, "case_closed")) m.closed = true;
  } else if (choice < 87) {
    ledger::ReopenCase c;
    c.case_id = Pick(cases);
    c.reason = "new reports";
    Model& m = records_[c.case_id];
    if (Run(c, m.closed, "case_reopened")) m.closed = false;
  } else if (choice < 92) {
    ledger::AddNote c;
    c.record_id = Chance(50) ? Pick(cases) : Pick(incidents);
    c.text = "note " + std::to_string(random_() % 1000);
    if (Run(c, true, "note_added")) ++records_[c.record_id].notes;
  } else if (choice < 95) {
    ledger::AssessRisk c;
    c.record_id = Pick(cases);
    c.subject_id = Pick(people);
    for (const auto& q : ledger::DefaultRiskInstrument().questions) {
      c.answers.push_back({q.question_id, q.allowed_values[random_() % q.allowed_values.size()]});
    }
    if (Run(c, true, "risk_assessed")) ++records_[c.record_id].risks;
  } else if (choice < 98 || grants.empty()) {
    ledger::GrantAccess c;
    c.record_id = Pick(incidents);
    c.grantee_kind = schema::GranteeKind::Organisation;
    c.grantee_id = "org-police";
    c.reason = "joint case";
    if (auto r = Run(c, true, "access_granted")) {
      records_[r->record_id].kind = "grant";
      records_[r->record_id].active = true;
    }
  } else {
    ledger::RevokeAccess c;
    c.grant_id = Pick(grants);
    c.reason = "no longer needed";
    Model& m = records_[c.grant_id];
    if (Run(c, m.active, "access_revoked")) m.active = false;
  }
}

void CommandPropertyTest::CheckViews() {
  for (const auto& [id, m] : records_) {
    SCOPED_TRACE("seed " + std::to_string(seed_) + " record " + id);
    json::value view = h_->View(id);
    ASSERT_TRUE(view.is_object());
    const json::object& v = view.as_object();
    EXPECT_EQ(v.at("version").to_number<std::uint64_t>(), m.events.size());
    EXPECT_EQ(v.at("kind").as_string(), m.kind);
    if (m.kind == "incident") {
      EXPECT_EQ(v.at("category").as_string(), m.category);
      EXPECT_EQ(v.at("hate_incident").as_bool(), m.hate);
      EXPECT_EQ(v.at("description").as_string(), m.description);
      EXPECT_EQ(v.at("consent_to_refer").as_bool(), m.consent);
      EXPECT_EQ(v.contains("notes") ? v.at("notes").as_array().size() : 0u,
                static_cast<std::size_t>(m.notes));
    } else if (m.kind == "person") {
      EXPECT_EQ(v.at("names").as_array()[0].as_object().at("family").as_string(), m.family);
    } else if (m.kind == "case") {
      EXPECT_EQ(v.at("status").as_string(), m.closed ? "closed" : "open");
      EXPECT_EQ(v.at("actions").as_array().size(), static_cast<std::size_t>(m.actions));
      EXPECT_EQ(v.at("tasks").as_array().size(), m.tasks.size());
      for (const auto& task : v.at("tasks").as_array()) {
        std::string task_id(task.as_object().at("task_id").as_string());
        ASSERT_TRUE(m.tasks.count(task_id));
        EXPECT_EQ(task.as_object().at("status").as_string(),
                  m.tasks.at(task_id) ? "completed" : "open");
      }
      EXPECT_EQ(v.contains("notes") ? v.at("notes").as_array().size() : 0u,
                static_cast<std::size_t>(m.notes));
      EXPECT_EQ(v.contains("risk_assessments") ? v.at("risk_assessments").as_array().size() : 0u,
                static_cast<std::size_t>(m.risks));
    } else if (m.kind == "link" || m.kind == "grant") {
      EXPECT_EQ(v.at("active").as_bool(), m.active);
    }
    if (m.kind == "link") {
      for (const std::string& end : {m.from, m.to}) {
        auto links = h_->projections().GetLinks(end);
        ASSERT_OK(links);
        bool listed = false;
        for (const auto& l : links.value()) listed = listed || l.link_id == id;
        EXPECT_EQ(listed, m.active) << "from the end " << end;
      }
    }
  }
}

void CommandPropertyTest::CheckReplay() {
  for (const auto& [id, m] : records_) {
    auto events = ledger::ReplayStream(h_->log(), id, std::nullopt);
    ASSERT_OK(events);
    std::vector<std::string> types;
    for (const auto& e : events.value()) {
      auto rendered = ledger::EventToJson(*e.envelope(), &h_->personal_data(), e.position);
      ASSERT_OK(rendered);
      types.emplace_back(rendered.value().at("event_type").as_string());
    }
    EXPECT_EQ(types, m.events) << "seed " << seed_ << " record " << id;
  }
}

TEST_P(CommandPropertyTest, IncrementalRebuiltAndReplayedStatesAgreeWithTheModel) {
  constexpr int kCommands = 400;
  for (int i = 0; i < kCommands; ++i) Step();
  auto end = h_->log().EndOffset(0);
  ASSERT_OK(end);
  ASSERT_TRUE(runner_->WaitFor({0, end.value()}, std::chrono::seconds(30)));

  CheckViews();
  CheckReplay();
  auto incremental = h_->Dump(h_->projections().active());
  ASSERT_OK(runner_->Rebuild());
  auto rebuilt = h_->Dump(h_->projections().active());
  EXPECT_TRUE(incremental == rebuilt) << "seed " << seed_ << ": a rebuild differs";
  CheckViews();
}

INSTANTIATE_TEST_SUITE_P(Seeds, CommandPropertyTest, ::testing::Values(1, 2, 3, 4, 5, 6, 7, 8));

}  // namespace
}  // namespace caseledger
