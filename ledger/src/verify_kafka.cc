// VerifyKafkaLog: the events topic as the brokers hold it. One read_committed consumer reads
// every partition from its first offset to the high watermark taken at the start and feeds each
// event to a ChainChecker, after the rules only Kafka has (partition, key, duplicates).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>

#include "kafka_client.h"
#include "ledger/envelope.h"
#include "ledger/kafka_log.h"
#include "ledger/verify.h"

namespace caseledger::ledger {
namespace {

using SteadyClock = std::chrono::steady_clock;

// A partition whose last stable offset stays below its high watermark has a transaction open;
// the broker aborts one after its transaction.timeout.ms (60 s for caseledger's writers), so
// waiting longer than that for progress never gives up on a log that is merely mid-transaction.
constexpr std::chrono::milliseconds kMinStallWait{75'000};

struct MessageDeleter {
  void operator()(rd_kafka_message_t* m) const { rd_kafka_message_destroy(m); }
};
using Message = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;

struct PartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* l) const {
    rd_kafka_topic_partition_list_destroy(l);
  }
};

// What one partition holds, and how far the check got.
struct Range {
  std::int64_t low = 0;   // first offset the broker still holds
  std::int64_t high = 0;  // high watermark at the start: one past the last offset to check
  std::int64_t reached = 0;
  bool done = false;
};

Uuid UuidOf(const schema::Envelope& e) {
  Uuid id;
  std::memcpy(id.bytes.data(), e.event_id()->bytes()->data(), id.bytes.size());
  return id;
}

class KafkaVerifier {
 public:
  KafkaVerifier(const KafkaLogOptions& kafka, const VerifyOptions& options,
                const VerifyProgress& progress)
      : kafka_(kafka),
        options_(options),
        progress_(progress),
        topic_(kafka.topic_prefix + "events"),
        stall_wait_(std::max(kafka.open_timeout, kMinStallWait)),
        checker_({/*contiguous_offsets=*/false, options.expected_streams}) {}

  ~KafkaVerifier() {
    if (consumer_) rd_kafka_consumer_close(consumer_.get());
  }

  Result<VerifyReport> Run() {
    BOOST_OUTCOME_TRY(Connect());
    BOOST_OUTCOME_TRY(ReadRanges());
    if (!checker_.failure()) {
      BOOST_OUTCOME_TRY(Consume());
    }
    if (progress_) progress_(checker_.events_checked(), total_);
    VerifyReport report;
    report.events_checked = checker_.events_checked();
    report.streams = checker_.stream_count();
    report.last_position = checker_.last_position();
    report.failure = checker_.failure();
    return report;
  }

 private:
  Result<void> Connect() {
    if (kafka_.bootstrap.empty())
      return InvalidField("kafka.bootstrap", "must name at least one broker");
    if (kafka_.partitions == 0 || kafka_.partitions > 10'000) {
      return InvalidField("kafka.partitions", "must be 1 to 10000");
    }
    BOOST_OUTCOME_TRY(auto extra, ParseKafkaProperties(kafka_.client_properties));
    KafkaProperties properties{{"bootstrap.servers", kafka_.bootstrap},
                               {"client.id", "caseledger-verify"},
                               {"log_level", "3"}};
    for (auto& p : extra) properties.push_back(std::move(p));
    // Offsets are never committed: the group id only satisfies the consumer API.
    properties.emplace_back("group.id", kafka_.topic_prefix + "verify");
    properties.emplace_back("enable.auto.commit", "false");
    properties.emplace_back("enable.auto.offset.store", "false");
    properties.emplace_back("isolation.level", "read_committed");
    properties.emplace_back("enable.partition.eof", "true");
    properties.emplace_back("auto.offset.reset", "error");
    BOOST_OUTCOME_TRY(consumer_, NewKafkaClient(RD_KAFKA_CONSUMER, properties));
    rd_kafka_poll_set_consumer(consumer_.get());
    return Ok();
  }

  Result<void> ReadRanges() {
    BOOST_OUTCOME_TRY(auto count, TopicPartitions(consumer_.get(), topic_, kafka_.open_timeout));
    if (count == 0) {
      Error e =
          InvalidField("kafka.topic_prefix",
                       fmt::format("must name an existing log: topic {} does not exist", topic_));
      e.code = Code::kNotFound;
      return e;
    }
    if (static_cast<std::uint32_t>(count) != kafka_.partitions) {
      return InvalidField("kafka.partitions",
                          fmt::format("must match the log: topic {} has {} partitions, not {}",
                                      topic_, count, kafka_.partitions));
    }
    ranges_.resize(kafka_.partitions);
    for (std::uint32_t p = 0; p < kafka_.partitions; ++p) {
      Range& r = ranges_[p];
      rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(
          consumer_.get(), topic_.c_str(), static_cast<std::int32_t>(p), &r.low, &r.high,
          static_cast<int>(kafka_.open_timeout.count()));
      if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        return FromKafka(err, fmt::format("read the offsets of {}[{}]", topic_, p));
      }
      if (r.low > 0) {
        VerifyFailure failure;
        failure.position = {p, 1};
        failure.rule = fmt::format(
            "offsets 0 to {} of the partition are gone (deleted by retention or DeleteRecords): "
            "the log no longer holds every event",
            r.low - 1);
        checker_.Fail(std::move(failure));
        return Ok();
      }
      r.reached = r.low;
      r.done = r.high <= r.low;
      total_ += static_cast<std::uint64_t>(r.high - r.low);
    }
    return Ok();
  }

  Result<void> Consume() {
    std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter> list(
        rd_kafka_topic_partition_list_new(static_cast<int>(ranges_.size())));
    std::size_t open = 0;
    for (std::uint32_t p = 0; p < ranges_.size(); ++p) {
      if (ranges_[p].done) continue;
      rd_kafka_topic_partition_list_add(list.get(), topic_.c_str(), static_cast<std::int32_t>(p))
          ->offset = ranges_[p].low;
      ++open;
    }
    if (open == 0) return Ok();
    if (rd_kafka_resp_err_t err = rd_kafka_assign(consumer_.get(), list.get())) {
      return FromKafka(err, "assign the partitions to verify");
    }
    std::uint64_t next_progress = options_.progress_interval;
    auto idle_deadline = SteadyClock::now() + stall_wait_;
    std::string last_error;
    while (open > 0 && !checker_.failure()) {
      Message m(rd_kafka_consumer_poll(consumer_.get(), 100));
      if (!m) {
        if (SteadyClock::now() >= idle_deadline) return Stalled(last_error);
        continue;
      }
      if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR && m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        if (m->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE ||
            m->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET) {
          return MakeError(Code::kUnavailable,
                           fmt::format("kafka: {}[{}]: events were deleted while being verified "
                                       "(retention or DeleteRecords)",
                                       topic_, m->partition));
        }
        last_error = FromKafka(m->err, "read " + topic_).message;
        if (SteadyClock::now() >= idle_deadline) return Stalled(last_error);
        continue;
      }
      if (m->partition < 0 || static_cast<std::size_t>(m->partition) >= ranges_.size()) continue;
      Range& r = ranges_[static_cast<std::size_t>(m->partition)];
      if (r.done) continue;
      idle_deadline = SteadyClock::now() + stall_wait_;
      if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        // read_committed: the end is the last stable offset, which stays below the high
        // watermark while a transaction is open; wait for it to close.
        r.reached = std::max(r.reached, m->offset);
      } else if (m->offset < r.high) {
        Check(*m);
        r.reached = m->offset + 1;
        if (progress_ && checker_.events_checked() >= next_progress) {
          progress_(checker_.events_checked(), total_);
          next_progress = checker_.events_checked() + options_.progress_interval;
        }
      } else {
        r.reached = m->offset;
      }
      if (r.reached >= r.high) {
        r.done = true;
        --open;
      }
    }
    return Ok();
  }

  Error Stalled(const std::string& last_error) const {
    for (std::uint32_t p = 0; p < ranges_.size(); ++p) {
      if (ranges_[p].done) continue;
      return MakeError(
          Code::kTimeout,
          fmt::format("kafka: {}[{}] stopped at offset {} before its high watermark {} for {} ms "
                      "(a transaction left open, or the broker is gone){}{}",
                      topic_, p, ranges_[p].reached, ranges_[p].high, stall_wait_.count(),
                      last_error.empty() ? "" : ": ", last_error));
    }
    return MakeError(Code::kTimeout, "kafka: verify stalled");
  }

  // The Kafka layout rules, then the per-event rules of the ChainChecker.
  void Check(const rd_kafka_message_t& m) {
    const auto partition = static_cast<std::uint32_t>(m.partition);
    const Position position{partition, static_cast<std::uint64_t>(m.offset) + 1};
    std::string_view bytes(static_cast<const char*>(m.payload), m.payload == nullptr ? 0 : m.len);
    Result<const schema::Envelope*> verified = VerifyEnvelope(bytes);
    if (verified) {
      const schema::Envelope& e = *verified.value();
      std::string_view stream = e.stream_id()->string_view();
      auto fail = [&](std::string rule) {
        VerifyFailure failure;
        failure.position = position;
        failure.stream_id = stream;
        failure.version = e.stream_version();
        failure.event_id = UuidOf(e);
        failure.rule = std::move(rule);
        checker_.Fail(std::move(failure));
      };
      std::string_view key(static_cast<const char*>(m.key), m.key == nullptr ? 0 : m.key_len);
      if (key != stream) return fail("the message key is not the event's stream id");
      std::uint32_t home = PartitionOfStream(stream, kafka_.partitions);
      if (home != partition) {
        return fail(
            fmt::format("the stream belongs in partition {} (PartitionOfStream over {} "
                        "partitions), not {}",
                        home, kafka_.partitions, partition));
      }
      if (std::optional<StreamTip> tip = checker_.Tip(stream);
          tip && e.stream_version() <= tip->version) {
        if (e.stream_version() == tip->version &&
            std::memcmp(tip->hash.data(), e.hash()->data(), kHashSize) == 0) {
          return fail(
              fmt::format("a duplicate: the same event (same id and hash) is stored at {} "
                          "too; a replica drops the second copy, the log holds both",
                          tip->position.ToString()));
        }
        if (e.stream_version() < tip->version) {
          return fail(
              fmt::format("version {} follows version {} of the stream: an earlier event "
                          "stored again, or events out of order",
                          e.stream_version(), tip->version));
        }
      }
    }
    (void)checker_.Check(position, bytes);  // a failure is kept in checker_.failure()
  }

  const KafkaLogOptions& kafka_;
  const VerifyOptions& options_;
  const VerifyProgress& progress_;
  const std::string topic_;
  const std::chrono::milliseconds stall_wait_;
  ChainChecker checker_;
  KafkaHandle consumer_;
  std::vector<Range> ranges_;
  std::uint64_t total_ = 0;
};

}  // namespace

Result<VerifyReport> VerifyKafkaLog(const KafkaLogOptions& kafka, const VerifyOptions& options,
                                    const VerifyProgress& progress) {
  KafkaVerifier verifier(kafka, options, progress);
  return verifier.Run();
}

}  // namespace caseledger::ledger
