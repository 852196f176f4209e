#pragma once

#include "api/admin_messages.hpp"
#include "cli/authority_options.hpp"
#include "cli/server_connection_options.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace certfleet::cli {

/// The fleet of one authority as `certfleet request`, `node` and `token` see it: read and changed in the
/// store directly, or through a server's admin routes (--server). Both answer the same admin wire types
/// (api/admin_messages.hpp), so each command formats its report once. Calls throw core::Error as the
/// store path does; through a server: Error(unauthenticated/forbidden) for 401/403, not_found/conflict
/// for 404/409, Error(unavailable) naming the server when it cannot be reached.
class Fleet {
public:
    Fleet() = default;
    Fleet(const Fleet&) = delete;
    Fleet& operator=(const Fleet&) = delete;
    Fleet(Fleet&&) = delete;
    Fleet& operator=(Fleet&&) = delete;
    virtual ~Fleet() = default;

    /// Returns "authority \"NAME\"" or "the server URL", for messages.
    [[nodiscard]] virtual std::string where() const = 0;
    /// Returns the pending requests; every request when `all`.
    virtual api::RequestList list_requests(bool all) = 0;
    /// Issues one pending request or every one; returns them.
    virtual api::RequestList approve_requests(const api::RequestDecision& decision) = 0;
    /// Denies one pending request; returns it.
    virtual api::RequestSummary deny_request(const api::RequestDecision& decision) = 0;
    /// Returns the nodes.
    virtual api::NodeList list_nodes() = 0;
    /// Queues an action for a connected node; returns it.
    virtual api::NodeActionStatus queue_node_action(const api::NodeActionRequest& request) = 0;
    /// Returns action `id` as it is now.
    virtual api::NodeActionStatus node_action(std::int64_t id) = 0;
    /// Creates a one-time enrollment token.
    virtual api::TokenGrant create_token(const api::TokenRequest& request) = 0;
};

/// Returns the fleet `server` names (its admin routes), else the one of the store and authority
/// `authority` name (the CA passphrase is read only to approve). Throws Error(invalid_input) for
/// --server with --store, --ca or --passphrase-file (the server has its own), for --admin-cert without
/// --admin-key or the other way round, and what opening the store throws.
std::unique_ptr<Fleet> open_fleet(const AuthorityOptions& authority, const ServerConnectionOptions& server);

/// Waits until the node has reported `action`, bounded by `timeout` (the --timeout text): its agent holds
/// the long-poll, so it normally does within seconds. Shows where it is on a terminal when `progress`.
/// Returns the ended action; throws Error(unavailable) naming the node when it has not reported in time.
api::NodeActionStatus wait_for_report(Fleet& fleet,
                                      const api::NodeActionStatus& action,
                                      const std::string& timeout,
                                      bool progress);

}  // namespace certfleet::cli
