// Key layout of a projection generation (one RocksDB column family "proj.<generation>"):
//
//   v <record id>                         -> JSON view of the record
//   x <record id> \0 <link id>            -> JSON of one link as seen from that record's end
//   g <record id> \0 <grant id>          -> JSON of one access grant on that record
//   a <record id>                         -> JSON of who holds the record (access.h)
//   q <record id> \0 <request id>        -> pending access request on that record
//   i <index> \0 <term> \0 <record id>    -> "" : search index entries (search_index.h)
//   r <record id> \0 <subject id>          -> JSON of the risk review due for that subject on that
//                                            case or incident (the work queue's index)
//   p <BE32 partition>                    -> BE64 offset applied from that partition
//   m code_version                        -> the projection code version that built it
//
// One-letter prefixes keep the families of keys apart and iteration over one record's links a
// prefix scan.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace caseledger::projections {

std::string ViewKey(std::string_view record_id);
std::string LinkEndKey(std::string_view record_id, std::string_view link_id);
std::string LinkEndPrefix(std::string_view record_id);
std::string GrantKey(std::string_view record_id, std::string_view grant_id);
std::string GrantPrefix(std::string_view record_id);
std::string AclKey(std::string_view record_id);
std::string PendingRequestKey(std::string_view record_id, std::string_view request_id);
std::string PendingRequestPrefix(std::string_view record_id);
std::string RiskReviewKey(std::string_view record_id, std::string_view subject_id);
inline constexpr std::string_view kRiskReviewPrefix = "r ";
std::string PartitionKey(std::uint32_t partition);
inline constexpr std::string_view kCodeVersionKey = "m code_version";

}  // namespace caseledger::projections
