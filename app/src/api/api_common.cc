#include "api_common.h"

#include <charconv>

#include "ledger/idempotency.h"
#include "ledger/time_format.h"

namespace caseledger::app::api {
namespace json = boost::json;
using ledger::InvalidField;

Result<ledger::CommandMeta> MetaFrom(const http::RequestContext& ctx) {
  ledger::CommandMeta meta;
  meta.actor.user_id = ctx.principal.user_id;
  meta.actor.organisation_id = ctx.principal.organisation_id;
  meta.actor.team_id = ctx.principal.team_id;
  const http::Request& r = ctx.request;
  if (auto key = r.Header("Idempotency-Key")) {
    if (key->empty() || key->size() > 200) {
      return InvalidField("Idempotency-Key", "must be 1 to 200 characters");
    }
    for (char c : *key) {
      if (c < 0x21 || c > 0x7e) {
        return InvalidField("Idempotency-Key", "must be printable ASCII without spaces");
      }
    }
    meta.idempotency_key = std::string(*key);
  }
  if (auto match = r.Header("If-Match")) {
    std::string_view v = *match;
    if (v.starts_with("W/")) v.remove_prefix(2);
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    std::uint64_t version = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), version);
    if (ec != std::errc() || end != v.data() + v.size() || version == 0) {
      return InvalidField("If-Match", "must be the record's version, such as \"3\"");
    }
    meta.expected_version = version;
  }
  if (auto purpose = r.Header("X-Purpose")) {
    if (purpose->size() > 500) return InvalidField("X-Purpose", "must be at most 500 characters");
    meta.purpose = std::string(*purpose);
  }
  meta.fingerprint = ledger::Fingerprint({http::MethodName(r.method), r.path, r.body});
  meta.correlation_id = CorrelationIdOf(r.request_id);
  return meta;
}

// The request id is the correlation id of every event of the command: as it is when it is a
// UUID (the server's own are), else a UUID derived from it, so a client's id still names one.
std::string ActionOf(const http::RequestContext& ctx) {
  return ctx.route != nullptr ? ctx.route->policy.action.name() : std::string("unknown");
}

ledger::Uuid CorrelationIdOf(std::string_view request_id) {
  if (auto id = ledger::Uuid::Parse(request_id)) return *id;
  if (request_id.empty()) return ledger::Uuid{};
  return ledger::Uuid::FromDigest(
      ledger::Fingerprint({"caseledger.correlation-id.v1", std::string(request_id)}));
}

Result<json::object> BodyObject(const http::Request& request,
                                std::initializer_list<std::string_view> allowed) {
  BOOST_OUTCOME_TRY(auto body, http::ParseJsonBody(request, http::JsonLimits{}));
  BOOST_OUTCOME_TRY(http::RejectUnknownFields(body.as_object(), allowed));
  return std::move(body.as_object());
}

Result<ledger::Micros> RequireTime(const json::object& obj, std::string_view name) {
  BOOST_OUTCOME_TRY(auto text, http::RequireString(obj, name, 40));
  return ledger::ParseTimestamp(text, name);
}

Result<std::optional<ledger::Micros>> OptionalTime(const json::object& obj, std::string_view name) {
  if (!obj.contains(name) || obj.at(name).is_null()) return std::optional<ledger::Micros>();
  BOOST_OUTCOME_TRY(auto t, RequireTime(obj, name));
  return std::optional<ledger::Micros>(t);
}

Result<std::vector<std::string>> StringArray(const json::object& obj, std::string_view name,
                                             std::size_t max_items, std::size_t max_len) {
  std::vector<std::string> out;
  if (!obj.contains(name) || obj.at(name).is_null()) return out;
  const json::value& v = obj.at(name);
  if (!v.is_array()) return InvalidField(std::string(name), "must be an array of strings");
  if (v.as_array().size() > max_items) {
    return InvalidField(std::string(name), "must hold at most " + std::to_string(max_items) + " items");
  }
  for (std::size_t i = 0; i < v.as_array().size(); ++i) {
    const json::value& item = v.as_array()[i];
    std::string field = std::string(name) + "[" + std::to_string(i) + "]";
    if (!item.is_string()) return InvalidField(field, "must be a string");
    if (item.as_string().size() > max_len) {
      return InvalidField(field, "must be at most " + std::to_string(max_len) + " bytes");
    }
    out.emplace_back(item.as_string());
  }
  return out;
}

Result<std::optional<ledger::Coordinates>> ParseCoordinates(const json::object& obj,
                                                            std::string_view name) {
  BOOST_OUTCOME_TRY(const json::object* c, http::OptionalObject(obj, name));
  if (c == nullptr) return std::optional<ledger::Coordinates>();
  if (auto ok = http::RejectUnknownFields(*c, {"latitude", "longitude"}); !ok) {
    return http::WithFieldPrefix(ok.error(), name);
  }
  ledger::Coordinates out;
  for (auto [member, target] : {std::pair{"latitude", &out.latitude}, {"longitude", &out.longitude}}) {
    std::string field = std::string(name) + "." + member;
    if (!c->contains(member)) return InvalidField(field, "is required");
    const json::value& v = c->at(member);
    if (!v.is_number()) return InvalidField(field, "must be a number");
    *target = v.to_number<double>();
  }
  return std::optional<ledger::Coordinates>(out);
}

Result<ledger::LocationInput> ParseLocation(const json::object& obj) {
  BOOST_OUTCOME_TRY(const json::object* l, http::RequireObject(obj, "location"));
  auto prefixed = [](ledger::Error e) { return http::WithFieldPrefix(std::move(e), "location"); };
  if (auto ok = http::RejectUnknownFields(*l, {"uprn", "address_id", "text", "coordinates"}); !ok) {
    return prefixed(ok.error());
  }
  ledger::LocationInput out;
  auto uprn = http::OptionalString(*l, "uprn", 12);
  if (!uprn) return prefixed(uprn.error());
  if (uprn.value() && !uprn.value()->empty()) {
    const std::string& s = *uprn.value();
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out.uprn);
    if (ec != std::errc() || end != s.data() + s.size() || out.uprn == 0) {
      return InvalidField("location.uprn", "must be a string of 1 to 12 digits");
    }
  }
  auto address_id = http::OptionalString(*l, "address_id", 64);
  if (!address_id) return prefixed(address_id.error());
  out.address_id = address_id.value().value_or("");
  auto text = http::OptionalString(*l, "text", 500);
  if (!text) return prefixed(text.error());
  out.text = text.value().value_or("");
  auto coordinates = ParseCoordinates(*l, "coordinates");
  if (!coordinates) return prefixed(coordinates.error());
  out.coordinates = coordinates.value();
  return out;
}

Result<ledger::PersonDetailsInput> ParsePersonDetails(const json::object& obj) {
  ledger::PersonDetailsInput d;
  if (!obj.contains("names") || !obj.at("names").is_array()) {
    return InvalidField("names", "must be an array of {given, family}");
  }
  const json::array& names = obj.at("names").as_array();
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string at = "names[" + std::to_string(i) + "]";
    if (!names[i].is_object()) return InvalidField(at, "must be an object");
    const json::object& n = names[i].as_object();
    if (auto ok = http::RejectUnknownFields(n, {"given", "family"}); !ok) {
      return http::WithFieldPrefix(ok.error(), at);
    }
    auto given = http::OptionalString(n, "given", 100);
    if (!given) return http::WithFieldPrefix(given.error(), at);
    auto family = http::OptionalString(n, "family", 100);
    if (!family) return http::WithFieldPrefix(family.error(), at);
    d.names.push_back({given.value().value_or(""), family.value().value_or("")});
  }
  BOOST_OUTCOME_TRY(d.aliases, StringArray(obj, "aliases", 20, 100));
  BOOST_OUTCOME_TRY(auto dob, http::OptionalString(obj, "date_of_birth", 10));
  d.date_of_birth = dob.value_or("");
  BOOST_OUTCOME_TRY(auto phone, http::OptionalString(obj, "phone", 32));
  d.phone = phone.value_or("");
  BOOST_OUTCOME_TRY(auto email, http::OptionalString(obj, "email", 254));
  d.email = email.value_or("");
  BOOST_OUTCOME_TRY(auto address_text, http::OptionalString(obj, "address_text", 500));
  d.address_text = address_text.value_or("");
  BOOST_OUTCOME_TRY(d.vulnerabilities, StringArray(obj, "vulnerabilities", 50, 200));
  return d;
}

Result<std::vector<schema::HateStrand>> ParseHateStrands(const json::object& obj) {
  BOOST_OUTCOME_TRY(auto names, StringArray(obj, "hate_strands", 10, 64));
  std::vector<schema::HateStrand> out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    auto strand = ledger::ParseEnum<schema::HateStrand>(names[i]);
    if (!strand) {
      return InvalidField("hate_strands[" + std::to_string(i) + "]",
                          "must be one of: " + ledger::EnumChoices<schema::HateStrand>());
    }
    out.push_back(*strand);
  }
  return out;
}

http::Response CommandResponse(const ledger::CommandResult& result, int status) {
  json::object body;
  body["id"] = result.record_id;
  body["version"] = result.version;
  body["position"] = result.position.ToString();
  body["deduplicated"] = result.deduplicated;
  if (!result.item_id.empty()) body["item_id"] = result.item_id;
  http::Response response = http::JsonResponse(status, body);
  response.headers.emplace_back("ETag", "\"" + std::to_string(result.version) + "\"");
  if (status == 201) response.headers.emplace_back("Location", "/api/v1/records/" + result.record_id);
  return response;
}

void AfterMinPosition(Node& node, const ApiOptions& options, const http::Request& request,
                      http::Responder respond, std::function<void(http::Responder)> then) {
  auto text = request.QueryParam("min_position");
  if (!text) return then(std::move(respond));
  auto position = ledger::Position::Parse(*text);
  if (!position) {
    return respond(InvalidField("min_position", "must be a log position such as 0:42"));
  }
  auto shared = std::make_shared<http::Responder>(std::move(respond));
  node.runner().WhenApplied(
      *position, std::chrono::steady_clock::now() + options.max_read_wait,
      [shared, then = std::move(then)](bool reached) {
        if (!reached) return (*shared)(MinPositionNotReached());
        then(std::move(*shared));
      });
}

http::Handler AtMinPosition(Node& node, const ApiOptions& options, http::Handler handler) {
  auto inner = std::make_shared<const http::Handler>(std::move(handler));
  return [&node, options, inner](http::RequestContext ctx, http::Responder respond) {
    auto shared = std::make_shared<http::RequestContext>(std::move(ctx));
    AfterMinPosition(node, options, shared->request, std::move(respond),
                     [shared, inner](http::Responder then) {
                       (*inner)(std::move(*shared), std::move(then));
                     });
  };
}

http::Handler ViewRoute(Node& node, const ApiOptions& options, std::string kind) {
  return [&node, options, kind](http::RequestContext ctx, http::Responder respond) {
    std::string id(ctx.PathParam("id"));
    RespondWithView(node, options, std::move(ctx), std::move(id), kind, std::move(respond));
  };
}

void RespondWithView(Node& node, const ApiOptions& options, http::RequestContext ctx,
                     std::string record_id, std::string_view kind, http::Responder respond) {
  if (!kind.empty() && ledger::RecordKind(record_id) != kind) {
    return respond(ledger::MakeError(ledger::Code::kNotFound, "no such record"));
  }
  auto shared = std::make_shared<http::RequestContext>(std::move(ctx));
  AfterMinPosition(node, options, shared->request, std::move(respond),
                   [&node, shared, record_id = std::move(record_id)](http::Responder respond) {
                     auto view = node.projections().GetView(record_id);
                     if (!view) return respond(view.error());
                     if (!view.value()) {
                       return respond(ledger::MakeError(ledger::Code::kNotFound, "no such record"));
                     }
                     http::Response r;
                     r.status = 200;
                     r.body = std::move(*view.value());
                     // The content goes out only once its consultation is logged (s.62).
                     node.access().AnswerLogged(*shared, {{record_id}, ActionOf(*shared)},
                                                std::move(r), std::move(respond));
                   });
}

}  // namespace caseledger::app::api
