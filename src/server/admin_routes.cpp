#include "server/admin_routes.hpp"

#include "api/admin_messages.hpp"
#include "api/json_codec.hpp"
#include "core/error.hpp"
#include "enrollment/fleet_administration.hpp"
#include "server/admin_authorisation.hpp"
#include "server/admin_operations.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <charconv>

namespace certfleet::server {
namespace {

using core::Error;
using core::ErrorCode;

AdminIdentity admin_of(const AdminContext& c, const RequestContext& r, AdminOperation operation) {
    const AdminPermission permission = permission_for(operation);
    return authorise_admin(r.caller,
                           *c.store,
                           {.authority = c.ca->name(), .role = permission.role, .action = permission.action},
                           c.clock->now());
}

store::Actor actor_of(const AdminContext& c, const AdminIdentity& admin) {
    return {.name = admin.actor(), .at = c.clock->now()};
}

HttpResponse list_requests(const AdminContext& c, const RequestContext& r) {
    admin_of(c, r, AdminOperation::list_requests);
    const std::optional<std::string> all = r.query_parameter("all");
    if (all && *all != "true" && *all != "false") {
        throw Error(ErrorCode::invalid_input, fmt::format("all={}: true or false expected", *all));
    }
    return json_response(
        api::encode(enrollment::list_requests(*c.store, c.ca->name(), all.value_or("false") == "true")));
}

HttpResponse approve_requests(const AdminContext& c, const RequestContext& r) {
    const AdminIdentity admin = admin_of(c, r, AdminOperation::approve_requests);
    const auto decision = api::decode<api::RequestDecision>(r.request->body(), "request body");
    const api::RequestList approved =
        enrollment::approve_requests(*c.store, *c.ca, decision, actor_of(c, admin));
    for (const api::RequestSummary& request : approved.requests) {
        spdlog::info("request_id={} certificate_request={} name={} signed serial={} by {}",
                     r.request_id,
                     request.id,
                     request.name,
                     request.serial,
                     admin.actor());
    }
    return json_response(api::encode(approved));
}

HttpResponse deny_request(const AdminContext& c, const RequestContext& r) {
    const AdminIdentity admin = admin_of(c, r, AdminOperation::deny_requests);
    const auto decision = api::decode<api::RequestDecision>(r.request->body(), "request body");
    const api::RequestSummary denied =
        enrollment::deny_pending_request(*c.store, c.ca->name(), decision, actor_of(c, admin));
    spdlog::info("request_id={} certificate_request={} name={} denied by {}",
                 r.request_id,
                 denied.id,
                 denied.name,
                 admin.actor());
    return json_response(api::encode(denied));
}

HttpResponse list_nodes(const AdminContext& c, const RequestContext& r) {
    admin_of(c, r, AdminOperation::list_nodes);
    return json_response(api::encode(enrollment::list_nodes(*c.store, c.ca->name(), c.clock->now())));
}

HttpResponse queue_node_action(const AdminContext& c, const RequestContext& r) {
    const AdminIdentity admin = admin_of(c, r, AdminOperation::queue_node_action);
    const auto request = api::decode<api::NodeActionRequest>(r.request->body(), "request body");
    const api::NodeActionStatus action =
        enrollment::queue_node_action(*c.store, c.ca->name(), request, actor_of(c, admin));
    spdlog::info("request_id={} node={} action={} {} queued by {}",
                 r.request_id,
                 action.node,
                 action.id,
                 action.kind,
                 admin.actor());
    return json_response(api::encode(action), http::status::created);
}

HttpResponse read_node_action(const AdminContext& c, const RequestContext& r) {
    admin_of(c, r, AdminOperation::read_node_action);
    std::int64_t id = 0;
    const std::string& text = r.parameter;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
        throw Error(ErrorCode::not_found, fmt::format("no node action {}", text));
    }
    return json_response(api::encode(enrollment::node_action(*c.store, c.ca->name(), id)));
}

HttpResponse create_token(const AdminContext& c, const RequestContext& r) {
    const AdminIdentity admin = admin_of(c, r, AdminOperation::create_token);
    const auto request = api::decode<api::TokenRequest>(r.request->body(), "request body");
    const api::TokenGrant grant =
        enrollment::grant_token(*c.store, c.ca->name(), request, actor_of(c, admin));
    // The token itself is in the answer only: the log names it by its hash prefix.
    spdlog::info("request_id={} token={} for {} created by {}",
                 r.request_id,
                 grant.id,
                 fmt::join(grant.names, ","),
                 admin.actor());
    return json_response(api::encode(grant), http::status::created);
}

}  // namespace

void add_admin_routes(Router& router, const AdminContext& context) {
    const AdminContext* c = &context;
    const auto add = [&](http::verb method,
                         std::string_view pattern,
                         HttpResponse (*handle)(const AdminContext&, const RequestContext&)) {
        router.add({.method = method,
                    .pattern = std::string(pattern),
                    .access = Access::client_certificate,
                    .handler = [c, handle](const RequestContext& r) { return handle(*c, r); }});
    };
    add(http::verb::get, "/v1/admin/requests", list_requests);
    add(http::verb::post, "/v1/admin/requests/approve", approve_requests);
    add(http::verb::post, "/v1/admin/requests/deny", deny_request);
    add(http::verb::get, "/v1/admin/nodes", list_nodes);
    add(http::verb::post, "/v1/admin/node-actions", queue_node_action);
    add(http::verb::get, "/v1/admin/node-actions/{id}", read_node_action);
    add(http::verb::post, "/v1/admin/tokens", create_token);
}

}  // namespace certfleet::server
