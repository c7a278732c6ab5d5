// The search index: normalised terms of every locked-down record's view, so search and intake
// matching find records by name, phonetic name, date of birth, address text, UPRN, vehicle
// registration and reference without reading every view (docs/search.md).
//
// Keys (keys.h): "i <index> \0 <term> \0 <record id>" -> "", and "s <record id>" -> the JSON
// array of the record's current [index, term] pairs, so a correction or a disposal removes the
// terms it no longer has. Terms come from the view itself: a person whose personal data was
// disposed of loses every term that held it.
//
// Indexes: "name" (NormaliseName of given + family, and of each alias), "phonetic" (PhoneticCode
// of the given and family names, "G000 F000"), "dob" (YYYY-MM-DD), "address" (NormaliseAddressText
// of an address, an incident location or a person's address), "uprn", "registration"
// (NormaliseRegistration), "reference" (upper-cased incident or case reference).
//
// Thread safety: SearchIndex reads the active generation and is thread-safe.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/result.h"
#include "projections/projection_store.h"

namespace caseledger::projections {

class ViewBatch;

using IndexTerm = std::pair<std::string, std::string>;  // {index, term}

// The terms of one view (empty for kinds that are not searched).
std::vector<IndexTerm> IndexTermsOf(const boost::json::object& view);

// The term a search for `value` in `index` looks up: the same normalisation as IndexTermsOf.
// Errors: kInvalidArgument naming `index` when it is not one of the indexes above.
Result<std::string> QueryTerm(std::string_view index, std::string_view value);

// Brings the index entries of `record_id` in line with its view in `views` (called by the
// projector after each event). `first_event`: the event was the record's first (stream version
// 1), so no terms of it are stored yet and none are read. The projector applies each event once
// to the state left by the events before it (its offset is written in the same batch), so a first
// event never meets terms of its own record.
Result<void> Reindex(ViewBatch& views, std::string_view record_id, bool first_event = false);

// True when `record_id` has `term` in `index` (one point read, however many records share it).
Result<bool> HasTerm(const ProjectionStore& projections, std::string_view index,
                     std::string_view term, std::string_view record_id);

// Record ids with `term` in `index`, in id order, at most `max`.
Result<std::vector<std::string>> FindByTerm(const ProjectionStore& projections,
                                            std::string_view index, std::string_view term,
                                            std::size_t max);

}  // namespace caseledger::projections
