#pragma once

#include "store/admin_records.hpp"

#include <string_view>

namespace certfleet::server {

/// What the admin routes (server/admin_routes.hpp) let an admin certificate do.
enum class AdminOperation {
    list_requests,
    approve_requests,
    deny_requests,
    list_nodes,
    queue_node_action,
    read_node_action,
    create_token,
};

/// The least role an operation needs, and the words a refusal uses for it.
struct AdminPermission {
    store::AdminRole role = store::AdminRole::admin;
    std::string_view action;  ///< "approve certificate requests"
};

/// Returns what `operation` needs: a reader reads lists and actions; an operator also decides requests
/// and queues node actions; only an admin creates enrollment tokens (a token is a certificate for
/// whoever holds it, so it is the most trusting thing an admin route hands out).
AdminPermission permission_for(AdminOperation operation);

/// Whether an admin certificate of `role` may do `operation`.
bool may(store::AdminRole role, AdminOperation operation);

}  // namespace certfleet::server
