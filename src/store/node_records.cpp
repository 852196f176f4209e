#include "store/node_records.hpp"

#include "core/error.hpp"
#include "store/record_codec.hpp"

#include <fmt/format.h>

namespace certfleet::store {
namespace {

using core::Error;
using core::ErrorCode;

std::optional<core::TimePoint> optional_time(const SqlRow& r, std::size_t i) {
    if (r.is_null(i)) {
        return std::nullopt;
    }
    return from_unix_seconds(r.integer(i));
}

SqlParam optional_seconds(const std::optional<core::TimePoint>& at) {
    if (!at) {
        return nullptr;
    }
    return to_unix_seconds(*at);
}

constexpr std::string_view node_columns =
    "authority, name, serial, agent_version, report, last_checkin_at, last_poll_at";

NodeRecord read_node(const SqlRow& r) {
    return {.authority = r.text(0),
            .name = r.text(1),
            .serial = r.text(2),
            .agent_version = r.text(3),
            .report = r.text(4),
            .last_checkin_at = optional_time(r, 5),
            .last_poll_at = optional_time(r, 6)};
}

constexpr std::string_view action_columns =
    "id, authority, node, kind, argument, state, requested_by, created_at, delivered_at, finished_at, result";

NodeActionRecord read_action(const SqlRow& r) {
    return {.id = r.integer(0),
            .authority = r.text(1),
            .node = r.text(2),
            .kind = r.text(3),
            .argument = r.text(4),
            .state = r.text(5),
            .requested_by = r.text(6),
            .created_at = from_unix_seconds(r.integer(7)),
            .delivered_at = optional_time(r, 8),
            .finished_at = optional_time(r, 9),
            .result = r.text(10)};
}

}  // namespace

void record_checkin(Transaction& tx, const NodeRecord& node) {
    tx.run(
        "INSERT INTO nodes (authority, name, serial, agent_version, report, last_checkin_at, last_poll_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, NULL) "
        "ON CONFLICT (authority, name) DO UPDATE SET serial = excluded.serial, "
        "agent_version = excluded.agent_version, report = excluded.report, "
        "last_checkin_at = excluded.last_checkin_at",
        {node.authority,
         node.name,
         node.serial,
         node.agent_version,
         node.report,
         optional_seconds(node.last_checkin_at)});
}

void record_poll(Transaction& tx,
                 std::string_view authority,
                 std::string_view name,
                 std::string_view serial,
                 core::TimePoint at) {
    tx.run(
        "INSERT INTO nodes (authority, name, serial, agent_version, report, last_checkin_at, last_poll_at) "
        "VALUES ($1, $2, $3, '', '', NULL, $4) "
        "ON CONFLICT (authority, name) DO UPDATE SET serial = excluded.serial, "
        "last_poll_at = excluded.last_poll_at",
        {authority, name, serial, to_unix_seconds(at)});
}

std::optional<NodeRecord> find_node(Transaction& tx, std::string_view authority, std::string_view name) {
    const SqlResult r =
        tx.run(fmt::format("SELECT {} FROM nodes WHERE authority = $1 AND name = $2", node_columns),
               {authority, name});
    if (r.rows.empty()) {
        return std::nullopt;
    }
    return read_node(r.rows[0]);
}

std::vector<NodeRecord> list_nodes(Transaction& tx, std::string_view authority) {
    std::vector<NodeRecord> nodes;
    for (const SqlRow& r :
         tx.run(fmt::format("SELECT {} FROM nodes WHERE authority = $1 ORDER BY name", node_columns),
                {authority})
             .rows) {
        nodes.push_back(read_node(r));
    }
    return nodes;
}

std::string node_action_notice(std::string_view authority, std::string_view node) {
    return fmt::format("{}:{}{}", authority.size(), authority, node);
}

std::optional<std::string> node_of_action_notice(std::string_view notice, std::string_view authority) {
    const std::string prefix = fmt::format("{}:{}", authority.size(), authority);
    if (!notice.starts_with(prefix) || notice.size() == prefix.size()) {
        return std::nullopt;
    }
    return std::string(notice.substr(prefix.size()));
}

void insert_node_action(Transaction& tx, NodeActionRecord& action) {
    action.id = tx.run(
                      "INSERT INTO node_actions (authority, node, kind, argument, state, requested_by, "
                      "created_at, delivered_at, finished_at, result) "
                      "VALUES ($1, $2, $3, $4, 'queued', $5, $6, NULL, NULL, '') RETURNING id",
                      {action.authority,
                       action.node,
                       action.kind,
                       action.argument,
                       action.requested_by,
                       to_unix_seconds(action.created_at)})
                    .rows.at(0)
                    .integer(0);
    action.state = "queued";
    tx.notify(node_action_channel, node_action_notice(action.authority, action.node));
}

std::optional<NodeActionRecord> find_node_action(Transaction& tx,
                                                 std::string_view authority,
                                                 std::int64_t id) {
    const SqlResult r =
        tx.run(fmt::format("SELECT {} FROM node_actions WHERE authority = $1 AND id = $2", action_columns),
               {authority, id});
    if (r.rows.empty()) {
        return std::nullopt;
    }
    return read_action(r.rows[0]);
}

std::vector<NodeActionRecord> deliver_node_actions(Transaction& tx,
                                                   std::string_view authority,
                                                   std::string_view node,
                                                   core::TimePoint at) {
    std::vector<NodeActionRecord> actions;
    for (const SqlRow& r :
         tx.run(fmt::format("SELECT {} FROM node_actions WHERE authority = $1 AND node = $2 "
                            "AND state IN ('queued', 'delivered') ORDER BY id",
                            action_columns),
                {authority, node})
             .rows) {
        actions.push_back(read_action(r));
    }
    tx.run(
        "UPDATE node_actions SET state = 'delivered', delivered_at = $3 "
        "WHERE authority = $1 AND node = $2 AND state = 'queued'",
        {authority, node, to_unix_seconds(at)});
    for (NodeActionRecord& a : actions) {
        if (a.state == "queued") {
            a.state = "delivered";
            a.delivered_at = at;
        }
    }
    return actions;
}

std::vector<std::string> nodes_with_queued_actions(Transaction& tx, std::string_view authority) {
    std::vector<std::string> names;
    for (const SqlRow& r :
         tx.run("SELECT DISTINCT node FROM node_actions WHERE authority = $1 AND state = 'queued'",
                {authority})
             .rows) {
        names.push_back(r.text(0));
    }
    return names;
}

void finish_node_action(Transaction& tx,
                        std::string_view authority,
                        std::string_view node,
                        std::int64_t id,
                        std::string_view state,
                        std::string_view result,
                        core::TimePoint at) {
    const std::optional<NodeActionRecord> action = find_node_action(tx, authority, id);
    if (!action || action->node != node) {
        throw Error(ErrorCode::not_found, fmt::format("node {} has no action {}", node, id));
    }
    if (action->state == state) {
        return;  // the agent reported twice (a retry after a lost answer)
    }
    if (action->state != "delivered" && action->state != "queued") {
        throw Error(ErrorCode::conflict,
                    fmt::format("action {} of node {} already ended: {}", id, node, action->state));
    }
    tx.run("UPDATE node_actions SET state = $2, result = $3, finished_at = $4 WHERE id = $1",
           {id, state, result, to_unix_seconds(at)});
}

}  // namespace certfleet::store
