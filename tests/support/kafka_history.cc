#include "support/kafka_history.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "ledger/envelope.h"
#include "support/appends.h"
#include "support/event_builders.h"

namespace caseledger::testing {
namespace {

using ledger::Code;

// One event as the log holds it.
struct Stored {
  ledger::Position position;
  std::string stream;
  std::uint64_t version = 0;
  ledger::EventType type = ledger::EventType::Unknown;
  std::string hash;
  std::string prev_hash;
};

// One event as a command drafted it.
struct Drafted {
  ledger::Uuid id;
  std::string stream;
  ledger::EventType type;
};

std::vector<Drafted> DraftsOf(const ledger::AppendRequest& request) {
  std::vector<Drafted> out;
  for (const auto& stream : request.streams) {
    for (const auto& event : stream.events)
      out.push_back({event.event_id, stream.stream_id, event.type});
  }
  return out;
}

std::string Bytes(const flatbuffers::Vector<std::uint8_t>* v) {
  return v == nullptr ? std::string()
                      : std::string(reinterpret_cast<const char*>(v->data()), v->size());
}

std::string DescribeAnswer(const AppendHistory::Answer& answer) {
  if (!answer)
    return std::string(ledger::CodeName(answer.error().code)) + " (" + answer.error().message + ")";
  return answer.value().deduplicated ? "ok (deduplicated)" : "ok";
}

std::string DescribeCommand(std::size_t index, const ledger::AppendRequest& request) {
  std::string out = fmt::format("command #{} [", index);
  for (std::size_t i = 0; i < request.streams.size(); ++i) {
    const auto& s = request.streams[i];
    std::string expected =
        s.expected_version == ledger::kAnyVersion ? "any" : std::to_string(s.expected_version);
    out +=
        fmt::format("{}{} at {} +{}", i == 0 ? "" : "; ", s.stream_id, expected, s.events.size());
  }
  if (!request.context.idempotency_key.empty()) out += ", key " + request.context.idempotency_key;
  return out + "]";
}

// Reads every event of every partition. Appends what it cannot read to `violations`.
std::vector<Stored> ReadAll(ledger::EventLog& log,
                            std::unordered_map<std::string, std::vector<std::size_t>>& by_id,
                            std::vector<std::string>& violations) {
  std::vector<Stored> stored;
  for (std::uint32_t p = 0; p < log.partition_count(); ++p) {
    auto reader = log.OpenReader(p, 0);
    if (!reader) {
      violations.push_back(
          fmt::format("partition {}: cannot open a reader: {}", p, reader.error().ToString()));
      continue;
    }
    std::uint64_t last = 0;
    for (;;) {
      std::vector<ledger::RecordedEvent> batch;
      auto read = reader.value()->Read(batch, 4096, std::chrono::milliseconds(0));
      if (!read) {
        violations.push_back(fmt::format("partition {}: read failed after position {}: {}", p, last,
                                         read.error().ToString()));
        break;
      }
      if (read.value() == 0) break;
      for (const auto& event : batch) {
        last = event.position.offset;
        auto envelope = ledger::VerifyEnvelope(event.bytes);
        if (!envelope) {
          violations.push_back(fmt::format("event at {} does not verify: {}",
                                           event.position.ToString(), envelope.error().ToString()));
          continue;
        }
        const auto* e = envelope.value();
        if (!ledger::HashMatches(*e)) {
          violations.push_back(fmt::format("event at {}: its hash does not match its content",
                                           event.position.ToString()));
        }
        Stored s{event.position,      std::string(e->stream_id()->string_view()),
                 e->stream_version(), e->event_type(),
                 Bytes(e->hash()),    Bytes(e->prev_hash())};
        if (log.PartitionOf(s.stream) != p) {
          violations.push_back(
              fmt::format("event at {} of stream {} is not in the stream's partition {}",
                          event.position.ToString(), s.stream, log.PartitionOf(s.stream)));
        }
        by_id[std::string(reinterpret_cast<const char*>(e->event_id()->bytes()->data()), 16)]
            .push_back(stored.size());
        stored.push_back(std::move(s));
      }
    }
    auto end = log.EndOffset(p);
    if (!end || end.value() != last) {
      violations.push_back(
          fmt::format("partition {}: EndOffset is {} but the last event read is at {}", p,
                      end ? std::to_string(end.value()) : end.error().ToString(), last));
    }
  }
  return stored;
}

void CheckStreams(ledger::EventLog& log, const std::vector<Stored>& stored,
                  std::vector<std::string>& violations) {
  std::map<std::string, std::vector<std::size_t>> streams;  // in read (offset) order
  for (std::size_t i = 0; i < stored.size(); ++i) streams[stored[i].stream].push_back(i);
  const std::string zeros(ledger::kHashSize, '\0');
  for (const auto& [stream, events] : streams) {
    std::string prev = zeros;
    for (std::size_t k = 0; k < events.size(); ++k) {
      const Stored& s = stored[events[k]];
      if (s.version != k + 1) {
        violations.push_back(fmt::format("stream {}: event at {} has version {}, expected {}",
                                         stream, s.position.ToString(), s.version, k + 1));
      }
      if (s.prev_hash != prev) {
        violations.push_back(
            fmt::format("stream {}: version {} at {} does not chain to the event before it", stream,
                        s.version, s.position.ToString()));
      }
      prev = s.hash;
    }
    auto head = log.Head(stream);
    if (!head) {
      violations.push_back(
          fmt::format("stream {}: Head failed: {}", stream, head.error().ToString()));
    } else if (head.value().version != events.size() || head.value().hash != prev) {
      violations.push_back(
          fmt::format("stream {}: Head says version {} but the log holds {} events (or "
                      "another hash)",
                      stream, head.value().version, events.size()));
    }
  }
}

}  // namespace

AnswerMeans MeaningOf(const ledger::Result<ledger::AppendResult>& answer) {
  if (answer) return AnswerMeans::kWritten;
  switch (answer.error().code) {
    case Code::kVersionConflict:
    case Code::kUnavailable:
    case Code::kInvalidArgument:
    case Code::kIdempotencyMismatch:
    case Code::kWrongNode:
      return AnswerMeans::kNothingWritten;
    default:
      return AnswerMeans::kUnknown;
  }
}

std::size_t AppendHistory::Submit(ledger::EventLog& log, ledger::AppendRequest request) {
  std::size_t index = Record(request);
  log.AppendAsync(std::move(request),
                  [this, index](Answer answer) { SetAnswer(index, std::move(answer)); });
  return index;
}

std::size_t AppendHistory::Record(ledger::AppendRequest request) {
  std::lock_guard lock(mu_);
  commands_.push_back({std::move(request), std::nullopt});
  ++unanswered_;
  return commands_.size() - 1;
}

void AppendHistory::SetAnswer(std::size_t command, Answer answer) {
  {
    std::lock_guard lock(mu_);
    Command& c = commands_.at(command);
    if (c.answer) {
      // Answered twice: keep the first, and make the check report it.
      c.answer = ledger::MakeError(Code::kInternal,
                                   "answered more than once; first: " + DescribeAnswer(*c.answer));
      return;
    }
    c.answer = std::move(answer);
    --unanswered_;
  }
  answered_.notify_all();
}

bool AppendHistory::WaitForAnswers(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return answered_.wait_for(lock, timeout, [&] { return unanswered_ == 0; });
}

std::size_t AppendHistory::size() const {
  std::lock_guard lock(mu_);
  return commands_.size();
}

ledger::AppendRequest AppendHistory::RequestOf(std::size_t command) const {
  std::lock_guard lock(mu_);
  return commands_.at(command).request;
}

std::optional<AppendHistory::Answer> AppendHistory::AnswerOf(std::size_t command) const {
  std::lock_guard lock(mu_);
  return commands_.at(command).answer;
}

std::size_t AppendHistory::CountOk() const {
  std::lock_guard lock(mu_);
  return std::count_if(commands_.begin(), commands_.end(),
                       [](const Command& c) { return c.answer && c.answer->has_value(); });
}

std::size_t AppendHistory::Count(ledger::Code code) const {
  std::lock_guard lock(mu_);
  return std::count_if(commands_.begin(), commands_.end(), [&](const Command& c) {
    return c.answer && !c.answer->has_value() && c.answer->error().code == code;
  });
}

std::string AppendHistory::Summary() const {
  std::lock_guard lock(mu_);
  std::map<std::string, std::size_t> counts;
  for (const Command& c : commands_) {
    if (!c.answer) {
      ++counts["unanswered"];
    } else if (c.answer->has_value()) {
      ++counts[c.answer->value().deduplicated ? "ok (deduplicated)" : "ok"];
    } else {
      ++counts[std::string(ledger::CodeName(c.answer->error().code))];
    }
  }
  std::string out = fmt::format("{} commands:", commands_.size());
  bool first = true;
  for (const auto& [name, count] : counts) {
    out += fmt::format("{} {} {}", first ? "" : ",", count, name);
    first = false;
  }
  return out;
}

std::vector<std::string> AppendHistory::CheckHistory(ledger::EventLog& log) const {
  std::vector<Command> commands;
  {
    std::lock_guard lock(mu_);
    commands = commands_;
  }
  std::vector<std::string> violations;
  std::unordered_map<std::string, std::vector<std::size_t>> by_id;
  std::vector<Stored> stored = ReadAll(log, by_id, violations);
  CheckStreams(log, stored, violations);
  for (const auto& [id, where] : by_id) {
    if (where.size() > 1) {
      violations.push_back(fmt::format("an event id is in the log {} times, first at {}",
                                       where.size(), stored[where[0]].position.ToString()));
    }
  }
  auto find = [&](const ledger::Uuid& id) -> const Stored* {
    auto it =
        by_id.find(std::string(reinterpret_cast<const char*>(id.bytes.data()), id.bytes.size()));
    return it == by_id.end() ? nullptr : &stored[it->second.front()];
  };

  // Which commands drafted each event id (a retry drafts the same ids again).
  std::map<ledger::Uuid, std::vector<std::size_t>> drafters;
  for (std::size_t c = 0; c < commands.size(); ++c) {
    for (const Drafted& d : DraftsOf(commands[c].request)) drafters[d.id].push_back(c);
  }
  auto may_be_written = [&](const ledger::Uuid& id) {
    for (std::size_t other : drafters[id]) {
      const auto& answer = commands[other].answer;
      if (answer && MeaningOf(*answer) != AnswerMeans::kNothingWritten) return true;
    }
    return false;
  };

  for (std::size_t c = 0; c < commands.size(); ++c) {
    const Command& command = commands[c];
    const std::string who = DescribeCommand(c, command.request);
    if (!command.answer) {
      violations.push_back(who + " was never answered");
      continue;
    }
    const Answer& answer = *command.answer;
    const std::string said = who + " answered " + DescribeAnswer(answer);
    const std::vector<Drafted> drafts = DraftsOf(command.request);
    std::size_t present = 0;
    for (const Drafted& d : drafts) {
      const Stored* s = find(d.id);
      if (s == nullptr) continue;
      ++present;
      if (s->stream != d.stream || s->type != d.type) {
        violations.push_back(fmt::format("{}: its event {} is in the log as stream {}", said,
                                         d.id.ToString(), s->stream));
      }
      if (MeaningOf(answer) == AnswerMeans::kNothingWritten && !may_be_written(d.id)) {
        violations.push_back(fmt::format("{}, yet its event {} is in the log at {}", said,
                                         d.id.ToString(), s->position.ToString()));
      }
    }
    if (present != 0 && present != drafts.size()) {
      violations.push_back(
          fmt::format("{}: only {} of its {} events are in the log", said, present, drafts.size()));
    }
    if (present == drafts.size()) {
      for (const auto& stream : command.request.streams) {
        if (stream.expected_version == ledger::kAnyVersion) continue;
        const Stored* first = find(stream.events.front().event_id);
        if (first->version != stream.expected_version + 1) {
          violations.push_back(
              fmt::format("{}: stream {} was appended at version {}, not after the expected {}",
                          said, stream.stream_id, first->version, stream.expected_version));
        }
      }
    }
    if (!answer) continue;
    const ledger::AppendResult& result = answer.value();
    if (!result.deduplicated) {
      bool same = result.events.size() == drafts.size();
      for (std::size_t k = 0; same && k < drafts.size(); ++k) {
        same = result.events[k].event_id == drafts[k].id &&
               result.events[k].stream_id == drafts[k].stream;
      }
      if (!same)
        violations.push_back(said + ", but the answer does not name the command's events in order");
    }
    for (const ledger::CommittedEvent& e : result.events) {
      const Stored* s = find(e.event_id);
      if (s == nullptr) {
        violations.push_back(
            fmt::format("{}, but its event {} is not in the log", said, e.event_id.ToString()));
      } else if (s->position != e.position || s->version != e.version || s->stream != e.stream_id) {
        violations.push_back(
            fmt::format("{}: event {} answered as {} version {} at {} is in the log as {} version "
                        "{} at {}",
                        said, e.event_id.ToString(), e.stream_id, e.version, e.position.ToString(),
                        s->stream, s->version, s->position.ToString()));
      }
    }
  }
  return violations;
}

std::string FormatViolations(const std::vector<std::string>& violations, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < violations.size() && i < max; ++i) out += "\n  " + violations[i];
  if (violations.size() > max) out += fmt::format("\n  ... and {} more", violations.size() - max);
  return out;
}

// StreamWorkload ------------------------------------------------------------------------------

StreamWorkload::StreamWorkload(std::uint64_t seed, StreamWorkloadOptions options)
    : options_(options), random_(seed), models_(options.streams) {
  for (std::size_t i = 0; i < options_.streams; ++i) index_[StreamName(i)] = i;
  next_key_ = seed << 20;
}

std::string StreamWorkload::StreamName(std::size_t stream) const {
  return StreamId("incident", options_.first_stream + stream);
}

ledger::AppendRequest StreamWorkload::Next() { return NextFor(random_() % options_.streams); }

ledger::AppendRequest StreamWorkload::NextFor(std::size_t stream) {
  ledger::AppendRequest request;
  std::string key;
  if (Percent() < options_.keyed_percent) key = fmt::format("key-{:x}", next_key_++);
  request.context = Context("user-alice", key);
  request.streams.push_back(AppendTo(stream));
  if (options_.streams > 1 && Percent() < options_.two_stream_percent) {
    std::size_t other = (stream + 1 + random_() % (options_.streams - 1)) % options_.streams;
    request.streams.push_back(AppendTo(other));
  }
  return request;
}

ledger::StreamAppend StreamWorkload::AppendTo(std::size_t stream) {
  const Model& model = models_[stream];
  ledger::StreamAppend append;
  append.stream_id = StreamName(stream);
  bool any = !model.known || Percent() < options_.any_version_percent;
  append.expected_version = any ? ledger::kAnyVersion : model.version;
  std::size_t events = 1 + random_() % 3;
  for (std::size_t i = 0; i < events; ++i) {
    bool first = i == 0 && model.known && model.version == 0;
    append.events.push_back(first
                                ? Draft(ledger::EventType::IncidentReported, MakeIncidentReported())
                                : Draft(ledger::EventType::IncidentUpdated, MakeIncidentUpdated()));
  }
  return append;
}

void StreamWorkload::Learn(const ledger::AppendRequest& request,
                           const AppendHistory::Answer& answer) {
  auto model_of = [&](const std::string& stream) -> Model* {
    auto it = index_.find(stream);
    return it == index_.end() ? nullptr : &models_[it->second];
  };
  if (answer) {
    if (answer.value().deduplicated) return;  // versions of an earlier attempt
    for (const auto& e : answer.value().events) {
      if (Model* m = model_of(e.stream_id)) {
        m->version = std::max(m->version, e.version);
        m->known = true;
      }
    }
    return;
  }
  const ledger::Error& error = answer.error();
  if (error.code == Code::kVersionConflict && request.streams.size() == 1) {
    if (Model* m = model_of(request.streams.front().stream_id)) {
      m->version = error.current_version;
      m->known = true;
    }
    return;
  }
  if (MeaningOf(answer) == AnswerMeans::kNothingWritten && error.code != Code::kVersionConflict)
    return;
  for (const auto& stream : request.streams) {
    if (Model* m = model_of(stream.stream_id)) m->known = false;
  }
}

}  // namespace caseledger::testing
