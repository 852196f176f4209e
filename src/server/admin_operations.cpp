#include "server/admin_operations.hpp"

namespace certfleet::server {

using store::AdminRole;

AdminPermission permission_for(AdminOperation operation) {
    switch (operation) {
        case AdminOperation::list_requests:
            return {.role = AdminRole::reader, .action = "list certificate requests"};
        case AdminOperation::approve_requests:
            return {.role = AdminRole::operator_, .action = "approve certificate requests"};
        case AdminOperation::deny_requests:
            return {.role = AdminRole::operator_, .action = "deny certificate requests"};
        case AdminOperation::list_nodes:
            return {.role = AdminRole::reader, .action = "list nodes"};
        case AdminOperation::queue_node_action:
            return {.role = AdminRole::operator_, .action = "queue node actions"};
        case AdminOperation::read_node_action:
            return {.role = AdminRole::reader, .action = "read node actions"};
        case AdminOperation::create_token:
            return {.role = AdminRole::admin, .action = "create enrollment tokens"};
    }
    return {};  // an operation not listed above needs admin
}

bool may(AdminRole role, AdminOperation operation) {
    return role >= permission_for(operation).role;
}

}  // namespace certfleet::server
