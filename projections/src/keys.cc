#include "projections/keys.h"

#include "ledger/rocksdb_util.h"

namespace caseledger::projections {

std::string ViewKey(std::string_view record_id) {
  std::string key = "v ";
  key += record_id;
  return key;
}

std::string LinkEndPrefix(std::string_view record_id) {
  std::string key = "x ";
  key += record_id;
  key.push_back('\0');
  return key;
}

std::string LinkEndKey(std::string_view record_id, std::string_view link_id) {
  return LinkEndPrefix(record_id) + std::string(link_id);
}

std::string GrantPrefix(std::string_view record_id) {
  std::string key = "g ";
  key += record_id;
  key.push_back('\0');
  return key;
}

std::string GrantKey(std::string_view record_id, std::string_view grant_id) {
  return GrantPrefix(record_id) + std::string(grant_id);
}

std::string AclKey(std::string_view record_id) {
  std::string key = "a ";
  key += record_id;
  return key;
}

std::string PendingRequestPrefix(std::string_view record_id) {
  std::string key = "q ";
  key += record_id;
  key.push_back('\0');
  return key;
}

std::string PendingRequestKey(std::string_view record_id, std::string_view request_id) {
  return PendingRequestPrefix(record_id) + std::string(request_id);
}

std::string RiskReviewKey(std::string_view record_id, std::string_view subject_id) {
  std::string key(kRiskReviewPrefix);
  key += record_id;
  key.push_back('\0');
  key += subject_id;
  return key;
}

std::string PartitionKey(std::uint32_t partition) {
  std::string key = "p ";
  ledger::AppendBigEndian32(key, partition);
  return key;
}

}  // namespace caseledger::projections
