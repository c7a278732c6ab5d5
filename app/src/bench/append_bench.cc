#include "append_bench.h"

#include <array>
#include <future>

#include "ledger/envelope.h"
#include "ledger/ids.h"

namespace caseledger::app::bench {
namespace {

using ledger::EventType;

std::string Str(const flatbuffers::String* s) { return s == nullptr ? std::string() : s->str(); }

// The event that begins each kind of record stream.
bool IsCreation(EventType type) {
  switch (type) {
    case EventType::IncidentReported:
    case EventType::PersonRecorded:
    case EventType::AddressRecorded:
    case EventType::VehicleRecorded:
    case EventType::LinkAdded:
    case EventType::CaseOpened:
    case EventType::AccessGranted:
      return true;
    default:
      return false;
  }
}

// The kinds of stream a writer keeps of its own for changes, and how many of each.
constexpr std::array<std::string_view, 3> kOwnKinds = {"incident", "person", "case"};
constexpr std::size_t kOwnPerKind = 4;

std::size_t OwnKindIndex(std::string_view kind) {
  for (std::size_t k = 0; k < kOwnKinds.size(); ++k) {
    if (kOwnKinds[k] == kind) return k;
  }
  return kOwnKinds.size();
}

// Changes that may follow on a case stream in a multi-event command.
bool IsCaseFollowUp(const PayloadSample& s) {
  if (s.stream_kind != "case") return false;
  switch (s.type) {
    case EventType::TaskCreated:
    case EventType::NoteAdded:
    case EventType::CaseActionRecorded:
    case EventType::RiskAssessed:
    case EventType::CaseAssigned:
      return true;
    default:
      return false;
  }
}

}  // namespace

struct AppendWorkload::OwnStreams {
  struct Stream {
    std::string id;
    std::uint64_t version = 0;
  };
  std::array<std::vector<Stream>, kOwnKinds.size()> by_kind;
  std::array<std::size_t, kOwnKinds.size()> next{};
};

CommandMaker::CommandMaker(AppendWorkload& workload, std::size_t writer, std::size_t events)
    : samples_(workload.samples()),
      commands_(workload.Commands(events)),
      own_(workload.own(writer)),
      next_(commands_.empty() ? 0 : writer * 7919 % commands_.size()),
      // Ids as the node makes them: from the kernel's CSPRNG, unique across writers and runs.
      ids_(ledger::SystemClock::Instance(), ledger::SystemRandom::Instance()) {}

CommandMaker::~CommandMaker() = default;

ledger::AppendRequest CommandMaker::Next() {
  const std::vector<std::size_t>& command = commands_[next_];
  next_ = (next_ + 1) % commands_.size();
  const PayloadSample& first = samples_[command.front()];
  ledger::AppendRequest request;
  request.context.actor = first.actor;
  request.context.purpose = first.purpose;
  request.context.correlation_id = ids_.Next();
  request.context.idempotency_key = "bench-" + ids_.Next().ToString();  // as clients send
  ledger::StreamAppend stream;
  target_kind_ = kNone;
  if (first.creation) {
    stream.stream_id = ledger::RecordId(first.stream_kind, ids_.Next());
    stream.expected_version = ledger::kNoStream;
  } else {
    std::size_t k = OwnKindIndex(first.stream_kind);
    target_kind_ = k;
    target_index_ = own_.next[k]++ % own_.by_kind[k].size();
    const AppendWorkload::OwnStreams::Stream& target = own_.by_kind[k][target_index_];
    stream.stream_id = target.id;
    stream.expected_version = target.version;
  }
  ledger::Micros now = ledger::SystemClock::Instance().NowMicros();
  for (std::size_t index : command) {
    const PayloadSample& sample = samples_[index];
    ledger::EventDraft draft;
    draft.event_id = ids_.Next();
    draft.type = sample.type;
    draft.occurred_at = now;
    draft.payload = sample.payload;
    stream.events.push_back(std::move(draft));
  }
  events_ = command.size();
  request.streams.push_back(std::move(stream));
  return request;
}

void CommandMaker::Appended() {
  if (target_kind_ != kNone) own_.by_kind[target_kind_][target_index_].version += events_;
}

namespace {

class AppendWorker final : public Worker {
 public:
  AppendWorker(AppendWorkload& workload, ledger::EventLog& log, std::size_t thread,
               std::size_t events)
      : log_(log), maker_(workload, thread, events) {}

  void Prepare() override { request_ = maker_.Next(); }

  ledger::Result<std::uint64_t> Execute() override {
    BOOST_OUTCOME_TRY(log_.Append(std::move(request_)));
    maker_.Appended();
    return std::uint64_t{maker_.events()};
  }

 private:
  ledger::EventLog& log_;
  CommandMaker maker_;
  ledger::AppendRequest request_;
};

}  // namespace

ledger::Result<std::vector<PayloadSample>> SamplePayloads(ledger::EventLog& log, std::size_t max) {
  BOOST_OUTCOME_TRY(auto reader, log.OpenReader(0, 0));
  std::vector<ledger::RecordedEvent> events;
  while (events.size() < max) {
    BOOST_OUTCOME_TRY(auto n,
                      reader->Read(events, max - events.size(), std::chrono::milliseconds(0)));
    if (n == 0) break;
  }
  std::vector<PayloadSample> samples;
  samples.reserve(events.size());
  for (auto& event : events) {
    const schema::Envelope* e = event.envelope();
    if (e->payload() == nullptr) continue;
    PayloadSample s;
    s.type = e->event_type();
    s.creation = IsCreation(s.type);
    s.stream_kind = std::string(ledger::RecordKind(Str(e->stream_id())));
    s.payload.assign(reinterpret_cast<const char*>(e->payload()->data()), e->payload()->size());
    if (e->actor() != nullptr) {
      s.actor = {Str(e->actor()->user_id()), Str(e->actor()->organisation_id()),
                 Str(e->actor()->team_id())};
    }
    s.purpose = Str(e->purpose());
    s.envelope = std::move(event.bytes);
    samples.push_back(std::move(s));
  }
  return samples;
}

AppendWorkload::AppendWorkload(std::vector<PayloadSample> samples) : samples_(std::move(samples)) {}
AppendWorkload::~AppendWorkload() = default;

const std::vector<std::vector<std::size_t>>& AppendWorkload::Commands(std::size_t events) {
  if (commands_.size() <= events) commands_.resize(events + 1);
  auto& commands = commands_[events];
  if (!commands.empty()) return commands;
  if (events == 1) {
    // The history's own mix: every creation, and every change to a kind writers keep streams of.
    for (std::size_t i = 0; i < samples_.size(); ++i) {
      const PayloadSample& s = samples_[i];
      if (s.creation || OwnKindIndex(s.stream_kind) < kOwnKinds.size()) commands.push_back({i});
    }
    return commands;
  }
  std::vector<std::size_t> openings, follow_ups;
  for (std::size_t i = 0; i < samples_.size(); ++i) {
    if (samples_[i].type == EventType::CaseOpened) openings.push_back(i);
    if (IsCaseFollowUp(samples_[i])) follow_ups.push_back(i);
  }
  if (openings.empty() || follow_ups.empty()) return commands;
  std::size_t f = 0;
  for (std::size_t opening : openings) {
    std::vector<std::size_t> command{opening};
    while (command.size() < events) command.push_back(follow_ups[f++ % follow_ups.size()]);
    commands.push_back(std::move(command));
  }
  return commands;
}

std::vector<std::string> AppendWorkload::CeilingValues(std::size_t events) {
  std::vector<std::string> values;
  for (const auto& command : Commands(events)) {
    for (std::size_t index : command) values.push_back(samples_[index].envelope);
  }
  return values;
}

double AppendWorkload::mean_payload_bytes(std::size_t events) {
  double bytes = 0, n = 0;
  for (const auto& command : Commands(events)) {
    for (std::size_t index : command) {
      bytes += static_cast<double>(samples_[index].payload.size());
      ++n;
    }
  }
  return n > 0 ? bytes / n : 0;
}

ledger::Result<void> AppendWorkload::Prepare(ledger::EventLog& log, std::size_t max_writers) {
  std::array<std::vector<std::size_t>, kOwnKinds.size()> creations;
  for (std::size_t i = 0; i < samples_.size(); ++i) {
    std::size_t k = OwnKindIndex(samples_[i].stream_kind);
    if (samples_[i].creation && k < kOwnKinds.size()) creations[k].push_back(i);
  }
  for (const auto& c : creations) {
    if (c.empty()) {
      return ledger::MakeError(ledger::Code::kInvalidArgument,
                               "bench: the history has too few records to append to");
    }
  }
  ledger::IdGenerator ids(ledger::SystemClock::Instance(), ledger::SystemRandom::Instance());
  std::vector<std::future<ledger::Result<ledger::AppendResult>>> pending;
  for (std::size_t w = own_.size(); w < max_writers; ++w) {
    auto own = std::make_unique<OwnStreams>();
    for (std::size_t k = 0; k < kOwnKinds.size(); ++k) {
      for (std::size_t n = 0; n < kOwnPerKind; ++n) {
        const PayloadSample& s =
            samples_[creations[k][(w * kOwnPerKind + n) % creations[k].size()]];
        ledger::AppendRequest request;
        request.context.actor = s.actor;
        request.context.purpose = s.purpose;
        request.context.correlation_id = ids.Next();
        ledger::StreamAppend stream{
            ledger::RecordId(kOwnKinds[k], ids.Next()), ledger::kNoStream, {}};
        stream.events.push_back(
            {ids.Next(), s.type, 1, ledger::SystemClock::Instance().NowMicros(), 0, s.payload});
        own->by_kind[k].push_back({stream.stream_id, 1});
        request.streams.push_back(std::move(stream));
        auto promise = std::make_shared<std::promise<ledger::Result<ledger::AppendResult>>>();
        pending.push_back(promise->get_future());
        log.AppendAsync(std::move(request), [promise](ledger::Result<ledger::AppendResult> r) {
          promise->set_value(std::move(r));
        });
      }
    }
    own_.push_back(std::move(own));
  }
  for (auto& p : pending) {
    BOOST_OUTCOME_TRY(p.get());
  }
  return ledger::Ok();
}

ledger::Result<LoopResult> AppendWorkload::Run(ledger::EventLog& log, std::size_t writers,
                                               std::size_t events, const LoopTiming& timing) {
  const auto& commands = Commands(events);
  if (commands.empty()) {
    return ledger::MakeError(ledger::Code::kInvalidArgument, "bench: no commands to append");
  }
  BOOST_OUTCOME_TRY(Prepare(log, writers));
  return RunClosedLoop(writers, timing, [&](std::size_t t) -> std::unique_ptr<Worker> {
    return std::make_unique<AppendWorker>(*this, log, t, events);
  });
}

}  // namespace caseledger::app::bench
