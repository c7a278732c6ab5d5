#include "served_api.h"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <fstream>
#include <future>
#include <iterator>

#include "api/server_routes.h"
#include "app/http/authorizer.h"
#include "app/http/handler.h"
#include "app/http/response.h"
#include "http/request_builder.h"

namespace caseledger::app::api::testing {

namespace json = boost::json;
namespace beast_http = boost::beast::http;

namespace {

constexpr auto kAnswerTimeout = std::chrono::seconds(10);

class PromiseSink final : public http::ResponseSink {
 public:
  void Deliver(http::Response response) noexcept override {
    promise_.set_value(std::move(response));
  }
  std::future<http::Response> future() { return promise_.get_future(); }

 private:
  std::promise<http::Response> promise_;
};

}  // namespace

std::string CallResult::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (http::EqualsIgnoreCase(key, name)) return value;
  }
  return "";
}

json::value CallResult::Json() const {
  boost::system::error_code ec;
  json::value value = json::parse(body, ec);
  return ec ? json::value() : value;
}

std::string CallResult::ErrorField() const {
  json::value v = Json();
  if (!v.is_object() || !v.as_object().contains("error")) return "";
  const json::object& e = v.at("error").as_object();
  return e.contains("field") ? std::string(e.at("field").as_string()) : "";
}

std::string CallResult::ErrorCode() const {
  json::value v = Json();
  if (!v.is_object() || !v.as_object().contains("error")) return "";
  return std::string(v.at("error").at("code").as_string());
}

ServedApi::ServedApi() {
  NodeConfig config;
  config.data_dir = dir_.Path("data");
  config.block_cache_mb = 8;
  config.metrics = &metrics_;
  auto node = Node::Open(config);
  if (!node) {
    error_ = node.error().ToString();
    return;
  }
  node_ = std::move(node).value();
  if (auto started = node_->StartRunner(); !started) {
    error_ = started.error().ToString();
    return;
  }
  auto identity = Identity::Open(*node_);
  if (!identity) {
    error_ = identity.error().ToString();
    return;
  }
  identity_ = std::move(identity).value();
  auto registered = RegisterServerRoutes(router_, *node_, *identity_, metrics_);
  if (!registered) {
    error_ = registered.error().ToString();
    return;
  }
  registered_ = true;
}

ServedApi::~ServedApi() = default;

ledger::Result<http::Router> ServedApi::NewRouter() {
  http::Router router;
  BOOST_OUTCOME_TRY(RegisterServerRoutes(router, *node_, *identity_, metrics_));
  return router;
}

CallResult ServedApi::Call(std::string_view method, std::string_view target, std::string body,
                           const Headers& headers) {
  beast_http::request<beast_http::string_body> message;
  message.method_string(method);
  message.target(target);
  message.version(11);
  for (const auto& [name, value] : headers) message.insert(name, value);
  message.body() = std::move(body);
  message.prepare_payload();
  auto built = http::internal::BuildRequest(message, "127.0.0.1");
  CallResult result;
  if (!built) return result;
  http::RouteLookup lookup =
      router_.Match(built.value().request.method, built.value().encoded_path);
  if (lookup.outcome != http::RouteLookup::Outcome::kMatched) return result;

  http::DevAuthorizer authorizer;
  auto principal = authorizer.Authenticate(built.value().request);
  if (!principal) return result;
  auto sink = std::make_shared<PromiseSink>();
  std::future<http::Response> answer = sink->future();
  http::RequestContext ctx{.request = std::move(built).value().request,
                           .principal = acting_as_ ? *acting_as_ : std::move(principal).value(),
                           .path_params = std::move(lookup.match.params),
                           .route = lookup.match.route};
  router_.handler (*lookup.match.route)(std::move(ctx), http::Responder(sink));
  if (answer.wait_for(kAnswerTimeout) != std::future_status::ready) return result;
  http::Response response = answer.get();
  result.status = response.status;
  result.content_type = response.content_type;
  result.body = std::move(response.body);
  result.headers = std::move(response.headers);
  return result;
}

std::string OpenApiFileBytes() {
  std::ifstream in(std::string(CASELEDGER_SOURCE_DIR) + "/docs/openapi.json", std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

namespace {

const json::value& DocumentValue() {
  static const json::value document = [] {
    boost::system::error_code ec;
    json::value v = json::parse(OpenApiFileBytes(), ec);
    return ec || !v.is_object() ? json::value(json::object()) : v;
  }();
  return document;
}

}  // namespace

const json::object& OpenApiDocumentJson() { return DocumentValue().as_object(); }

const json::value& Resolve(const json::value& value) {
  const json::value* at = &value;
  for (int hops = 0; hops < 16; ++hops) {
    if (!at->is_object() || !at->as_object().contains("$ref")) return *at;
    std::string_view ref = at->at("$ref").as_string();
    if (!ref.starts_with("#/")) return *at;
    const json::value* next = &DocumentValue();
    std::size_t start = 2;
    while (next != nullptr && start <= ref.size()) {
      std::size_t slash = ref.find('/', start);
      std::string_view name = ref.substr(
          start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
      next = next->is_object() ? next->as_object().if_contains(name) : nullptr;
      if (slash == std::string_view::npos) break;
      start = slash + 1;
    }
    if (next == nullptr) return *at;
    at = next;
  }
  return *at;
}

const json::object* FindOperation(std::string_view pattern, std::string_view method) {
  const json::object& doc = OpenApiDocumentJson();
  const json::value* paths = doc.if_contains("paths");
  if (paths == nullptr || !paths->is_object()) return nullptr;
  const json::value* item = paths->as_object().if_contains(pattern);
  if (item == nullptr || !item->is_object()) return nullptr;
  const json::value* op = item->as_object().if_contains(Lowercase(method));
  return op != nullptr && op->is_object() ? &op->as_object() : nullptr;
}

namespace {

const json::object* JsonMediaType(const json::object& operation) {
  const json::value* body = operation.if_contains("requestBody");
  if (body == nullptr) return nullptr;
  const json::value* content = Resolve(*body).as_object().if_contains("content");
  if (content == nullptr) return nullptr;
  const json::value* media = content->as_object().if_contains("application/json");
  return media != nullptr && media->is_object() ? &media->as_object() : nullptr;
}

}  // namespace

const json::object* BodySchema(const json::object& operation) {
  const json::object* media = JsonMediaType(operation);
  if (media == nullptr || !media->contains("schema")) return nullptr;
  const json::value& schema = Resolve(media->at("schema"));
  return schema.is_object() ? &schema.as_object() : nullptr;
}

const json::value* BodyExample(const json::object& operation) {
  const json::object* media = JsonMediaType(operation);
  return media == nullptr ? nullptr : media->if_contains("example");
}

bool TakesParameter(const json::object& operation, std::string_view name) {
  const json::value* parameters = operation.if_contains("parameters");
  if (parameters == nullptr || !parameters->is_array()) return false;
  std::string ref = "#/components/parameters/" + std::string(name);
  for (const json::value& p : parameters->as_array()) {
    const json::value* at = p.is_object() ? p.as_object().if_contains("$ref") : nullptr;
    if (at != nullptr && at->is_string() && at->as_string() == ref) return true;
  }
  return false;
}

std::string FillPath(std::string_view pattern, std::string_view value) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      std::size_t close = pattern.find('}', i);
      out += value;
      i = close;
      continue;
    }
    out += pattern[i];
  }
  return out;
}

std::string Lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsWriteMethod(http::Method method) {
  return method == http::Method::kPost || method == http::Method::kPatch ||
         method == http::Method::kPut || method == http::Method::kDelete;
}

std::string RouteName(http::Method method, std::string_view pattern) {
  return std::string(http::MethodName(method)) + " " + std::string(pattern);
}

}  // namespace caseledger::app::api::testing
