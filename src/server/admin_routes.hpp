#pragma once

#include "authority/authority.hpp"
#include "core/clock.hpp"
#include "server/router.hpp"
#include "store/store.hpp"

namespace certfleet::server {

/// What the admin routes share.
struct AdminContext {
    store::Store* store = nullptr;
    const authority::Authority* ca = nullptr;
    const core::Clock* clock = nullptr;
};

/// Adds the admin routes behind the CLI's --server mode (docs/api.md "Administration"; JSON; client
/// certificate on the admin allow-list, server/admin_authorisation.hpp; roles in admin_operations.hpp):
/// GET /v1/admin/requests[?all=true] (reader), POST /v1/admin/requests/approve and .../deny
/// (operator), GET /v1/admin/nodes (reader), POST /v1/admin/node-actions (operator; 201) and
/// GET /v1/admin/node-actions/{id} (reader), POST /v1/admin/tokens (admin). Every change is audited as
/// "admin:NAME". `context` must outlive the router.
void add_admin_routes(Router& router, const AdminContext& context);

}  // namespace certfleet::server
