// ChainChecker: the per-event rules of the hash chain, and the compact per-stream table they use.
#include <fmt/format.h>
#include <sodium.h>

#include <cstdlib>
#include <cstring>
#include <new>

#include "ledger/verify.h"

namespace caseledger::ledger {
namespace {

// One stream's tip. `version` 0 marks an empty slot. 80 bytes, so 10 million streams in a table
// at most 80% full take 16M slots: 1.25 GiB.
struct Slot {
  std::uint64_t key_lo;
  std::uint64_t key_hi;
  std::uint64_t version;
  std::uint64_t offset;
  std::uint32_t partition;
  std::uint32_t unused;
  std::uint64_t digest;
  Hash hash;
};
static_assert(sizeof(Slot) == 80);

struct Key {
  std::uint64_t lo = 0;
  std::uint64_t hi = 0;
};

// 128-bit SipHash of the stream id: two different streams share a slot with probability about
// n^2 / 2^129 (1e-25 for 10 million streams).
Key KeyOf(std::string_view stream_id) {
  static const unsigned char kSipKey[crypto_shorthash_siphashx24_KEYBYTES] = {};
  unsigned char out[crypto_shorthash_siphashx24_BYTES];
  crypto_shorthash_siphashx24(out, reinterpret_cast<const unsigned char*>(stream_id.data()),
                              stream_id.size(), kSipKey);
  Key key;
  std::memcpy(&key.lo, out, 8);
  std::memcpy(&key.hi, out + 8, 8);
  return key;
}

// Open addressing with linear probing over calloc'd memory (the kernel hands out zero pages
// lazily, so a generous initial size costs nothing until used).
class StreamTable {
 public:
  explicit StreamTable(std::uint64_t expected) {
    std::uint64_t capacity = 1024;
    while (capacity * 4 < expected * 5) capacity *= 2;
    Allocate(capacity);
  }
  ~StreamTable() { std::free(slots_); }
  StreamTable(const StreamTable&) = delete;
  StreamTable& operator=(const StreamTable&) = delete;

  Slot* Find(const Key& key) const {
    for (std::uint64_t i = key.lo & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.version == 0) return nullptr;
      if (s.key_lo == key.lo && s.key_hi == key.hi) return &s;
    }
  }

  // A fresh slot for a key Find did not find; the caller sets its version (non-zero) at once.
  Slot* Insert(const Key& key) {
    if ((size_ + 1) * 5 > (mask_ + 1) * 4) Grow();
    ++size_;
    Slot* s = FreeSlot(key);
    s->key_lo = key.lo;
    s->key_hi = key.hi;
    return s;
  }

  std::uint64_t size() const { return size_; }

  template <class Visit>
  void ForEach(Visit&& visit) const {
    for (std::uint64_t i = 0; i <= mask_; ++i) {
      if (slots_[i].version != 0) visit(slots_[i]);
    }
  }

 private:
  void Allocate(std::uint64_t capacity) {
    slots_ = static_cast<Slot*>(std::calloc(capacity, sizeof(Slot)));
    if (slots_ == nullptr) throw std::bad_alloc();
    mask_ = capacity - 1;
  }

  Slot* FreeSlot(const Key& key) {
    std::uint64_t i = key.lo & mask_;
    while (slots_[i].version != 0) i = (i + 1) & mask_;
    return &slots_[i];
  }

  void Grow() {
    Slot* old = slots_;
    std::uint64_t old_capacity = mask_ + 1;
    Allocate(old_capacity * 2);
    for (std::uint64_t i = 0; i < old_capacity; ++i) {
      if (old[i].version != 0) *FreeSlot({old[i].key_lo, old[i].key_hi}) = old[i];
    }
    std::free(old);
  }

  Slot* slots_ = nullptr;
  std::uint64_t mask_ = 0;
  std::uint64_t size_ = 0;
};

Uuid UuidOf(const schema::Uuid* id) {
  Uuid out;
  if (id != nullptr) std::memcpy(out.bytes.data(), id->bytes()->data(), out.bytes.size());
  return out;
}

void AssignBytes(std::string& out, const flatbuffers::String* s) {
  if (s == nullptr) {
    out.clear();
  } else {
    out.assign(s->data(), s->size());
  }
}

// DecodeEnvelope into reused buffers: no allocation per event once they have grown.
void DecodeInto(const schema::Envelope& e, EnvelopeFields& f) {
  f.event_id = UuidOf(e.event_id());
  AssignBytes(f.stream_id, e.stream_id());
  f.stream_version = e.stream_version();
  f.event_type = e.event_type();
  f.schema_version = e.schema_version();
  f.occurred_at = e.occurred_at();
  f.recorded_at = e.recorded_at();
  f.source_recorded_at = e.source_recorded_at();
  const schema::Actor* actor = e.actor();
  AssignBytes(f.actor.user_id, actor == nullptr ? nullptr : actor->user_id());
  AssignBytes(f.actor.organisation_id, actor == nullptr ? nullptr : actor->organisation_id());
  AssignBytes(f.actor.team_id, actor == nullptr ? nullptr : actor->team_id());
  AssignBytes(f.purpose, e.purpose());
  f.correlation_id = UuidOf(e.correlation_id());
  f.causation_id = UuidOf(e.causation_id());
  AssignBytes(f.idempotency_key, e.idempotency_key());
  std::memcpy(f.prev_hash.data(), e.prev_hash()->data(), kHashSize);  // VerifyEnvelope: 32 bytes
  std::memcpy(f.hash.data(), e.hash()->data(), kHashSize);
  f.payload.assign(reinterpret_cast<const char*>(e.payload()->data()), e.payload()->size());
}

bool SameHash(const Hash& a, const flatbuffers::Vector<std::uint8_t>* b) {
  return std::memcmp(a.data(), b->data(), kHashSize) == 0;
}

// A failure before the event's envelope could be read: no stream, version or id yet.
VerifyFailure Unidentified(Position position, std::string rule) {
  VerifyFailure failure;
  failure.position = position;
  failure.rule = std::move(rule);
  return failure;
}

struct PartitionCursor {
  std::uint32_t partition = 0;
  std::uint64_t last_offset = 0;  // 0 = no event seen
};

}  // namespace

std::uint64_t PositionsDigestTerm(std::uint64_t version, const Position& position) {
  std::uint64_t x = version * 0x9E3779B97F4A7C15ull + position.offset;
  x ^= static_cast<std::uint64_t>(position.partition) * 0xC2B2AE3D27D4EB4Full;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;  // splitmix64's finaliser
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

struct ChainChecker::Impl {
  explicit Impl(Options o) : options(o), streams(o.expected_streams) {}

  PartitionCursor& Cursor(std::uint32_t partition) {
    for (auto& c : cursors) {
      if (c.partition == partition) return c;
    }
    cursors.push_back({partition, 0});
    return cursors.back();
  }

  Options options;
  StreamTable streams;
  std::vector<PartitionCursor> cursors;
  EnvelopeFields fields;  // reused by every Check
  std::uint64_t events = 0;
  Position last;
  std::optional<VerifyFailure> failure;
};

ChainChecker::ChainChecker() : ChainChecker(Options{}) {}
ChainChecker::ChainChecker(Options options) : impl_(std::make_unique<Impl>(options)) {
  // Lets libsodium pick its fastest BLAKE2b for this CPU (about 15% of a verify); without it the
  // portable implementation runs, with the same results.
  if (sodium_init() < 0) {
    // Still correct: the portable implementation is used.
  }
}
ChainChecker::~ChainChecker() = default;

Result<void> ChainChecker::Check(const RecordedEvent& event) {
  return Check(event.position, event.bytes);
}

Result<void> ChainChecker::Check(Position position, std::string_view bytes) {
  Impl& s = *impl_;
  PartitionCursor& cursor = s.Cursor(position.partition);
  if (s.options.contiguous_offsets && position.offset != cursor.last_offset + 1) {
    if (position.offset > cursor.last_offset + 1) {
      return Fail(
          Unidentified({position.partition, cursor.last_offset + 1},
                       fmt::format("offset {} is missing: the log goes from offset {} to {}",
                                   cursor.last_offset + 1, cursor.last_offset, position.offset)));
    }
    return Fail(Unidentified(
        position, fmt::format("offset {} follows offset {}", position.offset, cursor.last_offset)));
  }
  if (!s.options.contiguous_offsets && cursor.last_offset != 0 &&
      position.offset <= cursor.last_offset) {
    return Fail(Unidentified(
        position, fmt::format("offset {} follows offset {}", position.offset, cursor.last_offset)));
  }

  Result<const schema::Envelope*> verified = VerifyEnvelope(bytes);
  if (!verified) return Fail(Unidentified(position, verified.error().message));
  const schema::Envelope& e = *verified.value();
  std::string_view stream_id = e.stream_id()->string_view();
  const std::uint64_t version = e.stream_version();
  auto failed = [&](std::string rule) {
    VerifyFailure failure = Unidentified(position, std::move(rule));
    failure.stream_id = stream_id;
    failure.version = version;
    failure.event_id = UuidOf(e.event_id());
    return Fail(std::move(failure));
  };

  std::string_view payload(reinterpret_cast<const char*>(e.payload()->data()), e.payload()->size());
  if (auto ok = VerifyPayload(e.event_type(), payload); !ok) return failed(ok.error().message);

  const Key key = KeyOf(stream_id);
  Slot* tip = s.streams.Find(key);
  const std::uint64_t previous = tip == nullptr ? 0 : tip->version;
  if (version != previous + 1) {
    if (previous == 0) {
      return failed(fmt::format("the stream starts at version {}, not 1", version));
    }
    return failed(fmt::format("version {} follows version {} of the stream", version, previous));
  }
  const Hash zero{};
  if (!SameHash(tip == nullptr ? zero : tip->hash, e.prev_hash())) {
    if (previous == 0) return failed("prev_hash of version 1 is not 32 zero bytes");
    return failed(fmt::format("prev_hash does not match the hash of version {}", previous));
  }
  DecodeInto(e, s.fields);
  const Hash computed = ComputeEventHash(s.fields);
  if (computed != s.fields.hash) {
    return failed("hash does not match the event's contents (ComputeEventHash)");
  }

  if (tip == nullptr) tip = s.streams.Insert(key);
  tip->version = version;
  tip->offset = position.offset;
  tip->partition = position.partition;
  tip->digest += PositionsDigestTerm(version, position);
  tip->hash = computed;
  cursor.last_offset = position.offset;
  s.last = position;
  ++s.events;
  return Ok();
}

Error ChainChecker::Fail(VerifyFailure failure) {
  Error error = MakeError(Code::kCorruption, "hash chain: " + failure.ToString());
  impl_->failure = std::move(failure);
  return error;
}

const std::optional<VerifyFailure>& ChainChecker::failure() const { return impl_->failure; }
std::uint64_t ChainChecker::events_checked() const { return impl_->events; }
std::uint64_t ChainChecker::stream_count() const { return impl_->streams.size(); }
Position ChainChecker::last_position() const { return impl_->last; }

namespace {
StreamTip TipOf(const Slot& slot) {
  return {slot.version, slot.hash, {slot.partition, slot.offset}, slot.digest};
}
}  // namespace

std::optional<StreamTip> ChainChecker::Tip(std::string_view stream_id) const {
  const Slot* slot = impl_->streams.Find(KeyOf(stream_id));
  if (slot == nullptr) return std::nullopt;
  return TipOf(*slot);
}

void ChainChecker::ForEachTip(const std::function<void(const StreamTip&)>& visit) const {
  impl_->streams.ForEach([&](const Slot& slot) { visit(TipOf(slot)); });
}

std::string VerifyFailure::ToString() const {
  std::string out = position.ToString();
  if (!stream_id.empty()) out += fmt::format(" {} v{}", stream_id, version);
  if (!event_id.IsNil()) out += fmt::format(" (event {})", event_id.ToString());
  return out + ": " + rule;
}

}  // namespace caseledger::ledger
