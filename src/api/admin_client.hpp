#pragma once

#include "api/admin_messages.hpp"
#include "api/api_client.hpp"

#include <cstdint>
#include <string>

namespace certfleet::api {

/// A client of the admin routes (/v1/admin/..., docs/api.md "Administration"), authenticating with an
/// admin certificate (certfleet admin-cert issue) given in `options`. Every call throws
/// Error(unavailable) naming the server when it cannot be reached, and otherwise the server's error as
/// throw_for_reply() maps it: 401/403 Error(unauthenticated/forbidden), 404 not_found, 409 conflict.
class AdminClient {
public:
    /// Prepares a client. Throws Error(invalid_input) for a URL that is not http(s)://.
    explicit AdminClient(ClientOptions options);

    /// GET /v1/admin/requests: the pending requests, or every request when `all`.
    RequestList list_requests(bool all);
    /// POST /v1/admin/requests/approve: the requests it issued.
    RequestList approve_requests(const RequestDecision& decision);
    /// POST /v1/admin/requests/deny: the denied request.
    RequestSummary deny_request(const RequestDecision& decision);
    /// GET /v1/admin/nodes.
    NodeList list_nodes();
    /// POST /v1/admin/node-actions: the queued action.
    NodeActionStatus queue_node_action(const NodeActionRequest& request);
    /// GET /v1/admin/node-actions/ID.
    NodeActionStatus node_action(std::int64_t id);
    /// POST /v1/admin/tokens: the new token.
    TokenGrant create_token(const TokenRequest& request);

private:
    ApiClient m_client;
};

}  // namespace certfleet::api
