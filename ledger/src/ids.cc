#include "ledger/ids.h"

#include <sodium.h>

#include <algorithm>
#include <array>

namespace caseledger::ledger {
namespace {

constexpr std::array<std::string_view, 13> kRecordKinds = {
    "incident", "person",        "address",      "vehicle", "link", "case",   "grant",
    "accessrequest", "organisation", "team", "user",  "apikey", "instrument"};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool Uuid::IsNil() const {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

std::string Uuid::ToString() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0xf]);
  }
  return out;
}

std::optional<Uuid> Uuid::Parse(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  Uuid id;
  std::size_t byte = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    int hi = HexValue(text[i]);
    int lo = HexValue(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    id.bytes[byte++] = static_cast<std::uint8_t>(hi << 4 | lo);
    i += 2;
  }
  return id;
}

Uuid Uuid::FromDigest(std::string_view digest) {
  Uuid id;
  for (std::size_t i = 0; i < id.bytes.size() && i < digest.size(); ++i) {
    id.bytes[i] = static_cast<std::uint8_t>(digest[i]);
  }
  id.bytes[6] = static_cast<std::uint8_t>(0x80 | (id.bytes[6] & 0x0f));  // version 8
  id.bytes[8] = static_cast<std::uint8_t>(0x80 | (id.bytes[8] & 0x3f));  // RFC 9562 variant
  return id;
}

void SystemRandom::Fill(std::span<std::uint8_t> out) { randombytes_buf(out.data(), out.size()); }

SystemRandom& SystemRandom::Instance() {
  static SystemRandom random;
  return random;
}

SystemRandom::SystemRandom() { InitialiseSodium(); }

void InitialiseSodium() {
  static const bool initialised = sodium_init() >= 0;
  (void)initialised;
}

void SeededRandom::Fill(std::span<std::uint8_t> out) {
  std::lock_guard lock(mu_);
  for (auto& b : out) b = static_cast<std::uint8_t>(engine_());
}

Uuid IdGenerator::Next() {
  Uuid id;
  random_.Fill(id.bytes);
  std::int64_t ms = clock_.NowMicros() / 1000;
  std::uint16_t counter;
  {
    std::lock_guard lock(mu_);
    if (ms <= last_ms_) {
      ms = last_ms_;  // a clock that steps back never reorders ids
      if (++counter_ > 0x0fff) {
        counter_ = 0;
        last_ms_ = ++ms;
      }
    } else {
      last_ms_ = ms;
      counter_ = static_cast<std::uint16_t>((id.bytes[6] << 8 | id.bytes[7]) & 0x07ff);
    }
    counter = counter_;
  }
  for (int i = 5; i >= 0; --i) {
    id.bytes[i] = static_cast<std::uint8_t>(ms & 0xff);
    ms >>= 8;
  }
  id.bytes[6] = static_cast<std::uint8_t>(0x70 | (counter >> 8));
  id.bytes[7] = static_cast<std::uint8_t>(counter & 0xff);
  id.bytes[8] = static_cast<std::uint8_t>(0x80 | (id.bytes[8] & 0x3f));
  return id;
}

std::string RecordId(std::string_view kind, const Uuid& id) {
  std::string out(kind);
  out.push_back('-');
  out += id.ToString();
  return out;
}

std::string_view RecordKind(std::string_view record_id) {
  auto dash = record_id.find('-');
  if (dash == std::string_view::npos) return {};
  return record_id.substr(0, dash);
}

bool IsRecordId(std::string_view record_id) {
  std::string_view kind = RecordKind(record_id);
  if (std::find(kRecordKinds.begin(), kRecordKinds.end(), kind) == kRecordKinds.end()) return false;
  return Uuid::Parse(record_id.substr(kind.size() + 1)).has_value();
}

}  // namespace caseledger::ledger
