#include "projections/search_index.h"

#include <algorithm>
#include <set>

#include "ledger/normalise.h"
#include "projections/keys.h"
#include "view_batch.h"

namespace caseledger::projections {
namespace {

namespace json = boost::json;

constexpr std::string_view kIndexes[] = {"name",    "phonetic",     "dob",      "address",
                                         "uprn",    "registration", "reference"};

std::string_view Text(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string TermsKey(std::string_view record_id) {
  std::string key = "s ";
  key += record_id;
  return key;
}

std::string IndexPrefix(std::string_view index, std::string_view term) {
  std::string key = "i ";
  key += index;
  key.push_back('\0');
  key += term;
  key.push_back('\0');
  return key;
}

void AddName(std::set<IndexTerm>& out, std::string_view given, std::string_view family) {
  std::string full = ledger::NormaliseName(std::string(given) + " " + std::string(family));
  if (!full.empty()) out.insert({"name", full});
  std::string g = ledger::PhoneticCode(ledger::NormaliseName(given));
  std::string f = ledger::PhoneticCode(ledger::NormaliseName(family));
  if (!f.empty()) out.insert({"phonetic", (g.empty() ? std::string("-") : g) + " " + f});
}

void AddAddress(std::set<IndexTerm>& out, std::string_view text) {
  std::string normal = ledger::NormaliseAddressText(text);
  if (!normal.empty()) out.insert({"address", normal});
}

}  // namespace

std::vector<IndexTerm> IndexTermsOf(const json::object& view) {
  std::set<IndexTerm> out;
  std::string_view kind = Text(view, "kind");
  if (kind == "person") {
    if (const json::value* names = view.if_contains("names"); names && names->is_array()) {
      for (const auto& n : names->as_array()) {
        if (!n.is_object()) continue;
        AddName(out, Text(n.as_object(), "given"), Text(n.as_object(), "family"));
      }
    }
    if (const json::value* aliases = view.if_contains("aliases"); aliases && aliases->is_array()) {
      for (const auto& a : aliases->as_array()) {
        if (!a.is_string()) continue;
        std::string normal = ledger::NormaliseName(a.as_string());
        if (!normal.empty()) out.insert({"name", normal});
      }
    }
    if (std::string_view dob = Text(view, "date_of_birth"); !dob.empty()) {
      out.insert({"dob", std::string(dob)});
    }
    AddAddress(out, Text(view, "address_text"));
  } else if (kind == "incident") {
    if (const json::value* l = view.if_contains("location"); l && l->is_object()) {
      if (std::string_view uprn = Text(l->as_object(), "uprn"); !uprn.empty()) {
        out.insert({"uprn", std::string(uprn)});
      }
      AddAddress(out, Text(l->as_object(), "text"));
    }
    if (std::string_view ref = Text(view, "reference"); !ref.empty()) {
      out.insert({"reference", Upper(ref)});
    }
  } else if (kind == "address") {
    if (std::string_view uprn = Text(view, "uprn"); !uprn.empty()) {
      out.insert({"uprn", std::string(uprn)});
    }
    AddAddress(out, Text(view, "text"));
  } else if (kind == "vehicle") {
    std::string reg = ledger::NormaliseRegistration(Text(view, "registration"));
    if (!reg.empty()) out.insert({"registration", reg});
  } else if (kind == "case") {
    if (std::string_view ref = Text(view, "reference"); !ref.empty()) {
      out.insert({"reference", Upper(ref)});
    }
  }
  return {out.begin(), out.end()};
}

Result<std::string> QueryTerm(std::string_view index, std::string_view value) {
  if (index == "name") return ledger::NormaliseName(value);
  if (index == "phonetic") {
    // "given family" (or just a family name) as typed.
    std::string normal = ledger::NormaliseName(value);
    auto space = normal.rfind(' ');
    std::string given = space == std::string::npos ? std::string() : normal.substr(0, space);
    std::string family = space == std::string::npos ? normal : normal.substr(space + 1);
    std::string g = ledger::PhoneticCode(given);
    return (g.empty() ? std::string("-") : g) + " " + ledger::PhoneticCode(family);
  }
  if (index == "dob") return std::string(value);
  if (index == "address") return ledger::NormaliseAddressText(value);
  if (index == "uprn") {
    std::string digits(value);
    digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size()));
    return digits;
  }
  if (index == "registration") return ledger::NormaliseRegistration(value);
  if (index == "reference") return Upper(value);
  std::string all;
  for (std::string_view i : kIndexes) all += (all.empty() ? "" : ", ") + std::string(i);
  return ledger::InvalidField(std::string(index), "is not a search index; use one of: " + all);
}

Result<void> Reindex(ViewBatch& views, std::string_view record_id, bool first_event) {
  BOOST_OUTCOME_TRY(json::object * view, views.Find(ViewKey(record_id)));
  std::vector<IndexTerm> now;
  if (view != nullptr) now = IndexTermsOf(*view);
  std::string terms_key = TermsKey(record_id);
  json::object* stored = nullptr;
  if (!first_event) {
    BOOST_OUTCOME_TRY(stored, views.Find(terms_key));
  }
  std::vector<IndexTerm> before;
  if (stored != nullptr) {
    if (const json::value* t = stored->if_contains("t"); t && t->is_array()) {
      for (const auto& pair : t->as_array()) {
        if (!pair.is_array() || pair.as_array().size() != 2) continue;
        const auto& a = pair.as_array();
        if (!a[0].is_string() || !a[1].is_string()) continue;
        before.emplace_back(std::string(a[0].as_string()), std::string(a[1].as_string()));
      }
    }
  }
  if (before == now) return ledger::Ok();
  for (const auto& [index, term] : before) {
    if (!std::binary_search(now.begin(), now.end(), IndexTerm{index, term})) {
      views.Erase(IndexPrefix(index, term) + std::string(record_id));
    }
  }
  json::array list;
  for (const auto& [index, term] : now) {
    views.Set(IndexPrefix(index, term) + std::string(record_id), json::object());
    list.push_back(json::array{json::value(index), json::value(term)});
  }
  if (now.empty()) {
    if (stored != nullptr) views.Erase(terms_key);
  } else {
    views.Set(terms_key, json::object{{"t", std::move(list)}});
  }
  return ledger::Ok();
}

Result<bool> HasTerm(const ProjectionStore& projections, std::string_view index,
                     std::string_view term, std::string_view record_id) {
  if (term.empty()) return false;
  std::string key = IndexPrefix(index, term);
  key.append(record_id);
  BOOST_OUTCOME_TRY(auto value, projections.Get(key));
  return value.has_value();
}

Result<std::vector<std::string>> FindByTerm(const ProjectionStore& projections,
                                            std::string_view index, std::string_view term,
                                            std::size_t max) {
  std::vector<std::string> ids;
  if (term.empty()) return ids;
  std::string prefix = IndexPrefix(index, term);
  BOOST_OUTCOME_TRY(auto entries, projections.Scan(prefix, max));
  ids.reserve(entries.size());
  for (auto& [key, value] : entries) ids.push_back(key.substr(prefix.size()));
  return ids;
}

}  // namespace caseledger::projections
