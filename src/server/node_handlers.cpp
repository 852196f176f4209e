#include "server/node_handlers.hpp"

#include "api/json_codec.hpp"
#include "core/error.hpp"
#include "enrollment/node_presence.hpp"
#include "server/router.hpp"
#include "store/audit_log.hpp"
#include "store/node_records.hpp"

#include <fmt/format.h>

#include <charconv>

namespace certfleet::server {

using core::Error;
using core::ErrorCode;

namespace {

HttpResponse no_content() {
    HttpResponse response{http::status::no_content, 11};
    response.prepare_payload();
    return response;
}

std::int64_t action_id(std::string_view text) {
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
        throw Error(ErrorCode::not_found, fmt::format("no action {}", text));
    }
    return id;
}

}  // namespace

std::string node_name_of(const RequestContext& context) {
    const ClientCertificate& caller = context.caller.certificate.value();
    if (caller.common_name.empty()) {
        throw Error(
            ErrorCode::forbidden,
            fmt::format("client certificate {}: no commonName, so it names no node", caller.serial_hex));
    }
    return caller.common_name;
}

HttpResponse NodeRoutes::checkin(const RequestContext& context, core::TimePoint now) const {
    const std::string body = context.request->body();
    const auto report = api::decode<api::Checkin>(body, "request body");
    const store::NodeRecord node{.authority = authority,
                                 .name = node_name_of(context),
                                 .serial = context.caller.certificate->serial_hex,
                                 .agent_version = report.agent_version,
                                 .report = api::encode(report),
                                 .last_checkin_at = now};
    store->commit([&](store::Transaction& tx) { store::record_checkin(tx, node); });
    return no_content();
}

HttpResponse NodeRoutes::poll_actions(const RequestContext& context, core::TimePoint now) const {
    static_cast<void>(enrollment::action_wait(context.query_parameter("wait"), "wait"));
    const std::string name = node_name_of(context);
    std::vector<store::NodeActionRecord> delivered;
    store->commit([&](store::Transaction& tx) {
        store::record_poll(tx, authority, name, context.caller.certificate->serial_hex, now);
        delivered = store::deliver_node_actions(tx, authority, name, now);
    });
    if (delivered.empty()) {
        return no_content();
    }
    api::ActionList list;
    for (const store::NodeActionRecord& a : delivered) {
        list.actions.push_back({.id = std::to_string(a.id), .kind = a.kind, .argument = a.argument});
    }
    return json_response(api::encode(list));
}

HttpResponse NodeRoutes::finish_action(const RequestContext& context, core::TimePoint now) const {
    const std::int64_t id = action_id(context.parameter);
    const auto result = api::decode<api::ActionResult>(context.request->body(), "request body");
    const std::string name = node_name_of(context);
    store->commit([&](store::Transaction& tx) {
        store::finish_node_action(tx, authority, name, id, result.outcome, result.detail, now);
        store::append_audit(
            tx,
            {.at = now,
             .actor = fmt::format("node:{}", name),
             .action = "node.action",
             .target = fmt::format("action {}", id),
             .outcome = result.outcome == "succeeded" ? "ok" : result.outcome + ": " + result.detail,
             .authority = authority});
    });
    return no_content();
}

}  // namespace certfleet::server
