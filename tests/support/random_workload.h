// A seeded generator of realistic commands, FoundationDB-style: the same seed gives the same
// sequence. Records are created before they are changed, links join records that exist, tasks
// are completed only after they were created, and personal fields are sealed, so a sequence
// appended in order is always valid for the projector. Every append uses kAnyVersion; some
// commands touch two streams at once (an incident reported with its victim linked).
//
// Example:
//   RandomWorkload workload(seed, node->personal_data());
//   for (int i = 0; i < 1000; ++i) node->log().Append(workload.Next());
//
// Thread safety: none; drive it from one thread.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "ledger/event.h"
#include "ledger/personal_data.h"

namespace caseledger::testing {

class RandomWorkload {
 public:
  // Record ids are StreamId(kind, id_base + n) for n = 1, 2, ...
  RandomWorkload(std::uint64_t seed, ledger::PersonalData& personal_data,
                 std::uint64_t id_base = 0);

  ledger::AppendRequest Next();

  // Events in the commands made so far.
  std::uint64_t events() const { return events_; }
  // Every record id created so far.
  std::vector<std::string> records() const;

 private:
  struct Case {
    std::string id{};
    std::vector<std::string> open_tasks{};
    int next_task = 1;
    bool closed = false;
  };

  std::string NewId(const char* kind);
  std::string Pick(const std::vector<std::string>& from);
  std::string AnyRecord();
  std::string Words();
  ledger::Micros SomeTime();
  ledger::SealedValue Seal(const std::string& subject, const std::string& plaintext);

  void ReportIncident(ledger::AppendRequest& r);
  void ChangeIncident(ledger::AppendRequest& r);
  void RecordPerson(ledger::AppendRequest& r);
  void RecordPlace(ledger::AppendRequest& r);
  void ChangeLinks(ledger::AppendRequest& r);
  void OpenCase(ledger::AppendRequest& r);
  void WorkOnCase(ledger::AppendRequest& r);
  void AddNote(ledger::AppendRequest& r);
  void ChangeGrants(ledger::AppendRequest& r);

  std::mt19937_64 random_;
  ledger::PersonalData& personal_data_;
  std::uint64_t next_id_;
  std::uint64_t events_ = 0;
  std::vector<std::string> incidents_, people_, places_, links_;
  std::vector<std::pair<std::string, std::string>> grants_;  // grant id, record id
  std::vector<Case> cases_;
};

}  // namespace caseledger::testing
