// The identity routes: sessions, organisations, teams, users and API keys (docs/api.md,
// docs/identity.md). Writes go through the command path like every other write; password
// hashing and checking run on Identity's worker pool, never on an io thread.
#include "identity_routes.h"

#include "access_routes.h"
#include "api_common.h"
#include "app/identity/passwords.h"
#include "ledger/time_format.h"
#include "list_views.h"
#include "parse_identity.h"

namespace caseledger::app::api {
namespace {

namespace json = boost::json;
using http::Method;
using http::Policy;
using SharedResponder = std::shared_ptr<http::Responder>;

SharedResponder Share(http::Responder respond) {
  return std::make_shared<http::Responder>(std::move(respond));
}

json::array RolesJson(const std::vector<std::string>& roles) {
  json::array out;
  for (const auto& role : roles) out.emplace_back(role);
  return out;
}

json::object PrincipalJson(const http::Principal& p) {
  return json::object{{"user_id", p.user_id},
                      {"organisation_id", p.organisation_id},
                      {"team_id", p.team_id},
                      {"roles", RolesJson(p.roles)},
                      {"justification_required", p.justification_required}};
}

// Runs `command`; once it is durable, ends the sessions of the user it changed and then
// answers. Ending sessions syncs to disk, so it runs on Identity's pool, not on the log's
// writer thread (which calls back here) nor on an io thread.
template <class Command>
void SubmitEndingSessions(Node& node, Identity& identity, const ledger::CommandMeta& meta,
                          Command command, SharedResponder respond) {
  node.commands().Execute(
      meta, std::move(command), [&identity, respond](Result<ledger::CommandResult> result) {
        if (!result) return (*respond)(result.error());
        identity.Post([&identity, respond, result = std::move(result).value()] {
          if (auto ended = identity.EndSessionsOf(result.record_id); !ended) {
            return (*respond)(ended.error());
          }
          (*respond)(CommandResponse(result, 200));
        });
      });
}

http::Handler Login(Identity& identity) {
  return [&identity](http::RequestContext ctx, http::Responder respond) {
    auto login = ParseLogin(ctx);
    if (!login) return respond(login.error());
    if (auto wait = identity.AdmitLogin(login.value().username, ctx.request.remote_address)) {
      return respond(http::RateLimitedResponse(static_cast<int>(*wait)));
    }
    identity.VerifyLogin(
        std::move(login.value().username), std::move(login.value().password),
        ctx.request.remote_address, [respond = Share(std::move(respond))](auto result) {
          if (!result) return (*respond)(result.error());
          json::object body = PrincipalJson(result.value().principal);
          body["token"] = result.value().token;
          body["token_type"] = "Bearer";
          body["expires_at"] = ledger::FormatTimestamp(result.value().expires_at);
          (*respond)(http::JsonResponse(201, body));
        });
  };
}

// Logging out syncs the removal to disk: done on Identity's pool, not on the io thread.
http::Handler Logout(Identity& identity) {
  return [&identity](http::RequestContext ctx, http::Responder respond) {
    identity.Post([&identity, request = std::move(ctx.request),
                   respond = Share(std::move(respond))] {
      if (auto ok = identity.Logout(request); !ok) return (*respond)(ok.error());
      (*respond)(http::Response{.status = 204, .content_type = "", .body = "", .headers = {}});
    });
  };
}

http::Handler Me(Identity& identity) {
  return [&identity](http::RequestContext ctx, http::Responder respond) {
    json::object body = PrincipalJson(ctx.principal);
    auto user = identity.directory().Find(ctx.principal.user_id);
    if (!user) return respond(user.error());
    body["username"] = user.value() ? user.value()->username : std::string();
    respond(http::JsonResponse(200, body));
  };
}

// A page of the views of one kind (list_views.h), once ?min_position is reached.
http::Handler ListRoute(Node& node, const ApiOptions& options, std::string kind) {
  return [&node, options, kind](http::RequestContext ctx, http::Responder respond) {
    http::Request request = ctx.request;
    AfterMinPosition(node, options, ctx.request, std::move(respond),
                     [&node, kind, request = std::move(request)](http::Responder respond) {
                       auto page = ListViews(node, request, kind);
                       if (!page) return respond(page.error());
                       respond(http::JsonResponse(200, page.value()));
                     });
  };
}

http::Handler CreateUser(Node& node, Identity& identity) {
  return [&node, &identity](http::RequestContext ctx, http::Responder respond) {
    auto meta = MetaFrom(ctx);
    if (!meta) return respond(meta.error());
    auto parsed = ParseCreateUser(ctx);
    if (!parsed) return respond(parsed.error());
    NewUserRequest request = std::move(parsed).value();
    if (!request.password) {
      return Submit(node, meta.value(), std::move(request.command), 201, std::move(respond));
    }
    identity.HashPasswordAsync(
        std::move(*request.password),
        [&node, meta = meta.value(), command = std::move(request.command),
         respond = Share(std::move(respond))](Result<std::string> hash) mutable {
          if (!hash) return (*respond)(hash.error());
          command.password_hash = std::move(hash).value();
          Submit(node, meta, std::move(command), 201, std::move(*respond));
        });
  };
}

// A change to a user after which the user's sessions end at once (deactivation).
template <class Command>
http::Handler EndingSessions(Node& node, Identity& identity,
                             Result<Command> (*parse)(const http::RequestContext&)) {
  return [&node, &identity, parse](http::RequestContext ctx, http::Responder respond) {
    auto meta = MetaFrom(ctx);
    if (!meta) return respond(meta.error());
    auto command = parse(ctx);
    if (!command) return respond(command.error());
    SubmitEndingSessions(node, identity, meta.value(), std::move(command).value(),
                         Share(std::move(respond)));
  };
}

http::Handler ChangePassword(Node& node, Identity& identity) {
  return [&node, &identity](http::RequestContext ctx, http::Responder respond) {
    auto meta = MetaFrom(ctx);
    if (!meta) return respond(meta.error());
    auto parsed = ParseChangeUserPassword(ctx);
    if (!parsed) return respond(parsed.error());
    PasswordChangeRequest request = std::move(parsed).value();
    const bool self = request.command.user_id == ctx.principal.user_id;
    if (!self && !ctx.principal.HasRole("partnership_admin")) {
      return respond(ledger::MakeError(ledger::Code::kPermissionDenied,
                                       "only a partnership administrator may set another "
                                       "user's password"));
    }
    if (self && !request.current_password) {
      return respond(ledger::InvalidField("current_password", "is required to change your own password"));
    }
    if (self) {
      if (auto wait = identity.AdmitLogin(ctx.principal.user_id, ctx.request.remote_address)) {
        return respond(http::RateLimitedResponse(static_cast<int>(*wait)));
      }
    }
    identity.Post([&node, &identity, meta = meta.value(), request = std::move(request), self,
                   address = ctx.request.remote_address,
                   respond = Share(std::move(respond))]() mutable {
      if (self) {
        if (!identity.CheckUserPassword(request.command.user_id, *request.current_password)) {
          return (*respond)(ledger::InvalidField("current_password", "does not match"));
        }
        identity.ClearLoginFailures(request.command.user_id, address);
      }
      auto hash = identity::HashPassword(request.password, identity.options().password);
      if (!hash) return (*respond)(hash.error());
      request.command.password_hash = std::move(hash).value();
      SubmitEndingSessions(node, identity, meta, std::move(request.command), respond);
    });
  };
}

http::Handler IssueApiKey(Node& node) {
  return [&node](http::RequestContext ctx, http::Responder respond) {
    auto meta = MetaFrom(ctx);
    if (!meta) return respond(meta.error());
    auto command = ParseIssueApiKey(ctx);
    if (!command) return respond(command.error());
    Identity::NewApiKey key = Identity::GenerateApiKey();
    command.value().key_hash = key.key_hash;
    node.commands().Execute(
        meta.value(), std::move(command).value(),
        [key = std::move(key.key), respond = Share(std::move(respond))](
            Result<ledger::CommandResult> result) {
          if (!result) return (*respond)(result.error());
          http::Response response = CommandResponse(result.value(), 201);
          if (!result.value().deduplicated) {
            json::object body = json::parse(response.body).as_object();
            body["key"] = key;  // shown once: only its hash is kept
            response.body = json::serialize(body);
          }
          (*respond)(std::move(response));
        });
  };
}

}  // namespace

ledger::Result<void> RegisterIdentityRoutes(http::Router& router, Node& node, Identity& identity,
                                            const ApiOptions& options) {
  struct Route {
    Method method;
    const char* pattern;
    Policy policy;
    http::Handler handler;
  };
  auto p = [](const char* action) { return Policy{.action = action}; };
  const Route routes[] = {
      {Method::kPost, "/api/v1/sessions", Policy{.action = "session.create", .allow_anonymous = true}, Login(identity)},
      {Method::kDelete, "/api/v1/sessions/current", p("session.delete"), Logout(identity)},
      {Method::kGet, "/api/v1/me", p("session.read"), Me(identity)},
      {Method::kPost, "/api/v1/organisations", p("organisation.create"), CommandRoute(node, 201, &ParseCreateOrganisation)},
      {Method::kGet, "/api/v1/organisations", p("organisation.read"), ListRoute(node, options, "organisation")},
      {Method::kGet, "/api/v1/organisations/{id}", p("organisation.read"), ViewRoute(node, options, "organisation")},
      {Method::kPost, "/api/v1/organisations/{id}/settings", p("organisation.change_settings"), CommandRoute(node, 200, &ParseChangeOrganisationSettings)},
      {Method::kPost, "/api/v1/teams", p("team.create"), CommandRoute(node, 201, &ParseCreateTeam)},
      {Method::kGet, "/api/v1/teams", p("team.read"), ListRoute(node, options, "team")},
      {Method::kGet, "/api/v1/teams/{id}", p("team.read"), ViewRoute(node, options, "team")},
      {Method::kPost, "/api/v1/users", p("user.create"), CreateUser(node, identity)},
      {Method::kGet, "/api/v1/users", p("user.read"), ListRoute(node, options, "user")},
      {Method::kGet, "/api/v1/users/{id}", p("user.read"), ViewRoute(node, options, "user")},
      {Method::kPost, "/api/v1/users/{id}/roles", p("user.change_roles"), CommandRoute(node, 200, &ParseChangeUserRoles)},
      {Method::kPost, "/api/v1/users/{id}/deactivation", p("user.deactivate"), EndingSessions(node, identity, &ParseDeactivateUser)},
      {Method::kPost, "/api/v1/users/{id}/reactivation", p("user.reactivate"), CommandRoute(node, 200, &ParseReactivateUser)},
      {Method::kPost, "/api/v1/users/{id}/password", p("user.change_password"), ChangePassword(node, identity)},
      {Method::kPost, "/api/v1/api-keys", p("apikey.create"), IssueApiKey(node)},
      {Method::kGet, "/api/v1/api-keys/{id}", p("apikey.read"), ViewRoute(node, options, "apikey")},
      {Method::kPost, "/api/v1/api-keys/{id}/revocation", p("apikey.revoke"), CommandRoute(node, 200, &ParseRevokeApiKey)},
  };
  for (const auto& r : routes) {
    BOOST_OUTCOME_TRY(router.Add(r.method, r.pattern, r.policy,
                                 r.method == Method::kGet ? AtMinPosition(node, options, r.handler)
                                                          : r.handler));
  }
  return ledger::Ok();
}

}  // namespace caseledger::app::api
