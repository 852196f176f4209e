#pragma once
// Nodes and the actions queued for them (seed 001: "renew node X" from anywhere in the cluster). A
// node is the name of the certificate it authenticates with; its row keeps what its agent last reported
// and when it last held the actions long-poll; enrollment/node_presence.hpp decides from that whether it
// counts as connected. Actions are a closed list of kinds, with ids, delivered once and finished once.

#include "store/records.hpp"
#include "store/transaction.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::store {

/// A node as the server last heard of it.
struct NodeRecord {
    std::string authority;
    std::string name;           ///< the commonName of the certificate it authenticates with
    std::string serial;         ///< lower-case hex of that certificate, as last seen
    std::string agent_version;  ///< "" until its first check-in
    std::string report;         ///< the last check-in (api::Checkin as JSON), "" until then
    std::optional<core::TimePoint> last_checkin_at;
    std::optional<core::TimePoint> last_poll_at;  ///< the last GET /v1/actions (its start or its end)
};

/// One action for one node.
struct NodeActionRecord {
    std::int64_t id = 0;  ///< assigned by the store
    std::string authority;
    std::string node;
    std::string kind;      ///< "renew", "report", "operation"
    std::string argument;  ///< the tracked certificate for "renew" ("" = every one); the name for "operation"
    std::string state = "queued";  ///< queued, delivered, succeeded, failed, refused, expired
    std::string requested_by;      ///< "cli:alice", "admin:bob"
    core::TimePoint created_at;
    std::optional<core::TimePoint> delivered_at;
    std::optional<core::TimePoint> finished_at;
    std::string result;  ///< what the node reported ("" until finished)
};

/// Records a check-in: creates the node or replaces its serial, agent version and report.
void record_checkin(Transaction& tx, const NodeRecord& node);
/// Records that `name` (authenticated as `serial`) polls for actions at `at`; creates the node if new.
void record_poll(Transaction& tx,
                 std::string_view authority,
                 std::string_view name,
                 std::string_view serial,
                 core::TimePoint at);
/// Returns the node, or nullopt.
std::optional<NodeRecord> find_node(Transaction& tx, std::string_view authority, std::string_view name);
/// Returns every node of `authority`, by name.
std::vector<NodeRecord> list_nodes(Transaction& tx, std::string_view authority);

/// The channel on which a queued action is announced when its unit commits (Transaction::notify), so the
/// replica holding the node's poll answers it at once instead of at its next look at the table.
inline constexpr std::string_view node_action_channel = "certfleet_node_actions";
/// The announcement of an action for `node` of `authority`: "LENGTH:AUTHORITYNODE" (names may hold
/// any character, so the authority is length-prefixed).
std::string node_action_notice(std::string_view authority, std::string_view node);
/// Returns the node named by `notice` if the notice is about `authority`, else nullopt.
std::optional<std::string> node_of_action_notice(std::string_view notice, std::string_view authority);

/// Queues `action` (state queued), assigns its id and announces it on node_action_channel.
void insert_node_action(Transaction& tx, NodeActionRecord& action);
/// Returns the action with `id` of `authority`, or nullopt.
std::optional<NodeActionRecord> find_node_action(Transaction& tx,
                                                 std::string_view authority,
                                                 std::int64_t id);
/// Marks every queued action of the node delivered at `at` and returns them, oldest first. Actions a
/// node was given but did not finish are given again (delivery is at least once; ids make it idempotent).
std::vector<NodeActionRecord> deliver_node_actions(Transaction& tx,
                                                   std::string_view authority,
                                                   std::string_view node,
                                                   core::TimePoint at);
/// Returns the names of the nodes of `authority` with queued actions.
std::vector<std::string> nodes_with_queued_actions(Transaction& tx, std::string_view authority);
/// Records how a delivered action of `node` ended ("succeeded", "failed", or "refused": the node does not
/// define that operation) with the node's words.
/// Throws Error(not_found) for an action of another node or unknown, Error(conflict) if it already
/// finished differently (the same report twice is accepted: the agent may retry).
void finish_node_action(Transaction& tx,
                        std::string_view authority,
                        std::string_view node,
                        std::int64_t id,
                        std::string_view state,
                        std::string_view result,
                        core::TimePoint at);

}  // namespace certfleet::store
