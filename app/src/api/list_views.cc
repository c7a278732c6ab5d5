// Listing the views of one kind of record in id order, a page at a time: a prefix scan of the
// active projection generation ("v <kind>-…" keys, projections/keys.h). Used by the identity
// routes (organisations, teams, users), whose numbers are small.
#include "list_views.h"

#include <boost/json/parse.hpp>
#include <rocksdb/db.h>

#include <charconv>
#include <memory>

#include "ledger/rocksdb_util.h"
#include "projections/keys.h"

namespace caseledger::app::api {
namespace {

namespace json = boost::json;

constexpr std::size_t kDefaultLimit = 100;
constexpr std::size_t kMaxLimit = 1000;

Result<std::size_t> LimitOf(const http::Request& request) {
  auto text = request.QueryParam("limit");
  if (!text) return kDefaultLimit;
  std::size_t limit = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), limit);
  if (ec != std::errc() || end != text->data() + text->size() || limit == 0 ||
      limit > kMaxLimit) {
    return ledger::InvalidField("limit", "must be a number from 1 to 1000");
  }
  return limit;
}

}  // namespace

Result<json::object> ListViews(Node& node, const http::Request& request, std::string_view kind) {
  BOOST_OUTCOME_TRY(std::size_t limit, LimitOf(request));
  const std::string prefix = projections::ViewKey(std::string(kind) + "-");
  std::string start = prefix;
  if (auto after = request.QueryParam("after")) {
    if (!after->starts_with(std::string(kind) + "-")) {
      return ledger::InvalidField("after", "must be an id of this kind from an earlier page");
    }
    start = projections::ViewKey(*after);
    start.push_back('\0');  // strictly after it
  }
  projections::Generation generation = node.projections().active();
  std::unique_ptr<rocksdb::Iterator> it(
      node.store().db()->NewIterator(rocksdb::ReadOptions(), generation.family));
  json::array items;
  std::string last;
  bool more = false;
  for (it->Seek(start); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (items.size() == limit) {
      more = true;
      break;
    }
    json::value view = json::parse(it->value().ToStringView());
    last = it->key().ToString().substr(2);  // "v " prefix
    items.push_back(std::move(view));
  }
  BOOST_OUTCOME_TRY(ledger::CheckRocks(it->status(), "projections: list views"));
  json::object out;
  out["items"] = std::move(items);
  out["next_after"] = more ? json::value(last) : json::value(nullptr);
  return out;
}

}  // namespace caseledger::app::api
